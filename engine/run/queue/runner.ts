/**
 * Queue mode, the run's side (`fundcast run SCENARIO --queue redis://HOST:PORT`): a Runner (pool.ts's
 * interface) whose tasks are BullMQ jobs on Redis, done by `fundcast worker` processes on any number
 * of machines (worker.ts). runScenario plans, assembles and settles exactly as on one machine
 * (assemble.ts); only where a task's aggregates are computed changes, and they depend on nothing but
 * the task — so the results are identical to a run on one machine, whichever worker ran what.
 *
 * Failures: a task whose worker dies (SIGKILL, a lost machine) is retried elsewhere by BullMQ's
 * stalled-job check (its lock expires); a task refused or failing on every attempt stops the run
 * with the worker's reason; Redis unreachable at the start, or lost for `lostAfterMs` mid-run, stops
 * the run with a clear error (runScenario writes nothing: results are only written whole, at the end).
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Errors } from '../../errors.ts';
import { packageVersion } from '../../report/write-results.ts';
import type { Runner, SimTask, SimTaskResult } from '../pool.ts';
import { describeUnit } from '../units.ts';
import { closeConnection, connect, withTimeout, type Connection } from './connection.ts';
import { decodeAggregates, parseQueueUrl, QUEUE_NAME, QUEUE_PREFIX, RUN_TTL_S, runKey, SCENARIO_TTL_S, scenarioKey, taskId, type TaskData } from './protocol.ts';

export interface QueueRunnerOptions {
  /** Give up when Redis cannot be reached for this long, at the start or mid-run (default 10 s). */
  lostAfterMs?: number;
  /** Attempts per task when a worker's task throws (a dead worker's task is retried by the stalled check; default 3). */
  attempts?: number;
  /** Warnings: a stalled task being retried, no worker connected. */
  onWarning?: (message: string) => void;
  /** The fundcast version the tasks claim (default: this one; tests claim another to see workers refuse). */
  version?: string;
}

export interface QueueRunner extends Runner {
  /** The queue's URL without a password. */
  readonly shown: string;
}

interface Pending {
  task: SimTask;
  resolve: (r: SimTaskResult) => void;
  reject: (e: Error) => void;
}

export async function createQueueRunner(queueUrl: string, o: QueueRunnerOptions = {}): Promise<QueueRunner> {
  const { url, shown } = parseQueueUrl(queueUrl);
  const lostAfter = o.lostAfterMs ?? 10_000;
  const version = o.version ?? packageVersion();
  const main = connect(url);
  const events = connect(url);
  const conns: Connection[] = [main, events];
  const lastError = () => main.lastError() ?? events.lastError() ?? 'no answer';
  const queue = new Queue(QUEUE_NAME, { connection: main.redis, prefix: QUEUE_PREFIX });
  const queueEvents = new QueueEvents(QUEUE_NAME, { connection: events.redis, prefix: QUEUE_PREFIX });
  // BullMQ re-emits connection errors; they are reported through the watchdog instead.
  queue.on('error', () => undefined);
  queueEvents.on('error', () => undefined);
  const shutdown = async () => {
    await Promise.allSettled([withTimeout(queueEvents.close(), 1000), withTimeout(queue.close(), 1000)]);
    await Promise.all(conns.map((c) => closeConnection(c)));
  };
  try {
    await withTimeout(Promise.all([queue.waitUntilReady(), queueEvents.waitUntilReady(), main.redis.ping()]), lostAfter);
  } catch {
    const why = lastError();
    await shutdown();
    throw Errors.QueueUnreachable(shown, why);
  }

  const run = randomUUID();
  const pending = new Map<string, Pending>();
  const stored = new Set<string>();
  let failure: Error | undefined;
  let closed = false;
  // Rejected when the run fails, so that a command waiting on a lost server gives up too.
  let stop!: (e: Error) => void;
  const stopped = new Promise<never>((_, rej) => (stop = rej));
  stopped.catch(() => undefined);

  const fail = (e: Error) => {
    if (failure) return;
    failure = e;
    stop(e);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const finish = async (id: string, returnvalue: unknown) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (typeof returnvalue !== 'string') return p.reject(Errors.QueueTaskFailed(describeUnit(p.task), 'its worker returned no aggregates'));
    p.resolve({ replication: p.task.replication, from: p.task.from, agg: decodeAggregates(returnvalue) });
    void queue.remove(id).catch(() => undefined); // the result is in: free Redis of it
  };
  const failed = async (id: string, reason: string) => {
    const p = pending.get(id);
    if (!p) return;
    // A failed attempt that will be retried is not the end of the task.
    const state = await queue.getJobState(id).catch(() => 'unknown');
    if (state !== 'failed') return;
    pending.delete(id);
    p.reject(Errors.QueueTaskFailed(describeUnit(p.task), reason));
  };
  queueEvents.on('completed', ({ jobId, returnvalue }) => void finish(jobId, returnvalue));
  queueEvents.on('failed', ({ jobId, failedReason }) => void failed(jobId, failedReason));
  queueEvents.on('stalled', ({ jobId }) => {
    const p = pending.get(jobId);
    if (p) o.onWarning?.(`${describeUnit(p.task)}: its worker stopped answering (killed, or its machine lost); the task is run again by another worker`);
  });

  // Heartbeat (workers skip tasks of runs that stopped), Redis watchdog, catching up on missed
  // events, and a word when no worker is connected.
  let lastOk = Date.now();
  let lastWorkers = Date.now();
  let ticking = false;
  let ticks = 0;
  const tick = async () => {
    if (ticking || failure || closed) return;
    ticking = true;
    try {
      await withTimeout(main.redis.set(runKey(run), '1', 'EX', RUN_TTL_S), 2000);
      lastOk = Date.now();
      // Every 5 s: tasks whose end was missed (an event stream trimmed, a reconnect) are read directly.
      if (++ticks % 5 === 0) for (const id of [...pending.keys()].slice(0, 500)) {
        const job = await withTimeout(Job.fromId(queue, id), 2000);
        if (job?.finishedOn && job.returnvalue !== undefined && job.returnvalue !== null) await finish(id, job.returnvalue);
        else if (job?.failedReason) await failed(id, job.failedReason);
      }
      if (pending.size > 0 && Date.now() - lastWorkers > 15_000) {
        lastWorkers = Date.now();
        if ((await withTimeout(queue.getWorkersCount(), 2000)) === 0) o.onWarning?.(`no fundcast worker is connected to ${shown}: start some with \`fundcast worker --queue ${shown}\``);
      }
    } catch {
      if (Date.now() - lastOk > lostAfter) fail(Errors.QueueLost(shown, lastError()));
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), 1000);
  await tick();

  return {
    shown,
    run: async (task) => {
      if (failure) throw failure;
      if (closed) throw Errors.Interrupted();
      const data: TaskData = { version, run, hash: task.hash, scenario: task.scenario.name, replication: task.replication, from: task.from, to: task.to };
      const id = taskId(data);
      const done = new Promise<SimTaskResult>((resolve, reject) => pending.set(id, { task, resolve, reject }));
      const enqueue = async () => {
        if (!stored.has(task.hash)) {
          await main.redis.set(scenarioKey(task.hash), JSON.stringify(task.scenario), 'EX', SCENARIO_TTL_S);
          stored.add(task.hash);
        }
        await queue.add('simulate', data, { jobId: id, attempts: o.attempts ?? 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: { age: 24 * 3600 } });
      };
      try {
        await Promise.race([enqueue(), stopped]);
      } catch (e) {
        pending.delete(id);
        throw failure ?? Errors.QueueLost(shown, (e as Error).message);
      }
      return done;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      const left = [...pending.keys()];
      const lost = failure !== undefined;
      fail(Errors.Interrupted());
      if (!lost) {
        // Take this run's unfinished tasks off the queue (best effort: Redis may be gone).
        await withTimeout(Promise.allSettled(left.map((id) => queue.remove(id))), 2000).catch(() => undefined);
        await withTimeout(main.redis.del(runKey(run)), 1000).catch(() => undefined);
      }
      await shutdown();
    },
  };
}
