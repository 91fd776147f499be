/**
 * Opening an input table: CSV (UTF-8 or GBK/GB18030, detected or given; optionally gzip-compressed),
 * Arrow IPC or Parquet — recognised by their bytes (magic numbers), not by the file's name. Every
 * format is read through the same row path ({@link RowSink}), so the column mapping, parsers and
 * rejects are the same whatever the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { FundcastError } from '../errors.ts';
import { isArrow, readArrow } from './arrow.ts';
import { feedColumnar, type Columnar } from './columnar.ts';
import { csvHeader, parseCsv, sniffDelimiter, type RowSink } from './csv.ts';
import { detectEncoding, encodingFromName, ENCODING_NAMES, maybeGunzip, toUtf8, type Encoding } from './encoding.ts';
import { isParquet, readParquet } from './parquet.ts';

export type Format = 'csv' | 'arrow' | 'parquet';

export interface TableSource {
  path: string;
  format: Format;
  gzip: boolean;
  /** CSV only: the encoding read, and how it was decided. */
  encoding?: Encoding;
  encodingHow?: string;
  delimiter?: string;
  headers: string[];
  /** Line of the header (CSV), 1 otherwise. */
  headerLine: number;
  /** Hand every data row to `sink`; returns the number of rows. Call once. */
  feed(sink: RowSink): number;
}

export interface OpenOptions {
  /** `--encoding`: a name (utf-8, gbk, gb18030, utf-16le, …); CSV only. Default: detect. */
  encoding?: string;
}

export async function openTable(path: string, opts: OpenOptions = {}): Promise<TableSource> {
  let raw: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new Error('it is a directory');
    raw = readFileSync(path);
  } catch (e) {
    throw new FundcastError('ERR_DATA_UNREADABLE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const { bytes, gzip } = maybeGunzip(raw);
  if (isParquet(bytes)) return columnar(path, 'parquet', gzip, await wrap(path, 'Parquet', () => readParquet(bytes)));
  if (isArrow(bytes)) return columnar(path, 'arrow', gzip, await wrap(path, 'Arrow IPC', async () => readArrow(bytes)));
  let enc: Encoding;
  let bom = 0;
  let how: string;
  if (opts.encoding !== undefined) {
    const e = encodingFromName(opts.encoding);
    if (!e) throw new FundcastError('ERR_BAD_FLAG', `--encoding: unknown encoding "${opts.encoding}" (one of: ${ENCODING_NAMES.join(', ')})`);
    enc = e;
    const d = detectEncoding(bytes);
    bom = d.encoding === e ? d.bomLength : 0;
    how = '--encoding';
  } else {
    const d = detectEncoding(bytes);
    enc = d.encoding;
    bom = d.bomLength;
    how = d.how;
  }
  // Parsing unescapes quoted fields in place, so `feed` reads this buffer once (it is ours alone:
  // readFileSync, gunzip and toUtf8 return fresh buffers).
  const text = toUtf8(bytes, enc, bom);
  const delim = sniffDelimiter(text);
  const head = csvHeader(text, path, delim);
  if (head.headers.length === 0) throw new FundcastError('ERR_DATA_EMPTY', `${path}: the file is empty (no header line)`);
  return {
    path,
    format: 'csv',
    gzip,
    encoding: enc,
    encodingHow: how,
    delimiter: String.fromCharCode(delim),
    headers: head.headers,
    headerLine: head.line,
    feed: (sink) => parseCsv(text, sink, path, delim).rows,
  };
}

async function wrap<T>(path: string, what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new FundcastError('ERR_DATA_UNREADABLE', `cannot read ${path} as ${what}: ${(e as Error).message}`);
  }
}

function columnar(path: string, format: Format, gzip: boolean, t: Columnar): TableSource {
  return { path, format, gzip, headers: t.headers.map((h) => h.trim()), headerLine: 1, feed: (sink) => feedColumnar(t, sink) };
}
