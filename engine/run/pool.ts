/**
 * Running tasks: in this thread (`workers: 1`) or on a piscina pool of worker threads. Either way
 * each task simulates whole blocks with their own streams, so the merged result is identical.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Errors } from '../errors.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { compile, simulateBlocks, type Compiled } from './simulate.ts';
import { drawParameters } from '../params/uncertainty/apply.ts';

export interface SimTask {
  scenario: ScenarioFile;
  hash: string;
  replication: number;
  from: number;
  to: number;
}

export interface SimTaskResult {
  replication: number;
  from: number;
  agg: Float64Array;
}

/** A task's aggregates: the years its payment models read (history years of other blocks are skipped). */
export function runTask(c: Compiled, t: SimTask): Float64Array {
  return simulateBlocks(c, t.replication, t.from, t.to, undefined, 0, true);
}

/** The longest the in-thread runner computes without letting the event loop run (signals, timers), ms. */
const YIELD_MS = 100;

/**
 * {@link runTask} block by block, yielding to the event loop every YIELD_MS and stopping with
 * ERR_INTERRUPTED once `stopped()` — the same aggregates, bit for bit (integer sums).
 */
export async function runTaskInSlices(c: Compiled, t: SimTask, stopped: () => boolean): Promise<Float64Array> {
  const agg = new Float64Array(c.variants.length * c.aggSize);
  let last = performance.now();
  for (let b = t.from; b < t.to; b++) {
    simulateBlocks(c, t.replication, b, b + 1, undefined, 0, true, agg);
    if (b + 1 < t.to && performance.now() - last > YIELD_MS) {
      await new Promise((r) => setTimeout(r, 0));
      if (stopped()) throw Errors.Interrupted();
      last = performance.now();
    }
  }
  return agg;
}

// One compiled scenario per hash (and replication, when parameters are uncertain), per thread:
// a worker compiles a scenario once, not per task.
const compiledByKey = new Map<string, { c: Compiled; values: Record<string, number> }>();
export function compileCached(s: ScenarioFile, hash: string): Compiled {
  return compileForReplication(s, hash, 0).c;
}

/** The compiled scenario of replication `rep`: its uncertain parameters drawn (engine/uncertainty). */
export function compileForReplication(s: ScenarioFile, hash: string, rep: number): { c: Compiled; values: Record<string, number> } {
  const key = s.uncertainty.length === 0 ? hash : `${hash}:${rep}`;
  let hit = compiledByKey.get(key);
  if (!hit) {
    if (compiledByKey.size > 8) compiledByKey.clear();
    const d = drawParameters(s, rep);
    hit = { c: compile(d.scenario), values: d.values };
    compiledByKey.set(key, hit);
  }
  return hit;
}

export interface Runner {
  run(task: SimTask): Promise<SimTaskResult>;
  close(): Promise<void>;
}

export interface RunnerOptions {
  /** Attempts per task before the run stops (a crashed worker is replaced and its task re-run). Default 3. */
  maxAttempts?: number;
  /** Told of each failed attempt that will be retried. */
  onRetry?: (task: SimTask, attempt: number, error: Error) => void;
  /**
   * With one worker, run tasks in this thread (default) — or on a pool of one thread, which keeps
   * this thread's event loop free while a task runs (a queue worker must renew its task's lock).
   */
  inThread?: boolean;
}

/**
 * A runner for `workers` threads (1 = this thread, no pool).
 *
 * Fault tolerance: when a worker dies mid-task (or a task throws), piscina replaces the worker and
 * the task is run again, up to `maxAttempts`; since a task's result depends only on (scenario,
 * replication, blocks), the re-run gives exactly what the first attempt would have. A task that keeps
 * failing stops the run with a message naming it and the last error.
 */
export function createRunner(workers: number, o: RunnerOptions = {}): Runner {
  const maxAttempts = o.maxAttempts ?? 3;
  if (workers <= 1 && o.inThread !== false) {
    let closed = false;
    let chain: Promise<unknown> = Promise.resolve();
    return {
      // One task at a time, its blocks in slices with a timer between them (at least every
      // YIELD_MS): the event loop then passes its poll phase, where a SIGINT/SIGTERM handler gets to
      // run — a task of a large region would otherwise hold the thread for minutes.
      run: (t) => {
        const next = chain.then(async () => {
          await new Promise((r) => setTimeout(r, 0));
          if (closed) throw Errors.Interrupted();
          return { replication: t.replication, from: t.from, agg: await runTaskInSlices(compileForReplication(t.scenario, t.hash, t.replication).c, t, () => closed) };
        });
        chain = next.catch(() => undefined);
        return next;
      },
      close: async () => {
        closed = true;
      },
    };
  }
  const { filename, execArgv } = workerEntry();
  const threads = Math.max(1, workers);
  const pool = new Piscina({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  let closed = false;
  return {
    run: async (t) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const agg = (await pool.run(t)) as Float64Array;
          return { replication: t.replication, from: t.from, agg };
        } catch (e) {
          if (closed) throw Errors.Interrupted();
          if (attempt >= maxAttempts) {
            throw Errors.WorkerFailed(`replication ${t.replication} blocks ${t.from}–${t.to - 1}`, `failed ${attempt} times; last error: ${(e as Error).message}`);
          }
          o.onRetry?.(t, attempt, e as Error);
        }
      }
    },
    close: () => {
      closed = true;
      return pool.destroy();
    },
  };
}

/** The worker file: the TypeScript source under tsx, or the compiled JS beside this module. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // From sources: a small JS entry registers tsx's ESM loader inside the worker, then imports the
    // TypeScript worker. `execArgv: ['--import', 'tsx']` also works but made the kernel ~40% slower
    // in workers (measured: 4.1 s vs 2.9 s per replication of the default region).
    return { filename: fileURLToPath(new URL('../../workers/tsx-bootstrap.mjs', import.meta.url)), execArgv: [] };
  }
  const js = fileURLToPath(new URL('../../workers/simulate.worker.js', import.meta.url));
  if (!existsSync(js)) throw new Error(`worker entry not found: ${js}`);
  return { filename: js, execArgv: [] };
}
