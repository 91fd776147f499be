/**
 * fundcast's one CSV writer (results, facility results, rejects, reconciliation, synthetic data):
 * RFC 4180 — a comma between fields, a field quoted (its quotes doubled) when it holds a comma, a
 * quote or a line break, or starts or ends with a space; LF after every record, the header included.
 * Output as UTF-8 (default, no byte-order mark) or GBK for Excel on Chinese Windows (`--csv-encoding gbk`).
 */
import iconv from 'iconv-lite';

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

/** CSV text as the bytes of a file in `encoding` (UTF-8: the text itself). */
export function encodeCsv(text: string, encoding: CsvEncoding = 'utf-8'): string | Uint8Array {
  return encoding === 'utf-8' ? text : iconv.encode(text, 'gbk');
}
