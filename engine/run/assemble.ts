/**
 * Assembling replications from work units: a replication's unit aggregates are summed (exact
 * integer fen, any order) and, once every block is in, settled — every payment model pays, the
 * ledger rolls (settle-replication.ts). The same code assembles a run on one machine
 * (run-scenario.ts), a shard's replications (shard.ts), shards' partial replications at merge
 * (merge.ts) and a queue run's task results, so the four cannot drift apart.
 */
import type { ReplicationResult } from '../ledger/results.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { paymentModel } from '../payment/registry.ts';
import { addAggregates } from '../utilization/metrics.ts';
import { Errors } from '../errors.ts';
import { compileForReplication, type Runner } from './pool.ts';
import { settleReplication } from './settle-replication.ts';
import type { Compiled } from './simulate.ts';
import type { WorkUnit } from './units.ts';

/** A replication of which only some blocks are in: their summed aggregates and block ranges. */
export interface PartialReplication {
  replication: number;
  /** Block ranges [from, to) held, sorted. */
  blocks: [number, number][];
  agg: Float64Array;
}

export class ReplicationAssembler {
  private readonly pending = new Map<number, { agg: Float64Array; blocks: [number, number][]; count: number }>();
  private readonly models;
  readonly nBlocks: number;

  constructor(
    private readonly scenario: ScenarioFile,
    private readonly hash: string,
    private readonly c: Compiled,
  ) {
    this.models = scenario.paymentModels.map((m) => paymentModel(m, scenario, c.region));
    this.nBlocks = c.region.blocks.length;
  }

  /**
   * Add blocks [from, to) of a replication (or several ranges, from a partial); returns the
   * settled replication when its last block is in. Adding a block twice is an error (it would be
   * counted twice).
   */
  add(replication: number, ranges: [number, number][], agg: Float64Array): ReplicationResult | undefined {
    let p = this.pending.get(replication);
    if (!p) this.pending.set(replication, (p = { agg, blocks: [], count: 0 }));
    else addAggregates(p.agg, agg);
    for (const [from, to] of ranges) {
      if (p.blocks.some(([a, b]) => from < b && a < to)) throw new RangeError(`replication ${replication}: blocks ${from}–${to - 1} added twice`);
      p.blocks.push([from, to]);
      p.count += to - from;
    }
    if (p.count < this.nBlocks) return undefined;
    this.pending.delete(replication);
    return this.settle(replication, p.agg);
  }

  /** Replications still missing blocks. */
  partials(): PartialReplication[] {
    return [...this.pending.entries()].sort((a, b) => a[0] - b[0]).map(([replication, p]) => ({ replication, blocks: [...p.blocks].sort((a, b) => a[0] - b[0]), agg: p.agg }));
  }

  private settle(replication: number, agg: Float64Array): ReplicationResult {
    // With uncertain parameters each replication has its own drawn scenario (same region).
    if (!this.scenario.uncertainty.length) return { ...settleReplication(this.c, this.models, replication, agg), parameters: {} };
    const cr = compileForReplication(this.scenario, this.hash, replication);
    const models = cr.c.scenario.paymentModels.map((m) => paymentModel(m, cr.c.scenario, cr.c.region));
    return { ...settleReplication(cr.c, models, replication, agg), parameters: cr.values };
  }
}

/**
 * Run `units` of one scenario on `runner` and feed each result to `assembler`; `onSettled` sees each
 * replication as it completes. Uncertain parameters are drawn (and checked) here first, so a draw
 * that breaks a rule is the user's error reported from this thread, not a worker failure.
 */
export async function runUnits(
  runner: Runner,
  scenario: ScenarioFile,
  hash: string,
  units: WorkUnit[],
  assembler: ReplicationAssembler,
  o: { signal?: AbortSignal; onSettled?: (r: ReplicationResult) => void; onUnit?: (u: WorkUnit) => void } = {},
): Promise<void> {
  if (scenario.uncertainty.length) for (const r of new Set(units.map((u) => u.replication))) compileForReplication(scenario, hash, r);
  await Promise.all(
    units.map(async (u) => {
      if (o.signal?.aborted) throw Errors.Interrupted();
      const res = await runner.run({ scenario, hash, replication: u.replication, from: u.from, to: u.to });
      if (o.signal?.aborted) throw Errors.Interrupted();
      const done = assembler.add(u.replication, [[u.from, u.to]], res.agg);
      o.onUnit?.(u);
      if (done) o.onSettled?.(done);
    }),
  );
}
