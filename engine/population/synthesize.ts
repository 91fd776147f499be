/**
 * Population synthesis for one block (a township centre's catchment) of one replication.
 *
 * Each insured adult resident is drawn an age band, age, sex and residence (urban/rural); they are
 * a registered chronic patient with each declared condition (in declaration order) when
 * u < prevalence(age) × treated share, independently given age. Only registered patients are kept, as typed-array
 * columns. Over the horizon patients leave (annual exit rate by age band) and new ones register
 * (Poisson, annual entry rate × patients active at the start of the year), resembling existing ones.
 *
 * The population is anchored at the horizon's first year: it is drawn with that year's parameters,
 * and history years (simulated only for payment models that look back) see the same patients, with
 * no entries or exits. Initial draws come from stream (seed, replication, block, population); each
 * horizon year's exits and entries from a stream of its own keyed by the calendar year. So neither
 * utilization changes nor the number of history years ever alter the horizon's population.
 */
import { Rng, Purpose, streamState } from '../rng/stream.ts';
import { at } from '../params/param.ts';
import { ADULT_AGE_BANDS, AGE_BANDS, type ScenarioFile } from '../params/schema.ts';
import type { Block, Region } from './region.ts';

/** Bit of condition number `i` (declaration order in population.prevalence) in a patient's mask. */
export const conditionBit = (i: number) => 1 << i;

/** Registered chronic patients of one block, one column per attribute. */
export interface PatientColumns {
  n: number;
  /** Age in whole years at the start of the horizon (or at registration for newcomers). */
  age: Uint8Array;
  /** 1 = male. */
  male: Uint8Array;
  /** 1 = urban resident. */
  urban: Uint8Array;
  /** Bitmask of the declared conditions (bit i = the i-th key of population.prevalence). */
  conditions: Uint8Array;
  /** 1 = family-doctor contract (signed at the village clinic if rural, the township centre if urban). */
  signed: Uint8Array;
  /** Facility indices: home village clinic, township centre, and the hospital used for hospital-tier care. */
  village: Int32Array;
  township: Int32Array;
  hospital: Int32Array;
  /** Year offsets in the horizon: active from `entry` (inclusive) to `exit` (exclusive). */
  entry: Uint8Array;
  exit: Uint8Array;
}

const AGE_LO = [0, 18, 45, 65];
const AGE_HI = [17, 44, 64, 90];

export interface SynthesisContext {
  scenario: ScenarioFile;
  region: Region;
  /** Calendar years simulated, first to last. */
  years: number[];
  /** Index in `years` of the horizon's first year. */
  horizonStart: number;
}

/** Synthesize block `b` of replication `rep`. */
export function synthesizeBlock(ctx: SynthesisContext, rep: number, b: number): PatientColumns {
  const { scenario: s, region, years } = ctx;
  const block: Block = region.blocks[b];
  const h0 = ctx.horizonStart;
  const y0 = years[h0];
  const rng = new Rng(streamState(s.seed, rep, b, Purpose.population));
  const insured = at(s.region.insuredShare, y0);
  const ageShares = at(s.population.ageStructure, y0);
  const cumAge = cumulative(AGE_BANDS.map((k) => ageShares[k]));
  const male = at(s.population.maleShare, y0);
  const conds = Object.keys(s.population.prevalence);
  const K = conds.length;
  // pReg[c][band]: probability of being a registered (treated) patient with condition c.
  const pReg = conds.map((c) => {
    const prev = at(s.population.prevalence[c], y0);
    const tr = at(s.population.treatedShare[c], y0);
    return [0, prev['18-44'] * tr, prev['45-64'] * tr, prev['65+'] * tr];
  });
  // Signing share of a condition mask: the highest share among its conditions (by-condition shares
  // where given, else the general one).
  const signedByMask = (year: number): Float64Array => {
    const general = at(s.population.signedShare, year);
    const byCond = s.population.signedShareByCondition ? at(s.population.signedShareByCondition, year) : {};
    const out = new Float64Array(1 << K);
    for (let mask = 1; mask < out.length; mask++) {
      let best = 0;
      conds.forEach((c, i) => {
        if (mask & (1 << i)) best = Math.max(best, byCond[c] ?? general);
      });
      out[mask] = best;
    }
    return out;
  };
  const signedShare = signedByMask(y0);
  const cityShare = at(s.region.cityHospitalShare, y0);
  const lead = region.communities[block.community].lead;
  const city = region.cityHospitals;

  // Columns grown by doubling: no per-patient objects (worker threads share GC helper threads, so
  // allocation in one worker slows the others).
  const b0 = new ColumnBuilder(1024);
  for (let v = 0; v < block.villages.length; v++) {
    const nInsured = Math.round(block.residents[v] * insured);
    for (let i = 0; i < nInsured; i++) {
      const band = pick(cumAge, rng.uniform());
      let cond = 0;
      for (let c = 0; c < K; c++) if (rng.uniform() < pReg[c][band]) cond |= 1 << c;
      if (band === 0) continue; // children: no registered chronic condition in this model
      if (cond === 0) continue;
      const age = AGE_LO[band] + rng.int(AGE_HI[band] - AGE_LO[band] + 1);
      const isMale = rng.uniform() < male ? 1 : 0;
      const urban = rng.uniform() < block.urbanShare ? 1 : 0;
      const signed = rng.uniform() < signedShare[cond] ? 1 : 0;
      const hospital = city.length > 0 && rng.uniform() < cityShare ? city[rng.int(city.length)] : lead;
      b0.push(age, isMale, urban, cond, signed, block.villages[v], hospital, band, 0, years.length);
    }
  }
  const initial = b0.n;
  // exit rate per (year, age band), looked up once, not per patient
  const exitRates = years.map((y) => {
    const r = at(s.population.annualExitRate, y);
    return [0, ...ADULT_AGE_BANDS.map((k) => r[k])];
  });
  for (let yi = h0; yi < years.length; yi++) {
    // This year's dynamics draw from their own stream (keyed by the calendar year).
    const rng = new Rng(streamState(s.seed, rep, b, yearKey(Purpose.populationDynamics, years[yi])));
    // Exits at the end of year yi.
    let active = 0;
    const rates = exitRates[yi];
    for (let p = 0; p < b0.n; p++) {
      if (b0.entry[p] <= yi && b0.exit[p] > yi) {
        active++;
        if (rng.uniform() < rates[b0.band[p]]) b0.exit[p] = yi + 1;
      }
    }
    // Newcomers: each year after the first, Poisson(entry rate × active) new patients who resemble a
    // randomly chosen initial patient (same profile), with a fresh signing draw.
    if (yi + 1 < years.length && initial > 0) {
      const nNew = rng.poisson(at(s.population.annualEntryRate, years[yi + 1]) * active);
      const share = signedByMask(years[yi + 1]);
      for (let k = 0; k < nNew; k++) {
        const q = rng.int(initial);
        const signed = rng.uniform() < share[b0.conditions[q]] ? 1 : 0;
        b0.push(b0.age[q], b0.male[q], b0.urban[q], b0.conditions[q], signed, b0.village[q], b0.hospital[q], b0.band[q], yi + 1, years.length);
      }
    }
  }
  const n = b0.n;
  return {
    n,
    age: b0.age.slice(0, n),
    male: b0.male.slice(0, n),
    urban: b0.urban.slice(0, n),
    conditions: b0.conditions.slice(0, n),
    signed: b0.signed.slice(0, n),
    village: b0.village.slice(0, n),
    township: new Int32Array(n).fill(block.township),
    hospital: b0.hospital.slice(0, n),
    entry: b0.entry.slice(0, n),
    exit: b0.exit.slice(0, n),
  };
}

class ColumnBuilder {
  n = 0;
  age: Uint8Array;
  male: Uint8Array;
  urban: Uint8Array;
  conditions: Uint8Array;
  signed: Uint8Array;
  village: Int32Array;
  hospital: Int32Array;
  band: Uint8Array;
  entry: Uint8Array;
  exit: Uint8Array;
  constructor(private cap: number) {
    this.age = new Uint8Array(cap);
    this.male = new Uint8Array(cap);
    this.urban = new Uint8Array(cap);
    this.conditions = new Uint8Array(cap);
    this.signed = new Uint8Array(cap);
    this.village = new Int32Array(cap);
    this.hospital = new Int32Array(cap);
    this.band = new Uint8Array(cap);
    this.entry = new Uint8Array(cap);
    this.exit = new Uint8Array(cap);
  }
  push(age: number, male: number, urban: number, cond: number, signed: number, village: number, hospital: number, band: number, entry: number, exit: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.age[i] = age;
    this.male[i] = male;
    this.urban[i] = urban;
    this.conditions[i] = cond;
    this.signed[i] = signed;
    this.village[i] = village;
    this.hospital[i] = hospital;
    this.band[i] = band;
    this.entry[i] = entry;
    this.exit[i] = exit;
  }
  private grow(): void {
    this.cap *= 2;
    const g = <T extends Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.age = g(this.age);
    this.male = g(this.male);
    this.urban = g(this.urban);
    this.conditions = g(this.conditions);
    this.signed = g(this.signed);
    this.village = g(this.village);
    this.hospital = g(this.hospital);
    this.band = g(this.band);
    this.entry = g(this.entry);
    this.exit = g(this.exit);
  }
}

/** A stream purpose for one calendar year (purposes are small integers; years are < 10,000). */
export function yearKey(purpose: number, year: number): number {
  return purpose * 10_000 + year;
}

function cumulative(xs: number[]): Float64Array {
  const c = new Float64Array(xs.length);
  let s = 0;
  xs.forEach((x, i) => (c[i] = s += x));
  c[xs.length - 1] = Infinity; // guards against shares summing to 1 − ε
  return c;
}

function pick(cum: Float64Array, u: number): number {
  let i = 0;
  while (u >= cum[i]) i++;
  return i;
}
