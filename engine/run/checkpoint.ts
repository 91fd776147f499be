/**
 * Checkpoints: each completed replication's result is appended to a JSON-lines file as soon as it is
 * settled, after a header naming the scenario hash. `--resume` reads it back, skips the replications
 * it holds and runs the rest; because a replication's result depends only on (scenario, seed,
 * replication), the resumed run's results are identical to an uninterrupted run's. A line cut short by
 * a crash is ignored (that replication is simply run again).
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Errors } from '../errors.ts';
import type { ReplicationResult } from '../ledger/results.ts';

/**
 * The checkpoint format, raised whenever a version of fundcast draws differently for the same seed
 * (1: fundcast 0.1; 2: 0.2's per-patient-year streams; 3: 0.3's cohort, restated budgets and result
 * shape), so that a resumed run never mixes replications simulated by two versions.
 */
export const CHECKPOINT_FORMAT = 3;

interface Header {
  fundcastCheckpoint: number;
  scenarioHash: string;
}

/** JSON that keeps typed arrays and non-finite numbers (reserve months can be ±Infinity). */
export function serialize(r: ReplicationResult): string {
  return toJsonLine(r);
}

export function deserialize(line: string): ReplicationResult {
  return fromJsonLine(line) as ReplicationResult;
}

/** Any value as one line of JSON, Float64Arrays and ±Infinity/NaN kept (shard files use it too). */
export function toJsonLine(x: unknown): string {
  return JSON.stringify(x, (_k, v) => {
    if (v instanceof Float64Array) return { __f64: Array.from(v) };
    if (typeof v === 'number' && !Number.isFinite(v)) return { __num: String(v) };
    return v;
  });
}

export function fromJsonLine(line: string): unknown {
  return JSON.parse(line, (_k, v) => {
    if (v && typeof v === 'object' && '__f64' in v) return Float64Array.from(v.__f64 as number[]);
    if (v && typeof v === 'object' && '__num' in v) return Number(v.__num);
    return v;
  });
}

/** Completed replications in `file` for the scenario with `hash` (throws when it is another scenario's). */
export function readCheckpoint(file: string, hash: string): Map<number, ReplicationResult> {
  const done = new Map<number, ReplicationResult>();
  if (!existsSync(file)) return done;
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return done;
  let header: Header;
  try {
    header = JSON.parse(lines[0]) as Header;
  } catch {
    throw Errors.CheckpointMismatch(file, 'its first line is not a fundcast checkpoint header');
  }
  if (header.fundcastCheckpoint === 1 || header.fundcastCheckpoint === 2) {
    const v = header.fundcastCheckpoint === 1 ? '0.1' : '0.2';
    throw Errors.CheckpointMismatch(file, `it was written by fundcast ${v}, which simulates differently from this version (0.3 added the cohort's ageing, deaths and new registrations): its replications cannot be mixed with new ones`);
  }
  if (header.fundcastCheckpoint !== CHECKPOINT_FORMAT) throw Errors.CheckpointMismatch(file, 'not a fundcast checkpoint');
  if (header.scenarioHash !== hash) throw Errors.CheckpointMismatch(file, `it was written for another scenario or other options (hash ${header.scenarioHash.slice(0, 12)}, this run ${hash.slice(0, 12)})`);
  for (const line of lines.slice(1)) {
    try {
      const r = deserialize(line);
      done.set(r.replication, r);
    } catch {
      // a line cut short by an interruption: that replication runs again
    }
  }
  return done;
}

export class CheckpointWriter {
  constructor(private file: string, hash: string, fresh: boolean) {
    mkdirSync(dirname(file), { recursive: true });
    if (fresh || !existsSync(file)) {
      rmSync(file, { force: true });
      appendFileSync(file, JSON.stringify({ fundcastCheckpoint: CHECKPOINT_FORMAT, scenarioHash: hash } satisfies Header) + '\n');
    }
  }

  /** Append one replication durably (fsync), so a crash right after still has it. */
  add(r: ReplicationResult): void {
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, serialize(r) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }
}
