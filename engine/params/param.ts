/** Reading dated parameters out of a validated scenario. */
import { SINCE_ALWAYS, valueAt, type Dated } from './dated.ts';

/** The shape of a dated parameter as written in a scenario file (after validation). */
export interface DatedInput<T> {
  unit: string;
  source: string;
  value?: T;
  values?: Record<string, T>;
  note?: string;
}

/** A dated parameter as written → its normalised {@link Dated} form (values sorted by date). */
export function asDated<T>(p: DatedInput<T>): Dated<T> {
  const values =
    p.values !== undefined
      ? Object.entries(p.values)
          .map(([from, value]) => ({ from, value }))
          .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
      : [{ from: SINCE_ALWAYS, value: p.value as T }];
  return { unit: p.unit, source: p.source, values, note: p.note };
}

/** The value of a dated parameter in force on the first day of `month` of `year`. */
export function at<T>(p: DatedInput<T>, year: number, month = 1): T {
  return valueAt(asDated(p), year, month);
}

/** True for an object shaped like a dated parameter. */
export function isDatedInput(x: unknown): x is DatedInput<unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && 'unit' in x && 'source' in x && ('value' in x || 'values' in x);
}

/** Every dated parameter of a scenario, with its path (for listing parameters and their sources). */
export function listDated(x: unknown, path: string[] = []): { path: string[]; param: DatedInput<unknown> }[] {
  if (isDatedInput(x)) return [{ path, param: x }];
  if (x === null || typeof x !== 'object') return [];
  if (Array.isArray(x)) return x.flatMap((v, i) => listDated(v, [...path, String(i)]));
  return Object.entries(x).flatMap(([k, v]) => listDated(v, [...path, k]));
}
