/**
 * Shards merged = one run: `fundcast run --shard K/N` on every K, then `fundcast merge`, writes
 * summary.json, replications.csv and facilities.csv byte-identical to `fundcast run` with the same
 * seed and replications — whole replications per shard (N ≤ R) and replications cut into block ranges
 * (N > R), the one-way sensitivity runs sharded too, replications added in a later batch — and merge
 * refuses shards that do not make one run, with one line naming the files.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShard, writeShard } from '../../engine/run/shard.ts';
import { shardPlan, tasksFor } from '../../engine/run/units.ts';
import { writeResults } from '../../engine/index.ts';
import { mergeShards } from '../../engine/run/merge.ts';
import { inProcess } from '../helpers/cli.ts';
import { tinyScenario, tinyScenarioText } from '../helpers/tiny.ts';

const TMP = mkdtempSync(join(tmpdir(), 'fundcast-shards-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const COMPARED = ['summary.json', 'replications.csv', 'facilities.csv', 'scenario.json'];
let n = 0;
const fresh = (label: string) => join(TMP, `${label}-${n++}`);

async function cli(args: string[]): Promise<void> {
  const r = await inProcess(args);
  if (r.code !== 0) throw new Error(`fundcast ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
}

/** `fundcast run` into a fresh directory. */
async function single(scenario: string, flags: string[]): Promise<string> {
  const out = fresh('single');
  await cli(['run', scenario, ...flags, '--out', out, '--quiet']);
  return out;
}

/** Every shard of N into one directory (as machines sharing a volume would), then merged. */
async function sharded(scenario: string, flags: string[], N: number): Promise<{ shards: string; merged: string }> {
  const shards = fresh(`shards${N}`);
  for (let k = 1; k <= N; k++) await cli(['run', scenario, ...flags, '--shard', `${k}/${N}`, '--out', shards, '--quiet']);
  const merged = fresh(`merged${N}`);
  await cli(['merge', shards, '--out', merged, '--quiet']);
  return { shards, merged };
}

function expectSameFiles(a: string, b: string): void {
  for (const f of COMPARED) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), `${f} differs`).toBe(true);
}

// The embedded scenarios at a tenth of their residents in `npm test` (the same facilities and blocks,
// so N = 3 and 7 still cut replications into block ranges); at full size in `npm run test:long`.
const SIZE = process.env.FUNDCAST_TEST_LONG === '1' ? [] : ['--scale', '0.1'];

describe.each([
  ['wuhu-default', ['--years', '1', '--replications', '2', '--workers', '1', ...SIZE]],
  ['payment-comparison', ['--years', '1', '--replications', '2', '--workers', '1', ...SIZE]],
])('%s: shards merged are byte-identical to one run', (scenario, flags) => {
  let reference: string;
  // N = 1: whole replications; 3 and 7: more shards than replications (block ranges). A shared
  // 2-core machine can take minutes for payment-comparison (the single run, then each N).
  it.each([1, 3, 7])('N = %i', async (N) => {
    reference ??= await single(scenario, flags);
    const { shards, merged } = await sharded(scenario, flags, N);
    expect(readdirSync(shards).sort()).toEqual(Array.from({ length: N }, (_, i) => `shard-${i + 1}-of-${N}.jsonl`).sort());
    expectSameFiles(reference, merged);
    // run.json says where the merged run came from
    const run = JSON.parse(readFileSync(join(merged, 'run.json'), 'utf8'));
    expect(run.mergedFrom.map((s: { shard: string }) => s.shard)).toEqual(Array.from({ length: N }, (_, i) => `${i + 1}/${N}`));
    expect(run.replications).toBe(2);
  }, 600_000);
});

describe('the shard plan', () => {
  it('partitions the units of any run exactly, for any number of shards', () => {
    for (const R of [1, 2, 3, 6, 10]) {
      for (const nB of [1, 4, 13]) {
        for (let N = 1; N <= Math.min(R * nB, 30); N++) {
          const plan = shardPlan(0, R, nB, N);
          expect(plan.length).toBe(N);
          for (const units of plan) expect(units.length).toBeGreaterThan(0);
          const covered = new Map<number, number>();
          for (const u of plan.flat()) covered.set(u.replication, (covered.get(u.replication) ?? 0) + (u.to - u.from));
          expect([...covered.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: R }, (_, i) => i));
          for (const blocks of covered.values()) expect(blocks).toBe(nB);
        }
      }
    }
  });

  it("a shard's units cut into tasks for its own pool cover the same blocks, each once", () => {
    for (const [R, nB, N, workers] of [[1, 4, 1, 2], [2, 13, 3, 8], [6, 4, 7, 3], [10, 1, 4, 16]] as const) {
      for (const units of shardPlan(0, R, nB, N)) {
        const tasks = tasksFor(units, workers);
        expect(tasks.length).toBeGreaterThanOrEqual(units.length);
        if (units.length >= 2 * workers) expect(tasks).toEqual(units);
        else if (units.some((u) => u.to - u.from > 1)) expect(tasks.length).toBeGreaterThan(units.length); // cut further, for the pool
        const blocks = (us: typeof units) => us.flatMap((u) => Array.from({ length: u.to - u.from }, (_, i) => `${u.replication}:${u.from + i}`)).sort();
        expect(blocks(tasks)).toEqual(blocks(units));
      }
    }
  });

  it('refuses more shards than units of work', () => {
    expect(() => shardPlan(0, 2, 3, 7)).toThrow('--shard: 7 shards but the run has only 6 units of work (2 replications × 3 blocks): use at most 6 shards');
  });
});

describe('sensitivity runs are sharded too; replications can be added in batches', () => {
  // Uncertain parameters, and a sensitivity section with more replications than the main run (so
  // the base is rerun on the sensitivity runs' replications, as on one machine).
  const extra = `uncertainty:
  - parameter: financing.perCapita
    apply: factor
    distribution: { type: lognormal, median: 1, sigma: 0.1 }
    source: "assumption: test"
sensitivity:
  output: fundOutlay
  year: horizon
  replications: 3
  parameters:
    - { parameter: benefits.ratio.village, low: 0.5, high: 0.8 }
    - { parameter: utilization.costTrend, low: 0, high: 0.06 }
`;
  const file = join(TMP, 'sens.yaml');
  writeFileSync(file, tinyScenarioText({ replications: 2, years: 2, extra }));

  it.each([2, 5])('N = %i: summary.json (with its tornado) as one run', async (N) => {
    const ref = await single(file, ['--workers', '1']);
    const summary = JSON.parse(readFileSync(join(ref, 'summary.json'), 'utf8'));
    expect(summary.sensitivity.rows.length).toBe(2);
    expect(summary.sensitivity.replications).toBe(3);
    const { shards, merged } = await sharded(file, ['--workers', '1'], N);
    expectSameFiles(ref, merged);
    const header = JSON.parse(readFileSync(join(shards, `shard-1-of-${N}.jsonl`), 'utf8').split('\n')[0]);
    expect(header.runs.map((r: { label: string }) => r.label)).toEqual(['main', 'monte carlo only', 'sensitivity benefits.ratio.village = 0.5', 'sensitivity benefits.ratio.village = 0.8', 'sensitivity utilization.costTrend = 0', 'sensitivity utilization.costTrend = 0.06', 'sensitivity base']);
  });

  it('--no-sensitivity on every shard: merged as one run with --no-sensitivity', async () => {
    const ref = await single(file, ['--workers', '1', '--no-sensitivity']);
    const { merged } = await sharded(file, ['--workers', '1', '--no-sensitivity'], 2);
    expectSameFiles(ref, merged);
    expect(JSON.parse(readFileSync(join(merged, 'summary.json'), 'utf8')).sensitivity).toBeUndefined();
  });

  it('a later batch of replications (3–5, in 2 shards) merged with the first (0–2, in 3 shards) = one run of 6', async () => {
    const loaded = tinyScenario({ replications: 3, years: 2 });
    const dir = fresh('batches');
    for (let k = 1; k <= 3; k++) writeShard(dir, await runShard(loaded, { workers: 1, shard: { index: k, count: 3 } }));
    for (let k = 1; k <= 2; k++) writeShard(dir, await runShard(loaded, { workers: 1, replications: 6, firstReplication: 3, shard: { index: k, count: 2 } }));
    expect(readdirSync(dir).sort()).toEqual(['shard-1-of-2-r3-5.jsonl', 'shard-1-of-3.jsonl', 'shard-2-of-2-r3-5.jsonl', 'shard-2-of-3.jsonl', 'shard-3-of-3.jsonl']);
    const m = await mergeShards([dir]);
    const a = fresh('batch-merged');
    writeResults(a, m.result, { scenarioFiles: [] });
    // one run of 6 (with the Monte-Carlo-only run of the tiny scenario's uncertain parameters, which the batches extend)
    const file = join(TMP, 'batches.yaml');
    writeFileSync(file, tinyScenarioText({ replications: 3, years: 2 }));
    expectSameFiles(await single(file, ['--workers', '1', '--replications', '6']), a);
    // without the first batch's shard 2/3: missing
    rmSync(join(dir, 'shard-2-of-3.jsonl'));
    await expect(mergeShards([dir])).rejects.toThrow(/missing shard 2\/3 \(replication 1\): all 3 shards of replications 0–2 are needed/);
  });
});

describe('merge refuses shards that do not make one run (one line, naming the files; exit 2)', () => {
  const flags = ['--workers', '1'];
  let base: string; // shards 1/3, 2/3, 3/3 of the tiny scenario
  const tiny = join(TMP, 'tiny.yaml');
  const tinySeed = join(TMP, 'tiny-seed.yaml');
  const tinyOther = join(TMP, 'tiny-other.yaml');
  writeFileSync(tiny, tinyScenarioText({ replications: 3, years: 1 }));
  writeFileSync(tinySeed, tinyScenarioText({ replications: 3, years: 1, seed: 7 }));
  writeFileSync(tinyOther, tinyScenarioText({ replications: 3, years: 1, extra: 'title: another\n' }));

  const refusal = async (paths: string[]) => {
    const r = await inProcess(['merge', ...paths, '--out', fresh('refused'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    return r.stderr.trim();
  };
  const shard = async (scenario: string, k: number, N: number, extra: string[] = []) => {
    const dir = fresh('one-shard');
    await cli(['run', scenario, ...flags, ...extra, '--shard', `${k}/${N}`, '--out', dir, '--quiet']);
    return join(dir, `shard-${k}-of-${N}.jsonl`);
  };
  const baseFile = (k: number) => join(base, `shard-${k}-of-3.jsonl`);
  const copyWith = (from: string, edit: (h: Record<string, unknown>) => void) => {
    const lines = readFileSync(from, 'utf8').split('\n');
    const h = JSON.parse(lines[0]);
    edit(h);
    const dir = fresh('edited');
    mkdirSync(dir);
    const to = join(dir, 'shard-1-of-3.jsonl');
    writeFileSync(to, [JSON.stringify(h), ...lines.slice(1)].join('\n'));
    return to;
  };

  it('merges the three shards (the baseline of the refusals)', async () => {
    base = (await sharded(tiny, flags, 3)).shards;
  });

  it('different seeds', async () => {
    expect(await refusal([baseFile(1), baseFile(2), await shard(tinySeed, 3, 3)])).toMatch(/^fundcast merge: error: .*shard-1-of-3\.jsonl and .*shard-3-of-3\.jsonl were run with different seeds \(20250403 and 7\)$/);
  });

  it('different scenarios (same name and seed, a parameter differs)', async () => {
    expect(await refusal([baseFile(1), baseFile(2), await shard(tinyOther, 3, 3)])).toMatch(/shard-1-of-3\.jsonl and .*shard-3-of-3\.jsonl are shards of different scenarios or options \(scenario hash [0-9a-f]{12} and [0-9a-f]{12}/);
  });

  it('different options (--years)', async () => {
    expect(await refusal([baseFile(1), baseFile(2), await shard(tiny, 3, 3, ['--years', '2'])])).toMatch(/are shards of different scenarios or options/);
  });

  it('a shard of another scenario name', async () => {
    const other = copyWith(baseFile(1), (h) => (h.scenario = 'elsewhere'));
    expect(await refusal([other, baseFile(2), baseFile(3)])).toMatch(/shard-1-of-3\.jsonl and .*shard-2-of-3\.jsonl are shards of different scenarios \("elsewhere" and "tiny-test"\)/);
  });

  it('another fundcast version: between the shards, and against this merge', async () => {
    const old = copyWith(baseFile(1), (h) => (h.fundcastVersion = '0.1.9'));
    expect(await refusal([baseFile(2), baseFile(3), old])).toMatch(/shard-2-of-3\.jsonl and .*shard-1-of-3\.jsonl were written by different fundcast versions \(\d+\.\d+\.\d+ and 0\.1\.9\)/);
    expect(await refusal([old, baseFile(2), baseFile(3)])).toMatch(/shard-1-of-3\.jsonl was written by fundcast 0\.1\.9 and this is fundcast \d+\.\d+\.\d+: merge shards with the version that ran them/);
  });

  it('a shard given twice (overlap)', async () => {
    const twin = fresh('twin');
    mkdirSync(twin);
    cpSync(baseFile(2), join(twin, 'shard-2-of-3.jsonl'));
    expect(await refusal([base, twin])).toMatch(/shard-2-of-3\.jsonl and .*twin-\d+\/shard-2-of-3\.jsonl are both shard 2\/3: their replications would be counted twice/);
  });

  it('the same replications cut two ways (overlap)', async () => {
    expect(await refusal([base, await shard(tiny, 2, 2)])).toMatch(/\(shard 2\/2\) and .*\(shard 1\/3\) hold the same replications 0–2, cut into shards two ways/);
  });

  it('missing shards, naming which and what they hold', async () => {
    expect(await refusal([baseFile(1), baseFile(3)])).toMatch(/missing shard 2\/3 \(replication 1\): all 3 shards of replications 0–2 are needed \(found .*shard-1-of-3\.jsonl, .*shard-3-of-3\.jsonl\)/);
  });

  it('the sensitivity runs in some shards only', async () => {
    const h = copyWith(baseFile(1), (x) => (x.sensitivity = true));
    expect(await refusal([h, baseFile(2), baseFile(3)])).toMatch(/differ in the sensitivity runs \(included and not included/);
  });

  it('a damaged shard file, naming its line', async () => {
    const dir = fresh('damaged');
    mkdirSync(dir);
    const text = readFileSync(baseFile(2), 'utf8');
    writeFileSync(join(dir, 'shard-2-of-3.jsonl'), text.slice(0, text.length - 40));
    expect(await refusal([baseFile(1), join(dir, 'shard-2-of-3.jsonl'), baseFile(3)])).toMatch(/shard-2-of-3\.jsonl:\d+: not valid JSON \(a damaged or cut-short shard file: run that shard again\)/);
  });

  it('not a shard file; an empty directory', async () => {
    const dir = fresh('empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.jsonl'), '{"hello": 1}\n');
    expect(await refusal([join(dir, 'x.jsonl')])).toMatch(/x\.jsonl: not a fundcast shard file/);
    expect(await refusal([dir])).toMatch(/no shard files \(shard-K-of-N\.jsonl\) in this directory/);
  });
});

describe('run --shard: flags', () => {
  const tiny = join(TMP, 'flags.yaml');
  writeFileSync(tiny, tinyScenarioText({ replications: 2, years: 1 }));
  it.each([
    [['--shard', '0/3'], '--shard: K must be from 1 to 3 in K/N (shards are numbered from 1), got 0'],
    [['--shard', '4/3'], '--shard: K must be from 1 to 3 in K/N'],
    [['--shard', 'two'], '--shard: must be K/N (shard K of N, e.g. 2/7), got "two"'],
    [['--shard', '1/9'], '--shard: 9 shards but the run has only 8 units of work (2 replications × 4 blocks): use at most 8 shards'],
    [['--shard', '1/2', '--until-se', '1000'], '--shard cannot be combined with --until-se'],
    [['--shard', '1/2', '--resume'], '--shard cannot be combined with --checkpoint or --resume'],
    [['--shard', '1/2', '--report'], '--report does not apply to a shard'],
  ])('%j', async (flags, message) => {
    const r = await inProcess(['run', tiny, '--workers', '1', '--quiet', '--out', fresh('flags'), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
