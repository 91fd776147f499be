/**
 * Atomic output: each file is written under a temporary name in its directory, fsync'd and renamed
 * into place, so a crash or Ctrl-C never leaves a half-written file. A command's files together are
 * an output set (output-set.ts), written into a temporary folder and swapped in whole.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { Errors } from '../errors.ts';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  const tmp = join(dir, `.fundcast-tmp-${process.pid}-${basename(path)}`);
  try {
    mkdirSync(dir, { recursive: true });
    const fault = faultFor(path);
    if (fault) throw fault;
    writeAndSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw Errors.OutputUnwritable(dir, describeFsError(e, dir));
  }
}

/** Write a file and fsync it before closing (what a rename or a folder swap may then rely on). */
export function writeAndSync(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const FS_WORDS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (an immutable or protected file?)',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'a folder is in the way of a file',
  EBUSY: 'the folder is in use (a mount point?)',
  EXDEV: 'the folder is on another file system',
};

/** A file-system error in words (the errno code kept), naming the path it concerns when the message does not. */
export function describeFsError(e: unknown, path: string): string {
  const code = (e as { code?: string })?.code;
  const words = code ? FS_WORDS[code] : undefined;
  if (words) return `${words} (${code}: ${path})`;
  return (e as Error)?.message ?? String(e);
}

/**
 * Test seam (docs/reliability.md §Output folders): FUNDCAST_FAULT_OUTPUT=NAME[,NAME…] makes writing a
 * file of that base name fail with FUNDCAST_FAULT_OUTPUT_CODE (default ENOSPC, a full disk);
 * `.swap` fails moving a new output set into place.
 */
export function faultFor(path: string): Error | undefined {
  const names = process.env.FUNDCAST_FAULT_OUTPUT;
  if (!names || !names.split(',').includes(basename(path))) return undefined;
  const code = process.env.FUNDCAST_FAULT_OUTPUT_CODE ?? 'ENOSPC';
  return Object.assign(new Error(`${code}: injected fault writing ${path}`), { code });
}
