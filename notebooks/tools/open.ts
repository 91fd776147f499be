/**
 * `npm run notebooks`: install the Deno Jupyter kernelspec for the deno binary of the npm `deno`
 * package (`deno jupyter --install`), make sure the installed kernelspec runs that binary, and open
 * Jupyter on notebooks/. Arguments after `--` go to Jupyter (e.g. `npm run notebooks -- --no-browser`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { denoBinary, JUPYTER, JUPYTER_INSTALL_HINT, KERNEL_NAME, kernelSpec, NOTEBOOKS_DIR } from './jupyter.ts';

function fail(message: string): never {
  console.error(`notebooks: ${message}`);
  process.exit(2);
}

if (!existsSync(JUPYTER)) fail(`${JUPYTER} is missing; install Debian's Jupyter: ${JUPYTER_INSTALL_HINT}`);
let deno: string;
try {
  deno = denoBinary();
} catch (e) {
  fail((e as Error).message);
}

const install = spawnSync(deno, ['jupyter', '--install', '--force', '--name', KERNEL_NAME], { stdio: 'inherit', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } });
if (install.status !== 0) fail(`deno jupyter --install failed (exit ${install.status})`);

// Where Jupyter finds the kernelspec named "deno", and which binary it runs.
const listed = spawnSync(JUPYTER, ['kernelspec', 'list', '--json'], { encoding: 'utf8', env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' } });
if (listed.status !== 0) fail(`jupyter kernelspec list failed: ${listed.stderr}`);
const specs = JSON.parse(listed.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: { argv: string[] } }> };
const found = specs.kernelspecs[KERNEL_NAME];
if (!found) fail(`Jupyter does not see a kernelspec named "${KERNEL_NAME}" after deno jupyter --install`);
const runs = found.spec.argv[0];
if (!existsSync(runs) || realpathSync(runs) !== deno) {
  // Another "deno" kernelspec earlier on Jupyter's path, or one for another binary: point it at ours.
  const file = join(found.resource_dir, 'kernel.json');
  const spec = { ...JSON.parse(readFileSync(file, 'utf8')), ...kernelSpec(deno) };
  writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  console.log(`notebooks: the "${KERNEL_NAME}" kernelspec at ${found.resource_dir} ran ${runs}; it now runs ${deno}`);
}
console.log(`notebooks: kernel "${KERNEL_NAME}" runs ${deno}`);

const child = spawn(JUPYTER, ['notebook', `--notebook-dir=${NOTEBOOKS_DIR}`, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
