/**
 * A streaming CSV tokenizer over a UTF-8 byte buffer (RFC 4180 plus what real extracts do): fields
 * separated by a comma, tab, semicolon or bar (sniffed from the header line), optionally quoted with
 * `"` (a quote inside a quoted field is written twice), records ended by LF, CRLF or CR; a quoted
 * field may span lines. Empty lines are skipped (they are not rows).
 *
 * No per-row objects: each record is handed to a {@link RowSink} as byte offsets into the buffer,
 * in two reused Int32Arrays. A quoted field with doubled quotes is unescaped in place (the buffer
 * is modified), so every field is one contiguous slice.
 */
import { FundcastError } from '../errors.ts';

/**
 * One data row: field k is bytes [starts[k], ends[k]) of `buf`. `row` is the 1-based data row
 * number (the header is not a row), `line` the 1-based line of the file where the row starts.
 */
export type RowSink = (buf: Uint8Array, starts: Int32Array, ends: Int32Array, nFields: number, row: number, line: number) => void;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const CANDIDATES = [44 /* , */, 9 /* tab */, 59 /* ; */, 124 /* | */];

/** The delimiter of a CSV file: the candidate occurring most often in its first line (comma by default). */
export function sniffDelimiter(buf: Uint8Array, from = 0): number {
  const counts = CANDIDATES.map(() => 0);
  let inQuote = false;
  for (let i = from; i < buf.length && i < from + 65536; i++) {
    const b = buf[i];
    if (b === QUOTE) inQuote = !inQuote;
    else if (!inQuote && (b === LF || b === CR)) {
      if (counts.some((c) => c > 0)) break;
    } else if (!inQuote) {
      const k = CANDIDATES.indexOf(b);
      if (k >= 0) counts[k]++;
    }
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
  return CANDIDATES[best];
}

export interface CsvResult {
  headers: string[];
  /** Line of the header. */
  headerLine: number;
  /** Data rows handed to the sink. */
  rows: number;
  delimiter: string;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Tokenize `buf` (UTF-8): the first non-empty record is the header (returned, trimmed), every
 * later record goes to `sink`. Throws a user error naming the line when a quoted field is never
 * closed (it would swallow the rest of the file).
 */
export function parseCsv(buf: Uint8Array, sink: RowSink, file: string, delimiter?: number): CsvResult {
  const delim = delimiter ?? sniffDelimiter(buf);
  const n = buf.length;
  let starts = new Int32Array(64);
  let ends = new Int32Array(64);
  let i = 0;
  let line = 1;
  let row = 0;
  let headers: string[] | null = null;
  let headerLine = 1;
  while (i < n) {
    const c0 = buf[i];
    if (c0 === LF) {
      i++;
      line++;
      continue;
    }
    if (c0 === CR) {
      i++;
      if (i < n && buf[i] === LF) i++;
      line++;
      continue;
    }
    const recLine = line;
    let nf = 0;
    for (;;) {
      if (nf === starts.length) {
        const s2 = new Int32Array(nf * 2);
        s2.set(starts);
        starts = s2;
        const e2 = new Int32Array(nf * 2);
        e2.set(ends);
        ends = e2;
      }
      if (i < n && buf[i] === QUOTE) {
        let r = i + 1;
        let w = r;
        const s = r;
        let closed = false;
        while (r < n) {
          const b = buf[r];
          if (b === QUOTE) {
            if (r + 1 < n && buf[r + 1] === QUOTE) {
              buf[w++] = QUOTE;
              r += 2;
              continue;
            }
            r++;
            closed = true;
            break;
          }
          if (b === LF || (b === CR && !(r + 1 < n && buf[r + 1] === LF))) line++;
          if (w !== r) buf[w] = b;
          w++;
          r++;
        }
        if (!closed) throw new FundcastError('ERR_DATA_CSV', `${file}: line ${line}: a quoted field opened on this record (line ${recLine}) is never closed (rule: a field starting with " ends with "; a quote inside it is written twice, "")`);
        starts[nf] = s;
        ends[nf] = w;
        nf++;
        i = r;
        // Anything between the closing quote and the delimiter (e.g. spaces) is ignored.
        while (i < n) {
          const b = buf[i];
          if (b === delim || b === LF || b === CR) break;
          i++;
        }
      } else {
        const s = i;
        while (i < n) {
          const b = buf[i];
          if (b === delim || b === LF || b === CR) break;
          i++;
        }
        starts[nf] = s;
        ends[nf] = i;
        nf++;
      }
      if (i >= n) break;
      const b = buf[i];
      if (b === delim) {
        i++;
        continue;
      }
      i++;
      if (b === CR && i < n && buf[i] === LF) i++;
      line++;
      break;
    }
    if (headers === null) {
      headers = [];
      for (let k = 0; k < nf; k++) headers.push(utf8.decode(buf.subarray(starts[k], ends[k])).replace(/^\ufeff/, '').trim());
      headerLine = recLine;
    } else {
      row++;
      sink(buf, starts, ends, nf, row, recLine);
    }
  }
  return { headers: headers ?? [], headerLine, rows: row, delimiter: String.fromCharCode(delim) };
}

/** The header (first non-empty record) of a CSV buffer, without touching the buffer. */
export function csvHeader(buf: Uint8Array, file: string, delimiter: number): { headers: string[]; line: number } {
  // The first record ends at the first line break outside quotes after some content.
  let inQuote = false;
  let seen = false;
  let end = buf.length;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === QUOTE) inQuote = !inQuote;
    else if (!inQuote && (b === LF || b === CR)) {
      if (seen) {
        end = i;
        break;
      }
    } else seen = true;
  }
  const r = parseCsv(buf.slice(0, end), () => {}, file, delimiter);
  return { headers: r.headers, line: r.headerLine };
}
