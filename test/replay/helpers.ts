/** Shared fixtures for the replay tests: temporary files, small CSVs, the demonstration data. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { csvLine } from '../../engine/csv/write.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DATA = join(ROOT, 'scenarios/data');
export const DEMO = {
  scenario: join(DATA, 'demo-county.yaml'),
  enrollment: join(DATA, 'enrollment.csv'),
  claims: join(DATA, 'claims.csv.gz'),
  enrollmentGbk: join(DATA, 'enrollment-gbk.csv'),
  claimsGbk: join(DATA, 'claims-gbk.csv.gz'),
};
/** Three years (2023–2025) of the demonstration county at half its size: the back-test example. */
export const HISTORY = {
  scenario: join(DATA, 'demo-history.yaml'),
  enrollment: join(DATA, 'history-enrollment.csv'),
  claims: join(DATA, 'history-claims.csv.gz'),
};

/** A temporary directory, removed by the returned function. */
export function tmp(prefix = 'fundcast-replay-'): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export function csv(rows: (string | number)[][]): string {
  return rows.map((r) => csvLine(r)).join('');
}

export function write(dir: string, name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

export const ENROLLMENT_HEADER = ['person_id', 'birth_year', 'sex', 'county', 'township', 'village', 'residence', 'conditions', 'signed', 'signed_facility'];
export const CLAIMS_HEADER = ['claim_id', 'person_id', 'date', 'facility_id', 'facility_tier', 'claim_type', 'total_cost', 'eligible_cost', 'fund_paid', 'patient_paid', 'drug_cost', 'days_supplied', 'off_site'];

/** Three persons of a small county: rural signed at v1, urban signed at t1, unsigned. */
export const PERSONS = [
  ['P1', 1950, 'M', 'demo', 'T1', 'V1', 'rural', 'I10', 'yes', 'v1'],
  ['P2', 1960, 'F', 'demo', 'T1', 'V2', 'urban', 'E11.9;I10', 'yes', 't1'],
  ['P3', 1975, 'F', 'demo', 'T1', 'V1', 'rural', 'I15', 'no', ''],
];

/** A valid claim row: id, person, date, facility, tier, total, fund. */
export function claim(id: string, person: string, date: string, facility: string, tier: string, total: number, fund: number, extra: { type?: string; eligible?: number; drug?: number; days?: number; off?: string } = {}): (string | number)[] {
  return [id, person, date, facility, tier, extra.type ?? 'outpatient', total.toFixed(2), (extra.eligible ?? total).toFixed(2), fund.toFixed(2), (total - fund).toFixed(2), (extra.drug ?? 0).toFixed(2), extra.days ?? 0, extra.off ?? ''];
}
