/**
 * Running tasks: in this thread (`workers: 1`) or on a piscina pool of worker threads. Either way
 * each task simulates whole blocks with their own streams, so the merged result is identical.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Errors } from './errors.ts';
import type { ScenarioFile } from './params/schema.ts';
import { compile, simulateBlocks, type Compiled } from './simulate.ts';
import { drawParameters } from './uncertainty/apply.ts';

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

export function runTask(c: Compiled, t: SimTask): Float64Array {
  return simulateBlocks(c, t.replication, t.from, t.to);
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

/** A runner for `workers` threads (1 = this thread, no pool). */
export function createRunner(workers: number): Runner {
  if (workers <= 1) {
    return {
      run: async (t) => ({ replication: t.replication, from: t.from, agg: runTask(compileForReplication(t.scenario, t.hash, t.replication).c, t) }),
      close: async () => {},
    };
  }
  const { filename, execArgv } = workerEntry();
  const pool = new Piscina({ filename, execArgv, minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  return {
    run: async (t) => {
      try {
        const agg = (await pool.run(t)) as Float64Array;
        return { replication: t.replication, from: t.from, agg };
      } catch (e) {
        throw Errors.WorkerFailed(`replication ${t.replication} blocks ${t.from}–${t.to - 1}`, (e as Error).message);
      }
    },
    close: () => pool.destroy(),
  };
}

/** The worker file: the TypeScript source under tsx, or the compiled JS beside this module. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // From sources: a small JS entry registers tsx's ESM loader inside the worker, then imports the
    // TypeScript worker. `execArgv: ['--import', 'tsx']` also works but made the kernel ~40% slower
    // in workers (measured: 4.1 s vs 2.9 s per replication of the default region).
    return { filename: fileURLToPath(new URL('../workers/tsx-bootstrap.mjs', import.meta.url)), execArgv: [] };
  }
  const js = fileURLToPath(new URL('../workers/simulate.worker.js', import.meta.url));
  if (!existsSync(js)) throw new Error(`worker entry not found: ${js}`);
  return { filename: js, execArgv: [] };
}
