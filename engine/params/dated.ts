/**
 * Dated parameters (after OpenFisca): a rule parameter is a list of values, each in force from an
 * effective date until the next one, with its unit and its source (seed document and article, or
 * a publication, or "assumption: …").
 */

export interface DatedValue<T> {
  /** Effective date, `YYYY-MM-DD`; the value holds from this day until the next value's date. */
  from: string;
  value: T;
}

export interface Dated<T> {
  unit: string;
  source: string;
  /** Sorted by `from`, ascending; never empty. */
  values: DatedValue<T>[];
  note?: string;
}

/** The effective date used for a value given without a date: in force since always. */
export const SINCE_ALWAYS = '0001-01-01';

/** `YYYY-MM-DD` of the first day of `month` (1–12) of `year`. */
export function firstOfMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

/**
 * The value in force on `date` (`YYYY-MM-DD`), or undefined when no value is yet in force.
 * @example valueOn({unit: 'yuan', source: 's', values: [{from: '2019-01-01', value: 300}]}, '2020-05-01') // 300
 */
export function valueOn<T>(p: Dated<T>, date: string): T | undefined {
  let found: T | undefined;
  for (const v of p.values) {
    if (v.from <= date) found = v.value;
    else break;
  }
  return found;
}

/** The value in force on the first day of `month` of `year`; throws if none is (validation prevents it). */
export function valueAt<T>(p: Dated<T>, year: number, month = 1): T {
  const d = firstOfMonth(year, month);
  const v = valueOn(p, d);
  if (v === undefined) throw new RangeError(`no value in force on ${d} (first value from ${p.values[0]?.from})`);
  return v;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}
