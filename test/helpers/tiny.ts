/**
 * Tiny scenarios for tests: the embedded default region's rules on one small county, so a whole
 * run takes well under a second. `extends: wuhu-default` resolves the embedded scenario by name.
 */
import { parseScenarioText, type LoadedScenario } from '../../engine/params/load.ts';

export interface TinyOptions {
  /** Residents of the single county (default 40,000). */
  residents?: number;
  /** Residents per township centre = per block (default 10,000 → 4 blocks). */
  residentsPerTownship?: number;
  replications?: number;
  years?: number;
  seed?: number;
  /** More top-level YAML appended verbatim (e.g. a `benefits:` override). */
  extra?: string;
}

export function tinyScenarioText(o: TinyOptions = {}, base = 'wuhu-default'): string {
  return `fundcast: 1
extends: ${base}
name: tiny-test
seed: ${o.seed ?? 20250403}
replications: ${o.replications ?? 3}
horizon: { startYear: 2025, years: ${o.years ?? 2} }
region:
  residentsPerTownship: ${o.residentsPerTownship ?? 10000}
  counties:
    - { id: tiny, name: 小县, residents: ${o.residents ?? 40000}, urbanShare: 0.5 }
${/^uncertainty:/m.test(o.extra ?? '') ? '' : '# parameters at their stated values unless a test asks for uncertainty\nuncertainty: []\n'}${o.extra ?? ''}`;
}

export function tinyScenario(o: TinyOptions = {}): LoadedScenario {
  return parseScenarioText(tinyScenarioText(o), '<tiny>');
}
