// Input readers: CSV in UTF-8 (with and without BOM), GBK/GB18030 (detected and forced), UTF-16,
// gzip; the CSV tokenizer's quoting and line numbers; Arrow IPC and Parquet written here with the
// libraries. Every format gives the same rows.
import { gzipSync } from 'node:zlib';
import { table, toArrowIPC } from 'arquero';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { FundcastError } from '../../engine/errors.ts';
import { parseCsv, sniffDelimiter } from '../../engine/replay/csv.ts';
import { detectEncoding, encodeGbk, toUtf8 } from '../../engine/replay/encoding.ts';
import { openTable, type TableSource } from '../../engine/replay/source.ts';
import { csv, tmp, write } from './helpers.ts';

const t = tmp();
afterAll(t.done);

/** All rows of a source as string arrays, with their row and line numbers. */
function rows(src: TableSource): { row: number; line: number; fields: string[] }[] {
  const out: { row: number; line: number; fields: string[] }[] = [];
  src.feed((buf, s, e, nf, row, line) => out.push({ row, line, fields: Array.from({ length: nf }, (_, k) => Buffer.from(buf.subarray(s[k], e[k])).toString('utf8')) }));
  return out;
}

const HEAD = ['个人编号', '区县', '慢病病种', '医疗费总额'];
const BODY = [
  ['P001', '湾沚区', 'I10;E11.9', '123.45'],
  ['P002', '繁昌区', '高血压', '0.5'],
];
const TEXT = csv([HEAD, ...BODY]);

describe('CSV encodings', () => {
  it('reads UTF-8 without and with a byte-order mark', async () => {
    for (const [name, bytes, how] of [
      ['plain.csv', Buffer.from(TEXT, 'utf8'), 'valid UTF-8'],
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'byte-order mark'],
    ] as const) {
      const src = await openTable(write(t.dir, name, bytes));
      expect(src.format).toBe('csv');
      expect(src.encoding).toBe('utf-8');
      expect(src.encodingHow).toBe(how);
      expect(src.headers).toEqual(HEAD);
      expect(rows(src).map((r) => r.fields)).toEqual(BODY);
    }
  });

  it('detects GBK (invalid UTF-8) and reads it as GB18030; --encoding gbk reads it too', async () => {
    const gbk = encodeGbk(TEXT);
    expect(detectEncoding(gbk).encoding).toBe('gb18030');
    const p = write(t.dir, 'gbk.csv', gbk);
    for (const enc of [undefined, 'gbk', 'GB18030']) {
      const src = await openTable(p, { encoding: enc });
      expect(src.encoding).toBe('gb18030');
      expect(src.headers).toEqual(HEAD);
      expect(rows(src).map((r) => r.fields)).toEqual(BODY);
    }
  });

  it('GBK encoding round-trips through the platform decoder', () => {
    const s = '门诊慢特病 两病 湾沚区 统筹基金支付 个人自付 乡镇卫生院 村卫生室 ABC 123';
    expect(toUtf8(encodeGbk(s), 'gb18030').toString('utf8')).toBe(s);
    expect(() => encodeGbk('😀')).toThrow(/no GBK encoding/);
  });

  it('reads UTF-16LE with a byte-order mark, and gzip-compressed files', async () => {
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    const a = await openTable(write(t.dir, 'u16.csv', u16));
    expect(a.encoding).toBe('utf-16le');
    expect(rows(a).map((r) => r.fields)).toEqual(BODY);
    const g = await openTable(write(t.dir, 'gbk.csv.gz', gzipSync(encodeGbk(TEXT))));
    expect(g.gzip).toBe(true);
    expect(rows(g).map((r) => r.fields)).toEqual(BODY);
  });

  it('rejects an unknown --encoding with a clear error', async () => {
    const p = write(t.dir, 'x.csv', TEXT);
    await expect(openTable(p, { encoding: 'latin-9' })).rejects.toThrow(/--encoding: unknown encoding "latin-9"/);
  });

  it('names the file when it cannot be read', async () => {
    await expect(openTable(`${t.dir}/missing.csv`)).rejects.toThrow(/cannot read .*missing\.csv: no such file/);
  });
});

describe('CSV tokenizer', () => {
  it('handles quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF and empty lines', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""",3\r\n\r\n"multi\nline",,"z"\n4,5,6';
    const got: { row: number; line: number; f: string[] }[] = [];
    const r = parseCsv(Buffer.from(text), (buf, s, e, nf, row, line) => got.push({ row, line, f: Array.from({ length: nf }, (_, k) => Buffer.from(buf.subarray(s[k], e[k])).toString()) }), 'q.csv');
    expect(r.headers).toEqual(['a', 'b', 'c']);
    expect(got).toEqual([
      { row: 1, line: 2, f: ['x, y', 'say "hi"', '3'] },
      { row: 2, line: 4, f: ['multi\nline', '', 'z'] },
      { row: 3, line: 6, f: ['4', '5', '6'] },
    ]);
  });

  it('sniffs tab, semicolon and bar delimiters from the header', () => {
    expect(String.fromCharCode(sniffDelimiter(Buffer.from('a\tb\tc\n1\t2\t3')))).toBe('\t');
    expect(String.fromCharCode(sniffDelimiter(Buffer.from('a;b;c\n')))).toBe(';');
    expect(String.fromCharCode(sniffDelimiter(Buffer.from('a|b\n')))).toBe('|');
    expect(String.fromCharCode(sniffDelimiter(Buffer.from('"a;b",c\n')))).toBe(',');
  });

  it('an unterminated quote is an error naming its line, not a silently swallowed file', () => {
    const text = 'a,b\n1,2\n"3,4\n5,6\n';
    expect(() => parseCsv(Buffer.from(text), () => {}, 'bad.csv')).toThrow(FundcastError);
    expect(() => parseCsv(Buffer.from(text), () => {}, 'bad.csv')).toThrow(/bad\.csv: line \d+: a quoted field opened on this record \(line 3\) is never closed/);
  });
});

describe('Arrow IPC and Parquet', () => {
  const cols = {
    person_id: ['P1', 'P2', 'P3'],
    birth_year: [1950, 1960, 1975],
    county: ['湾沚区', '繁昌区', '湾沚区'],
    conditions: ['I10', 'E11.9;I10', '高血压'],
    enrolled_from: [new Date(Date.UTC(2025, 0, 1)), null, new Date(Date.UTC(2025, 5, 30))],
  };
  const expected = [
    ['P1', '1950', '湾沚区', 'I10', '2025-01-01'],
    ['P2', '1960', '繁昌区', 'E11.9;I10', ''],
    ['P3', '1975', '湾沚区', '高血压', '2025-06-30'],
  ];

  it('reads an Arrow IPC file written by arquero (dates, strings, nulls)', async () => {
    const src = await openTable(write(t.dir, 'e.arrow', toArrowIPC(table(cols))));
    expect(src.format).toBe('arrow');
    expect(src.headers).toEqual(Object.keys(cols));
    expect(rows(src).map((r) => r.fields)).toEqual(expected);
    expect(rows(src).map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('reads a Parquet file written by hyparquet-writer (snappy; INT32, STRING, TIMESTAMP, nulls), whatever its name', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'person_id', data: cols.person_id, type: 'STRING' },
        { name: 'birth_year', data: Int32Array.from(cols.birth_year), type: 'INT32' },
        { name: 'county', data: cols.county, type: 'STRING' },
        { name: 'conditions', data: cols.conditions, type: 'STRING' },
        { name: 'enrolled_from', data: cols.enrolled_from, type: 'TIMESTAMP' },
      ],
    });
    const src = await openTable(write(t.dir, 'e.data', new Uint8Array(buf)));
    expect(src.format).toBe('parquet');
    expect(src.headers).toEqual(Object.keys(cols));
    expect(rows(src).map((r) => r.fields)).toEqual(expected);
  });

  it('a damaged Parquet file is a user error naming the file', async () => {
    const good = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'a', data: ['x'], type: 'STRING' }] }));
    const bad = new Uint8Array(good.length + 4);
    bad.set(good.subarray(0, 4));
    bad.set(good.subarray(good.length - 4), bad.length - 4);
    await expect(openTable(write(t.dir, 'bad.parquet', bad))).rejects.toThrow(/cannot read .*bad\.parquet as Parquet/);
  });
});
