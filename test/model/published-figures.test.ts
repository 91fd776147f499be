// The default scenario against published figures (docs/model.md, "The defaults against published
// figures"): each figure within 10% of its published value, or marked as differing with the reason;
// and the table in docs/model.md shows these very figures with the values a run gives.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../engine/params/load.ts';
import { runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import { FIGURES, RUN_RESIDENTS } from './published-figures.ts';

/** The default's rules, parameters at their stated values, on 400,000 residents (rates do not depend on size). */
const TEXT = `fundcast: 1
extends: wuhu-default
name: published-figures
replications: 3
horizon: { startYear: 2025, years: 1 }
uncertainty: []
region:
  counties:
    - { id: a, name: 甲县, residents: ${RUN_RESIDENTS.run / 2}, urbanShare: 0.7 }
    - { id: b, name: 乙县, residents: ${RUN_RESIDENTS.run / 2}, urbanShare: 0.45 }
`;

const DOC = readFileSync(new URL('../../docs/model.md', import.meta.url), 'utf8');

describe('the default scenario against published figures', () => {
  let run: RunResult;
  beforeAll(async () => {
    run = await runScenario(parseScenarioText(TEXT, '<published-figures>'), { workers: 1 });
  }, 300_000);

  it('has at least ten figures, each with a source', () => {
    expect(FIGURES.length).toBeGreaterThanOrEqual(10);
    for (const f of FIGURES) expect(f.source.length).toBeGreaterThan(10);
  });

  for (const f of FIGURES) {
    it(`${f.id}: ${f.what} — within 10% of ${f.published}, or the table says why not`, () => {
      const v = f.model(run.scenario, run.summary);
      expect(Number.isFinite(v), `${f.id} = ${v}`).toBe(true);
      const rel = Math.abs(v / f.published - 1);
      if (f.differs) expect(rel, `${f.id} is marked as differing but is within 10%: ${v} vs ${f.published}`).toBeGreaterThan(0.1);
      else expect(rel, `${f.id}: model ${v} vs published ${f.published}`).toBeLessThanOrEqual(0.1);
      // docs/model.md's row: | id | … | published | … | model | … (the model value within 3% of this run's)
      const row = DOC.split('\n').find((l) => l.startsWith(`| ${f.id} |`));
      expect(row, `docs/model.md has no row for ${f.id}`).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      const num = (c: string) => Number(c.replace(/[,%]/g, '')) / (c.endsWith('%') ? 100 : 1);
      expect(num(cells[3]), `${f.id}: published value in docs/model.md`).toBeCloseTo(f.published, 6);
      expect(Math.abs(num(cells[5]) / v - 1), `${f.id}: docs/model.md says ${cells[5]}, this run gives ${v}`).toBeLessThan(0.03);
      expect(cells[6], `${f.id}: docs/model.md's verdict`).toBe(f.differs ? 'differs' : 'within 10%');
    });
  }
});
