/**
 * Typed column tables (Arrow, Parquet) fed through the same row path as CSV: each row's values
 * are written as UTF-8 text into a scratch buffer and handed to the {@link RowSink}, so one set of
 * parsers and validation rules serves every format. Dates become YYYY-MM-DD (UTC), lists are
 * joined with ";" (a list column of ICD-10 codes reads like "I10;E11"), null is an empty field.
 */
import type { RowSink } from './csv.ts';

export interface Columnar {
  headers: string[];
  nRows: number;
  /** Value of column `c` in row `r` (0-based). */
  get(c: number, r: number): unknown;
}

const enc = new TextEncoder();

/** A value as the text a CSV would hold. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<unknown>, cellText).join(';');
  return String(v);
}

/** Feed every row of `t` to `sink` (row numbers 1-based; `line` = row + 1, as if a header came first). */
export function feedColumnar(t: Columnar, sink: RowSink): number {
  const nC = t.headers.length;
  let scratch = new Uint8Array(4096);
  const starts = new Int32Array(Math.max(1, nC));
  const ends = new Int32Array(Math.max(1, nC));
  for (let r = 0; r < t.nRows; r++) {
    let w = 0;
    for (let c = 0; c < nC; c++) {
      const s = cellText(t.get(c, r));
      if (w + s.length * 3 > scratch.length) {
        const b = new Uint8Array(Math.max(scratch.length * 2, w + s.length * 3 + 16));
        b.set(scratch.subarray(0, w));
        scratch = b;
      }
      const { written } = enc.encodeInto(s, scratch.subarray(w));
      starts[c] = w;
      ends[c] = w + written;
      w += written;
    }
    sink(scratch, starts, ends, nC, r + 1, r + 2);
  }
  return t.nRows;
}
