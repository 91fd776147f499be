/**
 * Run directories for the report tests: a tiny region paid three ways (fee-for-service, capitation,
 * points), simulated in this thread and written as `fundcast run --by-facility` writes it. Its title,
 * description and county name carry HTML so the tests can check escaping. `withRisk` and
 * `withSensitivity` add the optional summary.json sections in the shapes the report accepts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarioText } from '../../engine/params/load.ts';
import { runScenario } from '../../engine/run/run-scenario.ts';
import { writeResults } from '../../engine/report/write-results.ts';
import { capitationYaml, ffsYaml, pointsYaml } from '../helpers/payment.ts';

export const EVIL = '<script>alert(1)</script>';

export function fixtureScenarioText(models = [ffsYaml(), capitationYaml({ name: 'cap', pilotCounties: ['tiny'] }), pointsYaml()]): string {
  return `fundcast: 1
extends: wuhu-default
name: report-test
title: "Report test ${EVIL} 区"
description: "closes a script: </script><!-- and & \\" ' too"
seed: 20250403
replications: 4
horizon: { startYear: 2025, years: 3 }
region:
  residentsPerTownship: 10000
  counties:
    - { id: tiny, name: "${EVIL}县", residents: 30000, urbanShare: 0.5 }
paymentModels:
${models.join('\n')}
`;
}

/** A fresh run directory (under `parent`, or a new temporary one). */
export async function makeRunDir(parent?: string, models?: string[]): Promise<string> {
  const dir = parent ?? mkdtempSync(join(tmpdir(), 'fundcast-report-'));
  mkdirSync(dir, { recursive: true });
  const loaded = parseScenarioText(fixtureScenarioText(models), '<report-test>');
  const result = await runScenario(loaded, { workers: 1 });
  writeResults(dir, result, { scenarioFiles: ['<report-test>'], byFacility: true });
  return dir;
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

type Json = { [key: string]: unknown };
type SummaryJson = { models: Json[]; sensitivity?: unknown };

function editSummary(dir: string, edit: (s: SummaryJson) => void): void {
  const p = join(dir, 'summary.json');
  const s = JSON.parse(readFileSync(p, 'utf8')) as SummaryJson;
  edit(s);
  writeFileSync(p, JSON.stringify(s, null, 2));
}

/** Risk sections: the planned shape (plain numbers) on the first model, the richer object shape on the rest. */
export function riskSection(i: number, totals: number[]): Json {
  const sorted = [...totals].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const levels = ['0.95', '0.99', '0.995'];
  const est = (v: number) => (i === 0 ? v : { value: v, se: 1, reliable: false, note: 'few replications' });
  return {
    horizon: {
      outlay: {
        mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
        var: Object.fromEntries(levels.map((l) => [l, est(q(Number(l)))])),
        tvar: Object.fromEntries(levels.map((l) => [l, est(sorted[sorted.length - 1])])),
      },
      ...(i === 0 ? {} : { ruin: { value: 0, se: 0 } }),
    },
  };
}

export function withRisk(dir: string): void {
  const rows = readFileSync(join(dir, 'replications.csv'), 'utf8').trim().split('\n');
  const head = rows[0].split(',');
  const [ri, mi, fi] = ['replication', 'model', 'fund_outlay'].map((c) => head.indexOf(c));
  const totals = new Map<string, Map<string, number>>();
  for (const line of rows.slice(1)) {
    const cols = line.split(',');
    const m = totals.get(cols[mi]) ?? new Map<string, number>();
    m.set(cols[ri], (m.get(cols[ri]) ?? 0) + Number(cols[fi]));
    totals.set(cols[mi], m);
  }
  // the horizon's VaR/TVaR in the accepted shapes; the engine's run-out answer and yearly probabilities kept
  editSummary(dir, (s) =>
    s.models.forEach((m, i) => {
      const engine = (m.risk ?? {}) as Json;
      m.risk = { ...riskSection(i, [...(totals.get(String(m.name))?.values() ?? [])]), runOut: engine.runOut, byYear: engine.byYear };
    }),
  );
}

export const SENSITIVITY = {
  output: 'fundOutlay',
  base: 2.2e8,
  rows: [
    { parameter: 'utilization.costTrend', low: 0.01, high: 0.05, outputLow: 2.1e8, outputHigh: 2.35e8 },
    { parameter: 'benefits.deductible', low: 100, high: 300, outputLow: 2.25e8, outputHigh: 2.16e8 },
    { parameter: `population.signedShare ${EVIL}`, low: 0.5, high: 0.9, outputLow: 2.19e8, outputHigh: 2.21e8 },
  ],
};

export function withSensitivity(dir: string, sens: Json = SENSITIVITY): void {
  editSummary(dir, (s) => (s.sensitivity = sens));
}

/** Remove the optional sections (whatever the engine wrote). */
export function withoutRiskAndSensitivity(dir: string): void {
  editSummary(dir, (s) => {
    delete s.sensitivity;
    for (const m of s.models) delete m.risk;
  });
}
