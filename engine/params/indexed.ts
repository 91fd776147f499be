/**
 * Amounts that grow after their last published value: per-capita financing beyond the last dated
 * standard (F7, docs/risk.md), a deductible or cap indexed by a yearly rate (docs/model.md). The amount
 * in force in `year` is the dated value of that year × Π (1 + g_k) over the years k after the base year,
 * g_k being the growth rate in force on 1 January of k. The base year is the year of the parameter's
 * last dated value, or `undatedBase` when it has a single value in force since always.
 */
import { SINCE_ALWAYS } from './dated.ts';
import { asDated, at, type DatedInput } from './param.ts';

/** The year of the last dated value of `p` (undefined for a value in force since always). */
export function lastDatedYear(p: DatedInput<unknown>): number | undefined {
  const last = asDated(p).values.at(-1)!.from;
  return last === SINCE_ALWAYS ? undefined : Number(last.slice(0, 4));
}

/**
 * The growth factor of `year` over the base year: 1 up to the base year, then the product of
 * (1 + growth in force on 1 January of each later year).
 * @example indexFactor(2027, 2025, { unit: 'share/year', source: 's', value: 0.035 }) // 1.071225
 */
export function indexFactor(year: number, baseYear: number, growth: DatedInput<number> | undefined): number {
  if (!growth) return 1;
  let f = 1;
  for (let k = baseYear + 1; k <= year; k++) f *= 1 + at(growth, k);
  return f;
}

/** The value of `p` in force on 1 January of `year`, grown by `growth` after its base year. */
export function indexedAt(p: DatedInput<number>, year: number, growth: DatedInput<number> | undefined, undatedBase: number): number {
  return at(p, year) * indexFactor(year, lastDatedYear(p) ?? undatedBase, growth);
}
