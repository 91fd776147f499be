/**
 * The bad-flag corpus (test/invalid/flags/cases.yaml): every case exits 2 with exactly its error
 * line — an unknown flag with the closest known one, a missing value, a number out of range named
 * with its range — never parseArgs's own wording ("ambiguous", "To specify a positional argument").
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inProcess } from '../helpers/cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cases = parse(readFileSync(join(ROOT, 'test/invalid/flags/cases.yaml'), 'utf8')) as { args: string[]; error: string }[];

describe('bad flags (test/invalid/flags): exit 2 with the exact message', () => {
  it.each(cases.map((c) => [c.args.join(' '), c] as const))('fundcast %s', async (_, c) => {
    const o = await inProcess(c.args);
    expect(o.code).toBe(2);
    expect(o.stderr.trim()).toBe(c.error);
    expect(o.stderr).not.toMatch(/ambiguous|To specify a positional|^\s+at /m);
  });
});
