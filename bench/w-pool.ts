/**
 * Running W on a piscina pool of worker threads (workers/bench-w.worker.mjs) or in this thread.
 * Tasks are replications × stream-block ranges; results are merged per replication in fen, so the
 * output does not depend on the worker count or the task size.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { mergeW, runWTask, wTasks, type BufferedOptions, type WAlgo, type WKernel, type WTask } from './workload-w.ts';

export interface WRunOptions {
  /** Replications per task (default 1). */
  repsPerTask?: number;
  /** Stream blocks per task (default: all, i.e. whole replications). */
  blocksPerTask?: number;
  kernel?: WKernel;
  options?: BufferedOptions;
}

export interface WRunner {
  readonly workers: number;
  /** Per replication [cost, fund tier 0, 1, 2] in fen (R × 4). */
  run(P: number, R: number, algo: WAlgo, seed: number, o?: WRunOptions): Promise<Float64Array>;
  close(): Promise<void>;
}

const WORKER = fileURLToPath(new URL('../workers/bench-w.worker.mjs', import.meta.url));

/** A runner with `workers` piscina threads, or in this thread when `workers` is 0. */
export async function createWRunner(workers: number): Promise<WRunner> {
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number ≥ 0, got ${workers}`);
  const tasksOf = (P: number, R: number, algo: WAlgo, seed: number, o: WRunOptions = {}) =>
    wTasks(P, R, algo, seed, o.repsPerTask ?? 1, o.blocksPerTask ?? Number.MAX_SAFE_INTEGER, o.kernel, o.options);
  if (workers === 0) {
    return {
      workers,
      run: async (P, R, algo, seed, o) => {
        const tasks = tasksOf(P, R, algo, seed, o);
        return mergeW(R, tasks, tasks.map(runWTask));
      },
      close: async () => {},
    };
  }
  const pool = new Piscina({ filename: WORKER, execArgv: [], minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
  // Start every thread (tsx registration, module load) before anything is timed.
  await Promise.all(Array.from({ length: workers }, () => pool.run({ P: 1, algo: 'annual', seed: 0, r0: 0, r1: 1, b0: 0, b1: 1 } satisfies WTask)));
  return {
    workers,
    run: async (P, R, algo, seed, o) => {
      const tasks = tasksOf(P, R, algo, seed, o);
      const results = (await Promise.all(tasks.map((t) => pool.run(t)))) as Float64Array[];
      return mergeW(R, tasks, results);
    },
    close: () => pool.destroy(),
  };
}
