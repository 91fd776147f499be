/**
 * Opening an input table: CSV (UTF-8 or GBK/GB18030, detected or given; optionally gzip-compressed),
 * Arrow IPC or Parquet — recognised by their bytes (magic numbers), not by the file's name. Every
 * format is read through the same row path ({@link RowSink}), so the column mapping, parsers and
 * rejects are the same whatever the file.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { FundcastError } from '../errors.ts';
import { isArrow, readArrow } from './arrow.ts';
import { feedColumnar, type Columnar } from './columnar.ts';
import { csvHeader, parseCsv, sniffDelimiter, type RowSink } from './csv.ts';
import { detectEncoding, encodingFromName, ENCODING_NAMES, forEachLine, isUtf8Chinese, lineEncodings, maybeGunzip, toUtf8, type Encoding } from './encoding.ts';
import { isParquet, looksTruncatedParquet, readParquet } from './parquet.ts';

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
  /**
   * CSV read with `--encoding`: whether a row (fields as handed to the sink, starting on `line`)
   * holds a line that does not decode in that encoding — the field to name and why; the loaders
   * reject such a row with reason `encoding`. Undefined when every line decodes.
   */
  undecodable?: (buf: Uint8Array, starts: Int32Array, ends: Int32Array, nf: number, line: number) => { field: number; why: string } | undefined;
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
  let unzipped: { bytes: Buffer; gzip: boolean };
  try {
    unzipped = maybeGunzip(raw);
  } catch (e) {
    throw new FundcastError('ERR_DATA_UNREADABLE', `cannot read ${path} as gzip: ${(e as Error).message} (rule: a compressed file must be complete; this one is truncated or damaged)`);
  }
  const { bytes, gzip } = unzipped;
  if (looksTruncatedParquet(bytes)) throw new FundcastError('ERR_DATA_UNREADABLE', `cannot read ${path} as Parquet: it starts with the Parquet magic PAR1 but does not end with it (rule: a Parquet file ends with its footer and PAR1); the file is truncated`);
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
  let bad: Map<number, string> | undefined;
  if (how === '--encoding' && (enc === 'utf-8' || enc === 'gb18030')) {
    // --encoding: a data line that does not decode rejects its row (reason encoding); the header must decode.
    bad = undecodableLines(bytes, bom, enc, text);
    const headerLine = bad.size ? csvHeaderLine(text) : 0;
    if (bad.has(headerLine)) {
      checkText(text, enc, how, path, enc === 'utf-8' && !isUtf8(text));
      throw new FundcastError('ERR_DATA_ENCODING', `${path}: line ${headerLine}: the header ${bad.get(headerLine)} (rule: a CSV file is text in one encoding: UTF-8, GBK/GB18030, or UTF-16 with a byte-order mark)`);
    }
    checkText(text, enc, how, path, false, true);
  } else {
    // Detected: a file whose lines are partly UTF-8 and partly not is two encodings, never re-decoded as one.
    if (enc === 'gb18030' || (enc === 'utf-8' && how !== 'valid UTF-8' && !isUtf8(text))) checkMixed(bytes, bom, path);
    // (UTF-8 chosen by detection was validated there; a byte-order mark or --encoding was not.)
    checkText(text, enc, how, path, enc === 'utf-8' && how !== 'valid UTF-8' && !isUtf8(text));
  }
  const head = csvHeader(text, path, delim);
  if (head.headers.length === 0) throw new FundcastError('ERR_DATA_EMPTY', `${path}: the file is empty (no header line)`);
  return {
    undecodable: bad?.size ? rowCheck(bad) : undefined,
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

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]); // U+FFFD, what a decoder writes for bytes it cannot decode

/**
 * A CSV's text must decode cleanly: bytes that are not valid in the encoding read (`invalidUtf8`
 * for UTF-8; a U+FFFD written by the decoder otherwise) or a NUL byte (UTF-16 without a byte-order
 * mark, or not a text file) are a user error naming the first such place, never silently replaced.
 */
function checkText(text: Buffer, enc: Encoding, how: string, path: string, invalidUtf8: boolean, nulOnly = false): void {
  const bad = nulOnly ? -1 : invalidUtf8 ? firstInvalidUtf8(text) : enc === 'utf-8' ? -1 : text.indexOf(REPLACEMENT);
  const nul = text.indexOf(0);
  if (bad < 0 && nul < 0) return;
  const at = bad >= 0 && (nul < 0 || bad < nul) ? bad : nul;
  const { line, column } = lineColumn(text, at);
  const what =
    at === nul
      ? 'a NUL byte: this is not UTF-8 or GBK text (UTF-16 without a byte-order mark? give --encoding utf-16le or utf-16be; or a binary file)'
      : `bytes that are not valid ${enc === 'utf-8' ? 'UTF-8' : enc.toUpperCase()} (read as ${enc}, ${how === '--encoding' ? 'as --encoding says' : how}; give the right --encoding: utf-8, gbk, utf-16le)`;
  throw new FundcastError('ERR_DATA_ENCODING', `${path}: line ${line}, column ${column}: ${what} (rule: a CSV file is text in one encoding: UTF-8, GBK/GB18030, or UTF-16 with a byte-order mark)`);
}

/** Offset of the first byte of `b` that does not start a valid UTF-8 sequence (-1: none). */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= b.length || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of byte offset `at` of UTF-8 text. */
function lineColumn(b: Uint8Array, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < at; i++) {
    if (b[i] === 10 || (b[i] === 13 && b[i + 1] !== 10)) {
      line++;
      start = i + 1;
    }
  }
  let column = 1;
  for (let i = start; i < at; i++) if ((b[i] & 0xc0) !== 0x80) column++;
  return { line, column };
}

/**
 * A file whose lines decode validly only under different encodings — UTF-8 Chinese text on some,
 * bytes that are not UTF-8 (GBK) on others, as when extracts of two systems are concatenated — is
 * refused naming the first lines of each (read as one encoding, one part would become made-up
 * names: a UTF-8 村卫生室 read as GBK is 鏉戝崼鐢熷). docs/reliability.md §Encodings.
 */
function checkMixed(bytes: Buffer, bom: number, path: string): void {
  const le = lineEncodings(bytes, bom);
  if (!le.utf8Count || !le.otherCount) return;
  const lines = (ls: number[], n: number) => `${ls.length > 1 ? 'lines' : 'line'} ${ls.join(', ')}${n > ls.length ? ` (${n.toLocaleString('en-US')} lines in all)` : ''}`;
  throw new FundcastError(
    'ERR_DATA_ENCODING',
    `${path}: mixed encodings: ${lines(le.utf8, le.utf8Count)} ${le.utf8Count === 1 ? 'is' : 'are'} UTF-8 and ${lines(le.other, le.otherCount)} ${le.otherCount === 1 ? 'is' : 'are'} not (GBK/GB18030?) (rule: a CSV file is text in one encoding; convert the parts to one encoding, e.g. iconv -f GBK -t UTF-8, and join them again, or give --encoding to reject the rows that do not decode in it)`,
  );
}

/** Lines (numbered as the CSV reader numbers them) that do not decode in `enc`, and why. */
function undecodableLines(bytes: Buffer, bom: number, enc: 'utf-8' | 'gb18030', text: Buffer): Map<number, string> {
  const bad = new Map<number, string>();
  if (enc === 'utf-8') {
    if (isUtf8(bytes.subarray(bom))) return bad;
    forEachLine(bytes, bom, (s, e, line) => {
      if (!isUtf8(bytes.subarray(s, e))) bad.set(line, 'holds bytes that are not valid UTF-8 (--encoding utf-8)');
    });
    return bad;
  }
  if (text.indexOf(REPLACEMENT) >= 0) {
    forEachLine(text, 0, (s, e, line) => {
      if (text.subarray(s, e).indexOf(REPLACEMENT) >= 0) bad.set(line, 'holds bytes that are not valid GBK/GB18030 (--encoding gbk)');
    });
  }
  // UTF-8 Chinese decodes as GB18030 too, into other characters: such a line is not GBK text.
  forEachLine(bytes, bom, (s, e, line) => {
    if (!bad.has(line) && isUtf8Chinese(bytes, s, e)) bad.set(line, 'is UTF-8 text, not GBK/GB18030 (--encoding gbk): the file mixes encodings');
  });
  return bad;
}

/** The 1-based line of the first non-empty line (the header). */
function csvHeaderLine(text: Buffer): number {
  let first = 0;
  forEachLine(text, 0, (s, e, line) => {
    if (!first && e > s) first = line;
  });
  return first || 1;
}

/** A row is undecodable when one of the lines it spans is; the field named is the first with non-ASCII bytes. */
function rowCheck(bad: Map<number, string>): NonNullable<TableSource['undecodable']> {
  return (buf, st, en, nf, line) => {
    if (nf === 0) return undefined;
    let span = 0;
    for (let i = st[0]; i < en[nf - 1]; i++) if (buf[i] === 10 || (buf[i] === 13 && buf[i + 1] !== 10)) span++;
    for (let l = line; l <= line + span; l++) {
      const why = bad.get(l);
      if (why === undefined) continue;
      let field = 0;
      outer: for (let k = 0; k < nf; k++) {
        for (let i = st[k]; i < en[k]; i++) {
          if (buf[i] >= 0x80) {
            field = k;
            break outer;
          }
        }
      }
      return { field, why: `line ${l} ${why}` };
    }
    return undefined;
  };
}
