/**
 * Population synthesis for one block (a township centre's catchment) of one replication.
 *
 * Each insured adult resident is drawn an age band, age, sex and residence (urban/rural); they are
 * a registered chronic patient with hypertension when u < prevalence(age) × treated share, and
 * likewise (independently given age) with diabetes. Only registered patients are kept, as typed-array
 * columns. Over the horizon patients leave (annual exit rate by age band) and new ones register
 * (Poisson, annual entry rate × patients active at the start of the year), resembling existing ones.
 *
 * Draws come from stream (seed, replication, block, Purpose.population) only, so utilization changes
 * never alter the population and vice versa.
 */
import { Rng, Purpose, streamState } from '../rng/stream.ts';
import { at } from '../params/param.ts';
import { ADULT_AGE_BANDS, AGE_BANDS, type ScenarioFile } from '../params/schema.ts';
import type { Block, Region } from './region.ts';

export const COND_HYPERTENSION = 1;
export const COND_DIABETES = 2;

/** Registered chronic patients of one block, one column per attribute. */
export interface PatientColumns {
  n: number;
  /** Age in whole years at the start of the horizon (or at registration for newcomers). */
  age: Uint8Array;
  /** 1 = male. */
  male: Uint8Array;
  /** 1 = urban resident. */
  urban: Uint8Array;
  /** Bitmask: 1 hypertension, 2 diabetes. */
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
}

/** Synthesize block `b` of replication `rep`. */
export function synthesizeBlock(ctx: SynthesisContext, rep: number, b: number): PatientColumns {
  const { scenario: s, region, years } = ctx;
  const block: Block = region.blocks[b];
  const y0 = years[0];
  const rng = new Rng(streamState(s.seed, rep, b, Purpose.population));
  const insured = at(s.region.insuredShare, y0);
  const ageShares = at(s.population.ageStructure, y0);
  const cumAge = cumulative(AGE_BANDS.map((k) => ageShares[k]));
  const male = at(s.population.maleShare, y0);
  const prevH = at(s.population.prevalence.hypertension, y0);
  const prevD = at(s.population.prevalence.diabetes, y0);
  const trH = at(s.population.treatedShare.hypertension, y0);
  const trD = at(s.population.treatedShare.diabetes, y0);
  const signedShare = at(s.population.signedShare, y0);
  const cityShare = at(s.region.cityHospitalShare, y0);
  const lead = region.communities[block.community].lead;
  const city = region.cityHospitals;
  const pH = [0, prevH['18-44'] * trH, prevH['45-64'] * trH, prevH['65+'] * trH];
  const pD = [0, prevD['18-44'] * trD, prevD['45-64'] * trD, prevD['65+'] * trD];

  const rows: number[][] = []; // [age, male, urban, cond, signed, village, hospital, band]
  for (let v = 0; v < block.villages.length; v++) {
    const nInsured = Math.round(block.residents[v] * insured);
    for (let i = 0; i < nInsured; i++) {
      const band = pick(cumAge, rng.uniform());
      const u = rng.uniform();
      const w = rng.uniform();
      if (band === 0) continue; // children: no registered hypertension/diabetes in this model
      const cond = (u < pH[band] ? COND_HYPERTENSION : 0) | (w < pD[band] ? COND_DIABETES : 0);
      if (cond === 0) continue;
      const age = AGE_LO[band] + rng.int(AGE_HI[band] - AGE_LO[band] + 1);
      const isMale = rng.uniform() < male ? 1 : 0;
      const urban = rng.uniform() < block.urbanShare ? 1 : 0;
      const signed = rng.uniform() < signedShare ? 1 : 0;
      const hospital = city.length > 0 && rng.uniform() < cityShare ? city[rng.int(city.length)] : lead;
      rows.push([age, isMale, urban, cond, signed, block.villages[v], hospital, band]);
    }
  }
  const initial = rows.length;
  const entry: number[] = new Array(initial).fill(0);
  // Newcomers: each year after the first, Poisson(entry rate × active) new patients who resemble a
  // randomly chosen initial patient (same profile), with a fresh signing draw.
  const exit: number[] = new Array(initial).fill(years.length);
  // exit rate per (year, age band), looked up once, not per patient
  const exitRates = years.map((y) => {
    const r = at(s.population.annualExitRate, y);
    return [0, ...ADULT_AGE_BANDS.map((k) => r[k])];
  });
  for (let yi = 0; yi < years.length; yi++) {
    // exits at the end of year yi
    let active = 0;
    for (let p = 0; p < rows.length; p++) {
      if (entry[p] <= yi && exit[p] > yi) {
        active++;
        if (rng.uniform() < exitRates[yi][rows[p][7]]) exit[p] = yi + 1;
      }
    }
    if (yi + 1 < years.length && initial > 0) {
      const nNew = rng.poisson(at(s.population.annualEntryRate, years[yi + 1]) * active);
      for (let k = 0; k < nNew; k++) {
        const like = rows[rng.int(initial)];
        const signed = rng.uniform() < at(s.population.signedShare, years[yi + 1]) ? 1 : 0;
        rows.push([like[0], like[1], like[2], like[3], signed, like[5], like[6], like[7]]);
        entry.push(yi + 1);
        exit.push(years.length);
      }
    }
  }
  const n = rows.length;
  const cols: PatientColumns = {
    n,
    age: new Uint8Array(n),
    male: new Uint8Array(n),
    urban: new Uint8Array(n),
    conditions: new Uint8Array(n),
    signed: new Uint8Array(n),
    village: new Int32Array(n),
    township: new Int32Array(n),
    hospital: new Int32Array(n),
    entry: new Uint8Array(entry),
    exit: new Uint8Array(exit),
  };
  for (let p = 0; p < n; p++) {
    const r = rows[p];
    cols.age[p] = r[0];
    cols.male[p] = r[1];
    cols.urban[p] = r[2];
    cols.conditions[p] = r[3];
    cols.signed[p] = r[4];
    cols.village[p] = r[5];
    cols.township[p] = block.township;
    cols.hospital[p] = r[6];
  }
  return cols;
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
