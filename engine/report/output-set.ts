/**
 * An output set: every file of one command (run, replay, merge, report) is written into a temporary
 * sibling folder, fsync'd, and the folder is swapped into place (the old folder renamed aside, the
 * new one renamed in, the old one removed), so OUT holds the complete old set or the complete new
 * set — never a mix of two runs, never a partial set (a full disk included). run.json lists every
 * file of the set with its size and sha256 (`files`), so any reader can verify a set.
 * docs/reliability.md §Output folders.
 *
 * Files in OUT that no fundcast command writes (a user's notes) are carried over into the new set
 * (hard-linked, or copied); the files of the old set are not.
 */
import { createHash } from 'node:crypto';
import {
  closeSync, copyFileSync, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, statfsSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Errors, FundcastError } from '../errors.ts';
import { describeFsError, faultFor, writeAndSync } from './atomic.ts';

/** Names a fundcast command writes into an output folder (an old set's files; never carried over). */
const OWN_NAMES = new Set([
  'summary.json', 'replications.csv', 'facilities.csv', 'scenario.json', 'facility-results.csv', 'run.json',
  'reconciliation.csv', 'replay.json', 'rejects-enrollment.csv', 'rejects-claims.csv', 'rejects-facilities.csv',
  'report.html', 'charts', 'results.xlsx', '.checkpoint.jsonl',
]);
const isOwn = (name: string) => OWN_NAMES.has(name) || name.startsWith('.fundcast-tmp-');

export interface OutputSetOptions {
  /** Bytes the set is expected to take: refused up front when the file system has less free. */
  estimateBytes?: number;
  /**
   * Keep the old set's files except these (relative names) — for `fundcast report DIR`, which adds
   * report.html and charts/ to a run's set. Default: a new set replaces the old one whole.
   */
  extendExcept?: string[];
}

export interface OutputSet {
  /** Where the set ends up. */
  readonly dir: string;
  /** The temporary folder the set is written into (a sibling of `dir`). */
  readonly staging: string;
  /** Move the set into place; returns the final paths of the files written (relative names → `dir`). */
  commit(written?: string[]): string[];
  /** Remove the temporary folder (after an error): `dir` is left as it was. */
  discard(): void;
  /** An error while writing into the temporary folder, as the user should read it (naming `dir`). */
  explain(e: unknown): unknown;
  /** What the user should know after a commit (an old folder that could not be removed). */
  readonly warnings: string[];
}

const MiB = 1024 * 1024;

/**
 * Open the set (checked before `write` does anything), run `write` into its temporary folder and let
 * it commit; on an error, explain it naming `outDir`; in every case remove what was not committed.
 */
export async function withOutputSet<T>(outDir: string, opts: OutputSetOptions, write: (set: OutputSet) => Promise<T>): Promise<T> {
  const set = openOutputSet(outDir, opts);
  try {
    return await write(set);
  } catch (e) {
    throw set.explain(e);
  } finally {
    set.discard();
  }
}

/**
 * Check that `dir` can receive a set (before any simulation) and make its temporary sibling folder.
 * Refused: OUT is the current folder or holds it, OUT is a mount point or not a folder, the parent
 * cannot be written (read-only, permission), or too little free space for `estimateBytes`.
 */
export function openOutputSet(outDir: string, opts: OutputSetOptions = {}): OutputSet {
  let dir = resolve(outDir);
  // A link to a folder: the folder it points to is the one replaced (the link stays a link).
  if (existsSync(dir) && lstatSync(dir).isSymbolicLink()) dir = realpathSync(dir);
  const parent = dirname(dir);
  const cwd = process.cwd();
  if (dir === parent) throw Errors.OutputUnwritable(dir, 'the root folder cannot be an output folder; give a folder of its own');
  if (cwd === dir || cwd.startsWith(dir + sep)) throw Errors.OutputUnwritable(dir, 'it is the current folder or holds it; give a folder of its own (e.g. --out out/NAME), which fundcast replaces whole at the end');
  mkdirDeep(dir, parent);
  recoverInterrupted(dir);
  if (existsSync(dir)) {
    const st = statSync(dir);
    if (!st.isDirectory()) throw Errors.OutputUnwritable(dir, 'it exists and is not a folder');
    if (st.dev !== statSync(parent).dev) throw Errors.OutputUnwritable(dir, 'it is a mount point, which cannot be replaced whole; give a folder inside it');
  }
  const staging = join(parent, `.${basename(dir)}.fundcast-new-${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(staging);
  } catch (e) {
    throw Errors.OutputUnwritable(dir, describeFsError(e, parent));
  }
  if (opts.estimateBytes !== undefined) {
    let free: number | undefined;
    try {
      const s = statfsSync(staging);
      free = s.bavail * s.bsize;
    } catch {
      free = undefined; // not every file system says: the writes themselves will tell
    }
    const need = opts.estimateBytes + 64 * 1024;
    if (free !== undefined && free < need) {
      rmSync(staging, { recursive: true, force: true });
      throw Errors.OutputUnwritable(dir, `the results need about ${size(need)} and ${size(free)} is free on that file system`);
    }
  }
  let done = false;
  const warnings: string[] = [];
  return {
    dir,
    staging,
    warnings,
    discard() {
      if (!done) rmSync(staging, { recursive: true, force: true });
      done = true;
    },
    explain(e: unknown) {
      if (!(e instanceof FundcastError) || e.code !== 'ERR_OUTPUT' || !e.message.includes(staging)) return e;
      const why = e.message.slice(e.message.indexOf(': ') + 2).replaceAll(staging, dir);
      return Errors.OutputUnwritable(dir, `${why}; ${existsSync(dir) ? `${dir} is unchanged (it holds the previous results)` : 'nothing was written'}`);
    },
    commit(written?: string[]) {
      if (done) throw new Error('output set committed twice');
      try {
        const files = commitSet(dir, staging, opts, written, warnings);
        done = true;
        return files;
      } catch (e) {
        rmSync(staging, { recursive: true, force: true });
        done = true;
        throw e;
      }
    },
  };
}

/**
 * mkdir -p, one level at a time so the real reason shows (a recursive mkdir on a read-only mount
 * reports ENOENT for the missing level, not EROFS).
 */
function mkdirDeep(dir: string, p: string): void {
  if (existsSync(p)) return;
  mkdirDeep(dir, dirname(p));
  try {
    mkdirSync(p);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw Errors.OutputUnwritable(dir, describeFsError(e, dirname(p)));
  }
}

const size = (b: number) => (b < 10 * MiB ? `${Math.ceil(b / 1024).toLocaleString('en-US')} KiB` : `${Math.ceil(b / MiB).toLocaleString('en-US')} MiB`);

function commitSet(dir: string, staging: string, opts: OutputSetOptions, written: string[] | undefined, warnings: string[]): string[] {
  const newFiles = listFiles(staging);
  const setFiles = new Set(newFiles);
  try {
    if (existsSync(dir)) {
      const keep = opts.extendExcept;
      const oldSet = new Set(manifestOf(dir) ?? []);
      for (const name of readdirSync(dir)) {
        if (existsSync(join(staging, name))) continue;
        if (keep) {
          if (keep.includes(name) || name === '.checkpoint.jsonl' || name.startsWith('.fundcast-tmp-')) continue;
          carry(join(dir, name), join(staging, name));
          // the old set's own files stay part of the set (and its manifest)
          if (isOwn(name) || oldSet.has(name)) for (const f of listFiles(join(staging, name), name)) setFiles.add(f);
        } else if (!isOwn(name) && !oldSet.has(name) && ![...oldSet].some((f) => f.startsWith(name + '/'))) {
          carry(join(dir, name), join(staging, name)); // a user's own file: not part of any set
        }
      }
    }
    writeManifest(staging, [...setFiles]);
    fsyncDir(staging);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_OUTPUT') throw e;
    throw Errors.OutputUnwritable(dir, describeFsError(e, staging));
  }
  swapIn(dir, staging, warnings);
  return (written ?? newFiles).map((f) => join(dir, f));
}

/** The files listed in DIR/run.json's manifest (undefined: no manifest). */
function manifestOf(dir: string): string[] | undefined {
  try {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { files?: { path: string }[] };
    return Array.isArray(run.files) ? run.files.map((f) => f.path) : undefined;
  } catch {
    return undefined;
  }
}

/** Add `files` (path, bytes, sha256 of every file of the set but run.json) to staging/run.json. */
function writeManifest(staging: string, files: string[]): void {
  const p = join(staging, 'run.json');
  if (!existsSync(p)) return; // a set without run.json (replay's rejects when the reject rate is exceeded) has no manifest
  const run = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  run.files = files
    .filter((f) => f !== 'run.json')
    .sort()
    .map((f) => {
      const bytes = readFileSync(join(staging, f));
      return { path: f, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
  rmSync(p); // a new file (in an extended set run.json may be a hard link to the old set's)
  writeSynced(p, JSON.stringify(run, null, 2) + '\n');
}

/** The set's files, as paths relative to `root` with '/' separators. */
function listFiles(root: string, prefix = ''): string[] {
  const st = statSync(root);
  if (!st.isDirectory()) return prefix ? [prefix] : [];
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.name.startsWith('.fundcast-tmp-')) continue;
    if (e.isDirectory()) out.push(...listFiles(join(root, e.name), rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/** Hard-link (or copy) `from` into the new set at `to`, folders recursively. */
function carry(from: string, to: string): void {
  const st = statSync(from);
  if (st.isDirectory()) {
    mkdirSync(to);
    for (const n of readdirSync(from)) carry(join(from, n), join(to, n));
    return;
  }
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Write a file and fsync it. */
export function writeSynced(path: string, data: string | Uint8Array): void {
  const fault = faultFor(path);
  if (fault) throw fault;
  writeAndSync(path, data);
}

function fsyncDir(d: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(d, 'r');
    fsyncSync(fd);
  } catch {
    // some file systems cannot fsync a folder: the renames are still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Old aside, new in, old removed. A failure before the new folder is in puts the old one back;
 * the old one not removable (e.g. an immutable file in it) leaves it aside with a warning.
 */
function swapIn(dir: string, staging: string, warnings: string[]): void {
  const parent = dirname(dir);
  const aside = join(parent, `.${basename(dir)}.fundcast-old-${process.pid}-${Date.now().toString(36)}`);
  const had = existsSync(dir);
  try {
    if (had) renameSync(dir, aside);
  } catch (e) {
    throw Errors.OutputUnwritable(dir, `the old results could not be moved aside (${describeFsError(e, dir)}); they are unchanged`);
  }
  try {
    const fault = faultFor(join(dir, '.swap'));
    if (fault) throw fault;
    renameSync(staging, dir);
  } catch (e) {
    if (had) renameSync(aside, dir);
    throw Errors.OutputUnwritable(dir, `the new results could not be moved in (${describeFsError(e, parent)}); ${had ? 'the old results are unchanged' : 'nothing was written'}`);
  }
  fsyncDir(parent);
  if (had) {
    try {
      rmSync(aside, { recursive: true, force: true });
    } catch (e) {
      warnings.push(`the previous results, moved aside to ${aside}, could not be removed (${describeFsError(e, aside)}); ${dir} holds the new results, complete`);
    }
  }
}

/**
 * After a crash between the two renames OUT is missing and its old folder is aside: put it back.
 * Temporary folders of processes that are gone are removed.
 */
function recoverInterrupted(dir: string): void {
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.fundcast-`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^(new|old)-(\d+)-/.exec(n.slice(prefix.length));
    if (!m || alive(Number(m[2]))) continue;
    const p = join(parent, n);
    try {
      if (m[1] === 'old' && !existsSync(dir)) renameSync(p, dir);
      else rmSync(p, { recursive: true, force: true });
    } catch {
      // left for the next run; it never replaces OUT
    }
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Files that go into a folder shared with other things (`fundcast calibrate --out FILE` writes its
 * fragment and rejects files beside other files): check the folder can be written before any work
 * (`check`), then write every file under a temporary name, fsync'd, and only then rename them all
 * in (`commitFiles`) — a full disk or an unwritable file changes nothing.
 */
export function checkWritableFolder(dir: string): void {
  mkdirDeep(dir, dir);
  const probe = join(dir, `.fundcast-tmp-${process.pid}-probe`);
  try {
    writeSynced(probe, '');
  } catch (e) {
    throw Errors.OutputUnwritable(dir, describeFsError(e, dir));
  } finally {
    rmSync(probe, { force: true });
  }
}

export function commitFiles(dir: string, files: [name: string, data: string | Uint8Array][]): string[] {
  const tmp = (name: string) => join(dir, `.fundcast-tmp-${process.pid}-${name}`);
  try {
    for (const [name, data] of files) {
      const fault = faultFor(join(dir, name));
      if (fault) throw fault;
      writeSynced(tmp(name), data);
    }
  } catch (e) {
    for (const [name] of files) rmSync(tmp(name), { force: true });
    throw Errors.OutputUnwritable(dir, `${describeFsError(e, dir)}; no file was changed`);
  }
  for (const [name] of files) renameSync(tmp(name), join(dir, name));
  fsyncDir(dir);
  return files.map(([name]) => join(dir, name));
}
