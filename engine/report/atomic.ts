/**
 * Atomic output: each file is written under a temporary name in its directory and renamed into
 * place, so a crash or Ctrl-C never leaves a half-written result.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { Errors } from '../errors.ts';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  const tmp = join(dir, `.fundcast-tmp-${process.pid}-${basename(path)}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw Errors.OutputUnwritable(dir, (e as Error).message);
  }
}
