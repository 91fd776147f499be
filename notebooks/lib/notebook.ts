/**
 * What fundcast's notebooks share (Deno Jupyter kernel):
 *
 * - `Artefacts`: show a vega-lite chart inline — as a vega-lite MIME bundle, with an SVG rendering of
 *   the same spec beside it for frontends without a vega-lite renderer (the classic Notebook, static
 *   HTML) — and write it to `out/<notebook>/<name>.vl.json`; show a table and write it as CSV and JSON.
 *   Files are written under a temporary name and renamed, like every fundcast output.
 * - `editScenario`, `shrinkRegion`, `setParameter`: change a scenario as data and validate it again
 *   through the public API (`parseScenarioText`), so a notebook can run a smaller region or a what-if.
 * - `oneWaySensitivity`: the low/high runs of a scenario's `sensitivity` section (a tornado's data).
 *
 * fundcast is imported only through its public API, `engine/index.ts`. `FUNDCAST_NOTEBOOK_OUT`
 * moves the output folder (the headless check writes into a temporary one).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { parseScenarioText, runScenario, type LoadedScenario, type ReplicationResult, type RunOptions, type ScenarioFile } from '../../engine/index.ts';

// ─── display ────────────────────────────────────────────────────────────────────────────────────

type Bundle = Record<string, unknown>;
type Jupyter = { display(obj: unknown, opts?: { raw?: boolean }): Promise<void> };
/** Deno.jupyter inside the kernel; undefined under `deno run` (where reading it throws). */
const jupyter: Jupyter | undefined = (() => {
  try {
    // deno-lint-ignore no-explicit-any
    return (globalThis as any).Deno?.jupyter as Jupyter | undefined;
  } catch {
    return undefined;
  }
})();

/**
 * Show a MIME bundle in the notebook (outside Jupyter, print its text). The kernel publishes a
 * display asynchronously; a display sent just before a cell ends can arrive after the kernel has
 * said it is idle, and a headless run then drops it. A short pause lets it go out first.
 */
export async function display(bundle: Bundle): Promise<void> {
  if (!jupyter) {
    console.log(String(bundle['text/plain'] ?? ''));
    return;
  }
  await jupyter.display(bundle, { raw: true });
  await new Promise((resolve) => setTimeout(resolve, DISPLAY_PAUSE_MS));
}

const DISPLAY_PAUSE_MS = 50;

/** Show Markdown (with a plain-text copy). */
export function markdown(text: string): Promise<void> {
  return display({ 'text/markdown': text, 'text/plain': text });
}

/** A vega-lite spec (v5 schema: what Jupyter's vega-lite renderers read). */
export type Spec = Record<string, unknown>;

const LOOK = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  background: 'white',
  padding: 10,
  config: {
    font: 'DejaVu Sans, Noto Sans CJK SC, sans-serif',
    title: { anchor: 'start', fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555' },
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6', labelLimit: 260 },
    axisX: { labelAngle: 0 },
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
    view: { stroke: null },
  },
};

/** The spec with the notebooks' common look (fonts, sizes, white background). */
export function styled(spec: Spec): Spec {
  const config = { ...LOOK.config, ...((spec.config as object) ?? {}) };
  return { ...LOOK, ...spec, config };
}

/** The spec rendered to SVG by vega in this process (no browser, no network). */
export async function toSvg(spec: Spec): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** CSV with a header from the first row's keys; numbers as written, text quoted when needed. */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function fmtCell(column: string, v: unknown): string {
  if (typeof v !== 'number') return v === null || v === undefined ? '' : String(v);
  if (!Number.isFinite(v)) return '—';
  if (/year/i.test(column) || (Number.isInteger(v) && Math.abs(v) < 1e4)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : String(+v.toPrecision(3));
}

/** Absolute path of a file of the repository (e.g. `scenarios/data/claims.csv.gz`), whatever the kernel's folder. */
export function repoFile(path: string): string {
  return fileURLToPath(new URL(`../../${path}`, import.meta.url));
}

/** Where a notebook writes its files: `out/<notebook>/` beside the notebooks, or under $FUNDCAST_NOTEBOOK_OUT. */
export function outputRoot(): string {
  return process.env.FUNDCAST_NOTEBOOK_OUT || fileURLToPath(new URL('../out/', import.meta.url));
}

/** A notebook's charts and tables: shown inline and written to `out/<notebook>/`. */
export class Artefacts {
  readonly dir: string;
  readonly written: string[] = [];

  /** Starts from an empty folder, so no file of an earlier run is mistaken for this run's. */
  constructor(readonly notebook: string) {
    this.dir = join(outputRoot(), notebook);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  private write(file: string, text: string): void {
    atomicWrite(join(this.dir, file), text);
    if (!this.written.includes(file)) this.written.push(file);
  }

  /** Show a vega-lite chart and write `<name>.vl.json` (the spec with its data inlined). */
  async chart(name: string, spec: Spec): Promise<void> {
    const full = styled(spec);
    this.write(`${name}.vl.json`, JSON.stringify(full, null, 2) + '\n');
    const title = typeof full.title === 'string' ? full.title : ((full.title as { text?: string } | undefined)?.text ?? name);
    await display({ 'application/vnd.vegalite.v5+json': full, 'image/svg+xml': await toSvg(full), 'text/plain': `[chart ${name}: ${title}]` });
  }

  /** Show a table and write `<name>.csv` and `<name>.json`. */
  async table(name: string, rows: Record<string, unknown>[], caption?: string): Promise<void> {
    this.write(`${name}.csv`, toCsv(rows));
    this.write(`${name}.json`, JSON.stringify(rows, null, 2) + '\n');
    const cols = rows.length ? Object.keys(rows[0]) : [];
    const html =
      (caption ? `<p><b>${esc(caption)}</b></p>` : '') +
      `<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>` +
      rows.map((r) => `<tr>${cols.map((c) => `<td style="text-align:${typeof r[c] === 'number' ? 'right' : 'left'}">${esc(fmtCell(c, r[c]))}</td>`).join('')}</tr>`).join('') +
      '</tbody></table>';
    const text = [caption ?? name, cols.join('\t'), ...rows.map((r) => cols.map((c) => fmtCell(c, r[c])).join('\t'))].join('\n');
    await display({ 'text/html': html, 'text/plain': text });
  }

  /** Write `<name>.json` (not shown). */
  json(name: string, value: unknown): void {
    this.write(`${name}.json`, JSON.stringify(value, null, 2) + '\n');
  }

  /** Write a text file as it is (e.g. a scenario fragment, `<name>.yaml`); not shown. */
  text(file: string, content: string): void {
    this.write(file, content);
  }
}

// ─── numbers ────────────────────────────────────────────────────────────────────────────────────

/** Yuan → 万元 (10k yuan), rounded to the yuan. */
export const wan = (yuan: number): number => Math.round(yuan) / 1e4;

/** Round to `d` decimals. */
export const round = (x: number, d = 0): number => Math.round(x * 10 ** d) / 10 ** d;

/** A number for text: thousands separators, at most `d` decimals. */
export const num = (x: number, d = 1): string => x.toLocaleString('en-US', { maximumFractionDigits: d });

/** A signed number for text: "+1,234.5", "−12" (a true minus sign), "0". */
export const signed = (x: number, d = 1): string => (x > 0 ? '+' : x < 0 ? '−' : '') + num(Math.abs(x), d);

/** A share as a percentage with one decimal, e.g. "12.5%". */
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

// ─── scenarios as data ──────────────────────────────────────────────────────────────────────────

/** A dated parameter as it appears in a scenario: a unit, a source and a value or dated values. */
interface Dated {
  unit: string;
  source?: string;
  value?: unknown;
  values?: Record<string, unknown>;
}

const isDated = (x: unknown): x is Dated => x !== null && typeof x === 'object' && 'unit' in x && ('value' in x || 'values' in x);

/**
 * A copy of the scenario changed by `edit`, validated again by fundcast (every schema rule and
 * cross-check, as for a file): an edit that breaks a rule throws fundcast's own error.
 */
export function editScenario(base: LoadedScenario | ScenarioFile, edit: (s: ScenarioFile) => void, label = 'notebook edit'): LoadedScenario {
  const s = structuredClone('scenario' in base ? base.scenario : base);
  edit(s);
  return parseScenarioText(JSON.stringify(s), `<${label}>`);
}

/**
 * A smaller copy of the region, for runs that fit a notebook: keep only the `counties` named (all by
 * default), multiply their residents and the residents per township centre by `factor` (so the same
 * facility structure serves fewer people), and scale the fund's opening balance to the residents
 * kept, so that reserve months and ruin probabilities mean what they mean for the whole region.
 * Amounts then scale with residents; shares, per-head amounts and reserve months do not.
 */
export function shrinkRegion(s: ScenarioFile, factor: number, counties?: string[]): void {
  const total = s.region.counties.reduce((a, c) => a + c.residents, 0);
  if (counties) {
    const missing = counties.filter((id) => !s.region.counties.some((c) => c.id === id));
    if (missing.length) throw new RangeError(`no county ${missing.join(', ')} in the scenario`);
    s.region.counties = s.region.counties.filter((c) => counties.includes(c.id));
  }
  for (const c of s.region.counties) c.residents = Math.round(c.residents * factor);
  s.region.residentsPerTownship = Math.max(1000, Math.round(s.region.residentsPerTownship * factor));
  const kept = s.region.counties.reduce((a, c) => a + c.residents, 0);
  scaleDated(s.financing.openingBalance as unknown as Dated, kept / total);
}

function scaleDated(p: Dated, f: number): void {
  if (p.values) for (const k of Object.keys(p.values)) p.values[k] = Math.round((p.values[k] as number) * f);
  else p.value = Math.round((p.value as number) * f);
}

/**
 * Set (apply = 'value') or scale (apply = 'factor') the number at `path` in every dated value of
 * the parameter: `utilization.costTrend`, `benefits.ratio.hospital` (a number inside a dated value),
 * `paymentModels.<name>.trendFactor`. The same addressing as a scenario's `uncertainty` and
 * `sensitivity` sections.
 */
export function setParameter(s: ScenarioFile, path: string, x: number, apply: 'value' | 'factor' = 'value'): void {
  const segs = path.split('.');
  let node: unknown = s;
  let i = 0;
  for (; i < segs.length && !isDated(node); i++) {
    const seg = segs[i];
    if (Array.isArray(node)) node = node.find((e) => e?.name === seg) ?? node[Number(seg)];
    else node = (node as Record<string, unknown> | null)?.[seg];
    if (node === undefined) throw new RangeError(`${path}: "${segs.slice(0, i + 1).join('.')}" is not in the scenario`);
  }
  if (!isDated(node)) throw new RangeError(`${path} is not a dated parameter`);
  const inner = segs.slice(i);
  const upd = (v: unknown): unknown => {
    if (inner.length === 0) return apply === 'value' ? x : scaleAny(v, x);
    let o = v as Record<string, unknown>;
    for (const k of inner.slice(0, -1)) o = o[k] as Record<string, unknown>;
    const k = inner[inner.length - 1];
    if (typeof o?.[k] !== 'number' && apply === 'value') throw new RangeError(`${path} does not address a number`);
    o[k] = apply === 'value' ? x : scaleAny(o[k], x);
    return v;
  };
  const p = node;
  if (p.values) for (const d of Object.keys(p.values)) p.values[d] = upd(p.values[d]);
  else p.value = upd(p.value);
}

function scaleAny(v: unknown, f: number): unknown {
  if (typeof v === 'number') return v * f;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, scaleAny(e, f)]));
  throw new RangeError(`cannot scale ${JSON.stringify(v)}`);
}

// ─── one-way sensitivity ────────────────────────────────────────────────────────────────────────

export interface SensitivityBar {
  parameter: string;
  low: number;
  high: number;
  outputLow: number;
  outputHigh: number;
  swing: number;
}

/** The mean across replications of a sensitivity output (yuan, or months for reserve months). */
export function sensitivityOutput(reps: ReplicationResult[], model: number, output: string, year: number | 'horizon'): number {
  const per = reps.map((r) => {
    const ys = r.models[model].years;
    const pick = year === 'horizon' ? undefined : ys.find((y) => y.year === year);
    if (year !== 'horizon' && !pick) throw new RangeError(`year ${year} is not in the horizon`);
    const last = pick ?? ys[ys.length - 1];
    switch (output) {
      case 'fundOutlay':
        return (pick ? pick.fundOutlayFen : ys.reduce((a, y) => a + y.fundOutlayFen, 0)) / 100;
      case 'patientOutOfPocket':
        return (pick ? pick.patientFen : ys.reduce((a, y) => a + y.patientFen, 0)) / 100;
      case 'closingBalance':
        return last.ledger.closingBalanceFen / 100;
      case 'reserveMonths':
        return last.ledger.reserveMonths;
      default:
        throw new RangeError(`unknown sensitivity output ${output}`);
    }
  });
  return per.reduce((a, b) => a + b, 0) / per.length;
}

/**
 * One-way sensitivity analysis of the scenario's `sensitivity` section: its output (mean across
 * replications, for its model and year) with each parameter at its low and at its high value, all
 * else as in the base, on the same seed and replications (common random numbers). A parameter held
 * at a value is taken out of the uncertain ones; the others stay uncertain, drawn exactly as in the
 * base. fundcast's own runner (engine/run/sensitivity.ts, used by `fundcast run`) is not part of its
 * public API, so this is the same procedure through `runScenario`.
 */
export async function oneWaySensitivity(
  loaded: LoadedScenario,
  opts: RunOptions & { replications: number },
  onStep?: (what: string) => void,
): Promise<{ output: string; year: number | 'horizon'; model: string; base: number; replications: number; bars: SensitivityBar[] }> {
  const sens = loaded.scenario.sensitivity;
  if (!sens) throw new RangeError('the scenario has no sensitivity section');
  const model = sens.model ?? loaded.scenario.paymentModels[0].name;
  const mi = loaded.scenario.paymentModels.findIndex((m) => m.name === model);
  const run = async (edit: (s: ScenarioFile) => void, label: string) => {
    onStep?.(label);
    const sc = editScenario(loaded, (s) => {
      delete s.sensitivity;
      edit(s);
    }, label);
    const res = await runScenario(sc, { ...opts, onProgress: undefined });
    return sensitivityOutput(res.replications, mi, sens.output, sens.year);
  };
  const base = await run(() => {}, 'base');
  const bars: SensitivityBar[] = [];
  for (const p of sens.parameters) {
    const at = (v: number) =>
      run((s) => {
        s.uncertainty = s.uncertainty.filter((u) => u.parameter !== p.parameter && !u.parameter.startsWith(p.parameter + '.') && !p.parameter.startsWith(u.parameter + '.'));
        setParameter(s, p.parameter, v, p.apply);
      }, `${p.parameter} = ${v}`);
    const lo = await at(p.low);
    const hi = await at(p.high);
    bars.push({ parameter: p.parameter, low: p.low, high: p.high, outputLow: lo, outputHigh: hi, swing: Math.abs(hi - lo) });
  }
  bars.sort((a, b) => b.swing - a.swing || a.parameter.localeCompare(b.parameter));
  return { output: sens.output, year: sens.year, model, base, replications: opts.replications, bars };
}
