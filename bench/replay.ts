/**
 * `npm run bench:replay`: the claims replay at scale (a benchmark, never part of `npm test`).
 *
 * Generates a claims CSV of --rows rows (default 5,000,000) and its enrollment file with fundcast's
 * own kernel (engine/replay/synthetic.ts: the default region's rules, its residents scaled so one
 * year has enough claims), then replays them in a child process — read, validate, region,
 * re-adjudicate, pay, summarise, write — and reports the wall time by phase and the child's peak
 * resident memory against the targets (< 60 s, < 4 GB on a 2-core machine).
 *
 * Flags: --rows N (default 5e6)  --dir DIR (default: $TMPDIR/fundcast-bench-replay; kept and reused
 *        when its files have the right row count)  --bootstrap B (default 0)  --keep (keep DIR)
 *        --out FILE (default bench/replay-results.json)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, loadScenario, type ScenarioFile } from '../engine/index.ts';
import { checkRejectRates, loadReplayData, runReplay, syntheticData, writeRejects, writeReplayResults } from '../engine/replay/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = { seconds: 60, rssGiB: 4 };

function flag(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const has = (name: string) => process.argv.includes(`--${name}`);

/** Claims per registered patient-year in the default region (measured: ~12.5); residents are scaled from it. */
const CLAIMS_PER_RESIDENT = 3.8e6 / 3.76e6;

async function generate(dir: string, rows: number): Promise<{ seconds: number; bytes: number; persons: number }> {
  const t0 = performance.now();
  const base = loadScenario('wuhu-default').scenario;
  const scale = (rows / CLAIMS_PER_RESIDENT / base.region.counties.reduce((a, c) => a + c.residents, 0)) * 1.08;
  const s: ScenarioFile = structuredClone(base);
  s.horizon = { startYear: 2025, years: 1 };
  s.region.counties = s.region.counties.map((c) => ({ ...c, residents: Math.round(c.residents * scale) }));
  const c = compile(s);
  mkdirSync(dir, { recursive: true });
  const fe = openSync(join(dir, 'enrollment.csv'), 'w');
  const fc = openSync(join(dir, 'claims.csv'), 'w');
  let written = -1; // the header is not a row
  let bytes = 0;
  let full = false;
  const r = syntheticData(c, {
    sortByDate: false,
    enrollment: (t) => writeSync(fe, t),
    claims: (t) => {
      if (full) return;
      // Cut at exactly `rows` data rows.
      let k = 0;
      let cut = t.length;
      for (let i = 0; i < t.length; i++) {
        if (t.charCodeAt(i) === 10) {
          k++;
          if (written + k === rows) {
            cut = i + 1;
            full = true;
            break;
          }
        }
      }
      written += full ? rows - written : k;
      const piece = cut === t.length ? t : t.slice(0, cut);
      bytes += Buffer.byteLength(piece);
      writeSync(fc, piece);
    },
  });
  closeSync(fe);
  closeSync(fc);
  if (written < rows) throw new Error(`generated only ${written} claims (${r.claimRows} simulated); raise the scale`);
  writeFileSync(join(dir, 'rows.txt'), String(rows));
  return { seconds: (performance.now() - t0) / 1000, bytes, persons: r.persons };
}

async function child(dir: string, out: string, bootstrap: number): Promise<void> {
  const phases: Record<string, number> = {};
  let t = performance.now();
  const lap = (k: string) => {
    const n = performance.now();
    phases[k] = Math.round(n - t) / 1000;
    t = n;
  };
  const t0 = t;
  const scenario = loadScenario('wuhu-default');
  const data = await loadReplayData({ enrollment: join(dir, 'enrollment.csv'), claims: join(dir, 'claims.csv'), conditions: Object.keys(scenario.scenario.population.prevalence) });
  lap('read + validate');
  writeRejects(out, data);
  checkRejectRates(data, 0.01, out);
  const res = runReplay(data, scenario, { bootstrap });
  lap('region + adjudicate + pay + summarise');
  writeReplayResults(out, res, data, scenario.files);
  lap('write');
  const ru = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({
      seconds: Math.round(performance.now() - t0) / 1000,
      cpuSeconds: Math.round((ru.userCPUTime + ru.systemCPUTime) / 1000) / 1000,
      phases,
      peakRssMiB: Math.round(ru.maxRSS / 1024),
      claims: data.logs.claims.counts(),
      enrollment: data.logs.enrollment.counts(),
      reconciliationDifference: res.totals.differenceFen / 100,
      facilities: res.region.region.facilities.length,
    }) + '\n',
  );
}

async function main(): Promise<void> {
  const rows = Math.round(Number(flag('rows', '5000000')));
  const dir = resolve(flag('dir', join(os.tmpdir(), 'fundcast-bench-replay'))!);
  const bootstrap = Number(flag('bootstrap', '0'));
  if (has('child')) return child(dir, resolve(flag('result-dir')!), bootstrap);
  const outFile = resolve(flag('out', join(ROOT, 'bench/replay-results.json'))!);
  let gen: { seconds: number; bytes: number; persons: number } | null = null;
  const reuse = existsSync(join(dir, 'rows.txt')) && readFileSync(join(dir, 'rows.txt'), 'utf8') === String(rows) && existsSync(join(dir, 'claims.csv'));
  if (!reuse) {
    process.stdout.write(`generating ${rows.toLocaleString('en-US')} claims in ${dir} …\n`);
    gen = await generate(dir, rows);
    process.stdout.write(`  ${(gen.bytes / 2 ** 20).toFixed(0)} MiB of claims, ${gen.persons.toLocaleString('en-US')} persons, in ${gen.seconds.toFixed(1)} s\n`);
  } else process.stdout.write(`reusing ${dir} (${rows.toLocaleString('en-US')} claims)\n`);
  const resultDir = join(dir, 'out');
  rmSync(resultDir, { recursive: true, force: true });
  process.stdout.write(`replaying (child process) …\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--dir', dir, '--result-dir', resultDir, '--bootstrap', String(bootstrap)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    process.exitCode = 1;
    return;
  }
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const cpu = os.cpus();
  const result = {
    machine: { loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100), cpus: cpu.length, model: cpu[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    rows,
    claimsBytes: statSync(join(dir, 'claims.csv')).size,
    generation: gen,
    replay: m,
    targets: TARGET,
    pass: { time: m.seconds < TARGET.seconds, memory: m.peakRssMiB / 1024 < TARGET.rssGiB },
    git: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
    at: new Date().toISOString(),
  };
  process.stdout.write(
    [
      `replay of ${rows.toLocaleString('en-US')} claims (${(result.claimsBytes / 2 ** 20).toFixed(0)} MiB CSV), ${m.enrollment.loaded.toLocaleString('en-US')} persons, ${m.facilities} facilities, bootstrap ${bootstrap}:`,
      ...Object.entries(m.phases as Record<string, number>).map(([k, v]) => `  ${k.padEnd(40)} ${v.toFixed(1)} s`),
      `  total ${m.seconds.toFixed(1)} s wall, ${m.cpuSeconds.toFixed(1)} s CPU (target < ${TARGET.seconds} s: ${result.pass.time ? 'PASS' : 'FAIL'}), peak RSS ${(m.peakRssMiB / 1024).toFixed(2)} GiB (target < ${TARGET.rssGiB} GiB: ${result.pass.memory ? 'PASS' : 'FAIL'})`,
      `  rows: ${m.claims.read.toLocaleString('en-US')} read, ${m.claims.loaded.toLocaleString('en-US')} loaded, ${m.claims.rejected} rejected; reconciliation difference ${m.reconciliationDifference.toFixed(2)} yuan`,
    ].join('\n') + '\n',
  );
  writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`results: ${outFile.replace(ROOT + '/', '')}\n`);
  if (!has('keep') && !flag('dir')) rmSync(resultDir, { recursive: true, force: true });
}

await main();
