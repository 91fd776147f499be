/**
 * Pure helpers of `npm run bench` (bench/run.ts) that decide what is measured and what is written:
 * the scaling part's default worker counts, and merging a run's parts into an existing results file.
 */

/** The header of a results file: what describes the run rather than measures something. */
const HEADER = new Set(['about', 'machine', 'flags', 'units']);

/**
 * The scaling part's default worker counts: 1, 2, 4, 8, 16 up to the cores available, and the number
 * of cores itself when it is not one of them (and at most 16).
 * @example defaultWorkerCounts(6) // [1, 2, 4, 6]
 */
export function defaultWorkerCounts(cores: number): number[] {
  const ws = [1, 2, 4, 8, 16].filter((w) => w <= cores);
  if (!ws.includes(cores) && cores <= 16) ws.push(cores);
  return ws;
}

/**
 * `--merge`: this run's `results` (its header — about, machine, flags, units — and the parts it
 * measured), with every part of `old` that this run did not measure kept, each with the machine
 * and flags it was measured with as `measuredBy` (a part kept before keeps its own `measuredBy`).
 * So a scaling curve taken on a larger machine can sit beside the 2-core measurements and say whose
 * it is.
 */
export function mergeResults(old: Record<string, unknown>, results: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.keys(old).filter((k) => !HEADER.has(k) && !(k in results) && typeof old[k] === 'object' && old[k] !== null);
  const keptParts = kept.map((k) => {
    const part = old[k] as Record<string, unknown>;
    return [k, { measuredBy: part.measuredBy ?? { machine: old.machine, flags: old.flags }, ...part }] as const;
  });
  const entries = Object.entries(results);
  return Object.fromEntries([...entries.filter(([k]) => HEADER.has(k)), ...keptParts, ...entries.filter(([k]) => !HEADER.has(k))]);
}
