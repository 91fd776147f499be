// Scenario loading and validation: the default validates; every bad input is a ScenarioError whose
// issues name the file, the line, the parameter path and the rule broken.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FundcastError, ScenarioError, formatIssue, type ScenarioIssue } from '../../engine/errors.ts';
import { at } from '../../engine/params/param.ts';
import { valueAt, valueOn, type Dated } from '../../engine/params/dated.ts';
import { jsonSchema } from '../../engine/params/json-schema.ts';
import { embeddedScenarios, loadScenario, parseScenarioText, scenarioHash } from '../../engine/params/load.ts';

const DEFAULT_FILE = resolve(import.meta.dirname, '../../scenarios/wuhu-default.yaml');
const DEFAULT_TEXT = readFileSync(DEFAULT_FILE, 'utf8');

/** The issues of a scenario text that must be invalid. */
function issuesOf(text: string, file = '<text>'): ScenarioIssue[] {
  try {
    parseScenarioText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).issues;
  }
  throw new Error('expected the scenario to be rejected, but it validated');
}

/** 1-based number of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`test bug: "${needle}" not in text`);
  return i + 1;
}

const child = (body: string) => `extends: wuhu-default\nname: child\n${body}`;

describe('the default scenario', () => {
  it('validates, by name and by path, with a stable hash', () => {
    expect(embeddedScenarios()).toContain('wuhu-default');
    const l = loadScenario();
    expect(l.scenario.name).toBe('wuhu-default');
    expect(l.scenario.fundcast).toBe(1);
    expect(l.files).toEqual([DEFAULT_FILE]);
    expect(l.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(l.hash).toBe(scenarioHash(l.scenario));
    expect(loadScenario(DEFAULT_FILE).hash).toBe(l.hash);
    expect(parseScenarioText(DEFAULT_TEXT).hash).toBe(l.hash);
    expect(l.scenario.ledger.reserveMonths).toEqual({ severe: 3, low: 6, normal: 9, excessive: 15 });
  });

  it('a change of one value changes the hash', () => {
    const a = parseScenarioText(child('seed: 1\n'));
    const b = parseScenarioText(child('seed: 2\n'));
    expect(a.hash).not.toBe(b.hash);
  });
});

describe('invalid scenarios are reported with file, line, path and rule', () => {
  it('unknown key: benefits.deductable → did you mean "deductible"', () => {
    const text = child(`benefits:
  deductable:
    unit: yuan/year
    source: "assumption: typo"
    value: 200
`);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    const [i] = issues;
    expect(i.path).toBe('benefits.deductable');
    expect(i.file).toBe('<text>');
    expect(i.line).toBe(lineOf(text, 'deductable:'));
    expect(i.column).toBe(3);
    expect(i.rule).toContain('did you mean "deductible"');
    expect(formatIssue(i)).toBe(`<text>:${lineOf(text, 'deductable:')}:3: benefits.deductable: ${i.rule}`);
  });

  it('a ratio of 55 instead of 0.55 → path and rule "≤ 1"', () => {
    const text = child(`benefits:
  ratio:
    unit: share
    source: "assumption: percent by mistake"
    value: { village: 0.65, township: 0.6, hospital: 55 }
`);
    const [i, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(i.path).toBe('benefits.ratio.value.hospital');
    expect(i.rule).toContain('≤ 1');
    expect(i.rule).toContain('55');
    expect(i.line).toBe(lineOf(text, 'hospital: 55'));
  });

  it('the wrong unit → names the unit required', () => {
    const text = child(`benefits:
  deductible:
    unit: fen
    source: "assumption: wrong unit"
    value: 20000
`);
    const [i] = issuesOf(text);
    expect(i.path).toBe('benefits.deductible.unit');
    expect(i.rule).toContain('yuan/year');
    expect(i.line).toBe(lineOf(text, 'unit: fen'));
  });

  it('a missing source → error at the parameter (stand-alone file)', () => {
    const text = DEFAULT_TEXT.replace(/(  annualCap:\n    unit: yuan\/year\n)    source: [^\n]*\n/, '$1');
    expect(text).not.toBe(DEFAULT_TEXT);
    const issues = issuesOf(text, 'mine.yaml');
    expect(issues.map((i) => i.path)).toEqual(['benefits.annualCap.source']);
    expect(issues[0].rule).toMatch(/source/);
    expect(issues[0].file).toBe('mine.yaml');
    const paramLine = lineOf(text, '  annualCap:');
    expect(issues[0].line).toBeGreaterThanOrEqual(paramLine);
    expect(issues[0].line).toBeLessThanOrEqual(paramLine + 3);
  });

  // Regression (fixed): when a child scenario restated a parameter without its source, the
  // error pointed at the *base* scenario's source line (in scenarios/wuhu-default.yaml), because
  // load.ts `where()` took the first file that has the path — but dated parameters are replaced
  // whole by the child, so the base file's `source` is not what was validated.
  it('a missing source in a child scenario is reported in the child file, not in the base', () => {
    const text = child(`benefits:
  deductible:
    unit: yuan/year
    value: 300
`);
    const issues = issuesOf(text, 'child.yaml');
    expect(issues.map((i) => i.path)).toEqual(['benefits.deductible.source']);
    expect(issues[0].file).toBe('child.yaml');
    expect(issues[0].line).toBeGreaterThanOrEqual(lineOf(text, 'deductible:'));
    expect(issues[0].line).toBeLessThanOrEqual(lineOf(text, 'value: 300'));
  });

  it('tier preferences not summing to 1 → path of the residence and "sum to 1"', () => {
    const text = child(`utilization:
  tierPreference:
    unit: share
    source: "assumption: test"
    value:
      rural: { village: 0.5, township: 0.3, hospital: 0.3 }
      urban: { village: 0.25, township: 0.40, hospital: 0.35 }
`);
    const [i, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(i.path).toBe('utilization.tierPreference.value.rural');
    expect(i.rule).toMatch(/sum to 1/);
    expect(i.rule).toContain('1.1');
    expect(i.file).toBe('<text>');
    expect(i.line).toBe(lineOf(text, 'rural:'));
  });

  it('dated values whose earliest date is after the horizon start → no value in force', () => {
    const text = child(`benefits:
  deductible:
    unit: yuan/year
    source: "assumption: starts too late"
    values: { "2026-01-01": 300, "2027-01-01": 350 }
`);
    const [i, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(i.path).toBe('benefits.deductible.values');
    expect(i.rule).toContain('2025-01-01');
    expect(i.rule).toContain('2026-01-01');
    expect(i.line).toBe(lineOf(text, 'values:'));
  });

  // Regression (fixed): the rule written for date keys in schema.ts ("an effective date is
  // written YYYY-MM-DD and must be a real date") was lost; zod reported "Invalid key in record (got 300)",
  // which showed the value, not the bad key, and named no rule.
  it('an effective date that is not a real date is rejected, naming the YYYY-MM-DD rule', () => {
    const text = child(`benefits:
  deductible:
    unit: yuan/year
    source: "assumption: bad date"
    values: { "2019-01-01": 200, "2025-02-30": 300 }
`);
    const [i, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(i.path).toBe('benefits.deductible.values.2025-02-30');
    expect(i.line).toBe(lineOf(text, '2025-02-30'));
    expect(i.rule).toContain('YYYY-MM-DD');
  });

  it('both value and values, or neither → error', () => {
    const both = issuesOf(child(`benefits:\n  deductible:\n    unit: yuan/year\n    source: "assumption: x"\n    value: 1\n    values: { "2019-01-01": 2 }\n`));
    expect(both.map((i) => i.path)).toEqual(['benefits.deductible']);
    expect(both[0].rule).toMatch(/exactly one/);
  });

  it('malformed YAML → error with a line', () => {
    const text = child(`benefits:
  deductible: { unit: yuan/year, source: "x
`);
    const issues = issuesOf(text);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].rule).toMatch(/not valid YAML/);
    expect(issues[0].line).toBeGreaterThanOrEqual(lineOf(text, 'deductible:'));
    const text2 = 'fundcast: 1\nname: x\nhorizon:\n  startYear: 2025\n   years: 3\n';
    const [j] = issuesOf(text2);
    expect([4, 5]).toContain(j.line); // the yaml parser flags the mapping the bad indentation breaks
  });

  it('a duplicate key → error naming the line of the second one', () => {
    const text = child('seed: 1\nreplications: 2\nseed: 2\n');
    const [i] = issuesOf(text);
    expect(i.rule).toMatch(/the key "seed" is given twice in this mapping \(first on line 3\)/);
    expect(i.line).toBe(5);
  });

  it('`fundcast: 1` missing or wrong → error', () => {
    const text = DEFAULT_TEXT.replace(/^fundcast: 1\n/m, '');
    expect(text).not.toBe(DEFAULT_TEXT);
    const [i, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(i.path).toBe('fundcast');
    expect(i.rule).toContain('fundcast: 1');
    const [j] = issuesOf(child('fundcast: 2\n'));
    expect(j.path).toBe('fundcast');
    expect(j.line).toBe(3);
  });

  it('a file that is not a mapping → error', () => {
    const [i] = issuesOf('- just\n- a list\n');
    expect(i.rule).toMatch(/mapping/);
  });

  it('every problem is reported at once', () => {
    const text = child(`seed: -1
benefits:
  deductable: { unit: yuan/year, source: "assumption: x", value: 1 }
  annualCap: { unit: yuan/year, source: "assumption: x", value: -5 }
`);
    const paths = issuesOf(text).map((i) => i.path).sort();
    expect(paths).toEqual(['benefits.annualCap.value', 'benefits.deductable', 'seed']);
  });

  it('ScenarioError is a FundcastError with exit code 2 and a message listing each issue', () => {
    try {
      parseScenarioText(child('seed: -1\n'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FundcastError);
      expect((e as FundcastError).exitCode).toBe(2);
      expect((e as Error).message).toContain('<text>:3');
      expect((e as Error).message).toContain('seed');
    }
  });
});

describe('extends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fundcast-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a child overrides one dated parameter and inherits the rest', () => {
    const base = loadScenario().scenario;
    const l = parseScenarioText(child(`benefits:
  deductible:
    unit: yuan/year
    source: "assumption: higher deductible"
    values: { "2019-01-01": 200, "2026-01-01": 300 }
`));
    const s = l.scenario;
    expect(s.name).toBe('child');
    expect(s.benefits.deductible.values).toEqual({ '2019-01-01': 200, '2026-01-01': 300 });
    // replaced whole: the base's `value` does not leak in beside the child's `values`
    expect(s.benefits.deductible.value).toBeUndefined();
    expect(at(s.benefits.deductible, 2025)).toBe(200);
    expect(at(s.benefits.deductible, 2026)).toBe(300);
    // everything else inherited
    expect(s.benefits.ratio).toEqual(base.benefits.ratio);
    expect(s.benefits.annualCap).toEqual(base.benefits.annualCap);
    expect(s.benefits.inpatient).toEqual(base.benefits.inpatient);
    expect(s.region).toEqual(base.region);
    expect(s.seed).toBe(base.seed);
    expect(l.files).toEqual(['<text>', DEFAULT_FILE]);
    expect(l.hash).not.toBe(loadScenario().hash);
  });

  it('a chain of files merges in order (grandchild over child over base), paths relative to each file', () => {
    writeFileSync(join(dir, 'a.yaml'), `fundcast: 1\nextends: ${DEFAULT_FILE}\nname: a\nseed: 7\nbenefits:\n  annualCap: { unit: yuan/year, source: "assumption: a", value: 4000 }\n`);
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ fundcast: 1, extends: './a.yaml', name: 'b', benefits: { deductible: { unit: 'yuan/year', source: 'assumption: b', value: 100 } } }));
    const l = loadScenario(join(dir, 'b.json'));
    expect(l.files).toEqual([join(dir, 'b.json'), join(dir, 'a.yaml'), DEFAULT_FILE]);
    expect(l.scenario.name).toBe('b');
    expect(l.scenario.seed).toBe(7);
    expect(l.scenario.benefits.annualCap.value).toBe(4000);
    expect(l.scenario.benefits.deductible.value).toBe(100);
    expect(l.scenario.benefits.ratio).toEqual(loadScenario().scenario.benefits.ratio);
  });

  it('an error in a child file names that file and line', () => {
    const p = join(dir, 'bad.yaml');
    writeFileSync(p, `fundcast: 1\nextends: wuhu-default\nname: bad\nbenefits:\n  ratio: { unit: share, source: "assumption: x", value: { village: 65, township: 0.6, hospital: 0.55 } }\n`);
    try {
      loadScenario(p);
      expect.unreachable();
    } catch (e) {
      const [i] = (e as ScenarioError).issues;
      expect(i.file).toBe(p);
      expect(i.line).toBe(5);
      expect(i.path).toBe('benefits.ratio.value.village');
    }
  });

  it('a cycle, a missing parent and an unknown file are errors', () => {
    writeFileSync(join(dir, 'x.yaml'), 'fundcast: 1\nextends: ./y.yaml\nname: x\n');
    writeFileSync(join(dir, 'y.yaml'), 'fundcast: 1\nextends: ./x.yaml\nname: y\n');
    expect(() => loadScenario(join(dir, 'x.yaml'))).toThrow(/cycle/);
    writeFileSync(join(dir, 'orphan.yaml'), 'fundcast: 1\nname: orphan\nextends: ./no-such-scenario.yaml\n');
    try {
      loadScenario(join(dir, 'orphan.yaml'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const [i] = (e as ScenarioError).issues;
      expect(i.path).toBe('extends');
      expect(i.line).toBe(3);
      expect(i.rule).toContain('no-such-scenario');
    }
    expect(() => parseScenarioText(child('').replace('wuhu-default', 'no-such-scenario'))).toThrow(/no-such-scenario/);
    expect(() => loadScenario(join(dir, 'nope.yaml'))).toThrow(FundcastError);
    writeFileSync(join(dir, 'scenario.txt'), 'fundcast: 1\n');
    expect(() => loadScenario(join(dir, 'scenario.txt'))).toThrow(/unsupported file type/);
  });
});

describe('dated values', () => {
  const p: Dated<number> = {
    unit: 'yuan/year',
    source: 'assumption: test',
    values: [
      { from: '2019-01-01', value: 200 },
      { from: '2025-05-01', value: 300 },
      { from: '2027-01-01', value: 400 },
    ],
  };

  it('valueOn picks the value in force on a date (from its date until the next)', () => {
    expect(valueOn(p, '2018-12-31')).toBeUndefined();
    expect(valueOn(p, '2019-01-01')).toBe(200);
    expect(valueOn(p, '2025-04-30')).toBe(200);
    expect(valueOn(p, '2025-05-01')).toBe(300);
    expect(valueOn(p, '2026-12-31')).toBe(300);
    expect(valueOn(p, '2030-06-01')).toBe(400);
  });

  it('valueAt reads the first day of a month and throws when nothing is in force yet', () => {
    expect(valueAt(p, 2025, 4)).toBe(200);
    expect(valueAt(p, 2025, 5)).toBe(300);
    expect(valueAt(p, 2025)).toBe(200);
    expect(valueAt(p, 2027)).toBe(400);
    expect(() => valueAt(p, 2018, 12)).toThrow(RangeError);
  });

  it('at() on a scenario parameter: `value` holds since always; `values` may be written in any order', () => {
    const s = loadScenario().scenario;
    expect(at(s.benefits.deductible, 1990)).toBe(200);
    expect(at(s.benefits.signingWaivesDeductible, 2025, 4)).toBe(false);
    expect(at(s.benefits.signingWaivesDeductible, 2025, 5)).toBe(true);
    expect(at(s.financing.perCapita, 2024)).toEqual({ subsidy: 670, individual: 400 });
    const unordered = { unit: 'x', source: 'assumption', values: { '2030-01-01': 3, '2019-01-01': 1, '2025-01-01': 2 } };
    expect([at(unordered, 2020), at(unordered, 2025), at(unordered, 2031)]).toEqual([1, 2, 3]);
  });
});

describe('jsonSchema', () => {
  it('describes the scenario format', () => {
    const js = jsonSchema() as { $schema?: string; properties?: Record<string, unknown>; required?: string[] };
    expect(js.$schema).toMatch(/json-schema\.org/);
    expect(js.properties).toHaveProperty('benefits');
    expect(js.properties).toHaveProperty('region');
    expect(js.required).toContain('fundcast');
    expect(JSON.parse(JSON.stringify(js))).toEqual(js);
  });
});
