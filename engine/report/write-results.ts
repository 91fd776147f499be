/**
 * The run's files: summary.json (distributions per model × year, per tier), replications.csv (one
 * row per replication × year × model) and run.json (what was run: scenario hash, seed, version,
 * replications, workers, wall time). All amounts in yuan.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { csvTable, encodeCsv, type CsvEncoding } from '../csv/write.ts';
import { packageRoot } from '../params/load.ts';
import { TIER_GROUPS } from '../ledger/results.ts';
import { stagesOf } from '../payment/registry.ts';
import { checkSummary, SUMMARY_SCHEMA_VERSION } from '../run/summary-schema.ts';
import type { RunResult } from '../run/run-scenario.ts';
import { describe } from '../risk/describe.ts';
import { writeFileAtomic } from './atomic.ts';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** One row per replication × year × model. */
export function replicationRows(r: RunResult): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  // The v0.2 stage columns always, then those of any further payment model in the run.
  const stages = stagesOf(r.replications[0]?.models.map((m) => m.type) ?? []);
  const y2 = (fen: number) => Math.round(fen) / 100; // exact yuan with 2 decimals (fen are integers)
  for (const rep of r.replications) {
    for (const m of rep.models) {
      for (const y of m.years) {
        const row: Record<string, string | number> = {
          replication: rep.replication,
          year: y.year,
          model: m.name,
          fund_outlay: y2(y.fundOutlayFen),
          patient_oop: y2(y.patientFen),
          total_cost: y2(y.costFen),
          claims_fund: y2(y.claimsFundFen),
          op_fund: y2(y.opFundFen),
          ip_fund: y2(y.ipFundFen),
          visits: y.visits,
          admissions: y.admissions,
          patients: y.patients,
          patients_at_cap: y.capReached,
          new_patients: y.cohort.newPatients,
          deaths: y.cohort.deaths,
          leavers: y.cohort.leavers,
          mean_age: y.patients > 0 ? Math.round((y.cohort.ageSum / y.patients) * 1000) / 1000 : 0,
        };
        for (const t of TIER_GROUPS) {
          row[`fund_${t}`] = y2(y.byTier[t].fundFen);
          row[`oop_${t}`] = y2(y.byTier[t].patientFen);
          row[`cost_${t}`] = y2(y.byTier[t].costFen);
        }
        for (const st of stages) row[`stage_${snake(st)}`] = y2(y.outlayByStage[st] ?? 0);
        Object.assign(row, {
          enrollees: y.ledger.enrollees,
          income: y2(y.ledger.incomeFen),
          budget: y2(y.ledger.budgetFen),
          opening_balance: y2(y.ledger.openingBalanceFen),
          closing_balance: y2(y.ledger.closingBalanceFen),
          reserve_months: Number.isFinite(y.ledger.reserveMonths) ? Math.round(y.ledger.reserveMonths * 1000) / 1000 : String(y.ledger.reserveMonths),
          reserve_reading: y.ledger.reading,
        });
        for (const [k, v] of Object.entries(rep.parameters ?? {})) row[`param:${k}`] = v;
        rows.push(row);
      }
    }
  }
  return rows;
}

export interface RunMeta {
  scenarioFiles: string[];
  /** Also write facility-results.csv (per model × year × facility). */
  byFacility?: boolean;
  /** More about how the run was made, added to run.json (a merge lists its shards, a queue run its queue). */
  runInfo?: Record<string, unknown>;
  /** Encoding of the CSV files (default UTF-8; gbk for Excel on Chinese Windows). */
  csvEncoding?: CsvEncoding;
}

/** Per model × year × facility: the fund's payment across replications (yuan). */
export function facilityRows(r: RunResult): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  const reps = r.replications;
  reps[0].models.forEach((m, mi) => {
    m.years.forEach((y, yi) => {
      r.facilities.forEach((f, fi) => {
        const xs = reps.map((rep) => rep.models[mi].years[yi].fundToFacilityFen[fi] / 100);
        const d = describe(xs);
        rows.push({ model: m.name, year: y.year, facility: f.id, tier: f.tier, community: f.community ?? '', fund_payment_mean: round2(d.mean), fund_payment_p5: round2(d.p5), fund_payment_p95: round2(d.p95) });
      });
    });
  });
  return rows;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function writeResults(dir: string, r: RunResult, meta: RunMeta): string[] {
  const csv = (rows: Record<string, string | number | null | undefined>[]) => encodeCsv(csvTable(rows), meta.csvEncoding);
  const summary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: { name: r.scenario.name, title: r.scenario.title ?? null, hash: r.hash },
    seed: r.scenario.seed,
    ...r.summary,
    openingBalance: r.checks.openingBalance,
    warnings: r.checks.warnings,
  };
  checkSummary(summary); // what users' scripts read is what the schema says
  const run = {
    scenario: r.scenario.name,
    scenarioHash: r.hash,
    scenarioFiles: meta.scenarioFiles,
    seed: r.scenario.seed,
    replications: r.scenario.replications,
    years: r.summary.years,
    paymentModels: r.scenario.paymentModels.map((m) => m.name),
    workers: r.workers,
    wallSeconds: Math.round(r.wallSeconds * 1000) / 1000,
    fundcastVersion: packageVersion(),
    csvEncoding: meta.csvEncoding ?? 'utf-8',
    node: process.version,
    finishedAt: new Date().toISOString(),
    ...meta.runInfo,
  };
  const files = {
    'summary.json': JSON.stringify(summary, null, 2) + '\n',
    'replications.csv': csv(replicationRows(r)),
    'facilities.csv': csv(r.facilities.map((f) => ({ ...f, county: f.county ?? '', community: f.community ?? '' }))),
    'scenario.json': JSON.stringify(r.scenario, null, 2) + '\n',
    ...(meta.byFacility ? { 'facility-results.csv': csv(facilityRows(r)) } : {}),
    'run.json': JSON.stringify(run, null, 2) + '\n',
  };
  // run.json last: its presence marks a complete result set.
  return Object.entries(files).map(([name, text]) => {
    const p = join(dir, name);
    writeFileAtomic(p, text);
    return p;
  });
}


/** camelCase → snake_case (stage names → replications.csv columns). */
function snake(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
