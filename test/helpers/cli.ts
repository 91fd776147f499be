// The fundcast CLI as the tests run it: in this process (main(argv) with stdout and stderr
// captured; no tsx start-up) or as a real process (exit code, no stack trace on a user error).
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../engine/cli/main.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CliOut {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** main(args) in this process, its output captured. */
export async function inProcess(args: string[]): Promise<CliOut> {
  let stdout = '';
  let stderr = '';
  const w1 = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const w2 = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    w1.mockRestore();
    w2.mockRestore();
  }
}

/** `node bin/fundcast.js ...args` as a child process (about 1–2 s of start-up each). */
export function subprocess(args: string[]): Promise<CliOut> {
  return new Promise((res) => {
    execFile(process.execPath, [join(ROOT, 'bin/fundcast.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 1 << 25 }, (err, stdout, stderr) =>
      res({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}
