/**
 * Fuzzing the replay readers (fast-check): whatever the bytes of a claims or enrollment file, the
 * loader (engine/replay: openTable → CSV/gzip/Arrow/Parquet → loadClaims / loadEnrollment) either
 * loads it — every row read loaded or rejected exactly once, the loaded values sound — or throws a
 * FundcastError (exit 2) whose message names the file. Never another exception, never a hang
 * (each input is small, ≤ 2 KB, and must be done within 2 s). The bad-data corpus with its
 * expected messages is test/reliability/data-corpus.test.ts.
 */
import { gzipSync } from 'node:zlib';
import { fromCSV, toArrowIPC } from 'arquero';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { FundcastError } from '../../engine/errors.ts';
import { encodeGbk } from '../../engine/replay/encoding.ts';
import { loadReplayData, type ReplayData } from '../../engine/replay/replay.ts';
import { CLAIMS_HEADER, ENROLLMENT_HEADER, PERSONS, claim, csv, tmp, write } from '../replay/helpers.ts';

const t = tmp('fundcast-data-fuzz-');
afterAll(t.done);

const ENROLLMENT = csv([ENROLLMENT_HEADER, ...PERSONS]);
const CLAIMS_ROWS = [
  claim('C1', 'P1', '2025-01-05', 'v1', 'village', 30, 0, { drug: 20, days: 30 }),
  claim('C2', 'P2', '2025-02-05', 't1', 'township', 50, 10),
  claim('C3', 'P3', '2025-03-01', 'h1', 'hospital', 9000, 5000, { type: 'inpatient', eligible: 8000 }),
  claim('C4', 'P1', '2025-04-10', 'v1', '村卫生室', 25, 5, { days: 30 }),
  claim('C5', 'P2', '2025-05-12', 'x1', 'hospital', 300, 100, { off: '跨省转诊' }),
  claim('C6', 'P3', '2025-06-20', 'p1', 'pharmacy', 120, 60, { drug: 120 }),
];
const CLAIMS = csv([CLAIMS_HEADER, ...CLAIMS_ROWS]);
const enrollmentFile = write(t.dir, 'enrollment.csv', ENROLLMENT);
const claimsFile = write(t.dir, 'claims.csv', CLAIMS);

const show = (b: Uint8Array) => JSON.stringify(Buffer.from(b.subarray(0, 300)).toString('latin1'));
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

let k = 0;
/**
 * Load `bytes` as the claims (or enrollment) file beside the valid other one. Returns the data,
 * or undefined after a FundcastError naming the file; anything else fails the property.
 */
async function check(bytes: Uint8Array, role: 'claims' | 'enrollment' = 'claims'): Promise<ReplayData | undefined> {
  const file = write(t.dir, `${role}-${k++ % 16}.dat`, bytes);
  const t0 = performance.now();
  let data: ReplayData;
  try {
    data = await loadReplayData({ enrollment: role === 'enrollment' ? file : enrollmentFile, claims: role === 'claims' ? file : claimsFile });
  } catch (e) {
    if (!(e instanceof FundcastError)) throw new Error(`not a FundcastError for ${show(bytes)}: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.exitCode).toBe(2);
    expect(e.message, `the message names the file, for ${show(bytes)}`).toContain(file);
    return undefined;
  } finally {
    expect(performance.now() - t0, `slow on ${show(bytes)}`).toBeLessThan(2000);
  }
  // Nothing lost: the rows loaded and the rows rejected are 1..read, each once.
  const { enrollment: e, claims: c, logs } = data;
  for (const [log, loadedRows] of [
    [logs.enrollment, Array.from(e.row)],
    [logs.claims, Array.from(c.row)],
  ] as const) {
    expect(log.loaded + log.rejected).toBe(log.read);
    expect(loadedRows).toHaveLength(log.loaded);
    expect([...loadedRows, ...log.rejects.map((r) => r.row)].sort((a, b) => a - b), `rows of ${show(bytes)}`).toEqual(range(log.read));
  }
  // What is loaded is sound: whole fen, not negative, adding up; real dates; enrolled persons.
  for (let i = 0; i < c.n; i++) {
    for (const a of [c.cost[i], c.fund[i]]) expect(Number.isSafeInteger(a) && a >= 0 && a <= 1e12, `amount ${a}`).toBe(true);
    expect(c.fund[i]).toBeLessThanOrEqual(c.cost[i]);
    expect(c.ymd[i] >= 19000101 && c.ymd[i] <= 21001231 && c.ymd[i] % 100 >= 1 && c.ymd[i] % 100 <= 31).toBe(true);
    expect(c.days[i] >= 0 && c.days[i] <= 36_500).toBe(true);
    expect(c.person[i] >= 0 && c.person[i] < e.n).toBe(true);
  }
  return data;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
/** Pieces a mutation inserts: CSV syntax, encodings' troublemakers, values at the edges of the rules. */
const PIECES = [',', '"', '""', '\n', '\r\n', '\r', '\t', ';', '|', ' ', '-', '.', '0', '9', 'e', '1e308', '-1', '99999999999999999999', '2025-02-30', '20251301', 'inpatient', 'village', '跨省转诊', 'P1', 'C1', '中', '\u0000', '\ufeff', '\ufffd', '\ud800', '�'];

/** Insert, delete or replace pieces of `text` at random places, then maybe cut it. */
const mutated = (text: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom('insert', 'delete', 'replace'), fc.nat(), fc.constantFrom(...PIECES), fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 6 }),
      fc.option(fc.nat(), { nil: undefined }),
    )
    .map(([ops, cut]) => {
      let s = text;
      for (const [op, at0, piece, n] of ops) {
        const at = at0 % (s.length + 1);
        s = op === 'insert' ? s.slice(0, at) + piece + s.slice(at) : op === 'delete' ? s.slice(0, at) + s.slice(at + n) : s.slice(0, at) + piece + s.slice(at + piece.length);
      }
      return cut === undefined ? s : s.slice(0, cut % (s.length + 1));
    });

/** `text` (a CSV) with its columns in the order `perm`; `headerOnly`: the header alone permuted. */
function permuted(text: string, perm: number[], headerOnly: boolean): string {
  const lines = text.trimEnd().split('\n').map((l) => l.split(','));
  return lines.map((cells, i) => (i === 0 || !headerOnly ? perm.map((j) => cells[j]) : cells).join(',')).join('\n') + '\n';
}

describe('fuzzing the claims reader: loads with every row accounted for, or a FundcastError naming the file', () => {
  it('the valid files load every row (the base of the mutations)', async () => {
    const data = (await check(utf8(CLAIMS)))!;
    expect(data.logs.claims).toMatchObject({ read: 6, loaded: 6, rejected: 0 });
    expect(data.logs.enrollment).toMatchObject({ read: 3, loaded: 3, rejected: 0 });
  });

  it('arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (b) => void (await check(b))), { numRuns: 200 });
  });

  it('arbitrary bytes after a magic number or byte-order mark (gzip, Parquet, Arrow, UTF-8/16 BOM), sometimes with a closing one', async () => {
    const heads = [[0x1f, 0x8b, 0x08, 0], [0x50, 0x41, 0x52, 0x31], [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31, 0, 0], [0xff, 0xff, 0xff, 0xff], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]];
    const tails = [[], [0x50, 0x41, 0x52, 0x31], [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 1024 }), fc.constantFrom(...tails), async (h, b, tl) => void (await check(Uint8Array.from([...h, ...b, ...tl])))),
      { numRuns: 150 },
    );
  });

  it('arbitrary strings, alone and after the claims header', async () => {
    const csvish = fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', '\t', ';', ' ', 'a', 'C', 'P', '1', '2', '0', '.', '-', '中', '\u0000', '\ufeff'), maxLength: 600 });
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 600 }), async (s) => void (await check(utf8(s)))), { numRuns: 150 });
    await fc.assert(fc.asyncProperty(csvish, async (s) => void (await check(utf8(s)))), { numRuns: 150 });
    await fc.assert(fc.asyncProperty(csvish, async (s) => void (await check(utf8(CLAIMS_HEADER.join(',') + '\n' + s)))), { numRuns: 200 });
  });

  it('mutations of a valid claims file: characters inserted, deleted and replaced, cut anywhere (UTF-8 and GBK)', async () => {
    await fc.assert(fc.asyncProperty(mutated(CLAIMS), async (s) => void (await check(utf8(s)))), { numRuns: 250 });
    const gbkSafe = (s: string) => {
      try {
        return encodeGbk(s);
      } catch {
        return undefined; // a character GBK cannot write
      }
    };
    await fc.assert(fc.asyncProperty(mutated(CLAIMS), async (s) => void (await check(gbkSafe(s) ?? utf8(s)))), { numRuns: 100 });
  });

  it('rows with values at the edges of the rules in every field (amounts, dates, days, ids, tiers, categories)', async () => {
    const AMOUNT = ['0', '0.005', '12.345', '1,234.50', '+5', '-0', '.5', '5.', '1e3', '1e308', '-1e308', '99999999999999999999', '9007199254740993', 'NaN', 'Infinity', '１２３', '12元', ''];
    const DATE = ['2025-02-29', '2024-02-29', '2025-1-1', '2025/12/31', '20251231', '2025年1月2日', '2025-01-01T10:00', '2025-01-01 8:00', '1900-01-01', '2100-12-31', '2101-01-01', '0000-00-00', '2025-00-10', ''];
    const DAYS = ['30', '30.0', '-0', '0', '36500', '36501', '2147483648', '99999999999', '1e2', ''];
    const VALUES: Record<string, string[]> = {
      claim_id: ['C1', 'C2', 'C1 ', ' C3', 'c1', ''],
      person_id: ['P1', 'P2', 'P3', 'P9', 'p1', ''],
      date: DATE,
      facility_id: ['v1', 't1', 'h1', 'x1', ''],
      facility_tier: ['village', 'township', 'hospital', 'city', 'pharmacy', '村卫生室', '二级及以上', 'clinic', ''],
      claim_type: ['outpatient', 'inpatient', '门诊', '住院', '11', '21', '31', 'emergency', ''],
      total_cost: AMOUNT,
      eligible_cost: AMOUNT,
      fund_paid: AMOUNT,
      patient_paid: AMOUNT,
      drug_cost: AMOUNT,
      days_supplied: DAYS,
      off_site: ['', 'no', '本地', '跨省转诊', 'inProvinceUnreferred', 'yes', '是'],
    };
    const cell = (col: string) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...VALUES[col]) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
    // A valid row (with all amounts, or only the required ones) with one to three fields replaced.
    const sparse = ['', 'P1', '2025-03-03', 'v1', 'village', '', '30.00', '', '0.00', '', '', '', ''];
    const edit = fc.nat(CLAIMS_HEADER.length - 1).chain((j) => fc.tuple(fc.constant(j), cell(CLAIMS_HEADER[j])));
    const row = fc.tuple(fc.constantFrom(sparse, ...CLAIMS_ROWS), fc.array(edit, { minLength: 1, maxLength: 3 }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), async (spec) => {
        const rows = spec.map(([base, edits], i) => {
          const r = base.map(String);
          r[0] = `E${i}`;
          for (const [j, v] of edits) r[j] = v;
          return r;
        });
        await check(utf8(csv([CLAIMS_HEADER, ...CLAIMS_ROWS, ...rows])));
      }),
      { numRuns: 200 },
    );
  });

  it('permuted columns load the same claims; a permuted header alone loads or is refused, never loses a row', async () => {
    const n = CLAIMS_HEADER.length;
    const base = (await check(utf8(CLAIMS)))!;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(range(n).map((i) => i - 1), { minLength: n, maxLength: n }), fc.boolean(), async (perm, headerOnly) => {
        const data = await check(utf8(permuted(CLAIMS, perm, headerOnly)));
        if (!headerOnly) {
          expect(data, 'the same columns in another order load').toBeDefined();
          expect(Array.from(data!.claims.row)).toEqual(Array.from(base.claims.row));
          expect(Array.from(data!.claims.cost)).toEqual(Array.from(base.claims.cost));
          expect(Array.from(data!.claims.fund)).toEqual(Array.from(base.claims.fund));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a proper prefix of the claims as gzip, Parquet, Arrow file or Arrow stream is refused (none loads fewer rows)', async () => {
    const [head, ...rows] = CLAIMS.trimEnd().split('\n').map((l) => l.split(','));
    const table = fromCSV(CLAIMS, { autoType: false });
    const forms: [string, Uint8Array][] = [
      ['gzip', gzipSync(CLAIMS)],
      ['parquet', new Uint8Array(parquetWriteBuffer({ columnData: head.map((h, j) => ({ name: h, data: rows.map((r) => r[j]), type: 'STRING' as const })) }))],
      ['arrow file', toArrowIPC(table, { format: 'file' }) as Uint8Array],
      ['arrow stream', toArrowIPC(table, { format: 'stream', maxBatchRows: 2 } as Parameters<typeof toArrowIPC>[1]) as Uint8Array],
    ];
    for (const [what, whole] of forms) {
      expect((await check(whole))?.claims.n, `${what}: the whole file loads`).toBe(6);
      // every cut in the first and last 100 bytes, every 3rd between
      for (let cut = 0; cut < whole.length; cut += cut < 100 || cut >= whole.length - 100 ? 1 : 3) expect(await check(whole.subarray(0, cut)), `${what} cut at ${cut} of ${whole.length}`).toBeUndefined();
    }
  });

  it('Parquet with bytes overwritten (a fixed set of 150 damaged files)', async () => {
    const [head, ...rows] = CLAIMS.trimEnd().split('\n').map((l) => l.split(','));
    const pq = new Uint8Array(parquetWriteBuffer({ columnData: head.map((h, j) => ({ name: h, data: rows.map((r) => r[j]), type: 'STRING' as const })) }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(pq.length - 9), fc.nat(255)), { minLength: 1, maxLength: 4 }), async (flips) => {
        const b = pq.slice();
        for (const [at, v] of flips) b[4 + at] = v; // not the magic numbers
        await check(b);
      }),
      { numRuns: 150, seed: 20250501 },
    );
  });
});

describe('fuzzing the enrollment reader', () => {
  it('mutations of a valid enrollment file, and arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(mutated(ENROLLMENT), async (s) => void (await check(utf8(s), 'enrollment'))), { numRuns: 150 });
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 1024 }), async (b) => void (await check(b, 'enrollment'))), { numRuns: 60 });
  });
});
