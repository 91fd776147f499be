/**
 * Per-capita financing of the resident fund in a year (F7, docs/risk.md): the dated national standard
 * (government subsidy + individual contribution) while one is published, then the last standard grown
 * by `financing.perCapitaGrowth` each later year (both parts in proportion). Without a growth parameter
 * financing is held at the last standard — which, with costs growing, makes a deficit certain by
 * construction; docs/risk.md says why the default scenario grows it.
 */
import { indexFactor, lastDatedYear } from '../params/indexed.ts';
import { at } from '../params/param.ts';
import type { ScenarioFile } from '../params/schema.ts';

export interface PerCapitaFinancing {
  subsidy: number;
  individual: number;
  /** subsidy + individual, yuan per enrollee per year. */
  total: number;
  /** Growth factor applied to the last published standard (1 while a standard is in force). */
  indexFactor: number;
}

/**
 * @example perCapitaFinancing(s, 2027) // 2025's 700 + 400 grown twice by 3.5%: total ≈ 1,178.35
 */
export function perCapitaFinancing(s: ScenarioFile, year: number): PerCapitaFinancing {
  const f = s.financing;
  const pc = at(f.perCapita, year);
  const last = lastDatedYear(f.perCapita);
  const k = last === undefined ? 1 : indexFactor(year, last, f.perCapitaGrowth);
  return { subsidy: pc.subsidy * k, individual: pc.individual * k, total: (pc.subsidy + pc.individual) * k, indexFactor: k };
}
