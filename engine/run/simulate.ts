/**
 * One task's work: synthesize and simulate blocks [from, to) of one replication, returning their
 * facility-year aggregates. Workers and the in-process runner both call this, so a result never
 * depends on where or in what batches the blocks ran.
 */
import type { ScenarioFile } from '../params/schema.ts';
import { buildRegion, type Region } from '../population/region.ts';
import { synthesizeBlock, yearKey } from '../population/synthesize.ts';
import { Purpose, streamKey } from '../rng/stream.ts';
import { historyYearsNeeded } from '../params/rules.ts';
import { applyScale } from '../params/scale.ts';
import { plugin } from '../payment/registry.ts';
import type { KernelParams } from '../utilization/kernel-params.ts';
import { simulateBlock, type Trace } from '../utilization/kernel.ts';
import { addAggregates, aggLayout, newAggregates, uniqueFigures, type AggLayout, type ClaimFigure } from '../utilization/metrics.ts';
import { buildVariants, type UtilizationVariant } from '../utilization/variants.ts';
import { restateBenefits, rulesKey } from '../utilization/restate.ts';

/** A scenario made ready to simulate: its region and its parameters resolved per month. */
export interface Compiled {
  /** The scenario as run: region.scale applied (params/scale.ts). */
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
  /** Where each metric sits in the aggregates, and the payment models' claim figures (in slot order). */
  layout: AggLayout;
  figures: ClaimFigure[];
  /** Size of one variant's facility-year aggregates. */
  aggSize: number;
  /** Per variant and block: the first simulated year (index in `years`) whose aggregates a payment model reads (see `paymentFirstYear`). */
  paymentFirstYear: Int32Array;
  /** Per variant and block: the simulated year after the last one a payment model reads (`years.length` but for restatements). */
  paymentEndYear: Int32Array;
  /**
   * Per payment model, the variant holding year `b` restated under the rules of year `t`
   * (`restated[m][t × years.length + b]`), or -1 when the rules are the same (read the model's own
   * aggregates). See utilization/restate.ts.
   */
  restated: Int32Array[];
}

/** Every simulated year: history years needed by the payment models, then the horizon. */
export function simulatedYears(s: ScenarioFile): number[] {
  const h = historyYearsNeeded(s);
  return Array.from({ length: h + s.horizon.years }, (_, i) => s.horizon.startYear - h + i);
}

/**
 * Per variant and block (`v × blocks + b`), the first simulated year whose aggregates a payment model
 * reads; the years before it need not be simulated (`years.length`: none is read). A variant is read
 * only by the models that pay on it (`modelVariant`); each model says which years of which blocks it
 * reads (payment/model.ts `firstYearRead`: capitation every history year of its pilot communities'
 * blocks, points the year before the horizon region-wide, fee-for-service the horizon only). A block
 * is one township of one community, so blocks outside every capitation pilot can skip the history
 * years before that. Skipping a block's year changes no other year: each (block, year) draws from its
 * own streams, and nothing carries over from a history year into the next (benefit-year state
 * restarts each year; re-review counts from the horizon).
 */
export function paymentFirstYear(s: ScenarioFile, region: Region, nYears: number, horizonStart: number, modelVariant: number[], nVariants: number): Int32Array {
  const nB = region.blocks.length;
  const first = new Int32Array(nVariants * nB).fill(nYears);
  s.paymentModels.forEach((m, mi) => {
    const v = modelVariant[mi];
    const p = plugin(m.type);
    region.blocks.forEach((b, bi) => {
      const need = p.firstYearRead(m, region, horizonStart, b);
      if (need < first[v * nB + bi]) first[v * nB + bi] = need;
    });
  });
  return first;
}

export function compile(written: ScenarioFile): Compiled {
  // The region's structure comes from the scenario as written; everything else reads it as run
  // (region.scale applied to residents and money: params/scale.ts).
  const region = buildRegion(written);
  const s = applyScale(written);
  const years = simulatedYears(s);
  const { variants, modelVariant } = buildVariants(s, years, s.paymentModels.map((m) => plugin(m.type).behaviour?.(m, s, region) ?? null));
  const figures = uniqueFigures(s.paymentModels.map((m) => plugin(m.type).claimFigures?.(m, s, years) ?? []));
  const layout = aggLayout(figures);
  const horizonStart = years.length - s.horizon.years;
  const nVariantsBefore = variants.length;
  const restated = addRestatements(s, years, horizonStart, variants, modelVariant);
  const first = paymentFirstYear(s, region, years.length, horizonStart, modelVariant, variants.length);
  const end = new Int32Array(variants.length * region.blocks.length).fill(years.length);
  for (let v = nVariantsBefore; v < variants.length; v++) {
    const r = variants[v].restatement!;
    region.blocks.forEach((b, bi) => {
      const reads = s.paymentModels.some((m, mi) => r.models.includes(mi) && plugin(m.type).firstYearRead(m, region, horizonStart, b) <= r.from);
      first[v * region.blocks.length + bi] = reads ? r.from : years.length;
      end[v * region.blocks.length + bi] = r.to;
    });
  }
  return {
    scenario: s,
    region,
    years,
    horizonStart,
    horizonYears: years.slice(horizonStart),
    kp: variants[0].kp,
    variants,
    modelVariant,
    layout,
    figures,
    aggSize: newAggregates(years.length, region.facilities.length, layout).length,
    paymentFirstYear: first,
    paymentEndYear: end,
    restated,
  };
}

/**
 * Variants for the restatements payment models ask for (payment/model.ts `restatements`): the base
 * years a model reads, adjudicated under the rules of the year it pays (utilization/restate.ts). Base
 * years whose rules are already the paid year's need none. One variant per (model variant, rules),
 * simulated over the span of base years it serves — from the horizon's start at the latest when it
 * reaches into the horizon, so that inactivity towards re-review counts as in the model's own run.
 */
export function addRestatements(s: ScenarioFile, years: number[], horizonStart: number, variants: UtilizationVariant[], modelVariant: number[]): Int32Array[] {
  const nY = years.length;
  const byKey = new Map<string, number>();
  const added: number[] = [];
  const tables = s.paymentModels.map((m, mi) => {
    const table = new Int32Array(nY * nY).fill(-1);
    const asks = plugin(m.type).restatements?.(m, s, years, horizonStart) ?? [];
    const own = variants[modelVariant[mi]];
    const kp = own.pilot?.kp ?? own.kp;
    for (const { rulesYear: t, baseYears } of asks) {
      const rules = rulesKey(kp, t);
      const need = baseYears.filter((b) => rulesKey(kp, b) !== rules);
      if (need.length === 0) continue;
      const key = `${modelVariant[mi]}|${rules}`;
      let v = byKey.get(key);
      if (v === undefined) {
        v = variants.push({ key: `${m.name}:restated-under-${years[t]}`, kp, restatement: { rulesYear: t, years: [], from: nY, to: 0, models: [] } }) - 1;
        byKey.set(key, v);
        added.push(v);
      }
      const r = variants[v].restatement!;
      for (const b of need) {
        if (!r.years.includes(b)) r.years.push(b);
        table[t * nY + b] = v;
      }
      if (!r.models.includes(mi)) r.models.push(mi);
    }
    return table;
  });
  // Each restatement variant: its parameters, and the years it is simulated over.
  for (const v of added) {
    const x = variants[v];
    const r = x.restatement!;
    r.years.sort((a, b) => a - b);
    const lo = r.years[0];
    const hi = r.years[r.years.length - 1] + 1;
    r.from = hi > horizonStart ? Math.min(lo, horizonStart) : lo;
    r.to = hi;
    x.kp = restateBenefits(x.kp, r.rulesYear, r.years);
  }
  return tables;
}

/**
 * Simulate blocks [from, to) of replication `rep` under every utilization variant; returns the
 * variants' facility-year aggregates one after another (variant v at v × aggSize).
 * `trace` sees the claims of variant `traceVariant` (default: the base).
 * `paymentOnly`: skip each variant's and block's years before `c.paymentFirstYear` (what runs for the
 * payment models; their aggregates stay 0). Every year that is simulated is bit-identical either way.
 */
export function simulateBlocks(c: Compiled, rep: number, from: number, to: number, trace?: Trace, traceVariant = 0, paymentOnly = false, into?: Float64Array): Float64Array {
  const nF = c.region.facilities.length;
  // `into`: add to these aggregates (sums of integer fen and counts: exact in any order, so blocks
  // run in slices give the same bits as in one call).
  const all = into ?? new Float64Array(c.variants.length * c.aggSize);
  const { communityOf, pharmacyOf, isCity } = facilityIndex(c);
  const nB = c.region.blocks.length;
  const nY = c.years.length;
  const base = c.variants[0];
  let blockAgg: Float64Array | undefined;
  for (let b = from; b < to; b++) {
    const pop = synthesizeBlock(c, rep, b);
    const community = c.region.blocks[b].community;
    const first = (v: number) => (paymentOnly ? c.paymentFirstYear[v * nB + b] : 0);
    const end = (v: number) => (paymentOnly ? c.paymentEndYear[v * nB + b] : nY);
    // A capitation variant outside its pilot is the base for this block (same parameters, same
    // streams): it takes the base's result for the years it needs instead of simulating again.
    const reuses = c.variants.map((x, v) => v > 0 && trace === undefined && x.kp === base.kp && x.pilot?.community[community] !== 1 && first(v) >= first(0));
    const shared = reuses.includes(true);
    if (shared) (blockAgg ??= new Float64Array(c.aggSize)).fill(0);
    const run = (v: number, out: Float64Array) => {
      // Every variant draws from the same streams: common random numbers.
      const streams = {
        uniform: c.years.map((y) => streamKey(c.scenario.seed, rep, b, yearKey(Purpose.utilization, y))),
        normal: c.years.map((y) => streamKey(c.scenario.seed, rep, b, yearKey(Purpose.utilizationNormals, y))),
      };
      const ctx = { variant: c.variants[v], layout: c.layout, figures: c.figures, nFacilities: nF, offSiteFacility: c.region.offSiteFacility, communityOf, pharmacyOf, isCity };
      simulateBlock(ctx, pop, streams, out, v === traceVariant ? trace : undefined, first(v), end(v));
    };
    for (let v = 0; v < c.variants.length; v++) {
      if (reuses[v] || first(v) >= end(v)) continue;
      if (v === 0 && shared) {
        run(0, blockAgg!);
        // Sums of integer fen and counts: exact in any order.
        const nm = c.layout.nm;
        const at = (u: number) => all.subarray(u * c.aggSize + first(u) * nF * nm, (u + 1) * c.aggSize);
        addAggregates(at(0), blockAgg!.subarray(first(0) * nF * nm));
        reuses.forEach((r, u) => r && first(u) < nY && addAggregates(at(u), blockAgg!.subarray(first(u) * nF * nm)));
      } else run(v, all.subarray(v * c.aggSize, (v + 1) * c.aggSize));
    }
  }
  return all;
}

const facilityIndexes = new WeakMap<Compiled, { communityOf: Int32Array; pharmacyOf: Int32Array; isCity: Uint8Array }>();

/** Per facility: its community, its county's pharmacy, whether a city hospital (built once per compiled scenario). */
function facilityIndex(c: Compiled): { communityOf: Int32Array; pharmacyOf: Int32Array; isCity: Uint8Array } {
  let x = facilityIndexes.get(c);
  if (!x) {
    x = {
      communityOf: new Int32Array(c.region.facilities.map((f) => f.community)),
      pharmacyOf: new Int32Array(c.region.facilities.map((f) => (f.county >= 0 ? c.region.pharmacyOfCounty[f.county] : -1))),
      isCity: new Uint8Array(c.region.facilities.map((f) => (f.city ? 1 : 0))),
    };
    facilityIndexes.set(c, x);
  }
  return x;
}
