/**
 * `fundcast calibrate`: fit the synthesis parameters to recorded enrollment and claims and write
 * them as a scenario fragment (engine/replay/calibrate.ts). See docs/replay.md.
 */
import { basename, dirname, join, resolve } from 'node:path';
import {
  Errors,
  DEFAULT_SCENARIO,
  loadScenario,
  calibrate,
  checkFragment,
  fragmentText,
  checkWritableFolder,
  commitFiles,
  checkRejectRates,
  loadReplayData,
  rejectsFiles,
  paramReport,
} from '../index.ts';
import { intFlag, parse } from './args.ts';
import { DATA_FLAGS, dataFiles, parsePeriod, rejectRateFlag } from './replay.ts';

export const calibrateHelp = `fundcast calibrate --enrollment FILE --claims FILE --out params.yaml [options]

Fit the synthesis parameters of a scenario to recorded data and write them as a YAML scenario
fragment that extends a base scenario: prevalence by age band per condition (the registered share,
written as prevalence with treatedShare 1), signing share, visit rates by condition (refills vs other
visits by drug days supplied), prescription days and tier preference by residence, cost per visit by
tier and daily drug cost by condition (lognormal), hospitalization rate and cost, eligible share,
off-site shares, city-hospital share, and the region's structure; conditions jointly (their
co-occurrence odds ratio). Each fitted parameter says source: "calibrated from <files>, <period>,
n = …" and has its unit; the report lists each fitted number with its standard error, and every
parameter not fitted as "kept from the template" (with why). The rows are validated as in
\`fundcast replay\` (same columns, encodings, mapping, rejects files).

  --enrollment FILE      registered persons (needs a birth year or age)
  --claims FILE          claims
  --out FILE             the fragment to write (YAML), e.g. params.yaml
  --scenario S           base scenario the fragment extends (default: ${DEFAULT_SCENARIO}); its insured
                         share and age structure give the prevalence denominators
  --residents N          residents of the region the data covers (default: the base scenario's when
                         the data's counties are its counties, else its total; see docs/replay.md)
  --name NAME            scenario name of the fragment (default: calibrated)
  --facilities FILE      optional facility register
  --default-tier T       tier of a facility no row or register states (default: such claims are rejected)
  --mapping FILE         YAML/JSON header mapping
  --encoding ENC         encoding of CSV inputs (default: detected)
  --period Y[-Y]         calendar years used (default: the years the accepted claims span)
  --extract-date D       the date the data were extracted (default: today): without --period, a
                         claim after it or before 2003 is rejected (date_out_of_range)
  --max-reject-rate X    fail (exit 2) above this share of rejected rows (default 0.01)
  -h, --help             this help

The rejects files are written beside the fragment (rejects-enrollment.csv, rejects-claims.csv).
Run the result with \`fundcast run FILE\`.
`;

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    { ...DATA_FLAGS, out: { type: 'string' }, name: { type: 'string' } },
    0,
  );
  if (values.help) {
    process.stdout.write(calibrateHelp);
    return 0;
  }
  if (values.enrollment === undefined || values.claims === undefined || values.out === undefined) throw Errors.Usage('calibrate: give --enrollment FILE, --claims FILE and --out FILE (see --help)');
  const name = values.name === undefined ? undefined : String(values.name);
  if (name !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(name)) throw Errors.BadFlag('name', `a scenario name uses lower-case letters, digits and hyphens, got "${name}"`);
  const period = parsePeriod(values.period);
  const maxRate = rejectRateFlag(values['max-reject-rate']);
  const residents = intFlag(values, 'residents', 1, 2_000_000_000);
  const baseRef = String(values.scenario ?? DEFAULT_SCENARIO);
  const base = loadScenario(baseRef);
  const files = dataFiles(values); // flags checked before anything is written
  const out = resolve(String(values.out));
  checkWritableFolder(dirname(out)); // before anything is read
  const data = await loadReplayData({
    ...files,
    period,
    conditions: Object.keys(base.scenario.population.prevalence),
    requireEnrollment: [],
  });
  const quiet = values.quiet === true;
  const say = (s: string) => {
    if (!quiet) process.stdout.write(s + '\n');
  };
  if (!data.enrollment.has.age) throw Errors.Usage(`calibrate: ${data.sources.enrollment.file} has no birth year or age column (needed for prevalence by age band; see docs/replay.md)`);
  for (const log of Object.values(data.logs)) if (log) say(log.summary());
  const dir = dirname(out);
  // The rejects files and the fragment are written together (all under temporary names, then renamed):
  // a failure leaves the old files (docs/reliability.md §Output folders).
  const rejects = rejectsFiles(data);
  try {
    checkRejectRates(data, maxRate, dir);
  } catch (e) {
    commitFiles(dir, rejects);
    throw e;
  }
  const fit = calibrate(data, { base, baseRef, residents, name });
  const written = commitFiles(dir, [...rejects, [basename(out), fragmentText(fit, out, baseRef, base)]]);
  checkFragment(out);
  const rejectFiles = written.slice(0, -1);
  say(`Calibrated on ${fit.facts.persons.toLocaleString('en-US')} patients (${fit.facts.patientYears.toLocaleString('en-US')} patient-years), ${fit.facts.claims.toLocaleString('en-US')} claims, ${data.years.join(', ')}; conditions: ${fit.facts.conditions.join(', ')}`);
  for (const n of fit.notes) say(`  note: ${n}`);
  for (const l of paramReport(fit.params)) say(l);
  say(`Wrote ${out.replace(process.cwd() + '/', '')} (extends ${baseRef}); rejects: ${rejectFiles.map((f) => f.replace(process.cwd() + '/', '')).join(', ')}`);
  say(`Run it: fundcast run ${join(out).replace(process.cwd() + '/', '')}`);
  return 0;
}
