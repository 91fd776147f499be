/**
 * Bootstrap of a replay: replicate r resamples the active patients with replacement (as many draws
 * as there are patients), each draw from the seeded stream (seed, r, 0, Purpose.bootstrap) of
 * engine/rng. A patient drawn k times counts k times: all their claims and patient-years. Same
 * seed → same replicates, on any machine; replicate r never depends on how many others are run.
 */
import { Purpose, Rng, streamState } from '../rng/stream.ts';

/** How many times each person (index < nPersons) is drawn in replicate `r`. */
export function bootstrapWeights(seed: number, r: number, active: Int32Array, nPersons: number): Int32Array {
  const rng = new Rng(streamState(seed, r, 0, Purpose.bootstrap));
  const w = new Int32Array(nPersons);
  const n = active.length;
  for (let k = 0; k < n; k++) w[active[rng.int(n)]]++;
  return w;
}
