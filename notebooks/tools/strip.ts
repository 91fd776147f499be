/**
 * `npm run notebooks:strip`: remove outputs, execution counts and execution metadata from every
 * notebook in notebooks/, so that committed notebooks never carry stale results (a test enforces
 * it). Writes the notebook as Jupyter does (keys sorted, one-space indent); `--check` only lists the
 * notebooks that would change and exits 1 if any would.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NOTEBOOKS_DIR, notebookNames } from './jupyter.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Keys sorted at every level (nbformat writes notebooks with sort_keys). */
function sorted(x: Json): Json {
  if (Array.isArray(x)) return x.map(sorted);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted(x[k])]));
  return x;
}

/** Metadata that running a cell adds (nbclient's timings, the classic UI's view state). */
const TRANSIENT_CELL_METADATA = ['execution', 'collapsed', 'scrolled', 'ExecuteTime'];

/** The notebook's text with no outputs and null execution counts. */
export function stripNotebook(text: string): string {
  const nb = JSON.parse(text) as { cells: Record<string, Json>[]; metadata?: Record<string, Json> };
  for (const cell of nb.cells) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    const md = (cell.metadata ?? {}) as Record<string, Json>;
    for (const k of TRANSIENT_CELL_METADATA) delete md[k];
    cell.metadata = md;
  }
  return JSON.stringify(sorted(nb as unknown as Json), null, 1) + '\n';
}

function main(): number {
  const check = process.argv.includes('--check');
  let changed = 0;
  for (const name of notebookNames()) {
    const path = join(NOTEBOOKS_DIR, `${name}.ipynb`);
    const before = readFileSync(path, 'utf8');
    const after = stripNotebook(before);
    if (after === before) continue;
    changed++;
    if (check) {
      console.log(`${name}.ipynb has outputs or execution counts (npm run notebooks:strip)`);
    } else {
      writeFileSync(`${path}.tmp`, after);
      renameSync(`${path}.tmp`, path);
      console.log(`stripped ${name}.ipynb`);
    }
  }
  if (!check && changed === 0) console.log('every notebook is already free of outputs');
  return check && changed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) process.exit(main());
