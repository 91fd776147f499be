/**
 * `region.scale` (and `fundcast run --scale`): the region's people and money multiplied together, so
 * that a smaller or larger copy of a region keeps its per-head amounts, shares and reserve months.
 *
 * Scaled: every county's residents, the residents per township centre (the same facilities serve
 * proportionally more or fewer people: each facility's panel scales), and the amounts that are
 * totals for the region or a community — `financing.openingBalance` when stated in yuan (a money
 * stock) and a payment model's amounts in yuan or yuan/year (a points model's fixed `budget.amount`,
 * capitation's `overspend.leadCap`). Not scaled:
 * per-head and per-visit amounts, shares, rates and an opening balance stated per enrollee or in
 * months (those follow the people by themselves).
 */
import { listDated, type DatedInput } from './param.ts';
import type { ScenarioFile } from './schema.ts';

/** The scale of a scenario's region (1 when not given). */
export function regionScale(s: ScenarioFile): number {
  return s.region.scale ?? 1;
}

/** A count of residents as run: rounded to whole people. */
export function scaledCount(n: number, scale: number): number {
  return scale === 1 ? n : Math.round(n * scale);
}

/**
 * The scenario as run: scale applied to residents and money, `region.scale` removed. The same object
 * when the scale is 1 (so unscaled runs are untouched). The facility structure is built from the
 * scenario as written (population/region.ts), never from this copy.
 */
export function applyScale(s: ScenarioFile): ScenarioFile {
  const k = regionScale(s);
  if (k === 1) return s;
  const out = structuredClone(s);
  delete out.region.scale;
  for (const c of out.region.counties) c.residents = scaledCount(c.residents, k);
  out.region.residentsPerTownship = Math.max(1, scaledCount(out.region.residentsPerTownship, k));
  if (out.financing.openingBalance.unit === 'yuan') scaleDated(out.financing.openingBalance, k);
  // A payment model's amounts in yuan or yuan/year are totals for the region or a community (a points
  // model's global budget, capitation's lead-hospital cap); per-head ones have their own units
  // (yuan/person/year). Found by unit, so no model needs listing here.
  for (const m of out.paymentModels) {
    for (const { param } of listDated(m)) if (param.unit === 'yuan' || param.unit === 'yuan/year') scaleDated(param as DatedInput<number>, k);
  }
  return out;
}

/** Multiply a dated amount in yuan by k (to the fen). */
function scaleDated(p: DatedInput<number>, k: number): void {
  const f = (x: number) => Math.round(x * k * 100) / 100;
  if (p.values) for (const d of Object.keys(p.values)) p.values[d] = f(p.values[d]);
  else if (p.value !== undefined) p.value = f(p.value);
}
