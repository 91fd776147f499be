/**
 * Read a run directory (what `fundcast run --out DIR` wrote) into {@link ReportData}. summary.json
 * is required; every other file is optional and its section of the report is left out without it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import iconv from 'iconv-lite';
import { FundcastError } from '../errors.ts';
import type { FacilityResultRow, FacilityRow, ReplicationRow, ReportData, ReportSummary, RunInfo } from './run-data.ts';

const notRunDir = (dir: string, why: string) =>
  new FundcastError('ERR_REPORT_INPUT', `${dir} is not a fundcast run directory: ${why} (write one with \`fundcast run --out ${dir}\`)`);

function readJson(dir: string, name: string, required: boolean): unknown {
  const p = join(dir, name);
  if (!existsSync(p)) {
    if (required) throw notRunDir(dir, `${name} is missing`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new FundcastError('ERR_REPORT_INPUT', `cannot read ${p}: ${(e as Error).message}`);
  }
}

/** A CSV's rows as strings (no type guessing: facility names and ids stay text), in the run's CSV encoding. */
function readCsv(dir: string, name: string, encoding: string): Record<string, string>[] | undefined {
  const p = join(dir, name);
  if (!existsSync(p)) return undefined;
  const bytes = readFileSync(p);
  return fromCSV(encoding === 'gbk' ? iconv.decode(bytes, 'gbk') : bytes.toString('utf8'), { autoType: false }).objects() as Record<string, string>[];
}

export function loadRunDir(dir: string): ReportData {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw notRunDir(dir, 'no such directory');
  const summary = readJson(dir, 'summary.json', true) as ReportSummary;
  if (!summary || !Array.isArray(summary.models) || !Array.isArray(summary.years)) throw notRunDir(dir, 'summary.json has no models or years');
  const run = readJson(dir, 'run.json', false) as RunInfo | undefined;
  const enc = run?.csvEncoding ?? 'utf-8';
  const replications: ReplicationRow[] | undefined = readCsv(dir, 'replications.csv', enc)?.map((r) => ({
    replication: Number(r.replication),
    year: Number(r.year),
    model: r.model,
    fundOutlay: Number(r.fund_outlay),
  }));
  const facilities = readCsv(dir, 'facilities.csv', enc) as FacilityRow[] | undefined;
  const facilityResults: FacilityResultRow[] | undefined = readCsv(dir, 'facility-results.csv', enc)?.map((r) => ({
    model: r.model,
    year: Number(r.year),
    facility: r.facility,
    tier: r.tier,
    fundPaymentMean: Number(r.fund_payment_mean),
  }));
  return {
    summary,
    scenario: readJson(dir, 'scenario.json', false) as Record<string, unknown> | undefined,
    run,
    replications,
    facilities,
    facilityResults,
  };
}
