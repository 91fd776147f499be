/**
 * Population synthesis for one block (a township centre's catchment) of one replication: the
 * registered chronic patients at the horizon's start, and the cohort's flows over the horizon (F8,
 * docs/model.md "Cohort"): everyone ages a year a year; patients die (all-cause mortality by age and
 * sex, taken back to people without the conditions, × each condition's hazard ratio) or leave
 * resident insurance (by age), mid-year; insured adults without a condition are newly diagnosed and
 * registered (incidence by age band and sex), mid-year.
 *
 * At the horizon's start each insured adult resident is drawn an age (`ageStructure`'s band, uniform
 * within it; 80+ is 80–89), and for each declared condition in
 * order whether they have it — with the age band's prevalence, or, for the second condition of a
 * `comorbidity` pair, conditionally on the first so that the pair's odds ratio within the age band
 * holds and its prevalence does not change — and whether they are treated (registered). Only
 * registered patients are kept, as typed-array columns, with their sex, residence, signing, hospital
 * and years since diagnosis.
 *
 * History years (simulated only for payment models that look back) see the patients registered at the
 * horizon's start, younger by the years between, with no flows. Initial draws come from stream (seed,
 * replication, block, population); each horizon year's flows from a stream keyed by the calendar year.
 * So neither utilization changes nor the number of history years ever alter the horizon's population.
 */
import { Rng, Purpose, streamState } from '../rng/stream.ts';
import { at } from '../params/param.ts';
import { enrolmentFactor } from './region.ts';
import { AGE_BANDS, RATE_BANDS, type ScenarioFile } from '../params/schema.ts';
import type { Block, Region } from './region.ts';

/** Bit of condition number `i` (declaration order in population.prevalence) in a patient's mask. */
export const conditionBit = (i: number) => 1 << i;

/** Why a patient's last active year ends early (`exitKind`). */
export const EXIT_NONE = 0;
export const EXIT_DEATH = 1;
export const EXIT_LEAVER = 2;

/** Registered chronic patients of one block, one column per attribute. */
export interface PatientColumns {
  n: number;
  /** Birth as a simulated-year index: the age in simulated year yi is `yi − birth`. */
  birth: Int16Array;
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
  /** Active from year `entry` (inclusive; from month `entryMonth`, 0–11, of that year) to year `exit` (exclusive). */
  entry: Uint8Array;
  entryMonth: Uint8Array;
  exit: Uint8Array;
  /** Months of the last active year (exit − 1) in care: 12, or fewer after a death or departure. */
  exitMonth: Uint8Array;
  /** EXIT_DEATH or EXIT_LEAVER when the patient left during year exit − 1; EXIT_NONE otherwise. */
  exitKind: Uint8Array;
  /** Year of diagnosis as a simulated-year index (years since diagnosis in year yi: yi − diagnosis). */
  diagnosis: Int16Array;
  /** 1 = a new diagnosis registered during the horizon (0: registered at its start). */
  isNew: Uint8Array;
}

export interface SynthesisContext {
  scenario: ScenarioFile;
  region: Region;
  /** Calendar years simulated, first to last. */
  years: number[];
  /** Index in `years` of the horizon's first year. */
  horizonStart: number;
}

/** Age range of each `ageStructure` band (AGE_BANDS). */
const AGE_LO = [0, 18, 45, 60, 70, 80];
const AGE_HI = [17, 44, 59, 69, 79, 89];
/** The prevalence band (0 child, 1 18-44, 2 45-64, 3 65+) of an age. */
const prevalenceBand = (age: number) => (age < 18 ? 0 : age < 45 ? 1 : age < 65 ? 2 : 3);
/** Age band of the cohort's rates (RATE_BANDS) of an age, and its age range. */
export function rateBand(age: number): number {
  return age < 45 ? 0 : age < 60 ? 1 : age < 70 ? 2 : age < 80 ? 3 : 4;
}
const RATE_LO = [18, 45, 60, 70, 80];
const RATE_HI = [44, 59, 69, 79, 89];

/**
 * The probability of the second condition of a pair given the first (present, absent), so that
 * their odds ratio is `or` and the second's prevalence stays `p2` (Plackett's bivariate binary).
 */
export function conditionalPair(p1: number, p2: number, or: number): [number, number] {
  let p11: number;
  if (Math.abs(or - 1) < 1e-12) p11 = p1 * p2;
  else {
    const b = 1 + (or - 1) * (p1 + p2);
    p11 = (b - Math.sqrt(b * b - 4 * or * (or - 1) * p1 * p2)) / (2 * (or - 1));
  }
  return [p1 > 0 ? p11 / p1 : 0, p1 < 1 ? (p2 - p11) / (1 - p1) : 0];
}

/** Synthesize block `b` of replication `rep`. */
export function synthesizeBlock(ctx: SynthesisContext, rep: number, b: number): PatientColumns {
  const { scenario: s, region, years } = ctx;
  const P = s.population;
  const block: Block = region.blocks[b];
  const h0 = ctx.horizonStart;
  const y0 = years[h0];
  const rng = new Rng(streamState(s.seed, rep, b, Purpose.population));
  const insured = at(s.region.insuredShare, y0);
  const ageShares = at(P.ageStructure, y0);
  const cumAge = cumulative(AGE_BANDS.map((k) => ageShares[k]));
  const male = at(P.maleShare, y0);
  const conds = Object.keys(P.prevalence);
  const K = conds.length;
  // Disease prevalence by prevalence band (18-44, 45-64, 65+), and treatment.
  const prev = conds.map((c) => {
    const v = at(P.prevalence[c], y0);
    return [0, v['18-44'], v['45-64'], v['65+']];
  });
  const treated = conds.map((c) => at(P.treatedShare[c], y0));
  // Co-occurrence: a condition's probability given an earlier one of its pair (per prevalence band).
  const pairs = comorbidityPairs(s, conds, y0);
  const given: { first: number; present: Float64Array; absent: Float64Array }[] = conds.map(() => ({ first: -1, present: new Float64Array(4), absent: new Float64Array(4) }));
  for (const { first, second, or } of pairs) {
    const g = given[second];
    g.first = first;
    for (let band = 1; band < 4; band++) [g.present[band], g.absent[band]] = conditionalPair(prev[first][band], prev[second][band], or);
  }
  const signedShare = signedByMask(s, conds, y0);
  const cityShare = at(s.region.cityHospitalShare, y0);
  const lead = region.communities[block.community].lead;
  const city = region.cityHospitals;
  const meanYears = at(P.yearsSinceDiagnosis, y0).mean;

  // Columns grown by doubling: no per-patient objects (worker threads share GC helper threads, so
  // allocation in one worker slows the others).
  const cols = new ColumnBuilder(1024);
  const disease = new Uint8Array(K);
  /** The hospital a patient uses for hospital-tier care: a city hospital with cityHospitalShare, else the community's lead. */
  const hospitalOf = (r: Rng) => (city.length > 0 && r.uniform() < cityShare ? city[r.int(city.length)] : lead);
  for (let v = 0; v < block.villages.length; v++) {
    const nInsured = Math.round(block.residents[v] * insured);
    for (let i = 0; i < nInsured; i++) {
      const ab = pick(cumAge, rng.uniform());
      if (ab === 0) continue; // children have no registered chronic condition in this model
      const age = AGE_LO[ab] + rng.int(AGE_HI[ab] - AGE_LO[ab] + 1);
      const band = prevalenceBand(age);
      let cond = 0;
      for (let c = 0; c < K; c++) {
        const g = given[c];
        const p = g.first < 0 ? prev[c][band] : disease[g.first] ? g.present[band] : g.absent[band];
        disease[c] = rng.uniform() < p ? 1 : 0;
        if (disease[c] && rng.uniform() < treated[c]) cond |= 1 << c;
      }
      if (cond === 0) continue;
      const isMale = rng.uniform() < male ? 1 : 0;
      const urban = rng.uniform() < block.urbanShare ? 1 : 0;
      const signed = rng.uniform() < signedShare[cond] ? 1 : 0;
      const hospital = hospitalOf(rng);
      // Years since diagnosis: exponential with the stated mean, at most age − 18.
      const since = Math.min(Math.floor(-Math.log(rng.uniform()) * meanYears), age - 18);
      cols.push(h0 - age, isMale, urban, cond, signed, block.villages[v], hospital, 0, 0, years.length, 12, EXIT_NONE, h0 - since, 0);
    }
  }

  // The at-risk insured adults of the block by rate band and sex, at the horizon's start.
  const blockInsured = block.residents.reduce((a, x) => a + x, 0) * insured;
  const ageShareOfRate = RATE_BANDS.map((_, band) => ageShares[AGE_BANDS[band + 1]]);
  const villageCum = cumulative(block.residents);
  const villageTotal = block.residents.reduce((a, x) => a + x, 0);
  for (let yi = h0; yi < years.length; yi++) {
    const year = years[yi];
    // This year's flows draw from their own stream (keyed by the calendar year).
    const rng = new Rng(streamState(s.seed, rep, b, yearKey(Purpose.populationDynamics, year)));
    const mort = at(P.mortality, year);
    const excess = at(P.excessMortality, year);
    const leave = at(P.leaverRate, year);
    // The general population's mortality includes people with the conditions: the hazard of people
    // without them is the population's ÷ Π (1 − p_c + p_c × HR_c), p_c the band's prevalence.
    const withConditions = RATE_BANDS.map((rb, band) => conds.reduce((a, c, ci) => {
      const p = prev[ci][prevalenceBand((RATE_LO[band] + RATE_HI[band]) / 2)];
      return a * (1 - p + p * excess[c][rb]);
    }, 1));
    // Deaths and departures among the patients active at the start of the year, in a month of it.
    for (let p = 0; p < cols.n; p++) {
      if (cols.entry[p] > yi || cols.exit[p] <= yi) continue;
      const band = rateBand(Math.min(yi - cols.birth[p], 89));
      const rb = RATE_BANDS[band];
      let hr = 1;
      for (let c = 0; c < K; c++) if (cols.conditions[p] & (1 << c)) hr *= excess[conds[c]][rb];
      const base = cols.male[p] ? mort.male[rb] : mort.female[rb];
      const qDeath = 1 - Math.pow(1 - base, hr / withConditions[band]);
      const u = rng.uniform();
      const kind = u < qDeath ? EXIT_DEATH : u < qDeath + leave[rb] * (1 - qDeath) ? EXIT_LEAVER : EXIT_NONE;
      if (kind === EXIT_NONE) continue;
      cols.exit[p] = yi + 1;
      cols.exitMonth[p] = 1 + rng.int(12); // care in months 1..m of the year
      cols.exitKind[p] = kind;
    }
    // New diagnoses among the insured adults without the condition, by age band and sex.
    const inc = at(P.incidence, year);
    const maleFactor = P.incidenceMaleFactor ? at(P.incidenceMaleFactor, year) : undefined;
    const share = signedByMask(s, conds, year);
    const insuredNow = blockInsured * enrolmentFactor(s, years, h0, yi);
    for (let c = 0; c < K; c++) {
      const mf = maleFactor?.[conds[c]] ?? 1;
      // Rates are per person-year of both sexes together: men's mf × women's, weighted by the male share.
      const female = 1 / (male * mf + (1 - male));
      for (let band = 0; band < 5; band++) {
        const rb = RATE_BANDS[band];
        // (the band's prevalence: of its mid-age)
        const atRisk = insuredNow * ageShareOfRate[band] * (1 - prev[c][prevalenceBand((RATE_LO[band] + RATE_HI[band]) / 2)]);
        for (let sex = 0; sex < 2; sex++) {
          const n = rng.poisson(atRisk * (sex ? male : 1 - male) * inc[conds[c]][rb] * (sex ? mf : 1) * female);
          for (let k = 0; k < n; k++) {
            const age = RATE_LO[band] + rng.int(RATE_HI[band] - RATE_LO[band] + 1);
            const village = block.villages[pick(villageCum, rng.uniform() * villageTotal)];
            const urban = rng.uniform() < block.urbanShare ? 1 : 0;
            const signed = rng.uniform() < share[1 << c] ? 1 : 0;
            const hospital = hospitalOf(rng);
            cols.push(yi - age, sex, urban, 1 << c, signed, village, hospital, yi, rng.int(12), years.length, 12, EXIT_NONE, yi, 1);
          }
        }
      }
    }
  }
  const n = cols.n;
  return {
    n,
    birth: cols.birth.slice(0, n),
    male: cols.male.slice(0, n),
    urban: cols.urban.slice(0, n),
    conditions: cols.conditions.slice(0, n),
    signed: cols.signed.slice(0, n),
    village: cols.village.slice(0, n),
    township: new Int32Array(n).fill(block.township),
    hospital: cols.hospital.slice(0, n),
    entry: cols.entry.slice(0, n),
    entryMonth: cols.entryMonth.slice(0, n),
    exit: cols.exit.slice(0, n),
    exitMonth: cols.exitMonth.slice(0, n),
    exitKind: cols.exitKind.slice(0, n),
    diagnosis: cols.diagnosis.slice(0, n),
    isNew: cols.isNew.slice(0, n),
  };
}

/** The comorbidity pairs of the scenario as condition indices (validated in params/rules.ts). */
function comorbidityPairs(s: ScenarioFile, conds: string[], year: number): { first: number; second: number; or: number }[] {
  if (!s.population.comorbidity) return [];
  return Object.entries(at(s.population.comorbidity, year)).map(([k, or]) => {
    const [a, b] = k.split('+');
    return { first: conds.indexOf(a), second: conds.indexOf(b), or };
  });
}

/**
 * Signing share of a condition mask: the highest share among its conditions (by-condition shares
 * where given, else the general one).
 */
function signedByMask(s: ScenarioFile, conds: string[], year: number): Float64Array {
  const general = at(s.population.signedShare, year);
  const byCond = s.population.signedShareByCondition ? at(s.population.signedShareByCondition, year) : {};
  const out = new Float64Array(1 << conds.length);
  for (let mask = 1; mask < out.length; mask++) {
    let best = 0;
    conds.forEach((c, i) => {
      if (mask & (1 << i)) best = Math.max(best, byCond[c] ?? general);
    });
    out[mask] = best;
  }
  return out;
}

class ColumnBuilder {
  n = 0;
  birth: Int16Array;
  male: Uint8Array;
  urban: Uint8Array;
  conditions: Uint8Array;
  signed: Uint8Array;
  village: Int32Array;
  hospital: Int32Array;
  entry: Uint8Array;
  entryMonth: Uint8Array;
  exit: Uint8Array;
  exitMonth: Uint8Array;
  exitKind: Uint8Array;
  diagnosis: Int16Array;
  isNew: Uint8Array;
  constructor(private cap: number) {
    this.birth = new Int16Array(cap);
    this.male = new Uint8Array(cap);
    this.urban = new Uint8Array(cap);
    this.conditions = new Uint8Array(cap);
    this.signed = new Uint8Array(cap);
    this.village = new Int32Array(cap);
    this.hospital = new Int32Array(cap);
    this.entry = new Uint8Array(cap);
    this.entryMonth = new Uint8Array(cap);
    this.exit = new Uint8Array(cap);
    this.exitMonth = new Uint8Array(cap);
    this.exitKind = new Uint8Array(cap);
    this.diagnosis = new Int16Array(cap);
    this.isNew = new Uint8Array(cap);
  }
  push(birth: number, male: number, urban: number, cond: number, signed: number, village: number, hospital: number, entry: number, entryMonth: number, exit: number, exitMonth: number, exitKind: number, diagnosis: number, isNew: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.birth[i] = birth;
    this.male[i] = male;
    this.urban[i] = urban;
    this.conditions[i] = cond;
    this.signed[i] = signed;
    this.village[i] = village;
    this.hospital[i] = hospital;
    this.entry[i] = entry;
    this.entryMonth[i] = entryMonth;
    this.exit[i] = exit;
    this.exitMonth[i] = exitMonth;
    this.exitKind[i] = exitKind;
    this.diagnosis[i] = diagnosis;
    this.isNew[i] = isNew;
  }
  private grow(): void {
    this.cap *= 2;
    const g = <T extends Uint8Array | Int16Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.birth = g(this.birth);
    this.male = g(this.male);
    this.urban = g(this.urban);
    this.conditions = g(this.conditions);
    this.signed = g(this.signed);
    this.village = g(this.village);
    this.hospital = g(this.hospital);
    this.entry = g(this.entry);
    this.entryMonth = g(this.entryMonth);
    this.exit = g(this.exit);
    this.exitMonth = g(this.exitMonth);
    this.exitKind = g(this.exitKind);
    this.diagnosis = g(this.diagnosis);
    this.isNew = g(this.isNew);
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
