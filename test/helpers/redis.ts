/**
 * A real Redis for the queue tests: `redis-server` (Debian package redis-server; .ci/run installs it)
 * started on a free port in a temporary directory, without persistence, and stopped afterwards.
 * A test that needs it fails — never skips — when redis-server is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RedisServer {
  url: string;
  port: number;
  /** Stop it (SIGTERM, as `redis-cli shutdown` would) and wait until it has exited. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((res) => {
    const c = createConnection({ port, host: '127.0.0.1' }, () => {
      c.write('PING\r\n');
    });
    c.once('data', (d) => {
      c.destroy();
      res(String(d).startsWith('+PONG'));
    });
    c.once('error', () => res(false));
  });
}

const exited = (p: ChildProcess) => new Promise<void>((res) => (p.exitCode !== null || p.signalCode !== null ? res() : p.once('exit', () => res())));

export async function startRedis(): Promise<RedisServer> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) throw new Error('redis-server is not installed: the queue tests need a real Redis (Debian/Ubuntu: apt-get install redis-server; .ci/run installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'fundcast-redis-'));
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await answers(port)); i++) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with code ${proc.exitCode} on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerProcess {
  proc: ChildProcess;
  /** Its log so far (stderr). */
  log(): string;
  /** Resolves when its log has a line matching `re`. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `fundcast worker --queue URL ...args` as a process of its own. */
export async function startWorker(url: string, args: string[] = []): Promise<WorkerProcess> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/fundcast.js'), 'worker', '--queue', url, ...args], { cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  const waiters: { re: RegExp; res: () => void }[] = [];
  proc.stderr!.on('data', (d) => {
    text += String(d);
    for (const w of [...waiters]) if (w.re.test(text)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.res();
    }
  });
  const w: WorkerProcess = {
    proc,
    log: () => text,
    waitFor: (re, ms = 60_000) =>
      new Promise((res, rej) => {
        if (re.test(text)) return res();
        const t = setTimeout(() => rej(new Error(`worker log never matched ${re}:\n${text}`)), ms);
        waiters.push({ re, res: () => (clearTimeout(t), res()) });
      }),
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited(proc);
    },
  };
  await w.waitFor(/waiting for tasks/);
  return w;
}
