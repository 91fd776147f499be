/**
 * Where the notebooks' tools find their programs: the Deno binary that npm installed with the
 * `deno` package (never one from PATH, so every machine runs the version in package-lock.json),
 * Debian's Jupyter, and the notebooks themselves.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NOTEBOOKS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(NOTEBOOKS_DIR, '..');

/** The kernel's name in every notebook's metadata (`deno jupyter --install` uses it too). */
export const KERNEL_NAME = 'deno';

/** Debian's Jupyter (the apt packages jupyter-notebook, jupyter-nbconvert, jupyter-client, python3-nbclient). */
export const JUPYTER = '/usr/bin/jupyter';

export const JUPYTER_INSTALL_HINT = 'apt-get install -y jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient';

/** Absolute path of the deno binary shipped in the npm package `deno` (its platform package's executable). */
export function denoBinary(): string {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  let path: string;
  try {
    // The package's own resolver: node_modules/deno/deno (linked at install), else @deno/<platform>/deno.
    path = (require('deno/install_api.cjs') as { runInstall(): string }).runInstall();
  } catch (e) {
    throw new Error(`the npm package "deno" is not installed or has no binary for this platform (run npm ci): ${(e as Error).message}`);
  }
  if (!existsSync(path)) throw new Error(`deno binary not found at ${path} (run npm ci)`);
  return realpathSync(path);
}

/** The kernelspec that runs the npm deno binary. */
export function kernelSpec(deno = denoBinary()) {
  return {
    argv: [deno, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno',
    language: 'typescript',
  };
}

/** Write the kernelspec under `<dir>/kernels/deno/` (a directory for JUPYTER_PATH). */
export function writeKernelSpec(dir: string, deno = denoBinary()): string {
  const k = join(dir, 'kernels', KERNEL_NAME);
  mkdirSync(k, { recursive: true });
  writeFileSync(join(k, 'kernel.json'), JSON.stringify(kernelSpec(deno), null, 2) + '\n');
  return k;
}

/** The notebooks, by name (file name without .ipynb), sorted. */
export function notebookNames(): string[] {
  return readdirSync(NOTEBOOKS_DIR)
    .filter((f) => f.endsWith('.ipynb'))
    .map((f) => f.replace(/\.ipynb$/, ''))
    .sort();
}
