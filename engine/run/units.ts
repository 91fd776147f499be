/**
 * Work units: blocks [from, to) of one replication, the smallest piece of a run that can go
 * anywhere. A unit's facility-year aggregates depend only on (scenario, seed, replication, blocks) —
 * never on which thread, machine or shard ran it — and aggregates are sums of integer fen, so a
 * replication assembled from its units in any order is bit-identical to one simulated whole.
 *
 * Shards (`fundcast run --shard K/N`) are contiguous slices of a run's units: whole replications
 * when there are at least as many replications as shards, each replication cut into equal block
 * ranges when there are more shards than replications.
 */
import { Errors } from '../errors.ts';

export interface WorkUnit {
  replication: number;
  /** First block (inclusive). */
  from: number;
  /** Last block (exclusive). */
  to: number;
}

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Units of replications [r0, r1), `perTask` blocks each (the last of a replication may be shorter). */
export function unitsOfRange(r0: number, r1: number, nBlocks: number, perTask: number): WorkUnit[] {
  const out: WorkUnit[] = [];
  for (let r = r0; r < r1; r++) for (let b = 0; b < nBlocks; b += perTask) out.push({ replication: r, from: b, to: Math.min(nBlocks, b + perTask) });
  return out;
}

/** Replications [r0, r1) each cut into `parts` block ranges of (nearly) equal size. */
export function unitsInParts(r0: number, r1: number, nBlocks: number, parts: number): WorkUnit[] {
  const out: WorkUnit[] = [];
  for (let r = r0; r < r1; r++) {
    for (let p = 0; p < parts; p++) out.push({ replication: r, from: Math.floor((p * nBlocks) / parts), to: Math.floor(((p + 1) * nBlocks) / parts) });
  }
  return out;
}

/**
 * The units of every shard of replications [r0, r1) cut `count` ways (index 0 = shard 1/count).
 * Each replication is cut into ⌈count ÷ replications⌉ block ranges (1 when there are at least as
 * many replications as shards), and shard k takes units ⌊(k−1)·U/N⌋ … ⌊k·U/N⌋ − 1 of the U in
 * replication order: a pure function of (r0, r1, blocks, count), so every machine computes the same plan.
 */
export function shardPlan(r0: number, r1: number, nBlocks: number, count: number, allowEmpty = false): WorkUnit[][] {
  const R = r1 - r0;
  const parts = R <= 0 ? 1 : Math.min(nBlocks, Math.max(1, Math.ceil(count / R)));
  const units = unitsInParts(r0, r1, nBlocks, parts);
  // An extra run (Monte Carlo only, sensitivity) may have fewer units than there are shards: some hold none of it.
  if (units.length < count && !allowEmpty) {
    throw Errors.BadFlag('shard', `${count} shards but the run has only ${units.length} units of work (${R} replication${R === 1 ? '' : 's'} × ${nBlocks} block${nBlocks === 1 ? '' : 's'}): use at most ${units.length} shards`);
  }
  return Array.from({ length: count }, (_, k) => units.slice(Math.floor((k * units.length) / count), Math.floor(((k + 1) * units.length) / count)));
}

/**
 * Units cut into smaller tasks for a pool of `workers` threads: at least 2 × workers tasks where the
 * blocks allow (a shard of one replication still keeps every thread busy). Results never depend on it.
 */
export function tasksFor(units: WorkUnit[], workers: number): WorkUnit[] {
  if (units.length === 0 || units.length >= 2 * workers) return units;
  const parts = Math.ceil((2 * workers) / units.length);
  return units.flatMap((u) => {
    const n = Math.min(parts, u.to - u.from);
    return Array.from({ length: n }, (_, p) => ({ replication: u.replication, from: u.from + Math.floor((p * (u.to - u.from)) / n), to: u.from + Math.floor(((p + 1) * (u.to - u.from)) / n) }));
  });
}

/** Parse `K/N` (1 ≤ K ≤ N ≤ 100,000). */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw Errors.BadFlag('shard', `must be K/N (shard K of N, e.g. 2/7), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 100_000) throw Errors.BadFlag('shard', `the number of shards must be from 1 to 100000, got ${count}`);
  if (index < 1 || index > count) throw Errors.BadFlag('shard', `K must be from 1 to ${count} in K/N (shards are numbered from 1), got ${index}`);
  return { index, count };
}

/** "replication 3 blocks 0–11" */
export function describeUnit(u: WorkUnit): string {
  return `replication ${u.replication} blocks ${u.from}–${u.to - 1}`;
}

/** Units in words: "replications 0–4", "replication 1 blocks 2–3, replication 2 blocks 0–1". */
export function describeUnits(units: WorkUnit[], nBlocks: number): string {
  const parts: string[] = [];
  let run: [number, number] | undefined; // whole replications [a, b]
  const flush = () => {
    if (run) parts.push(run[0] === run[1] ? `replication ${run[0]}` : `replications ${run[0]}–${run[1]}`);
    run = undefined;
  };
  for (const u of coalesce(units)) {
    if (u.from === 0 && u.to === nBlocks) {
      if (run && run[1] === u.replication - 1) run[1] = u.replication;
      else {
        flush();
        run = [u.replication, u.replication];
      }
    } else {
      flush();
      const last = parts.at(-1);
      const prefix = `replication ${u.replication} blocks `;
      if (last?.startsWith(prefix)) parts[parts.length - 1] = `${last}, ${u.from}–${u.to - 1}`;
      else parts.push(`${prefix}${u.from}–${u.to - 1}`);
    }
  }
  flush();
  return parts.join(', ');
}

/** Adjacent units of one replication joined (blocks 0–1 and 2–3 → 0–3). */
function coalesce(units: WorkUnit[]): WorkUnit[] {
  const out: WorkUnit[] = [];
  for (const u of [...units].sort((a, b) => a.replication - b.replication || a.from - b.from)) {
    const last = out.at(-1);
    if (last && last.replication === u.replication && last.to === u.from) last.to = u.to;
    else out.push({ ...u });
  }
  return out;
}
