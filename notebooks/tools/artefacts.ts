/**
 * The files each notebook must write into `out/<notebook>/` (or $FUNDCAST_NOTEBOOK_OUT/<notebook>/),
 * and how to check them: every chart is a vega-lite spec that compiles and carries data, every table
 * is a CSV with a header and rows (and the same rows as JSON), and a few facts per notebook that
 * its question depends on. `npm run notebooks:check` and test/notebooks/ use this list; a notebook
 * without an entry here fails the check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface Expected {
  /** `<name>.vl.json` */
  charts: string[];
  /** `<name>.csv` and `<name>.json` */
  tables: string[];
  /** `<name>.json` */
  json: string[];
  /** Other files, by full name (must exist and not be empty). */
  files?: string[];
  /** Facts the notebook's answer depends on; returns problems (empty when fine). */
  verify?: (dir: string) => string[];
}

type Row = Record<string, unknown>;
const rows = (dir: string, table: string): Row[] => JSON.parse(readFileSync(join(dir, `${table}.json`), 'utf8')) as Row[];
const problem = (ok: boolean, what: string): string[] => (ok ? [] : [what]);

export const EXPECTED: Record<string, Expected> = {
  'capitation-pilot': {
    charts: ['per-capita-amount', 'settlement-by-party', 'gains-losses-vs-ffs'],
    tables: ['setup', 'per-capita', 'settlement-by-party', 'overspend-risk', 'gains-losses-vs-ffs'],
    json: ['run'],
    verify(dir) {
      const pc = rows(dir, 'per-capita');
      const risk = rows(dir, 'overspend-risk');
      return [
        ...problem(pc.length > 0 && pc.every((r) => (r.perCapita as number) > 0 && (r.actualPerHead as number) > 0), 'per-capita: every per-capita amount and actual cost per head is > 0'),
        ...problem(risk.length === 2 && risk.every((r) => (r.probabilityOverspend as number) >= 0 && (r.probabilityOverspend as number) <= 1), 'overspend-risk: one row per capitation model, probabilities in [0, 1]'),
      ];
    },
  },
  'fund-forecast': {
    charts: ['outlay-fan', 'reserve-months', 'ruin-probability', 'outlay-distribution', 'sensitivity-tornado'],
    tables: ['uncertain-parameters', 'parameter-draws', 'forecast-by-year', 'risk', 'sensitivity'],
    json: ['run'],
    verify(dir) {
      const years = rows(dir, 'forecast-by-year');
      const sens = rows(dir, 'sensitivity');
      const risk = rows(dir, 'risk');
      const ruin = risk.find((r) => String(r.measure).startsWith('ruin'));
      return [
        ...problem(years.length === 5, 'forecast-by-year: five years'),
        ...problem(years.every((y) => (y.outlayP5Wan as number) <= (y.outlayP50Wan as number) && (y.outlayP50Wan as number) <= (y.outlayP95Wan as number)), 'forecast-by-year: P5 ≤ P50 ≤ P95'),
        ...problem(sens.length >= 2 && sens.every((r, i) => i === 0 || (sens[i - 1].swingWan as number) >= (r.swingWan as number)), 'sensitivity: rows sorted by swing, widest first'),
        ...problem(ruin !== undefined && (ruin.valueWan as number) >= 0 && (ruin.valueWan as number) <= 1, 'risk: a ruin probability in [0, 1]'),
      ];
    },
  },
  'payment-comparison': {
    charts: ['fund-outlay-by-model', 'paired-differences', 'revenue-by-tier', 'point-value', 'inflation-who-gains'],
    tables: ['models', 'outlay-by-model', 'paired-differences', 'revenue-by-tier', 'point-value', 'inflation-vs-points'],
    json: ['run'],
    verify(dir) {
      const pv = rows(dir, 'point-value');
      const at = (model: string) => pv.filter((r) => r.model === model);
      const base = at('points');
      const infl = at('points-hospitals-inflate');
      const all = at('points-all-inflate');
      const uniform = rows(dir, 'inflation-vs-points').filter((r) => r.model === 'points-all-inflate');
      return [
        ...problem(base.length > 0 && base.length === infl.length && infl.length === all.length, 'point-value: each points model in every year'),
        ...problem(base.every((b, i) => (infl[i].pointValueFinal as number) < (b.pointValueFinal as number) && (all[i].pointValueFinal as number) < (b.pointValueFinal as number)), 'point-value: inflation lowers the final point value every year'),
        ...problem(uniform.length > 0 && uniform.every((r) => Math.abs(r.meanWan as number) < 0.01), 'inflation-vs-points: a uniform inflation changes no one\'s revenue'),
      ];
    },
  },
  'replay-and-calibrate': {
    charts: ['reconciliation', 'calibration-recovery', 'forecast'],
    tables: ['rows', 'reconciliation-totals', 'reconciliation-by-month', 'replayed-outlay', 'calibration-recovery', 'forecast'],
    json: ['run'],
    files: ['calibrated.yaml', 'reconciliation-by-facility.csv'],
    verify(dir) {
      const totals = rows(dir, 'reconciliation-totals')[0] ?? {};
      const recovery = rows(dir, 'calibration-recovery');
      const yaml = readFileSync(join(dir, 'calibrated.yaml'), 'utf8');
      return [
        // scenarios/data/ is generated from demo-county.yaml: replaying it under that scenario reconciles exactly.
        ...problem(Math.abs(totals.differenceYuan as number) < 0.005 && (totals.claims as number) > 0, 'reconciliation-totals: the demonstration claims reconcile to a difference of 0'),
        ...problem(recovery.length > 0 && recovery.every((r) => Number.isFinite(r.ratio)), 'calibration-recovery: a finite ratio for every fitted number'),
        ...problem(/^fundcast: 1$/m.test(yaml) && /^extends: /m.test(yaml), 'calibrated.yaml: a scenario fragment that extends a base scenario'),
      ];
    },
  },
};

/** Fields of one CSV line (RFC 4180 quoting). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Whether a vega-lite spec (or one of its layers / facet spec) carries inline data values. */
function hasData(spec: Record<string, unknown>): boolean {
  const values = (spec.data as { values?: unknown[] } | undefined)?.values;
  if (Array.isArray(values) && values.length > 0) return true;
  const layers = (spec.layer as Record<string, unknown>[] | undefined) ?? [];
  if (layers.some(hasData)) return true;
  const inner = spec.spec as Record<string, unknown> | undefined;
  return inner !== undefined && hasData(inner);
}

/** Problems with the files of `notebook` in `dir` (empty when every expected file is there and sound). */
export function checkArtefacts(notebook: string, dir: string): string[] {
  const exp = EXPECTED[notebook];
  if (!exp) return [`${notebook}: no entry in notebooks/tools/artefacts.ts (declare the files it writes)`];
  const problems: string[] = [];
  const need = (file: string): string | undefined => {
    const p = join(dir, file);
    if (!existsSync(p)) {
      problems.push(`${notebook}: ${file} was not written`);
      return undefined;
    }
    return readFileSync(p, 'utf8');
  };
  const parse = (file: string, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      problems.push(`${notebook}: ${file} is not JSON (${(e as Error).message})`);
      return undefined;
    }
  };
  for (const c of exp.charts) {
    const file = `${c}.vl.json`;
    const text = need(file);
    if (text === undefined) continue;
    const spec = parse(file, text) as Record<string, unknown> | undefined;
    if (!spec) continue;
    if (!hasData(spec)) problems.push(`${notebook}: ${file} has no data values`);
    try {
      compile(spec as unknown as TopLevelSpec);
    } catch (e) {
      problems.push(`${notebook}: ${file} does not compile with vega-lite: ${(e as Error).message}`);
    }
  }
  for (const t of exp.tables) {
    const csv = need(`${t}.csv`);
    const json = need(`${t}.json`);
    if (csv === undefined || json === undefined) continue;
    const lines = csv.trimEnd().split('\n');
    const header = csvFields(lines[0] ?? '');
    if (lines.length < 2) problems.push(`${notebook}: ${t}.csv has no rows`);
    lines.slice(1).forEach((l, i) => {
      if (csvFields(l).length !== header.length) problems.push(`${notebook}: ${t}.csv line ${i + 2} has ${csvFields(l).length} fields, the header ${header.length}`);
    });
    if (/\b(NaN|undefined)\b/.test(csv)) problems.push(`${notebook}: ${t}.csv holds NaN or undefined`);
    const arr = parse(`${t}.json`, json);
    if (arr !== undefined && (!Array.isArray(arr) || arr.length !== lines.length - 1)) problems.push(`${notebook}: ${t}.json is not an array of the CSV's ${lines.length - 1} rows`);
  }
  for (const j of exp.json) {
    const text = need(`${j}.json`);
    if (text !== undefined) parse(`${j}.json`, text);
  }
  for (const f of exp.files ?? []) {
    const text = need(f);
    if (text !== undefined && text.trim() === '') problems.push(`${notebook}: ${f} is empty`);
  }
  if (problems.length === 0 && exp.verify) {
    try {
      problems.push(...exp.verify(dir).map((p) => `${notebook}: ${p}`));
    } catch (e) {
      problems.push(`${notebook}: checking its results failed: ${(e as Error).message}`);
    }
  }
  return problems;
}
