/**
 * What travels through the queue (BullMQ on Redis) between a queue run (`fundcast run --queue`,
 * runner.ts) and its workers (`fundcast worker`, worker.ts). No shared filesystem: a task names its
 * scenario by hash, and the scenario itself is stored once in Redis under that hash; a worker
 * checks the content against the hash and the task's fundcast version against its own.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Errors } from '../../errors.ts';
import type { WorkUnit } from '../units.ts';

/** The BullMQ queue's name and key prefix (keys are fundcast:tasks:…). */
export const QUEUE_NAME = 'tasks';
export const QUEUE_PREFIX = 'fundcast';
/** How long a scenario stays in Redis after it was last stored (a run re-stores it as it starts). */
export const SCENARIO_TTL_S = 7 * 24 * 3600;
/** A queue run's heartbeat key lives this long unless renewed; workers skip tasks of runs without one. */
export const RUN_TTL_S = 120;

export const scenarioKey = (hash: string) => `${QUEUE_PREFIX}:scenario:${hash}`;
export const runKey = (runId: string) => `${QUEUE_PREFIX}:run:${runId}`;

/** One task: blocks [from, to) of one replication of the scenario with `hash`. */
export interface TaskData extends WorkUnit {
  /** fundcast version of the run: a worker of another version refuses the task (results could differ). */
  version: string;
  /** The queue run the task belongs to. */
  run: string;
  hash: string;
  /** The scenario's name, for workers' logs. */
  scenario: string;
}

/**
 * A job id: unique per run, scenario and unit (BullMQ ids may not contain ':'). The scenario's hash is
 * in it because one queue run also runs the sensitivity runs, whose units have the same numbers.
 */
export function taskId(d: Pick<TaskData, 'run' | 'hash' | 'replication' | 'from' | 'to'>): string {
  return `${d.run}.${d.hash.slice(0, 16)}.${d.replication}.${d.from}-${d.to}`;
}

/** Aggregates as text for the job's return value: the exact bytes, deflated (mostly zeros), base64. */
export function encodeAggregates(agg: Float64Array): string {
  return deflateRawSync(new Uint8Array(agg.buffer, agg.byteOffset, agg.byteLength)).toString('base64');
}

export function decodeAggregates(text: string): Float64Array {
  const bytes = inflateRawSync(Buffer.from(text, 'base64'));
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** redis://HOST:PORT[/DB] (or rediss:// for TLS), checked; the password, if any, is never printed. */
export function parseQueueUrl(text: string): { url: string; shown: string } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw Errors.BadFlag('queue', `must be a Redis URL such as redis://127.0.0.1:6379, got "${text}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw Errors.BadFlag('queue', `must be a redis:// (or rediss://) URL, got "${text}"`);
  if (!u.hostname) throw Errors.BadFlag('queue', `names no host: "${text}" (e.g. redis://127.0.0.1:6379)`);
  if (u.pathname && u.pathname !== '/' && !/^\/\d+$/.test(u.pathname)) throw Errors.BadFlag('queue', `the path must be a database number (redis://HOST:PORT/0), got "${u.pathname}"`);
  const shown = `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  return { url: text, shown };
}
