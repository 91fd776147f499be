/**
 * One task's work: synthesize and simulate blocks [from, to) of one replication, returning their
 * facility-year aggregates. Workers and the in-process runner both call this, so a result never
 * depends on where or in what batches the blocks ran.
 */
import type { ScenarioFile } from './params/schema.ts';
import { buildRegion, type Region } from './population/region.ts';
import { synthesizeBlock, yearKey } from './population/synthesize.ts';
import { Purpose, streamState } from './rng/stream.ts';
import { historyYearsNeeded } from './params/rules.ts';
import type { KernelParams } from './utilization/kernel-params.ts';
import { simulateBlock, type Trace } from './utilization/kernel.ts';
import { newAggregates } from './utilization/metrics.ts';
import { buildVariants, pilotCommunities, type UtilizationVariant } from './utilization/variants.ts';

/** A scenario made ready to simulate: its region and its parameters resolved per month. */
export interface Compiled {
  scenario: ScenarioFile;
  region: Region;
  /** The calendar years simulated: history years (that payment models look back on), then the horizon. */
  years: number[];
  /** Index in `years` of the horizon's first year. */
  horizonStart: number;
  /** The horizon's years (reported in results). */
  horizonYears: number[];
  /** The base utilization parameters. */
  kp: KernelParams;
  /** Utilization variants (0 = base) and the variant each payment model reads. */
  variants: UtilizationVariant[];
  modelVariant: number[];
  /** Size of one variant's facility-year aggregates. */
  aggSize: number;
  /** Per block: the first simulated year (index in `years`) whose aggregates a payment model reads (see `paymentFirstYear`). */
  paymentFirstYear: Int32Array;
}

/** Every simulated year: history years needed by the payment models, then the horizon. */
export function simulatedYears(s: ScenarioFile): number[] {
  const h = historyYearsNeeded(s);
  return Array.from({ length: h + s.horizon.years }, (_, i) => s.horizon.startYear - h + i);
}

/**
 * Per block, the first simulated year whose aggregates the payment models read. History years are
 * read only by capitation (its pilot communities' home-village fund, heads: every history year) and
 * by points (the year before each horizon year, region-wide); fee-for-service and the results read
 * horizon years only. A block is one township of one community, so the blocks of communities outside
 * every capitation pilot can skip the history years before that. Skipping a block's year changes no
 * other year: each (block, year) draws from its own streams, and nothing carries over from a history
 * year into the next (benefit-year state restarts each year; re-review counts from the horizon).
 */
export function paymentFirstYear(s: ScenarioFile, region: Region, horizonStart: number): Int32Array {
  const inPilot = new Uint8Array(region.communities.length);
  let pointsModel = false;
  for (const m of s.paymentModels) {
    if (m.type === 'capitation') pilotCommunities(region, m.pilotCounties).forEach((x, i) => (inPilot[i] |= x));
    if (m.type === 'points') pointsModel = true;
  }
  const others = pointsModel ? Math.max(0, horizonStart - 1) : horizonStart;
  return new Int32Array(region.blocks.map((b) => (inPilot[b.community] === 1 ? 0 : others)));
}

export function compile(s: ScenarioFile): Compiled {
  const years = simulatedYears(s);
  const region = buildRegion(s);
  const { variants, modelVariant } = buildVariants(s, region, years);
  const horizonStart = years.length - s.horizon.years;
  return {
    scenario: s,
    region,
    years,
    horizonStart,
    horizonYears: years.slice(horizonStart),
    kp: variants[0].kp,
    variants,
    modelVariant,
    aggSize: newAggregates(years.length, region.facilities.length).length,
    paymentFirstYear: paymentFirstYear(s, region, horizonStart),
  };
}

/**
 * Simulate blocks [from, to) of replication `rep` under every utilization variant; returns the
 * variants' facility-year aggregates one after another (variant v at v × aggSize).
 * `trace` sees the claims of variant `traceVariant` (default: the base).
 * `paymentOnly`: skip each block's years before `c.paymentFirstYear` (what runs for the payment
 * models; their aggregates stay 0). Every year that is simulated is bit-identical either way.
 */
export function simulateBlocks(c: Compiled, rep: number, from: number, to: number, trace?: Trace, traceVariant = 0, paymentOnly = false): Float64Array {
  const nF = c.region.facilities.length;
  const all = new Float64Array(c.variants.length * c.aggSize);
  const communityOf = new Int32Array(c.region.facilities.map((f) => f.community));
  const pharmacyOf = new Int32Array(c.region.facilities.map((f) => (f.county >= 0 ? c.region.pharmacyOfCounty[f.county] : -1)));
  const isCity = new Uint8Array(c.region.facilities.map((f) => (f.city ? 1 : 0)));
  for (let b = from; b < to; b++) {
    const pop = synthesizeBlock(c, rep, b);
    c.variants.forEach((variant, v) => {
      // Every variant starts from the same streams: common random numbers.
      const streams = {
        uniform: c.years.map((y) => streamState(c.scenario.seed, rep, b, yearKey(Purpose.utilization, y))),
        normal: c.years.map((y) => streamState(c.scenario.seed, rep, b, yearKey(Purpose.utilizationNormals, y))),
      };
      const ctx = { variant, nFacilities: nF, offSiteFacility: c.region.offSiteFacility, communityOf, pharmacyOf, isCity };
      simulateBlock(ctx, pop, streams, all.subarray(v * c.aggSize, (v + 1) * c.aggSize), v === traceVariant ? trace : undefined, paymentOnly ? c.paymentFirstYear[b] : 0);
    });
  }
  return all;
}
