/**
 * Arrow IPC input (file or stream format) through arquero's `fromArrow` (backed by
 * @uwdata/flechette): columns are read as they are typed (dates as Date, numbers, strings,
 * dictionary-encoded strings, lists) and handed on as a {@link Columnar} table.
 */
import { fromArrow } from 'arquero';
import type { Columnar } from './columnar.ts';

/** True for Arrow IPC bytes: the file magic `ARROW1`, or a stream's continuation marker. */
export function isArrow(buf: Uint8Array): boolean {
  const file = buf.length >= 6 && buf[0] === 0x41 && buf[1] === 0x52 && buf[2] === 0x52 && buf[3] === 0x4f && buf[4] === 0x57 && buf[5] === 0x31;
  const stream = buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xff && buf[2] === 0xff && buf[3] === 0xff;
  return file || stream;
}

/**
 * A truncated Arrow IPC file must not read as a shorter one: the file format ends with the magic
 * `ARROW1` (after its footer), the stream format with the end-of-stream marker (0xFFFFFFFF then a
 * zero length). Without this, a stream cut after a complete record batch reads without error,
 * losing the batches after it.
 */
function checkComplete(buf: Uint8Array): void {
  const n = buf.length;
  if (buf[0] === 0x41) {
    const tail = n >= 14 ? String.fromCharCode(...buf.subarray(n - 6)) : '';
    if (tail !== 'ARROW1') throw new Error('the file does not end with the magic ARROW1 (rule: an Arrow IPC file ends with its footer and ARROW1): the file is truncated');
  } else {
    const eos = n >= 16 && buf[n - 8] === 0xff && buf[n - 7] === 0xff && buf[n - 6] === 0xff && buf[n - 5] === 0xff && buf[n - 4] === 0 && buf[n - 3] === 0 && buf[n - 2] === 0 && buf[n - 1] === 0;
    if (!eos) throw new Error('the stream does not end with the end-of-stream marker (rule: an Arrow IPC stream ends with 0xFFFFFFFF 00000000): the file is truncated');
  }
}

export function readArrow(buf: Uint8Array): Columnar {
  checkComplete(buf);
  const t = fromArrow(buf);
  const names = t.columnNames();
  const cols = names.map((n) => t.column(n) as unknown as { at(i: number): unknown });
  return { headers: names, nRows: t.numRows(), get: (c, r) => cols[c].at(r) };
}
