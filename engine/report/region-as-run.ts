/**
 * The region and horizon as run, from scenario.json (or the scenario object): the facts the report's
 * and the CLI's prose are generated from, so that no sentence is copied from a scenario's
 * description (which an extending scenario inherits from its base, and which knows nothing of
 * flags or region.scale). Read defensively: scenario.json of an older run may lack fields.
 */
import { scaledCount } from '../params/scale.ts';

export interface RegionAsRun {
  name?: string;
  /** Residents as run (region.scale applied). */
  residents?: number;
  counties: { id: string; name?: string; residents?: number; communities: number }[];
  communities: number;
  scale: number;
  startYear?: number;
  years?: number;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function regionAsRun(scenario: unknown): RegionAsRun {
  const s = isObj(scenario) ? scenario : {};
  const region = isObj(s.region) ? s.region : {};
  const scale = typeof region.scale === 'number' && region.scale > 0 ? region.scale : 1;
  const counties = (Array.isArray(region.counties) ? region.counties : []).filter(isObj).map((c) => ({
    id: String(c.id ?? ''),
    name: typeof c.name === 'string' ? c.name : undefined,
    residents: typeof c.residents === 'number' ? scaledCount(c.residents, scale) : undefined,
    communities: typeof c.communities === 'number' ? c.communities : 1,
  }));
  const horizon = isObj(s.horizon) ? s.horizon : {};
  return {
    name: typeof region.name === 'string' ? region.name : undefined,
    residents: counties.length && counties.every((c) => c.residents !== undefined) ? counties.reduce((a, c) => a + (c.residents ?? 0), 0) : undefined,
    counties,
    communities: counties.reduce((a, c) => a + c.communities, 0),
    scale,
    startYear: typeof horizon.startYear === 'number' ? horizon.startYear : undefined,
    years: typeof horizon.years === 'number' ? horizon.years : undefined,
  };
}
