/**
 * Exposure: the time a registered person was in care within the calibration period, from their
 * registration dates (docs/replay.md, "Calibrate"). The kernel simulates care month by month, from
 * the month a patient registers to the month they die or leave; a month partly registered counts
 * as the share of its days registered.
 */
import { OPEN_END } from './enrollment.ts';
import { daysInMonth } from './values.ts';

/**
 * Registered months of a person in each year `y0 … y1` (index year − y0). `from` 0 = registered
 * before the period; `to` OPEN_END = still registered.
 */
export function registeredMonths(from: number, to: number, y0: number, y1: number): Float64Array {
  const out = new Float64Array(y1 - y0 + 1);
  const start = from === 0 ? 0 : from;
  const end = to >= OPEN_END ? OPEN_END : to;
  for (let y = y0; y <= y1; y++) {
    if (end < y * 10000 + 101 || start > y * 10000 + 1231) continue;
    let months = 0;
    for (let m = 1; m <= 12; m++) {
      const dim = daysInMonth(y, m);
      const first = y * 10000 + m * 100 + 1;
      const last = first + dim - 1;
      if (end < first || start > last) continue;
      const a = Math.max(first, start);
      const b = Math.min(last, end);
      months += (b - a + 1) / dim; // same month: YYYYMMDD differences are day differences
    }
    out[y - y0] = months;
  }
  return out;
}

/** Registered at the start of year `y` (on 1 January). */
export function registeredOn(from: number, to: number, ymd: number): boolean {
  return (from === 0 || from <= ymd) && to >= ymd;
}
