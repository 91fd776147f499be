/**
 * Scenario file limits (docs/reliability.md §Limits): a file over the size or key limit is refused
 * with a clear error before it is parsed whole; a key given twice is found in one pass with its
 * line and column, however many keys the mapping has.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenarioText, ScenarioError } from '../../engine/index.ts';
import { MAX_SCENARIO_BYTES, MAX_SCENARIO_KEYS } from '../../engine/params/limits.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fundcast-limits-'));
const head = 'fundcast: 1\nname: big\nextends: wuhu-default\nextra:\n';
const keys = (n: number) => Array.from({ length: n }, (_, i) => `  k${i}: ${i}\n`).join('');

function errorOf(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('not refused');
}

describe('scenario file limits', () => {
  it(`a file over ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB is refused before it is read`, () => {
    const file = join(tmp, 'huge.yaml');
    writeFileSync(file, head + '#'.repeat(MAX_SCENARIO_BYTES) + '\n');
    const e = errorOf(() => loadScenario(file));
    expect(e.message).toContain(`${file}: (top level): the file is 1.0 MiB; a scenario file may be at most 1 MiB (docs/reliability.md §Limits`);
    expect(errorOf(() => parseScenarioText(head + keys(200_000), 'text.yaml')).message).toMatch(/text\.yaml: \(top level\): the file is 3\.\d MiB; a scenario file may be at most 1 MiB/);
  });

  it(`more than ${MAX_SCENARIO_KEYS.toLocaleString('en-US')} keys are refused`, () => {
    const e = errorOf(() => parseScenarioText(head + keys(MAX_SCENARIO_KEYS + 1), 'many.yaml'));
    expect(e.message).toContain(`many.yaml:5:3: extra: more than 20,000 keys; a scenario file may have at most 20,000`);
  });

  it('a key given twice among thousands is found, with its line and column', () => {
    const n = MAX_SCENARIO_KEYS - 100;
    const e = errorOf(() => parseScenarioText(head + keys(n) + '  k17: again\n', 'dup.yaml'));
    expect(e.issues).toHaveLength(1);
    expect(e.message).toContain(`dup.yaml:${5 + n}:3: extra.k17: the key "k17" is given twice in this mapping (first on line ${5 + 17})`);
  });

  it('keys given twice at several depths are each named, in line order', () => {
    const e = errorOf(() => parseScenarioText('fundcast: 1\nname: a\na:\n  b: 1\n  c: [ { d: 1, d: 2 } ]\n  b: 2\nname: b\n', 'x.yaml'));
    expect(e.issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual(['5:16 a.c.0.d', '6:3 a.b', '7:1 name']);
  });
});
