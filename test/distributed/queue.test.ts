/**
 * Queue mode on a real Redis (test/helpers/redis.ts starts redis-server; these tests fail when it is
 * missing): `fundcast run --queue` with `fundcast worker` processes gives results byte-identical to a
 * run on one machine — with two workers, and when one worker is SIGKILLed mid-task (BullMQ's stalled
 * check hands its task to the other) — a worker of another version refuses the tasks, and Redis
 * unreachable or stopped mid-run is a clear error with no output files.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Job, QueueEvents, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, writeResults } from '../../engine/index.ts';
import { createQueueRunner } from '../../engine/run/queue/runner.ts';
import { runMonteCarloOnly } from '../../engine/run/monte-carlo-only.ts';
import { decodeAggregates, encodeAggregates, QUEUE_NAME, QUEUE_PREFIX } from '../../engine/run/queue/protocol.ts';
import { inProcess } from '../helpers/cli.ts';
import { startRedis, startWorker, type RedisServer, type WorkerProcess } from '../helpers/redis.ts';
import { tinyScenario, tinyScenarioText } from '../helpers/tiny.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TMP = mkdtempSync(join(tmpdir(), 'fundcast-queue-'));
const SCENARIO = join(TMP, 'tiny.yaml');
writeFileSync(SCENARIO, tinyScenarioText({ replications: 6, years: 2 }));
const COMPARED = ['summary.json', 'replications.csv', 'facilities.csv', 'scenario.json'];
let reference: string;
let n = 0;
const fresh = (label: string) => join(TMP, `${label}-${n++}`);
// Short locks, so that a killed worker's task is retried within ~3 s.
const FAST = ['--workers', '1', '--lock-seconds', '2', '--stalled-seconds', '1'];

beforeAll(async () => {
  reference = fresh('single');
  const r = await inProcess(['run', SCENARIO, '--workers', '1', '--out', reference, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function expectSameAsReference(dir: string): void {
  for (const f of COMPARED) expect(readFileSync(join(dir, f)).equals(readFileSync(join(reference, f))), `${f} differs`).toBe(true);
}

describe('the task protocol', () => {
  it('aggregates travel exactly (bytes, not decimal text)', () => {
    const a = new Float64Array([0, 0, 1234567, -5, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, 0, 0]);
    expect(decodeAggregates(encodeAggregates(a))).toEqual(a);
  });
});

describe('queue mode on a real Redis', () => {
  let redis: RedisServer;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two worker processes: results byte-identical to a run on one machine, and both did tasks', async () => {
    workers.push(await startWorker(redis.url, FAST), await startWorker(redis.url, FAST));
    const out = fresh('queue');
    const r = await inProcess(['run', SCENARIO, '--queue', redis.url, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/simulating replications on redis:\/\/127\.0\.0\.1:\d+: 6\/6 \(100%\)/);
    expectSameAsReference(out);
    for (const w of workers) expect(w.log()).toMatch(/done replication \d+ blocks \d+–\d+ of tiny-test/);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).queue).toBe(redis.url);
    // the run cleaned up after itself: no task left on the queue
    const q = new Queue(QUEUE_NAME, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }), prefix: QUEUE_PREFIX });
    const counts = await q.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed');
    await q.close();
    (q.opts.connection as Redis).disconnect();
    expect(counts).toEqual({ wait: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
  });

  it('a worker SIGKILLed mid-task: its task is retried on the other worker, and the results are identical', async () => {
    const [a, b] = [await startWorker(redis.url, FAST), await startWorker(redis.url, FAST)];
    workers.push(a, b);
    const nameA = `${hostname()}:${a.proc.pid}`;
    // Watch the queue: kill worker A as soon as it has started a task (so it dies holding it).
    const watch = new Redis(redis.url, { maxRetriesPerRequest: null });
    const q = new Queue(QUEUE_NAME, { connection: watch, prefix: QUEUE_PREFIX });
    const ev = new QueueEvents(QUEUE_NAME, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }), prefix: QUEUE_PREFIX });
    await ev.waitUntilReady();
    let killedHolding: string | undefined;
    ev.on('active', async ({ jobId }) => {
      if (killedHolding) return;
      const job = await Job.fromId(q, jobId);
      if (job?.processedBy === nameA && !killedHolding) {
        killedHolding = jobId;
        a.proc.kill('SIGKILL');
      }
    });
    const warnings: string[] = [];
    const runner = await createQueueRunner(redis.url, { onWarning: (m) => warnings.push(m) });
    let result;
    try {
      result = await runScenario(tinyScenario({ replications: 6, years: 2 }), { runner, workers: 16 });
      // as `fundcast run` does: the Monte-Carlo-only run of the uncertain parameters, on the queue too
      result.summary.monteCarloOnly = await runMonteCarloOnly(result.scenario, runScenario, { runner, workers: 16 });
    } finally {
      await runner.close();
      await ev.close();
      await q.close();
      watch.disconnect();
      (ev.opts.connection as Redis).disconnect();
    }
    expect(killedHolding, 'worker A never started a task').toBeDefined();
    expect(a.proc.signalCode).toBe('SIGKILL');
    expect(warnings.join('\n')).toMatch(/its worker stopped answering \(killed, or its machine lost\); the task is run again by another worker/);
    const out = fresh('killed');
    writeResults(out, result, { scenarioFiles: [] });
    expectSameAsReference(out);
  });

  it('the one-way sensitivity runs go through the queue too: summary.json (with its tornado) as on one machine', async () => {
    workers.push(await startWorker(redis.url, FAST));
    const file = join(TMP, 'sens.yaml');
    writeFileSync(file, tinyScenarioText({ replications: 2, years: 1, extra: `sensitivity:
  output: fundOutlay
  year: horizon
  replications: 3
  parameters:
    - { parameter: benefits.ratio.village, low: 0.5, high: 0.8 }
` }));
    const one = fresh('sens-single');
    const queued = fresh('sens-queue');
    expect((await inProcess(['run', file, '--workers', '1', '--out', one, '--quiet'])).code).toBe(0);
    const r = await inProcess(['run', file, '--queue', redis.url, '--out', queued, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const summary = readFileSync(join(queued, 'summary.json'), 'utf8');
    expect(JSON.parse(summary).sensitivity.rows).toHaveLength(1);
    expect(summary).toBe(readFileSync(join(one, 'summary.json'), 'utf8'));
  });

  it('a worker of another fundcast version refuses the tasks: the run stops and says why', async () => {
    workers.push(await startWorker(redis.url, FAST));
    const runner = await createQueueRunner(redis.url, { version: '9.9.9' });
    try {
      await expect(runScenario(tinyScenario({ replications: 2, years: 1 }), { runner, workers: 1 })).rejects.toThrow(/queue task replication \d+ blocks 0–3 failed: fundcast worker \d+\.\d+\.\d+ refuses a task of fundcast 9\.9\.9 .*results of two versions may differ/);
    } finally {
      await runner.close();
    }
    expect(workers[0].log()).toMatch(/refuses a task of fundcast 9\.9\.9/);
  });
});

describe('Redis unreachable or lost: a clear error and no output', () => {
  it('unreachable at the start', async () => {
    const dead = await startRedis();
    await dead.stop(); // a port where nothing listens any more
    const t0 = Date.now();
    await expect(createQueueRunner(dead.url, { lostAfterMs: 1500 })).rejects.toThrow(new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${dead.port} \\(.*ECONNREFUSED.*\\): is redis-server running there\\? No results were written`));
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('a bad --queue URL is a user error (exit 2)', async () => {
    const r = await inProcess(['run', SCENARIO, '--queue', 'http://127.0.0.1:6379', '--out', fresh('bad'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--queue: must be a redis:// (or rediss://) URL, got "http://127.0.0.1:6379"');
    const w = await inProcess(['worker']);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('--queue redis://HOST:PORT is required');
  });

  it('Redis stopped mid-run: the run exits with a clear error and writes no files', async () => {
    const redis = await startRedis();
    const worker = await startWorker(redis.url, FAST);
    const out = fresh('lost');
    const big = join(TMP, 'longer.yaml');
    writeFileSync(big, tinyScenarioText({ replications: 20, years: 2 }));
    try {
      const run = spawn(process.execPath, [join(ROOT, 'bin/fundcast.js'), 'run', big, '--queue', redis.url, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      run.stdout.on('data', (d) => (stdout += d));
      run.stderr.on('data', (d) => (stderr += d));
      const exit = new Promise<number | null>((res) => run.once('exit', (code) => res(code)));
      await worker.waitFor(/done replication/); // the run is under way
      await redis.stop();
      const code = await exit;
      expect(stderr).toMatch(new RegExp(`fundcast run: error: lost the connection to Redis at redis://127\\.0\\.0\\.1:${redis.port} \\(.*\\): the run is stopped and no results were written; run it again when Redis is back`));
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(code).toBe(1);
      expect(stdout).not.toContain('Results:');
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    } finally {
      await worker.stop('SIGKILL');
    }
  });
});
