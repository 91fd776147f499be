/**
 * A bootstrap resample of replayed data as data (docs/replay.md, "Back-test"): the persons drawn
 * (engine/replay/bootstrap.ts weights: a person drawn k times appears k times) become new persons,
 * each with a copy of their enrollment row and all their claims, so that `calibrate` fits the
 * resample as it fits data. Person ids are not carried (the calibration does not read them).
 */
import type { Claims } from '../replay/claims.ts';
import type { Enrollment } from '../replay/enrollment.ts';
import type { ReplayData } from '../replay/replay.ts';

type Column = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Float64Array;

function gather<T extends Column>(a: T, from: ArrayLike<number>): T {
  const out = new (a.constructor as new (n: number) => T)(from.length);
  for (let k = 0; k < from.length; k++) out[k] = a[from[k]];
  return out;
}

/** The data with person p repeated weights[p] times (0: left out). */
export function resampleData(data: ReplayData, weights: Int32Array): ReplayData {
  const e = data.enrollment;
  const c = data.claims;
  const source: number[] = [];
  for (let p = 0; p < e.n; p++) for (let k = 0; k < weights[p]; k++) source.push(p);
  const enrollment: Enrollment = {
    ...e,
    n: source.length,
    birthYear: gather(e.birthYear, source),
    age: gather(e.age, source),
    male: gather(e.male, source),
    urban: gather(e.urban, source),
    county: gather(e.county, source),
    township: gather(e.township, source),
    village: gather(e.village, source),
    community: gather(e.community, source),
    conditions: gather(e.conditions, source),
    signed: gather(e.signed, source),
    signedFacility: gather(e.signedFacility, source),
    designated: gather(e.designated, source),
    from: gather(e.from, source),
    to: gather(e.to, source),
    row: gather(e.row, source),
  };
  // Claims by person (counting sort), then each new person's copy of them.
  const start = new Int32Array(e.n + 1);
  for (let i = 0; i < c.n; i++) start[c.person[i] + 1]++;
  for (let p = 0; p < e.n; p++) start[p + 1] += start[p];
  const byPerson = new Int32Array(c.n);
  const fill = start.slice(0, e.n);
  for (let i = 0; i < c.n; i++) byPerson[fill[c.person[i]]++] = i;
  const rows: number[] = [];
  const person: number[] = [];
  source.forEach((p, q) => {
    for (let k = start[p]; k < start[p + 1]; k++) {
      rows.push(byPerson[k]);
      person.push(q);
    }
  });
  const claims: Claims = {
    ...c,
    n: rows.length,
    person: Int32Array.from(person),
    ymd: gather(c.ymd, rows),
    facility: gather(c.facility, rows),
    tier: gather(c.tier, rows),
    inpatient: gather(c.inpatient, rows),
    offSite: gather(c.offSite, rows),
    cost: gather(c.cost, rows),
    eligible: gather(c.eligible, rows),
    fund: gather(c.fund, rows),
    patient: gather(c.patient, rows),
    drug: gather(c.drug, rows),
    days: gather(c.days, rows),
    row: gather(c.row, rows),
  };
  return { ...data, enrollment, claims };
}
