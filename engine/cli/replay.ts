/**
 * `fundcast replay`: recorded enrollment and claims through the scenario's benefit rules, payment
 * models and ledger (engine/replay/). See docs/replay.md.
 */
import { statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  withOutputSet,
  type OutputSet,
  Errors,
  EXIT_USER_ERROR,
  FundcastError,
  DEFAULT_SCENARIO,
  loadScenario,
  checkRejectRates,
  loadReplayData,
  runReplay,
  writeRejects,
  writeReplayResults,
  ymdText,
} from '../index.ts';
import { intFlag, parse } from './args.ts';
import { csvEncodingFlag } from './report.ts';
import { progressBar } from './progress.ts';
import { summaryTables } from './table.ts';

export const replayHelp = `fundcast replay --enrollment FILE --claims FILE [options]

Replay recorded claims: validate every row (loaded, or written to a rejects file with its reason),
build the region from the data, re-adjudicate each patient-year's claims in date order under the
scenario's benefit rules (the rules in force in the claim's month), pay them under the scenario's
payment models, roll the ledger, and write the files of \`fundcast run\` plus reconciliation.csv.

Inputs: CSV (UTF-8 or GBK/GB18030, detected; gzip allowed), Arrow IPC or Parquet, recognised by their
content. Columns by their Chinese or English headers (docs/replay.md lists them) or a mapping file.

  --enrollment FILE      registered persons (person id, birth year/age, sex, county/township/village,
                         conditions as ICD-10 codes, signing, signed facility …)
  --claims FILE          claims (claim id, person id, date, facility id and tier, total cost,
                         eligible cost, fund paid, patient paid, drug cost, days supplied, off-site …)
  --scenario S           the rules and payment models to replay under: a scenario file or an embedded
                         name (default: ${DEFAULT_SCENARIO})
  --facilities FILE      optional facility register (id, tier, county, community, township centre,
                         lead); then a claim at a facility not in it is rejected
  --default-tier T       without a register, the tier of a facility no row states a tier for
                         (village, township, hospital, city, pharmacy); by default such claims
                         are rejected (reason unknown_facility)
  --mapping FILE         YAML/JSON mapping of fields to your headers: { claims: { fund_paid: 基金支付 } }
  --encoding ENC         encoding of CSV inputs: utf-8, gbk, gb18030, utf-16le (default: detected)
  --period Y[-Y]         calendar years replayed (e.g. 2025 or 2023-2025); claims outside are rejected
                         (default: the years the accepted claims span, printed)
  --extract-date D       the date the data were extracted (YYYY-MM-DD; default: today): without
                         --period, a claim dated after it or before 2003 is rejected (date_out_of_range)
  --residents N          residents of the region the data covers (for the ledger's income and the
                         public-health funds; default: the scenario's, see docs/replay.md)
  --bootstrap B          B bootstrap replicates: patients resampled with replacement, seeded streams;
                         the replicates are the replications of summary.json (uncertainty bands)
  --seed S               seed of the bootstrap streams (default: the scenario's)
  --max-reject-rate X    fail (exit 2) when more than this share of a file's rows is rejected
                         (default 0.01); the rejects files are written first
  --out DIR              where to write (default: out/<scenario name>-replay/)
  --csv-encoding E       encoding of the CSV files written: utf-8 (default) or gbk (Excel on Chinese
                         Windows); a character GBK cannot hold is an error naming its line
  --quiet                print only errors
  -h, --help             this help

Writes to DIR: summary.json, replications.csv, facilities.csv, scenario.json, run.json (as \`fundcast
run\`), reconciliation.csv (per facility × month: recorded fund paid, the re-adjudicated fund share
under the scenario's rules, the difference), replay.json (inputs, encodings, column mapping, row
counts by reason, region, notes), rejects-enrollment.csv and rejects-claims.csv (every rejected row
with its row number, line, reason, column, value and original fields). Amounts in yuan.
Exit 0; 2 for bad input (a file, a column, a flag, or too many rejected rows).
`;

/** `2025` or `2023-2025` → [first, last]. */
export function parsePeriod(v: string | boolean | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(\d{4})\s*(?:[-:–]\s*(\d{4}))?\s*$/.exec(String(v));
  if (!m) throw Errors.BadFlag('period', `give a year or a range of years, e.g. 2025 or 2023-2025; got "${v}"`);
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  if (a < 2000 || b > 2100 || b < a) throw Errors.BadFlag('period', `years from 2000 to 2100, first ≤ last; got "${v}"`);
  return [a, b];
}

/** `--extract-date YYYY-MM-DD` → YYYYMMDD (undefined: today). */
export function extractDateFlag(v: string | boolean | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(String(v));
  const ymd = m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : NaN;
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3]) || ymd < 20030101 || ymd > 21001231) {
    throw Errors.BadFlag('extract-date', `a date YYYY-MM-DD from 2003-01-01 to 2100-12-31, got "${v}"`);
  }
  return ymd;
}

/** `--max-reject-rate`: a share from 0 to 1. */
export function rejectRateFlag(v: string | boolean | undefined): number {
  if (v === undefined) return 0.01;
  const x = Number(String(v));
  if (!Number.isFinite(x) || x < 0 || x > 1) throw Errors.BadFlag('max-reject-rate', `a share from 0 to 1 (0.01 = 1%), got "${v}"`);
  return x;
}

/** The flags `fundcast replay` and `fundcast calibrate` share: the data files and how to read them. */
export const DATA_FLAGS = {
  enrollment: { type: 'string' },
  claims: { type: 'string' },
  scenario: { type: 'string' },
  facilities: { type: 'string' },
  'default-tier': { type: 'string' },
  mapping: { type: 'string' },
  encoding: { type: 'string' },
  period: { type: 'string' },
  'extract-date': { type: 'string' },
  residents: { type: 'string' },
  'max-reject-rate': { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

/** The data files and how to read them, from the DATA_FLAGS values. */
export function dataFiles(values: Record<string, string | boolean | undefined>): { enrollment: string; claims: string; facilities?: string; mapping?: string; encoding?: string; defaultTier?: string; extractDate?: number } {
  const opt = (k: string) => (values[k] === undefined ? undefined : String(values[k]));
  return { enrollment: String(values.enrollment), claims: String(values.claims), facilities: opt('facilities'), mapping: opt('mapping'), encoding: opt('encoding'), defaultTier: opt('default-tier'), extractDate: extractDateFlag(values['extract-date']) };
}

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...DATA_FLAGS, bootstrap: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, 'csv-encoding': { type: 'string' } },
    0,
  );
  if (values.help) {
    process.stdout.write(replayHelp);
    return 0;
  }
  void positionals;
  if (values.enrollment === undefined || values.claims === undefined) throw Errors.Usage('replay: give --enrollment FILE and --claims FILE (see --help)');
  const period = parsePeriod(values.period);
  const maxRate = rejectRateFlag(values['max-reject-rate']);
  const csvEncoding = csvEncodingFlag(values);
  const bootstrap = intFlag(values, 'bootstrap', 0, 100_000) ?? 0;
  const seed = intFlag(values, 'seed', 0, Number.MAX_SAFE_INTEGER);
  const residents = intFlag(values, 'residents', 1, 2_000_000_000);
  const quiet = values.quiet === true;
  const say = (s: string) => {
    if (!quiet) process.stdout.write(s + '\n');
  };
  const loaded = loadScenario(String(values.scenario ?? DEFAULT_SCENARIO));
  const conditions = Object.keys(loaded.scenario.population.prevalence);
  const inputs = dataFiles(values); // flags checked before anything is written
  const out = resolve(String(values.out ?? `out/${loaded.scenario.name}-replay`));
  // checked before anything is read; every file goes into the set's temporary folder, swapped in whole
  return withOutputSet(out, { estimateBytes: inputBytes([values.enrollment, values.claims, values.facilities]) }, replayInto);

  async function replayInto(set: OutputSet): Promise<number> {
  const data = await loadReplayData({ ...inputs, period, conditions });
  const dir = set.staging;
  const shown = (fs: string[]) => fs.map((f) => join(out, relative(dir, f)).replace(process.cwd() + '/', '')).join(', ');
  for (const [k, src] of Object.entries(data.sources)) {
    if (!src) continue;
    say(`${k}: ${src.file} (${src.format}${src.gzip ? ', gzip' : ''}${src.encoding ? `, ${src.encoding} — ${src.encodingHow}` : ''})`);
  }
  for (const log of Object.values(data.logs)) if (log) say(log.summary());
  const rejectFiles = writeRejects(dir, data, csvEncoding);
  if (Object.values(data.logs).some((l) => l && l.rejected > 0)) say(`Rejected rows, with row number, reason and original fields: ${shown(rejectFiles)}`);
  let res;
  try {
    checkRejectRates(data, maxRate, out);
    res = runReplay(data, loaded, { bootstrap, seed, residents, onProgress: quiet || bootstrap === 0 ? undefined : progressBar('bootstrap replicates') });
  } catch (e) {
    // The data refused (too many rejects, no claim loaded): the rejects files, which say why, are
    // this replay's whole output — no results, and the old ones go with the old set.
    if (e instanceof FundcastError && e.exitCode === EXIT_USER_ERROR) set.commit();
    throw e;
  }
  const files = writeReplayResults(dir, res, data, loaded.files, csvEncoding);
  set.commit();
  for (const w of set.warnings) process.stderr.write(`fundcast replay: warning: ${w}\n`);
  const r = res.region.region;
  say(
    `Period ${data.years.join(', ')}${data.claims.n ? ` (from the accepted claims, dated ${ymdText(data.claims.minYmd)} to ${ymdText(data.claims.maxYmd)})` : ''}: ${res.adjudicated.active.length.toLocaleString('en-US')} patients, ${res.totals.claims.toLocaleString('en-US')} claims; region: ${r.counties.length} ${r.counties.length === 1 ? 'county' : 'counties'}, ${r.communities.length} medical ${r.communities.length === 1 ? 'community' : 'communities'}, ${r.facilities.length} facilities`,
  );
  for (const n of res.notes) say(`  note: ${n}`);
  const y = (fen: number) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = res.totals.recordedFundFen ? ((100 * res.totals.differenceFen) / res.totals.recordedFundFen).toFixed(3) : '0.000';
  // The total difference is printed even with --quiet: it is the reconciliation's answer.
  process.stdout.write(
    `Reconciliation (fee-for-service under ${loaded.scenario.name}'s rules vs recorded fund paid): recorded ${y(res.totals.recordedFundFen)} yuan, replayed ${y(res.totals.replayedFundFen)} yuan, total difference ${y(res.totals.differenceFen)} yuan (${pct}%)\n`,
  );
  if (!quiet) {
    process.stdout.write(`\n${res.run.scenario.title ?? res.run.scenario.name} — replay${bootstrap ? ` with ${bootstrap} bootstrap replicates (seed ${res.seed})` : ' of the data as recorded'}\n${'='.repeat(40)}\n`);
    process.stdout.write(summaryTables(res.run.summary) + '\n');
    say(`Results: ${shown([...files, ...rejectFiles])}`);
  }
  return 0;
  }
}

/** Bytes of the input files (the rejects files can hold every row): the room the output needs, at most. */
function inputBytes(files: unknown[]): number {
  let n = 0;
  for (const f of files) {
    try {
      if (typeof f === 'string') n += statSync(f).size;
    } catch {
      // a missing input is reported by the reader, with its own message
    }
  }
  return n;
}
