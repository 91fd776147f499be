/**
 * Queue mode, the worker's side (`fundcast worker --queue redis://HOST:PORT`): takes tasks off the
 * queue and runs them on this machine's own worker pool (pool.ts, `threads` threads; BullMQ's
 * concurrency is the same number), returning each task's aggregates. Start any number of these on
 * any number of machines; they share nothing but Redis.
 *
 * A task is refused — failed at once, with the reason the run then prints — when it comes from
 * another fundcast version (its results could differ) or its scenario does not match its hash. A
 * task whose run has stopped (no heartbeat) is skipped. While a task runs, this thread only renews
 * the task's lock (the pool's threads simulate), so the lock can be short: a worker that dies has
 * its task retried by another worker's stalled check within `lockSeconds` + `stalledSeconds`.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { scenarioHash } from '../../params/load.ts';
import type { ScenarioFile } from '../../params/schema.ts';
import { packageVersion } from '../../report/write-results.ts';
import { createRunner } from '../pool.ts';
import { describeUnit } from '../units.ts';
import { closeConnection, connect } from './connection.ts';
import { encodeAggregates, parseQueueUrl, QUEUE_NAME, QUEUE_PREFIX, runKey, scenarioKey, type TaskData } from './protocol.ts';

export interface QueueWorkerOptions {
  /** Worker threads, and tasks run at once (default 1). */
  threads?: number;
  /** How long a task's lock lasts without renewal (renewed every half of it), seconds. Default 30. */
  lockSeconds?: number;
  /** How often this worker looks for other workers' stalled tasks, seconds. Default 30. */
  stalledSeconds?: number;
  /** A name for this worker in the queue (default host:pid). */
  name?: string;
  /** Lines for the log: tasks done, refusals, connection trouble. */
  onLog?: (line: string) => void;
}

export interface QueueWorker {
  /** Stop taking tasks; with `force`, drop the tasks running (they are retried elsewhere), else finish them first. */
  close(force?: boolean): Promise<void>;
}

export async function startQueueWorker(queueUrl: string, o: QueueWorkerOptions = {}): Promise<QueueWorker> {
  const { url, shown } = parseQueueUrl(queueUrl);
  const threads = o.threads ?? 1;
  const version = packageVersion();
  const log = o.onLog ?? (() => undefined);
  let lastComplaint = 0;
  const complain = (m: string) => {
    // connection trouble: say so, but not on every retry
    if (Date.now() - lastComplaint > 10_000) log(`cannot reach Redis at ${shown} (${m}); retrying`);
    lastComplaint = Date.now();
  };
  const conn = connect(url, complain);
  const runner = createRunner(threads, { inThread: false });
  const scenarios = new Map<string, ScenarioFile>();

  const scenarioOf = async (d: TaskData): Promise<ScenarioFile> => {
    const hit = scenarios.get(d.hash);
    if (hit) return hit;
    const text = await conn.redis.get(scenarioKey(d.hash));
    if (text === null) throw new UnrecoverableError(`the scenario ${d.hash.slice(0, 12)} is not in Redis (expired, or the queue was emptied): run it again`);
    const s = JSON.parse(text) as ScenarioFile;
    if (scenarioHash(s) !== d.hash) throw new UnrecoverableError(`the scenario stored under ${d.hash.slice(0, 12)} does not match its hash`);
    if (scenarios.size > 16) scenarios.clear();
    scenarios.set(d.hash, s);
    return s;
  };

  const process = async (job: Job<TaskData>): Promise<string | null> => {
    const d = job.data;
    if (d.version !== version) {
      const why = `fundcast worker ${version} refuses a task of fundcast ${d.version} (${o.name ?? `${hostname()}:${globalThis.process.pid}`}): results of two versions may differ; run workers of the run's version`;
      log(why);
      throw new UnrecoverableError(why);
    }
    if ((await conn.redis.exists(runKey(d.run))) === 0) {
      log(`skipped ${describeUnit(d)} of ${d.scenario}: its run has stopped`);
      throw new UnrecoverableError('its run has stopped (no heartbeat)');
    }
    const scenario = await scenarioOf(d);
    const t0 = performance.now();
    const res = await runner.run({ scenario, hash: d.hash, replication: d.replication, from: d.from, to: d.to });
    log(`done ${describeUnit(d)} of ${d.scenario} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return encodeAggregates(res.agg);
  };

  const worker = new Worker<TaskData, string | null>(QUEUE_NAME, process, {
    connection: conn.redis,
    prefix: QUEUE_PREFIX,
    concurrency: threads,
    lockDuration: (o.lockSeconds ?? 30) * 1000,
    stalledInterval: (o.stalledSeconds ?? 30) * 1000,
    // A task may be caught on a dying worker more than once before it is given up.
    maxStalledCount: 5,
    name: o.name ?? `${hostname()}:${globalThis.process.pid}`,
  });
  worker.on('error', (e) => complain(e.message));
  worker.on('failed', (job, e) => {
    if (job && !(e instanceof UnrecoverableError)) log(`${describeUnit(job.data)} of ${job.data.scenario} failed (attempt ${job.attemptsMade}): ${e.message}`);
  });
  // Unreachable at first: it keeps retrying (and says so) until Redis answers.
  void worker.waitUntilReady().then(() => log(`connected to ${shown}: ${threads} thread${threads > 1 ? 's' : ''}, fundcast ${version}, waiting for tasks`), () => undefined);
  let closing: Promise<void> | undefined;
  return {
    close: (force = false) =>
      (closing ??= (async () => {
        await worker.close(force).catch(() => undefined);
        await runner.close();
        await closeConnection(conn);
      })()),
  };
}
