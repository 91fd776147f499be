/**
 * The committed notebooks: free of outputs (no stale results), on the Deno kernel, importing
 * fundcast only through its public API, and each with a declared list of the files it writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPECTED } from '../../notebooks/tools/artefacts.ts';
import { KERNEL_NAME, NOTEBOOKS_DIR, notebookNames } from '../../notebooks/tools/jupyter.ts';
import { stripNotebook } from '../../notebooks/tools/strip.ts';

interface Cell {
  cell_type: string;
  source: string[] | string;
  outputs?: unknown[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string; language?: string } };
  nbformat: number;
}

const read = (name: string): Notebook => JSON.parse(readFileSync(join(NOTEBOOKS_DIR, `${name}.ipynb`), 'utf8')) as Notebook;
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
/** Module specifiers of static and dynamic imports. */
const imports = (code: string) => [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('notebooks/', () => {
  const names = notebookNames();

  it('holds the four notebooks of issue 8', () => {
    expect(names).toEqual(expect.arrayContaining(['capitation-pilot', 'fund-forecast', 'payment-comparison', 'replay-and-calibrate']));
  });

  it.each(names)('%s.ipynb has no outputs and null execution counts (npm run notebooks:strip)', (name) => {
    const nb = read(name);
    const dirty = nb.cells.map((c, i) => ({ i: i + 1, c })).filter(({ c }) => c.cell_type === 'code' && ((c.outputs ?? []).length > 0 || c.execution_count !== null));
    expect(dirty.map(({ i }) => `cell ${i}`), `${name}.ipynb carries outputs; run npm run notebooks:strip`).toEqual([]);
  });

  it.each(names)('%s.ipynb runs on the Deno kernel, nbformat 4', (name) => {
    const nb = read(name);
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec?.name).toBe(KERNEL_NAME);
    expect(nb.metadata.kernelspec?.language).toBe('typescript');
  });

  it.each(names)('%s.ipynb imports fundcast only through engine/index.ts', (name) => {
    const specs = read(name).cells.filter((c) => c.cell_type === 'code').flatMap((c) => imports(text(c)));
    const internal = specs.filter((s) => s.includes('engine/') && s !== '../engine/index.ts');
    expect(internal).toEqual([]);
    expect(specs).toContain('../engine/index.ts');
  });

  it('the notebooks\' helper imports fundcast only through engine/index.ts', () => {
    const specs = imports(readFileSync(join(NOTEBOOKS_DIR, 'lib', 'notebook.ts'), 'utf8'));
    expect(specs.filter((s) => s.includes('engine/'))).toEqual(['../../engine/index.ts']);
  });

  it.each(names)('%s declares the files it writes (notebooks/tools/artefacts.ts)', (name) => {
    expect(Object.keys(EXPECTED)).toContain(name);
  });

  it('notebooks:strip removes outputs, execution counts and execution metadata', () => {
    const dirty = JSON.stringify({
      cells: [
        { cell_type: 'markdown', id: 'a', metadata: {}, source: ['# t'] },
        { cell_type: 'code', id: 'b', execution_count: 3, metadata: { execution: { 'iopub.execute_input': 'x' }, tags: ['keep'] }, outputs: [{ output_type: 'stream', name: 'stdout', text: ['hi'] }], source: ['1'] },
      ],
      metadata: { kernelspec: { name: 'deno', display_name: 'Deno', language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5,
    });
    const clean = JSON.parse(stripNotebook(dirty)) as { cells: { outputs?: unknown[]; execution_count?: unknown; metadata: Record<string, unknown> }[] };
    expect(clean.cells[1].outputs).toEqual([]);
    expect(clean.cells[1].execution_count).toBeNull();
    expect(clean.cells[1].metadata).toEqual({ tags: ['keep'] });
    expect(stripNotebook(stripNotebook(dirty))).toBe(stripNotebook(dirty));
  });
});
