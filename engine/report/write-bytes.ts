/** Atomic write of binary output (the PNGs): atomic.ts's temporary-name-and-rename, for bytes. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Errors } from '../errors.ts';

export function writeBytesAtomic(path: string, data: Uint8Array): void {
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
