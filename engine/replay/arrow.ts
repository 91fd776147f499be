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

export function readArrow(buf: Uint8Array): Columnar {
  const t = fromArrow(buf);
  const names = t.columnNames();
  const cols = names.map((n) => t.column(n) as unknown as { at(i: number): unknown });
  return { headers: names, nRows: t.numRows(), get: (c, r) => cols[c].at(r) };
}
