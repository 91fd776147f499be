/**
 * Reliability of the replay reader: the corpus of bad data files (test/invalid/data/cases.yaml),
 * each run through `fundcast replay` as a user runs it. A file-level problem (encoding, missing
 * column, empty, truncated, unreadable, bad mapping) is exit 2 with a message naming the file and
 * the rule, never a stack trace and never results; a row-level problem is a rejected row with its
 * reason. In every case nothing is lost: rows read = loaded + rejected for each file, and the
 * rejects files hold exactly the rejected rows.
 *
 * Most cases call the CLI's main() in this process (stdout and stderr captured); the cases in
 * SUBPROCESS also run as real processes (bin/fundcast.js, ~2 s of tsx start-up each, concurrently).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromArrow, fromCSV, toArrowIPC } from 'arquero';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcess, subprocess, type CliOut } from '../helpers/cli.ts';
import { parseCsv } from '../../engine/replay/csv.ts';
import { encodeGbk } from '../../engine/replay/encoding.ts';
import { REASON_KEYS } from '../../engine/replay/validate.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = join(ROOT, 'test/invalid/data');
const BASE = join(CORPUS, '_base');

type Role = 'enrollment' | 'claims' | 'facilities' | 'mapping';
const ROLES: Role[] = ['enrollment', 'claims', 'facilities', 'mapping'];
const TABLES = ['enrollment', 'claims', 'facilities'] as const;
const FILE_OF: Record<Role, string> = { enrollment: 'enrollment.csv', claims: 'claims.csv', facilities: 'facilities.csv', mapping: 'mapping.yaml' };
const FLAG_OF: Record<Role, string> = { enrollment: '--enrollment', claims: '--claims', facilities: '--facilities', mapping: '--mapping' };

interface Counts {
  read: number;
  loaded: number;
  rejects?: Record<string, number>;
}
interface Case {
  name: string;
  about: string;
  enrollment?: string | { generate: string };
  claims?: string | { generate: string };
  facilities?: string | { generate: string };
  mapping?: string | { generate: string };
  args?: string[];
  expect: { exit: number; error?: string; names?: Role[]; rows?: Partial<Record<(typeof TABLES)[number], Counts>> };
}

const cases: Case[] = parseYaml(readFileSync(join(CORPUS, 'cases.yaml'), 'utf8'));

/** Cases also run as real processes: an encoding error, a truncated Arrow stream, an unclosed quote. */
const SUBPROCESS = ['enc-gbk-read-as-utf8', 'truncated-arrow-stream', 'csv-unterminated-quote'];

// ---------------------------------------------------------------------------------------------
// Binary inputs, generated at run time from _base/ (named in cases.yaml as `{ generate: NAME }`).

const baseEnrollment = readFileSync(join(BASE, 'enrollment.csv'), 'utf8');
const baseClaims = readFileSync(join(BASE, 'claims.csv'), 'utf8');
const claimRows = baseClaims.trim().split('\n').map((l) => l.split(','));

function claimsParquet(drop?: string): Uint8Array {
  const [head, ...rows] = claimRows;
  const cols = head.map((h, k) => ({ name: h, data: rows.map((r) => r[k]), type: 'STRING' as const })).filter((c) => c.name !== drop);
  return new Uint8Array(parquetWriteBuffer({ columnData: cols }));
}
function claimsArrow(format: 'file' | 'stream', maxBatchRows?: number): Uint8Array {
  return toArrowIPC(fromCSV(baseClaims, { autoType: false }), { format, maxBatchRows } as Parameters<typeof toArrowIPC>[1]) as Uint8Array;
}
/** Start of each IPC message (continuation marker 0xFFFFFFFF, then a metadata length), 8-byte aligned. */
function arrowMessages(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const at: number[] = [];
  for (let o = 0; o + 8 <= b.length; o += 8) if (v.getUint32(o, true) === 0xffffffff && v.getInt32(o + 4, true) > 0) at.push(o);
  return at;
}
/** The claims as an Arrow stream of 3 batches of 2 rows, cut where its last batch starts. */
function arrowStreamCut(): Uint8Array {
  const s = claimsArrow('stream', 2);
  const starts = arrowMessages(s);
  return s.subarray(0, starts[starts.length - 1]);
}

/** Claims whose facility ids are Chinese: rows 1 and 4 (lines 2, 5) in UTF-8, row 5 (line 6) in GBK. */
function mixedClaims(): Uint8Array {
  const lines = baseClaims.split('\n');
  const part = (i: number, id: string, gbk: boolean) => {
    const l = lines[i].replace(/^(C\d,P\d,[^,]*,)v\d/, `$1${id}`);
    return gbk ? encodeGbk(l + '\n') : Buffer.from(l + '\n', 'utf8');
  };
  return Buffer.concat(lines.filter((l) => l).map((l, i) => (i === 1 ? part(i, '村卫生室1', false) : i === 4 ? part(i, '村卫生室2', false) : i === 5 ? part(i, '村卫生室1', true) : Buffer.from(l + '\n', 'utf8'))));
}

const GENERATED: Record<string, { file: string; bytes: () => Uint8Array }> = {
  'claims-invalid-utf8': { file: 'claims.csv', bytes: () => Buffer.from(baseClaims.replace('C3,P3,2025-03-01,h1', 'C3,P3,2025-03-01,h\u0001\u00021'), 'latin1').map((b) => (b === 1 ? 0xff : b === 2 ? 0xfe : b)) },
  'enrollment-gbk': {
    file: 'enrollment.csv',
    bytes: () => encodeGbk(baseEnrollment.replace(/^[^\n]*/, '个人编号,出生年份,性别,区县,乡镇,村,城乡,慢病病种,签约状态,签约机构').replace(/,demo,/g, ',示范县,')),
  },
  'enrollment-bom-latin1': { file: 'enrollment.csv', bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(baseEnrollment.replace('T1,V2,urban', 'T1,V\u00e92,urban'), 'latin1')]) },
  // Extracts of two systems concatenated: UTF-8 rows and GBK rows in one file (docs/reliability.md §Encodings).
  'claims-mixed-utf8-gbk': { file: 'claims.csv', bytes: mixedClaims },
  'enrollment-gbk-header-utf8-rows': {
    file: 'enrollment.csv',
    bytes: () => {
      const [head, ...rows] = baseEnrollment.replace(/,demo,/g, ',示范县,').split('\n');
      return Buffer.concat([encodeGbk('个人编号,出生年份,性别,区县,乡镇,村,城乡,慢病病种,签约状态,签约机构\n'), Buffer.from(rows.join('\n'), 'utf8')]);
    },
  },
  'claims-utf16le-no-bom': { file: 'claims.csv', bytes: () => Buffer.from(baseClaims, 'utf16le') },
  'claims-garbage': {
    file: 'claims.csv',
    bytes: () => {
      let s = 20250501;
      return Uint8Array.from({ length: 700 }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s >>> 24));
    },
  },
  'claims-gzip-truncated': {
    file: 'claims.csv.gz',
    bytes: () => {
      const g = gzipSync(baseClaims);
      return g.subarray(0, g.length - 20);
    },
  },
  'claims-parquet-truncated': {
    file: 'claims.parquet',
    bytes: () => {
      const p = claimsParquet();
      return p.subarray(0, p.length >> 1);
    },
  },
  'claims-parquet-damaged': {
    file: 'claims.parquet',
    bytes: () => {
      const p = claimsParquet();
      p[5] = 0xff; // inside the first page header of claim_id
      return p;
    },
  },
  'claims-parquet-no-fund': { file: 'claims.parquet', bytes: () => claimsParquet('fund_paid') },
  'claims-arrow-file-truncated': {
    file: 'claims.arrow',
    bytes: () => {
      const a = claimsArrow('file');
      return a.subarray(0, a.length - 100);
    },
  },
  'claims-arrow-stream-truncated': { file: 'claims.arrows', bytes: arrowStreamCut },
};

// ---------------------------------------------------------------------------------------------
// Running a case.

type Out = CliOut;

const tmp = mkdtempSync(join(tmpdir(), 'fundcast-data-corpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The input files of a case (see cases.yaml): generated, named, in its directory, or _base's. */
function inputsOf(c: Case): Partial<Record<Role, string>> {
  const out: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    const v = c[role];
    if (typeof v === 'object') {
      const g = GENERATED[v.generate];
      if (!g) throw new Error(`${c.name}: no generator "${v.generate}" in GENERATED`);
      const dir = join(tmp, 'in', c.name);
      mkdirSync(dir, { recursive: true });
      out[role] = join(dir, g.file);
      writeFileSync(out[role], g.bytes());
    } else if (typeof v === 'string') out[role] = resolve(CORPUS, c.name, v);
    else if (existsSync(join(CORPUS, c.name, FILE_OF[role]))) out[role] = join(CORPUS, c.name, FILE_OF[role]);
    else if (role === 'enrollment' || role === 'claims') out[role] = join(BASE, FILE_OF[role]);
  }
  return out;
}

interface Run {
  inputs: Partial<Record<Role, string>>;
  out: string;
  args: string[];
  result: Out;
}

const runs = new Map<string, Run>();
const spawned = new Map<string, Out>();

beforeAll(async () => {
  const plans = cases.map((c) => {
    const inputs = inputsOf(c);
    const out = join(tmp, 'out', c.name);
    const args = ['replay', ...ROLES.flatMap((r) => (inputs[r] ? [FLAG_OF[r], inputs[r]] : [])), ...(c.args ?? []), '--out', out];
    return { c, inputs, out, args };
  });
  // The real processes first (they run while this process works through the rest).
  const procs = Promise.all(plans.filter((p) => SUBPROCESS.includes(p.c.name)).map(async (p) => [p.c.name, await subprocess([...p.args.slice(0, -1), p.out + '-process'])] as const));
  for (const p of plans) runs.set(p.c.name, { inputs: p.inputs, out: p.out, args: p.args, result: await inProcess(p.args) });
  for (const [k, r] of await procs) spawned.set(k, r);
});

// ---------------------------------------------------------------------------------------------
// The accounting: what the run says it read, loaded and rejected, checked against itself, the
// rejects files, replay.json and the input files.

const SUMMARY = /^(.+): ([\d,]+) rows read, ([\d,]+) loaded, ([\d,]+) rejected(?: \((.*)\))?$/gm;
const num = (s: string) => Number(s.replace(/,/g, ''));

function rejectsFile(path: string): { row: number; reason: string }[] {
  const out: { row: number; reason: string }[] = [];
  const dec = new TextDecoder();
  parseCsv(readFileSync(path), (buf, s, e) => out.push({ row: Number(dec.decode(buf.subarray(s[0], e[0]))), reason: dec.decode(buf.subarray(s[2], e[2])) }), path);
  return out;
}

/** Data lines of a committed CSV (non-blank lines after the header; the corpus has no multi-line fields). */
function dataLines(path: string): number | undefined {
  if (!path.endsWith('.csv') || !existsSync(path) || !statSync(path).isFile() || !path.startsWith(CORPUS)) return undefined;
  return readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;
}

function accounting(c: Case, run: Run): Partial<Record<(typeof TABLES)[number], Required<Counts>>> {
  const { result: r, out, inputs } = run;
  const printed = new Map<string, { read: number; loaded: number; rejected: number; byReason: Record<string, number> }>();
  for (const m of r.stdout.matchAll(SUMMARY)) {
    const byReason = Object.fromEntries((m[5] ?? '').split(', ').filter(Boolean).map((x) => [x.split(' ')[0], num(x.split(' ')[1])]));
    printed.set(m[1], { read: num(m[2]), loaded: num(m[3]), rejected: num(m[4]), byReason });
  }
  const replayJson = existsSync(join(out, 'replay.json')) ? JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) : undefined;
  if (r.code === 0) expect(replayJson, 'a run that exits 0 writes replay.json').toBeDefined();
  else for (const f of ['replay.json', 'summary.json', 'run.json', 'reconciliation.csv']) expect(existsSync(join(out, f)), `${f} written by a run that failed`).toBe(false);

  const seen: Partial<Record<(typeof TABLES)[number], Required<Counts>>> = {};
  for (const t of TABLES) {
    const file = inputs[t];
    const p = file ? printed.get(file) : undefined;
    const rejectsPath = join(out, `rejects-${t}.csv`);
    if (!p) {
      // Not read to the end (a file-level error stopped the run first): no counts, no rejects file.
      expect(replayJson?.rows?.[t]).toBeUndefined();
      expect(existsSync(rejectsPath), `${rejectsPath} without a summary`).toBe(false);
      continue;
    }
    expect(p.loaded + p.rejected, `${t}: loaded + rejected = read`).toBe(p.read);
    expect(Object.values(p.byReason).reduce((a, b) => a + b, 0)).toBe(p.rejected);
    for (const reason of Object.keys(p.byReason)) expect(REASON_KEYS).toContain(reason);
    if (replayJson) expect(replayJson.rows[t]).toEqual({ file, read: p.read, loaded: p.loaded, rejected: p.rejected, byReason: p.byReason });
    // The rejects file: exactly the rejected rows, each once, with the reasons counted.
    const rej = rejectsFile(rejectsPath);
    expect(rej).toHaveLength(p.rejected);
    const byReason: Record<string, number> = {};
    for (const x of rej) byReason[x.reason] = (byReason[x.reason] ?? 0) + 1;
    expect(byReason).toEqual(p.byReason);
    expect(new Set(rej.map((x) => x.row)).size).toBe(rej.length);
    for (const x of rej) expect(x.row >= 1 && x.row <= p.read, `row ${x.row} of ${p.read}`).toBe(true);
    // Every data line of the file was read (none skipped or merged).
    const lines = dataLines(file!);
    if (lines !== undefined) expect(p.read, `${t}: rows read = data lines of ${file}`).toBe(lines);
    seen[t] = { read: p.read, loaded: p.loaded, rejects: p.byReason };
  }
  if (replayJson) expect(replayJson.reconciliation.claims, 'claims replayed = claims loaded').toBe(seen.claims?.loaded);
  return seen;
}

// ---------------------------------------------------------------------------------------------

describe('bad data (test/invalid/data): a clear error or a rejected row, and nothing lost', () => {
  it('holds at least 30 cases, each with a unique name, an expectation and a directory or generated input', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.about, c.name).toBeTruthy();
      expect([0, 2], c.name).toContain(c.expect.exit);
      if (c.expect.exit === 2) expect(c.expect.error, c.name).toBeTruthy();
      else expect(c.expect.rows, c.name).toBeDefined();
    }
    const dirs = readdirSync(CORPUS).filter((f) => f !== '_base' && statSync(join(CORPUS, f)).isDirectory());
    for (const d of dirs) expect(cases.map((c) => c.name), `directory ${d} is not in cases.yaml`).toContain(d);
    for (const g of new Set(cases.flatMap((c) => ROLES.map((r) => c[r]).filter((v): v is { generate: string } => typeof v === 'object').map((v) => v.generate)))) expect(Object.keys(GENERATED)).toContain(g);
  });

  it('the base files are valid: the control run loads every row and exits 0', async () => {
    const out = join(tmp, 'out', '_base');
    const r = await inProcess(['replay', '--enrollment', join(BASE, 'enrollment.csv'), '--claims', join(BASE, 'claims.csv'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')).rows;
    expect(rows.enrollment).toMatchObject({ read: 4, loaded: 4, rejected: 0 });
    expect(rows.claims).toMatchObject({ read: 6, loaded: 6, rejected: 0 });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const run = runs.get(name)!;
    const r = run.result;
    const ctx = `${name}: ${c.about}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout}`;
    expect(r.code, ctx).toBe(c.expect.exit);
    expect(r.stderr, ctx).not.toMatch(/internal error/);
    expect(r.stderr, ctx).not.toMatch(/^\s+at /m);
    if (c.expect.exit === 2) {
      expect(r.stderr, ctx).toMatch(/^fundcast replay: error: /);
      expect(r.stderr, ctx).toContain(c.expect.error);
      for (const role of c.expect.names ?? []) expect(r.stderr, `${ctx}\nmust name the ${role} file`).toContain(run.inputs[role]);
    } else expect(r.stderr, ctx).toBe('');
    const seen = accounting(c, run);
    for (const [t, want] of Object.entries(c.expect.rows ?? {})) {
      expect(seen[t as (typeof TABLES)[number]], `${ctx}\n${t}`).toEqual({ read: want.read, loaded: want.loaded, rejects: want.rejects ?? {} });
    }
  });

  it(`as real processes (${SUBPROCESS.join(', ')}): exit 2, the same message, no stack trace`, () => {
    for (const name of SUBPROCESS) {
      const c = cases.find((x) => x.name === name)!;
      const r = spawned.get(name)!;
      expect(r.code, `${name}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(c.expect.error);
      for (const role of c.expect.names ?? []) expect(r.stderr).toContain(runs.get(name)!.inputs[role]);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr.trim()).toBe(runs.get(name)!.result.stderr.trim());
    }
  });

  it('the truncated Arrow stream is a real hazard: the library alone reads it as 4 rows of 6, without an error', () => {
    expect(fromArrow(claimsArrow('stream', 2)).numRows()).toBe(6);
    expect(fromArrow(arrowStreamCut()).numRows()).toBe(4);
  });
});
