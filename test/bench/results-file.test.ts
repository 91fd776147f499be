import { describe, expect, it } from 'vitest';
import { defaultWorkerCounts, mergeResults } from '../../bench/results-file.ts';

describe('bench: scaling worker counts', () => {
  it('doubles up to the cores available and ends at the cores when they are not a power of two', () => {
    expect(defaultWorkerCounts(1)).toEqual([1]);
    expect(defaultWorkerCounts(2)).toEqual([1, 2]);
    expect(defaultWorkerCounts(6)).toEqual([1, 2, 4, 6]);
    expect(defaultWorkerCounts(16)).toEqual([1, 2, 4, 8, 16]);
    expect(defaultWorkerCounts(12)).toEqual([1, 2, 4, 8, 12]);
    // 1–16 workers is the curve asked for; more cores do not add counts
    expect(defaultWorkerCounts(64)).toEqual([1, 2, 4, 8, 16]);
  });
});

describe('bench: --merge', () => {
  const old = {
    about: 'old',
    machine: { cpuCount: 2, date: 'then' },
    flags: { only: ['w', 'engine'] },
    units: {},
    w: { fundcast: [1] },
    engine: { configurations: [2] },
  };
  const run = { about: 'new', machine: { cpuCount: 16, date: 'now' }, flags: { only: ['scaling'] }, units: {}, scaling: { workers: [1, 2, 4] } };

  it('keeps the parts this run did not measure, each with the machine and flags it was measured with', () => {
    const m = mergeResults(old, run);
    expect(Object.keys(m)).toEqual(['about', 'machine', 'flags', 'units', 'w', 'engine', 'scaling']);
    expect(m.machine).toEqual(run.machine);
    expect(m.flags).toEqual(run.flags);
    expect(m.w).toEqual({ measuredBy: { machine: old.machine, flags: old.flags }, fundcast: [1] });
    expect(m.scaling).toEqual(run.scaling);
    expect(m.scaling).not.toHaveProperty('measuredBy');
  });

  it('replaces a part this run measured again, and a part kept twice keeps its first measuredBy', () => {
    const once = mergeResults(old, run);
    const again = { ...run, machine: { cpuCount: 4, date: 'later' }, flags: { only: ['engine'] }, engine: { configurations: [3] } };
    delete (again as Record<string, unknown>).scaling;
    const twice = mergeResults(once, again);
    expect(twice.engine).toEqual({ configurations: [3] });
    expect((twice.w as { measuredBy: unknown }).measuredBy).toEqual({ machine: old.machine, flags: old.flags });
    expect((twice.scaling as { measuredBy: unknown }).measuredBy).toEqual({ machine: run.machine, flags: run.flags });
  });
});
