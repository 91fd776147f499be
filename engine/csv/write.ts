/**
 * fundcast's one CSV writer (results, facility results, rejects, reconciliation, synthetic data):
 * RFC 4180 — a comma between fields, a field quoted (its quotes doubled) when it holds a comma, a
 * quote or a line break, or starts or ends with a space; LF after every record, the header included.
 * Output as UTF-8 (default, no byte-order mark) or GBK for Excel on Chinese Windows (`--csv-encoding gbk`).
 */
import iconv from 'iconv-lite';
import { Errors } from '../errors.ts';

export type CsvValue = string | number | null | undefined;

/** Quote a value for CSV output when it needs it. */
export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (with LF) from cells. */
export function csvLine(cells: CsvValue[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

/** A header line and one line per row; the columns are the first row's keys unless given. */
export function csvTable(rows: Record<string, CsvValue>[], columns: string[] = Object.keys(rows[0] ?? {})): string {
  let s = csvLine(columns);
  for (const r of rows) s += csvLine(columns.map((c) => r[c]));
  return s;
}

export const CSV_ENCODINGS = ['utf-8', 'gbk'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export function isCsvEncoding(x: unknown): x is CsvEncoding {
  return x === 'utf-8' || x === 'gbk';
}

/**
 * CSV text as the bytes of a file in `encoding` (UTF-8: the text itself). A character GBK cannot
 * encode (an emoji, a rare CJK character of a later standard) is an error naming it and its line:
 * iconv-lite would write "?" in its place, silently changing a name or a rejected row.
 */
export function encodeCsv(text: string, encoding: CsvEncoding = 'utf-8'): string | Uint8Array {
  if (encoding === 'utf-8') return text;
  const bytes = iconv.encode(text, 'gbk');
  const back = iconv.decode(bytes, 'gbk');
  if (back !== text) {
    let i = 0;
    while (i < text.length && text[i] === back[i]) i++;
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const line = text.slice(0, i).split('\n').length;
    throw Errors.Usage(`--csv-encoding gbk: "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) on CSV line ${line} has no GBK encoding; write UTF-8 (the default) instead`);
  }
  return bytes;
}
