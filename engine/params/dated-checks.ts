/**
 * Helpers for scenario rules that a schema cannot express (params/rules.ts, and each payment model's
 * spec part): where a dated value sits in the file, and comparisons at every date either side changes.
 */
import { asDated, type DatedInput } from './param.ts';
import { SINCE_ALWAYS } from './dated.ts';

/** A rule broken: the parameter's path and the rule in words (load.ts adds the file and line). */
export interface RuleIssue {
  path: string[];
  rule: string;
}

/** Tolerance of comparisons between shares written with a few decimals. */
export const EPS = 1e-9;

/** The path of the value in force from `from` inside a dated parameter. */
export function valuePath(p: DatedInput<unknown>, from: string): string[] {
  return p.values !== undefined ? ['values', from] : ['value'];
}

/** Every date on which any of the parameters changes value (SINCE_ALWAYS first), sorted. */
export function changeDates(...ps: DatedInput<unknown>[]): string[] {
  return [...new Set(ps.flatMap((p) => asDated(p).values.map((v) => v.from)))].sort();
}

/** The value of `p` in force on `date` (the earliest value before its first date). */
export function valueOnDate<T>(p: DatedInput<T>, date: string): T {
  const v = asDated(p).values;
  return (v.filter((x) => x.from <= date).at(-1) ?? v[0]).value;
}

/** " from DATE", or nothing for a value in force since always. */
export function fromDate(date: string): string {
  return date === SINCE_ALWAYS ? '' : ` from ${date}`;
}

/** A number rounded to 6 decimals for messages. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
