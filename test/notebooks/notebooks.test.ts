/**
 * `npm run notebooks:check` in CI: every notebook executed headlessly (Debian's Jupyter, the npm
 * deno binary), no cell error, and the files each notebook writes present and sound. Asserts on
 * those files, never on displayed outputs (the Deno kernel may drop a display). Skipped only where
 * /usr/bin/jupyter is absent; .ci/run installs it, so CI runs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArtefacts, EXPECTED } from '../../notebooks/tools/artefacts.ts';
import { JUPYTER, JUPYTER_INSTALL_HINT, notebookNames, REPO_ROOT } from '../../notebooks/tools/jupyter.ts';

const haveJupyter = existsSync(JUPYTER);
const title = haveJupyter
  ? 'npm run notebooks:check executes every notebook and each writes its charts and tables'
  : `SKIPPED: ${JUPYTER} is absent, so the notebooks cannot be executed here (${JUPYTER_INSTALL_HINT}; .ci/run installs it)`;

describe('notebooks', () => {
  const out = mkdtempSync(join(tmpdir(), 'fundcast-nbtest-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.skipIf(!haveJupyter)(title, () => {
    const run = spawnSync('npm', ['run', '--silent', 'notebooks:check', '--', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 1_200_000 });
    const log = `${run.stdout}\n${run.stderr}`;
    expect(run.status, log).toBe(0);
    for (const name of notebookNames()) {
      const dir = join(out, 'artefacts', name);
      const exp = EXPECTED[name];
      expect(exp, `${name} declares its files`).toBeDefined();
      for (const c of exp.charts) {
        const spec = JSON.parse(readFileSync(join(dir, `${c}.vl.json`), 'utf8')) as { $schema?: string };
        expect(spec.$schema, `${name}/${c}.vl.json`).toMatch(/vega-lite/);
      }
      for (const t of exp.tables) {
        const csv = readFileSync(join(dir, `${t}.csv`), 'utf8').trimEnd().split('\n');
        expect(csv.length, `${name}/${t}.csv has a header and rows`).toBeGreaterThan(1);
      }
      const runInfo = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { replications: number; files: string[] };
      expect(runInfo.replications).toBeGreaterThan(0);
      expect(runInfo.files.length).toBeGreaterThan(0);
      expect(checkArtefacts(name, dir)).toEqual([]);
      expect(existsSync(join(out, 'executed', `${name}.ipynb`))).toBe(true);
    }
  }, 1_500_000);
});
