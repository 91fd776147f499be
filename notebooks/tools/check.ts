/**
 * `npm run notebooks:check`: execute every notebook headlessly — Debian's Jupyter (nbconvert) with
 * the Deno kernel of the npm `deno` package — fail on any cell error, and check the files each
 * notebook writes (notebooks/tools/artefacts.ts).
 *
 *   npm run notebooks:check                       # all notebooks, into a temporary folder
 *   npm run notebooks:check -- --out DIR          # keep executed notebooks and files in DIR
 *   npm run notebooks:check -- --only fund-forecast,payment-comparison
 *
 * The committed notebooks are not touched: executed copies go to DIR/executed/, the notebooks'
 * files to DIR/artefacts/<notebook>/ (through $FUNDCAST_NOTEBOOK_OUT). Exit 0 when every notebook
 * ran and its files are sound, 1 otherwise, 2 when Jupyter or deno is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkArtefacts } from './artefacts.ts';
import { denoBinary, JUPYTER, JUPYTER_INSTALL_HINT, KERNEL_NAME, NOTEBOOKS_DIR, notebookNames, writeKernelSpec } from './jupyter.ts';

export interface NotebookResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  problems: string[];
  /** The last lines nbconvert printed (for a failure). */
  log: string;
}

/** Execute one notebook with nbconvert; resolves with its exit code and output. */
function nbconvert(notebook: string, out: string, env: NodeJS.ProcessEnv, timeoutSeconds: number): Promise<{ code: number | null; log: string }> {
  const args = [
    'nbconvert', '--to', 'notebook', '--execute',
    '--ExecutePreprocessor.timeout=300',
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    '--output-dir', join(out, 'executed'),
    join(NOTEBOOKS_DIR, `${notebook}.ipynb`),
  ];
  return new Promise((done) => {
    const child = spawn(JUPYTER, args, { cwd: NOTEBOOKS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (b: Buffer) => {
      log = (log + b.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      log += `\n(killed after ${timeoutSeconds} s)`;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, log });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: -1, log: String(e) });
    });
  });
}

/** Cell errors recorded in an executed notebook (nbconvert also fails on them; this names the cell). */
function cellErrors(executed: string): string[] {
  if (!existsSync(executed)) return ['the executed notebook was not written'];
  const nb = JSON.parse(readFileSync(executed, 'utf8')) as { cells: { cell_type: string; outputs?: { output_type: string; ename?: string; evalue?: string }[] }[] };
  return nb.cells.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `cell ${i + 1}: ${o.ename}: ${o.evalue}`));
}

export async function checkNotebooks(opts: { out?: string; only?: string[]; timeoutSeconds?: number; log?: (line: string) => void } = {}): Promise<NotebookResult[]> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const out = resolve(opts.out ?? mkdtempSync(join(tmpdir(), 'fundcast-notebooks-')));
  mkdirSync(join(out, 'executed'), { recursive: true });
  const kernels = join(out, 'jupyter');
  const deno = denoBinary();
  writeKernelSpec(kernels, deno);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Our kernelspec first, whatever the user has installed.
    JUPYTER_PATH: [kernels, process.env.JUPYTER_PATH].filter(Boolean).join(':'),
    FUNDCAST_NOTEBOOK_OUT: join(out, 'artefacts'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
  };
  const all = notebookNames();
  const unknown = (opts.only ?? []).filter((n) => !all.includes(n));
  if (unknown.length) throw new Error(`no notebook ${unknown.join(', ')} (notebooks: ${all.join(', ')})`);
  const names = opts.only?.length ? opts.only : all;
  log(`executing ${names.length} notebook(s) with ${deno}; files under ${out}`);
  const results: NotebookResult[] = [];
  for (const notebook of names) {
    const t0 = performance.now();
    const { code, log: text } = await nbconvert(notebook, out, env, opts.timeoutSeconds ?? 600);
    const seconds = (performance.now() - t0) / 1000;
    const problems: string[] = [];
    if (code !== 0) problems.push(`${notebook}: a cell failed or the kernel did not run (nbconvert exited with ${code}); its output follows`);
    else {
      problems.push(...cellErrors(join(out, 'executed', `${notebook}.ipynb`)).map((e) => `${notebook}: ${e}`));
      problems.push(...checkArtefacts(notebook, join(out, 'artefacts', notebook)));
    }
    const ok = problems.length === 0;
    results.push({ notebook, ok, seconds, problems, log: text.split('\n').slice(-40).join('\n') });
    log(`${ok ? 'ok  ' : 'FAIL'} ${notebook} (${seconds.toFixed(1)} s)`);
    for (const p of problems) log(`     ${p}`);
    if (!ok) log(text.split('\n').slice(-40).map((l) => `     | ${l}`).join('\n'));
  }
  const failed = results.filter((r) => !r.ok).length;
  log(`notebooks: ${results.length - failed} passed, ${failed} failed`);
  return results;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('usage: npm run notebooks:check [-- --out DIR] [--only NAME,NAME]');
    return 0;
  }
  if (!existsSync(JUPYTER)) {
    console.error(`notebooks:check: ${JUPYTER} is missing; install Debian's Jupyter: ${JUPYTER_INSTALL_HINT}`);
    return 2;
  }
  try {
    denoBinary();
  } catch (e) {
    console.error(`notebooks:check: ${(e as Error).message}`);
    return 2;
  }
  const results = await checkNotebooks({ out: values.out, only: values.only?.split(',').filter(Boolean) });
  return results.every((r) => r.ok) ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`notebooks:check: ${(e as Error).stack ?? e}`);
      process.exit(1);
    },
  );
}
