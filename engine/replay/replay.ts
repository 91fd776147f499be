/**
 * Claims replay: recorded enrollment and claims instead of synthetic patients, through the same
 * benefit rules, payment models, ledger and summary as `fundcast run`.
 *
 *  1. load      — open the files (CSV in UTF-8 or GBK/GB18030, Arrow IPC, Parquet), map the
 *                 headers to the documented fields, validate every row: loaded or rejected with
 *                 its reason (validate.ts); loaded + rejected = read
 *  2. region    — counties, communities, facilities and homes from the data (region.ts)
 *  3. adjudicate— each patient-year's claims in date order under the scenario's rules in force in
 *                 the claim's month (adjudicate.ts); the recorded fund paid kept beside
 *  4. aggregate — facility-year aggregates (the engine's layout), once for the data as recorded, or
 *                 once per bootstrap replicate (patients resampled with replacement)
 *  5. pay       — the scenario's payment models and the ledger (run/settle-replication.ts), summary
 *  6. write     — the files of `fundcast run` plus reconciliation.csv, rejects-*.csv, replay.json
 */
import { join } from 'node:path';
import { Errors, FundcastError } from '../errors.ts';
import { fenToYuan } from '../money/fen.ts';
import { scenarioHash, type LoadedScenario } from '../params/load.ts';
import { checkScenarioRules, historyYearsNeeded } from '../params/rules.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { paymentModel, plugin } from '../payment/registry.ts';
import { specPart } from '../payment/specs.ts';
import type { RunResult } from '../run/run-scenario.ts';
import { writeResults } from '../report/write-results.ts';
import { settleReplication } from '../run/settle-replication.ts';
import { runChecks } from '../run/run-checks.ts';
import { type ReplicationResult } from '../ledger/results.ts';
import { addRestatements, paymentFirstYear, type Compiled } from '../run/simulate.ts';
import type { UtilizationVariant } from '../utilization/variants.ts';
import { summarize } from '../run/summarize.ts';
import { compileKernelParams } from '../utilization/kernel-params.ts';
import { aggLayout, uniqueFigures } from '../utilization/metrics.ts';
import { accumulate, adjudicateClaims, REC_FIELDS, type Adjudicated, type PersonView } from './adjudicate.ts';
import { bootstrapWeights } from './bootstrap.ts';
import { loadClaims, plausibleDates, type Claims } from './claims.ts';
import { loadMapping, type UserMapping } from './columns.ts';
import { conditionUniverse } from './conditions.ts';
import { csvLine, encodeCsv, type CsvEncoding } from '../csv/write.ts';
import { loadEnrollment, type Enrollment } from './enrollment.ts';
import { FacilityTable, loadRegister } from './facilities.ts';
import { claimOrder } from './order.ts';
import { writeFileAtomic } from '../report/atomic.ts';
import { buildDataRegion, type DataRegion } from './region.ts';
import { openTable, type TableSource } from './source.ts';
import { checkRejectRate, type RowLog } from './validate.ts';
import { classifyTier, DATA_TIERS, ymdText } from './values.ts';

export interface LoadOptions {
  enrollment: string;
  claims: string;
  /** Optional facility register. */
  facilities?: string;
  /** Header mapping file (YAML/JSON). */
  mapping?: string;
  /** Encoding of CSV inputs (default: detected per file). */
  encoding?: string;
  /** Years of the period, inclusive; claims outside are rejected. Default: the years the accepted claims span. */
  period?: [number, number];
  /**
   * Date the data were extracted (YYYYMMDD; default today): without a period, claims after it, or
   * before 2003, are rejected (`date_out_of_range`).
   */
  extractDate?: number;
  /** Condition ids declared by the scenario (read from enrollment text besides the known ones). */
  conditions?: string[];
  /** Extra enrollment fields required (calibrate needs an age). */
  requireEnrollment?: string[];
  /** Tier of a facility whose tier nothing states (`--default-tier`: a DATA_TIERS name); default: such claims are rejected. */
  defaultTier?: string;
}

export interface SourceInfo {
  file: string;
  format: string;
  gzip: boolean;
  encoding?: string;
  encodingHow?: string;
  delimiter?: string;
  columns: Record<string, string>;
  ignoredColumns: string[];
}

export interface ReplayData {
  facilities: FacilityTable;
  enrollment: Enrollment;
  claims: Claims;
  logs: { enrollment: RowLog; claims: RowLog; facilities?: RowLog };
  sources: { enrollment: SourceInfo; claims: SourceInfo; facilities?: SourceInfo };
  /** Calendar years of the period (empty when no claim was loaded and no --period given). */
  years: number[];
}

function info(src: TableSource, columns: Record<string, string>, ignored: string[]): SourceInfo {
  return { file: src.path, format: src.format, gzip: src.gzip, encoding: src.encoding, encodingHow: src.encodingHow, delimiter: src.delimiter, columns, ignoredColumns: ignored };
}

/** Step 1: open, map and validate the input files. */
export async function loadReplayData(o: LoadOptions): Promise<ReplayData> {
  const mapping: UserMapping | undefined = o.mapping ? loadMapping(o.mapping) : undefined;
  const ft = new FacilityTable();
  let regLog: RowLog | undefined;
  let regInfo: SourceInfo | undefined;
  if (o.facilities) {
    const src = await openTable(o.facilities, { encoding: o.encoding });
    regLog = loadRegister(src, ft, mapping);
    regInfo = info(src, {}, []);
  }
  const eSrc = await openTable(o.enrollment, { encoding: o.encoding });
  const { enrollment, log: eLog, map: eMap } = loadEnrollment(eSrc, ft, conditionUniverse(o.conditions), mapping, o.requireEnrollment);
  const cSrc = await openTable(o.claims, { encoding: o.encoding });
  const period = o.period ? ([o.period[0] * 10000 + 101, o.period[1] * 10000 + 1231] as [number, number]) : undefined;
  const defaultTier = o.defaultTier === undefined ? undefined : classifyTier(o.defaultTier);
  if (defaultTier !== undefined && defaultTier < 0) throw Errors.BadFlag('default-tier', `a tier is one of ${DATA_TIERS.join(', ')} (or their Chinese names), got "${o.defaultTier}"`);
  const { claims, log: cLog, map: cMap } = loadClaims(cSrc, ft, enrollment, { period, plausible: plausibleDates(o.extractDate), mapping, defaultTier });
  let years: number[];
  if (o.period) years = range(o.period[0], o.period[1]);
  else if (claims.n > 0) years = range(Math.floor(claims.minYmd / 10000), Math.floor(claims.maxYmd / 10000));
  else years = []; // nothing loaded: the rejects say why (runReplay and calibrate refuse to go on)
  return {
    facilities: ft,
    enrollment,
    claims,
    logs: { enrollment: eLog, claims: cLog, facilities: regLog },
    sources: { enrollment: info(eSrc, eMap.header, eMap.unused), claims: info(cSrc, cMap.header, cMap.unused), facilities: regInfo },
    years,
  };
}

/** A user error when no claim was loaded: nothing to replay or fit. */
export function requireClaims(data: ReplayData): void {
  if (data.claims.n === 0) throw new FundcastError('ERR_DATA_EMPTY', `${data.sources.claims.file}: no claim was loaded (${data.logs.claims.summary()}); the rejects file says why`);
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** Write `rejects-<table>.csv` for each table read (empty but for the header when none). */
export function writeRejects(dir: string, data: ReplayData, csvEncoding: CsvEncoding = 'utf-8'): string[] {
  return rejectsFiles(data).map(([name, text]) => {
    const p = join(dir, name);
    writeFileAtomic(p, encodeCsv(text, csvEncoding));
    return p;
  });
}

/** The rejects files' names and contents. */
export function rejectsFiles(data: ReplayData): [string, string][] {
  return Object.entries(data.logs).flatMap(([name, log]) => (log ? [[`rejects-${name}.csv`, log.rejectsCsv()] as [string, string]] : []));
}

/** Fail (exit 2) when a table's reject rate exceeds `max`. */
export function checkRejectRates(data: ReplayData, max: number, dir: string): void {
  for (const [name, log] of Object.entries(data.logs)) if (log) checkRejectRate(log, max, join(dir, `rejects-${name}.csv`));
}

export interface ReplayOptions {
  /** Bootstrap replicates (0: replay the data once, as recorded). */
  bootstrap?: number;
  /** Seed of the bootstrap streams (default: the scenario's). */
  seed?: number;
  /** Residents of the region the data covers (default: see region.ts). */
  residents?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ReconciliationRow {
  facility: string;
  tier: string;
  month: string;
  claims: number;
  recordedFen: number;
  replayedFen: number;
}

export interface ReplayResult {
  run: RunResult;
  region: DataRegion;
  adjudicated: Adjudicated;
  reconciliation: ReconciliationRow[];
  totals: { claims: number; recordedFundFen: number; replayedFundFen: number; differenceFen: number; costFen: number };
  /** The data as recorded, paid (also when bootstrapping), and its facility-year aggregates. */
  observed: ReplicationResult;
  observedAgg: Float64Array;
  notes: string[];
  bootstrap: number;
  seed: number;
}

/** The scenario adapted to the data's years: the horizon is the data's years after the history the payment models need. */
export function scenarioForYears(s0: ScenarioFile, years: number[], replications: number, seed: number): { scenario: ScenarioFile; horizonStart: number; notes: string[] } {
  const notes: string[] = [];
  let h = -1;
  for (let k = 0; k < years.length; k++) {
    const s = { ...s0, horizon: { startYear: years[k], years: years.length - k } };
    if (historyYearsNeeded(s) <= k) {
      h = k;
      break;
    }
  }
  if (h < 0) {
    const need = s0.paymentModels
      .map((m) => ({ m, n: specPart(m.type).historyYears(m, s0) }))
      .filter((x) => x.n > 0)
      .map(({ m, n }) => `${m.name} (${m.type}: ${n} year${n > 1 ? 's' : ''} of history)`);
    throw new FundcastError('ERR_DATA_PERIOD', `the payment models ${need.join(', ')} need claims from the years before the first year they pay, but the data covers ${years[0]}${years.length > 1 ? `–${years[years.length - 1]}` : ''} only: replay more years (--period) or a scenario with fee-for-service only`);
  }
  const s: ScenarioFile = structuredClone({ ...s0, horizon: { startYear: years[h], years: years.length - h }, replications, seed, uncertainty: [], sensitivity: undefined });
  if (s0.uncertainty.length) notes.push(`the scenario's ${s0.uncertainty.length} uncertain parameters are not drawn in a replay (the claims are what happened); the bootstrap gives the sampling uncertainty`);
  const behaviour = s0.paymentModels.filter((m) => 'behaviour' in m && m.behaviour && Object.keys(m.behaviour).length > 0).map((m) => m.name);
  if (behaviour.length) notes.push(`provider behaviour of ${behaviour.join(', ')} is not applied in a replay: every model pays the recorded claims`);
  if (h > 0) notes.push(`${years.slice(0, h).join(', ')}: history years (paid, not reported) for the payment models that look back`);
  const issues = checkScenarioRules(s).filter((i) => i.rule.includes('no value in force'));
  if (issues.length) throw new FundcastError('ERR_DATA_PERIOD', `the scenario has no rules for the data's first month (${years[0]}-01): ${issues.map((i) => `${i.path.join('.')}: ${i.rule}`).join('; ')}`);
  return { scenario: s, horizonStart: h, notes };
}

/** Steps 2–5: region, re-adjudication, aggregation, payment, summary. */
export function runReplay(data: ReplayData, loaded: LoadedScenario, o: ReplayOptions = {}): ReplayResult {
  const t0 = performance.now();
  requireClaims(data);
  const B = o.bootstrap ?? 0;
  const seed = o.seed ?? loaded.scenario.seed;
  // The replayed region is the data's: a scale would multiply money but not the recorded people.
  if ((loaded.scenario.region.scale ?? 1) !== 1) throw new FundcastError('ERR_USAGE', `region.scale (${loaded.scenario.region.scale}) applies to synthetic regions; replay takes its people from the data (use --residents for the region's size)`);
  const { scenario: s, horizonStart, notes } = scenarioForYears(loaded.scenario, data.years, Math.max(1, B), seed);
  const years = data.years;
  const { enrollment: e, claims } = data;
  const order = claimOrder(claims.person, claims.ymd, e.n, years[0], years[years.length - 1]);
  const dr = buildDataRegion(s, e, claims, order, data.facilities, { residents: o.residents });
  notes.push(...dr.notes);
  const region = dr.region;
  const nF = region.facilities.length;
  const facOf = new Int32Array(claims.n);
  for (let i = 0; i < claims.n; i++) {
    const f = claims.offSite[i] >= 0 ? region.offSiteFacility : dr.facIndex[claims.facility[i]];
    if (f < 0) throw new Error(`claim on row ${claims.row[i]}: facility ${data.facilities.idOf(claims.facility[i])} is not in the region (a bug)`);
    facOf[i] = f;
  }
  // Conditions: the universe's bits → the scenario's condition bits.
  const conds = Object.keys(s.population.prevalence);
  const bitMap = e.universe.map((id) => conds.indexOf(id));
  const mask = new Uint8Array(e.n);
  const undeclared = new Set<string>();
  for (let p = 0; p < e.n; p++) {
    let m = 0;
    for (let b = 0; b < bitMap.length; b++) {
      if ((e.conditions[p] & (1 << b)) === 0) continue;
      if (bitMap[b] >= 0) m |= 1 << bitMap[b];
      else undeclared.add(e.universe[b]);
    }
    mask[p] = m;
  }
  if (undeclared.size) notes.push(`conditions in the data that the scenario does not declare (their patients are replayed; condition-specific rules do not apply to them): ${[...undeclared].join(', ')}`);
  const persons: PersonView = { n: e.n, home: dr.home, signedFac: dr.signedFac, designated: dr.designated, signed: e.signed, mask, from: e.from, to: e.to };
  const kp = compileKernelParams(s, years);
  // The payment models' claim figures, accumulated per admission as the kernel does.
  const figures = uniqueFigures(s.paymentModels.map((m) => plugin(m.type).claimFigures?.(m, s, years) ?? []));
  const layout = aggLayout(figures);
  const adj = adjudicateClaims(kp, claims, order, facOf, persons, nF, figures);
  const aggSize = years.length * nF * layout.nm;
  // Restatements the payment models ask for (capitation's benefit-change adjustment): the recorded
  // claims of a base year re-adjudicated under the rules of the year paid.
  const variants: UtilizationVariant[] = [{ key: 'base', kp }];
  const modelVariant = s.paymentModels.map(() => 0);
  const restated = addRestatements(s, years, horizonStart, variants, modelVariant);
  const restatedAdj = variants.slice(1).map((v) => adjudicateClaims(v.kp, claims, order, facOf, persons, nF, figures));
  const c: Compiled = {
    scenario: s,
    region,
    years,
    horizonStart,
    horizonYears: years.slice(horizonStart),
    kp,
    variants,
    modelVariant,
    layout,
    figures,
    aggSize,
    paymentFirstYear: paymentFirstYear(s, region, years.length, horizonStart, modelVariant, variants.length),
    paymentEndYear: new Int32Array(variants.length * region.blocks.length).fill(years.length),
    restated,
  };
  const models = s.paymentModels.map((m) => paymentModel(m, s, region));
  /** Every variant's aggregates, one after another (as the simulation lays them out), each person counted `w` times. */
  const allAgg = (w?: Int32Array) => {
    const all = new Float64Array(variants.length * aggSize);
    all.set(accumulate(adj, claims, persons, kp.longRxDays, layout, w), 0);
    restatedAdj.forEach((a, i) => all.set(accumulate(a, claims, persons, kp.longRxDays, layout, w), (i + 1) * aggSize));
    return all;
  };
  const observedAll = allAgg();
  const observedAgg = observedAll.subarray(0, aggSize);
  const observed = settleReplication(c, models, 0, observedAll);
  const replications: ReplicationResult[] = [];
  if (B > 0) {
    for (let r = 0; r < B; r++) {
      const w = bootstrapWeights(seed, r, adj.active, e.n);
      replications.push(settleReplication(c, models, r, allAgg(w)));
      o.onProgress?.(r + 1, B);
    }
  } else replications.push(observed);

  // Reconciliation by facility and month.
  const reconciliation: ReconciliationRow[] = [];
  let recorded = 0;
  let replayed = 0;
  let cost = 0;
  for (let f = 0; f < nF; f++) {
    const fac = region.facilities[f];
    for (let m = 0; m < adj.nMonths; m++) {
      const k = (f * adj.nMonths + m) * REC_FIELDS;
      if (adj.rec[k] === 0) continue;
      reconciliation.push({
        facility: fac.id,
        tier: fac.offSite ? 'offSite' : fac.city ? 'city' : fac.pharmacy ? 'pharmacy' : fac.tier,
        month: `${years[Math.floor(m / 12)]}-${String((m % 12) + 1).padStart(2, '0')}`,
        claims: adj.rec[k],
        recordedFen: adj.rec[k + 1],
        replayedFen: adj.rec[k + 2],
      });
      recorded += adj.rec[k + 1];
      replayed += adj.rec[k + 2];
      cost += adj.rec[k + 3];
    }
  }
  const summary = summarize(replications, s.risk);
  const run: RunResult = {
    scenario: s,
    hash: scenarioHash(s),
    replications,
    summary,
    checks: runChecks(s, replications),
    wallSeconds: (performance.now() - t0) / 1000,
    workers: 1,
    facilities: region.facilities.map((f) => ({
      id: f.id,
      name: f.name,
      tier: f.offSite ? 'offSite' : f.tier,
      county: f.county >= 0 ? region.counties[f.county].id : null,
      community: f.community >= 0 ? region.communities[f.community].id : null,
    })),
  };
  return {
    run,
    region: dr,
    adjudicated: adj,
    reconciliation,
    totals: { claims: claims.n, recordedFundFen: recorded, replayedFundFen: replayed, differenceFen: replayed - recorded, costFen: cost },
    observed,
    observedAgg,
    notes,
    bootstrap: B,
    seed,
  };
}

/** reconciliation.csv: per facility × month, the recorded fund paid and the re-adjudicated fund share (yuan). */
export function reconciliationCsv(rows: ReconciliationRow[]): string {
  const y2 = (fen: number) => (Math.round(fen) / 100).toFixed(2);
  let s = csvLine(['facility', 'tier', 'month', 'claims', 'recorded_fund', 'replayed_fund', 'difference']);
  for (const r of rows) s += csvLine([r.facility, r.tier, r.month, r.claims, y2(r.recordedFen), y2(r.replayedFen), y2(r.replayedFen - r.recordedFen)]);
  return s;
}

/** Step 6: reconciliation.csv and replay.json, then the files of `fundcast run` (run.json last). */
export function writeReplayResults(dir: string, res: ReplayResult, data: ReplayData, scenarioFiles: string[], csvEncoding: CsvEncoding = 'utf-8'): string[] {
  const files: string[] = [];
  const p1 = join(dir, 'reconciliation.csv');
  writeFileAtomic(p1, encodeCsv(reconciliationCsv(res.reconciliation), csvEncoding));
  files.push(p1);
  const observedYears = res.observed.models[0].years.map((y) => ({ year: y.year, fundOutlay: fenToYuan(y.fundOutlayFen), claimsFund: fenToYuan(y.claimsFundFen), totalCost: fenToYuan(y.costFen), patients: y.patients, visits: y.visits, admissions: y.admissions }));
  const replayJson = {
    inputs: data.sources,
    rows: Object.fromEntries(Object.entries(data.logs).filter(([, l]) => l).map(([k, l]) => [k, l!.counts()])),
    period: { years: data.years, horizon: res.run.summary.years, claimDates: data.claims.n ? { first: ymdText(data.claims.minYmd), last: ymdText(data.claims.maxYmd) } : null },
    bootstrap: res.bootstrap ? { replicates: res.bootstrap, seed: res.seed, resampled: 'patients with replacement', patients: res.adjudicated.active.length } : null,
    reconciliation: {
      claims: res.totals.claims,
      recordedFund: fenToYuan(res.totals.recordedFundFen),
      replayedFund: fenToYuan(res.totals.replayedFundFen),
      difference: fenToYuan(res.totals.differenceFen),
      note: "replayed = the fund share of each claim re-adjudicated under the scenario's benefit rules (fee-for-service); difference = replayed − recorded",
    },
    observed: { model: res.observed.models[0].name, years: observedYears },
    region: {
      counties: res.region.region.counties,
      communities: res.region.region.communities.map((c) => ({ id: c.id, county: res.region.region.counties[c.county]?.id ?? null, lead: res.region.region.facilities[c.lead].id, townships: c.townships.length, villages: c.villages.length })),
      facilities: res.region.region.facilities.length,
      cityHospitals: res.region.region.cityHospitals.length,
    },
    tiers: DATA_TIERS,
    notes: res.notes,
  };
  const p2 = join(dir, 'replay.json');
  writeFileAtomic(p2, JSON.stringify(replayJson, null, 2) + '\n');
  files.push(p2);
  files.push(...writeResults(dir, res.run, { scenarioFiles, csvEncoding }));
  return files;
}
