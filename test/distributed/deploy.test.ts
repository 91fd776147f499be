/**
 * The batch-array and container files under deploy/ (docs/distributed.md): each parses (YAML, `bash -n`,
 * Dockerfile instructions), and the fundcast commands each runs are exactly the intended ones — the
 * shard of each index/array task and the merge step — with flags the CLI accepts. The shell commands
 * are executed with a stub `fundcast` (and `sbatch`) on PATH that records its arguments; Docker and
 * Slurm themselves are not needed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseShard } from '../../engine/run/units.ts';
import { inProcess } from '../helpers/cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const D = (p: string) => join(ROOT, 'deploy', p);
const TMP = mkdtempSync(join(tmpdir(), 'fundcast-deploy-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A bin directory whose `fundcast` and `sbatch` append their arguments (one JSON array per call) to a log. */
function stubs(): { bin: string; calls: () => { cmd: string; args: string[] }[] } {
  const bin = mkdtempSync(join(TMP, 'bin-'));
  const log = join(bin, 'calls.jsonl');
  for (const cmd of ['fundcast', 'sbatch']) {
    writeFileSync(join(bin, cmd), `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ cmd: ${JSON.stringify(cmd)}, args: process.argv.slice(2) }) + '\\n');\nif (${JSON.stringify(cmd)} === 'sbatch') console.log(process.argv.includes('--parsable') ? '4242' : 'Submitted batch job 4243');\n`);
    chmodSync(join(bin, cmd), 0o755);
  }
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []) };
}

function sh(shell: string, args: string[], env: Record<string, string>, cwd = TMP) {
  const r = spawnSync(shell, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return r;
}

/** The CLI accepts these arguments (strict flag parsing runs before --help returns). */
async function accepted(args: string[]): Promise<void> {
  const r = await inProcess([...args, '--help']);
  expect(r.code, `fundcast ${args.join(' ')}: ${r.stderr}`).toBe(0);
}

describe('Kubernetes: the Indexed Job runs shard index+1 of N on each pod; the merge Job merges them', () => {
  const docs = parseAllDocuments(readFileSync(D('kubernetes/shards-job.yaml'), 'utf8'));
  it('parses as YAML (a PVC and an Indexed Job)', () => {
    for (const d of docs) expect(d.errors).toEqual([]);
    expect(docs.map((d) => d.toJS().kind)).toEqual(['PersistentVolumeClaim', 'Job']);
  });

  it('pod i runs exactly `fundcast run payment-comparison … --shard i+1/8 …` (completions = parallelism = N)', async () => {
    const job = docs[1].toJS();
    expect(job.spec.completionMode).toBe('Indexed');
    const N = job.spec.completions;
    expect(job.spec.parallelism).toBe(N);
    const c = job.spec.template.spec.containers[0];
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.volumeMounts[0].mountPath).toBe('/shards');
    const s = stubs();
    for (let i = 0; i < N; i++) sh('sh', ['-c', c.command[2]], { JOB_COMPLETION_INDEX: String(i), PATH: `${s.bin}:${process.env.PATH}` });
    const calls = s.calls();
    expect(calls.map((x) => x.args)).toEqual(Array.from({ length: N }, (_, i) => ['run', 'payment-comparison', '--replications', '200', '--seed', '20250403', '--shard', `${i + 1}/${N}`, '--workers', '2', '--out', '/shards', '--quiet']));
    for (const x of calls) expect(parseShard(x.args[x.args.indexOf('--shard') + 1]).count).toBe(N);
    await accepted(calls[0].args);
  });

  it('the merge Job runs exactly `fundcast merge /shards --out /shards/results` on the same volume', async () => {
    const [merge] = parseAllDocuments(readFileSync(D('kubernetes/merge-job.yaml'), 'utf8')).map((d) => d.toJS());
    const c = merge.spec.template.spec.containers[0];
    expect(c.command).toEqual(['fundcast', 'merge', '/shards', '--out', '/shards/results']);
    expect(merge.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(docs[0].toJS().metadata.name);
    expect(c.image).toBe(docs[1].toJS().spec.template.spec.containers[0].image);
    await accepted(c.command.slice(1));
  });
});

describe('Slurm: array task ID runs shard ID of N; submit.sh queues the merge after the array', () => {
  const scripts = ['slurm/shards.sbatch', 'slurm/merge.sbatch', 'slurm/submit.sh'];
  it.each(scripts)('%s passes bash -n', (f) => {
    sh('bash', ['-n', D(f)], {});
  });

  it('array task k runs exactly `fundcast run payment-comparison … --shard k/N --workers CPUS …` (N = the array size)', async () => {
    const text = readFileSync(D('slurm/shards.sbatch'), 'utf8');
    const [, a, b] = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(text)!;
    expect(Number(a)).toBe(1);
    const N = Number(b);
    const cpus = /^#SBATCH --cpus-per-task=(\d+)$/m.exec(text)![1];
    const s = stubs();
    for (let k = 1; k <= N; k++) sh('bash', [D('slurm/shards.sbatch')], { SLURM_ARRAY_TASK_ID: String(k), SLURM_ARRAY_TASK_COUNT: String(N), SLURM_CPUS_PER_TASK: cpus, SHARDS: join(TMP, 'shards'), PATH: `${s.bin}:${process.env.PATH}` });
    const calls = s.calls();
    expect(calls.map((x) => x.args)).toEqual(Array.from({ length: N }, (_, i) => ['run', 'payment-comparison', '--replications', '200', '--seed', '20250403', '--shard', `${i + 1}/${N}`, '--workers', cpus, '--out', join(TMP, 'shards'), '--quiet']));
    await accepted(calls[0].args);
  });

  it('the merge runs exactly `fundcast merge SHARDS --out RESULTS`', async () => {
    const s = stubs();
    sh('bash', [D('slurm/merge.sbatch')], { SHARDS: '/scratch/shards', RESULTS: '/scratch/results', PATH: `${s.bin}:${process.env.PATH}` });
    expect(s.calls()).toEqual([{ cmd: 'fundcast', args: ['merge', '/scratch/shards', '--out', '/scratch/results'] }]);
    await accepted(s.calls()[0].args);
  });

  it('submit.sh: the array, then the merge with afterok on the array job', () => {
    const s = stubs();
    sh('bash', [D('slurm/submit.sh')], { PATH: `${s.bin}:${process.env.PATH}` });
    expect(s.calls()).toEqual([
      { cmd: 'sbatch', args: ['--parsable', D('slurm/shards.sbatch')] },
      { cmd: 'sbatch', args: ['--dependency=afterok:4242', D('slurm/merge.sbatch')] },
    ]);
  });
});

describe('Docker: the worker image and the compose file (Redis + N workers)', () => {
  const INSTRUCTIONS = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);
  /** Instructions with their arguments (comments dropped, continuation lines joined). */
  const instructions = () =>
    readFileSync(D('docker/Dockerfile'), 'utf8')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'))
      .map((l) => {
        const [, op, rest] = /^\s*(\S+)\s+(.*)$/.exec(l) ?? [l, l, ''];
        return { op, rest };
      });

  it('every instruction is a Dockerfile instruction; it starts FROM a Node 20 image; exec forms are JSON', () => {
    const ins = instructions();
    for (const i of ins) expect(INSTRUCTIONS.has(i.op), `${i.op} ${i.rest}`).toBe(true);
    expect(ins[0].op).toBe('FROM');
    expect(ins[0].rest).toMatch(/^node:20[-\w.]*$/);
    for (const i of ins.filter((x) => x.op === 'ENTRYPOINT' || x.op === 'CMD')) expect(() => JSON.parse(i.rest)).not.toThrow();
  });

  it('copies what exists, installs from the lockfile without dev tools, and runs `fundcast worker --queue redis://redis:6379`', async () => {
    const ins = instructions();
    for (const c of ins.filter((x) => x.op === 'COPY')) {
      const parts = c.rest.split(/\s+/);
      for (const src of parts.slice(0, -1)) expect(existsSync(join(ROOT, src)), src).toBe(true);
    }
    expect(ins.find((x) => x.op === 'RUN' && x.rest.includes('npm ci'))!.rest).toContain('--omit=dev');
    expect(ins.find((x) => x.op === 'RUN' && x.rest.includes('ln -s'))!.rest).toBe('ln -s /opt/fundcast/bin/fundcast.js /usr/local/bin/fundcast');
    expect(JSON.parse(ins.find((x) => x.op === 'ENTRYPOINT')!.rest)).toEqual(['fundcast']);
    const cmd = JSON.parse(ins.find((x) => x.op === 'CMD')!.rest);
    expect(cmd).toEqual(['worker', '--queue', 'redis://redis:6379']);
    await accepted(cmd);
    // tsx runs the sources in the image: it must be a runtime dependency, not a dev one
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies.tsx).toBeDefined();
  });

  it('compose: redis:7 and workers that run `fundcast worker --queue redis://redis:6379 --workers 2`, built from the Dockerfile', async () => {
    const c = parseYaml(readFileSync(D('docker/compose.yaml'), 'utf8'));
    expect(Object.keys(c.services).sort()).toEqual(['redis', 'worker']);
    expect(c.services.redis.image).toMatch(/^redis:7/);
    expect(c.services.redis.ports).toEqual(['6379:6379']);
    const w = c.services.worker;
    expect(existsSync(resolve(D('docker'), w.build.context, w.build.dockerfile))).toBe(true);
    expect(w.command).toEqual(['worker', '--queue', 'redis://redis:6379', '--workers', '2']);
    expect(new URL(w.command[2]).hostname).toBe('redis');
    expect(w.depends_on).toEqual(['redis']);
    await accepted(w.command);
  });
});
