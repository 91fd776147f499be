/**
 * The enrollment file → registered persons as typed-array columns (one index per loaded person).
 * Rows are rejected (with row, line, column and rule) for: a wrong number of fields, an empty
 * person id / county / conditions, a duplicate person id, no recognised condition, a bad birth
 * year, age or date, or a value outside those allowed (sex, residence, signed).
 */
import { mapColumns, type ColumnMap, type UserMapping } from './columns.ts';
import { parseConditions } from './conditions.ts';
import type { RowSink } from './csv.ts';
import type { FacilityTable } from './facilities.ts';
import { grown } from './grow.ts';
import { ByteInterner, Categorical } from './interner.ts';
import type { TableSource } from './source.ts';
import { RowLog, type Reason } from './validate.ts';
import { BLANK, classifyResidence, classifySex, classifyYesNo, INVALID, isBlank, parseDate, parseWhole, text, trimEnd, trimStart, ymdText } from './values.ts';

export interface Enrollment {
  /** Loaded persons. */
  n: number;
  /** Person ids of loaded persons (interner id = person index). */
  ids: ByteInterner;
  /** Ids of rejected rows, with the row, to explain a claim's "person not enrolled". */
  rejectedIds: ByteInterner;
  rejectedRow: number[];
  /** Birth year, or -1; age at the start of the period, or -1 (when only age is given). */
  birthYear: Int16Array;
  age: Int16Array;
  /** 1 male, 0 female, -1 unknown. */
  male: Int8Array;
  /** 1 urban, 0 rural, -1 unknown. */
  urban: Int8Array;
  /** Place ids (interners below); -1 when not given. */
  county: Int32Array;
  township: Int32Array;
  village: Int32Array;
  community: Int32Array;
  places: { county: ByteInterner; township: ByteInterner; village: ByteInterner; community: ByteInterner };
  /** Mask over `universe` (conditions.ts). */
  conditions: Uint16Array;
  universe: string[];
  signed: Uint8Array;
  /** Facility ids (FacilityTable), -1 when not given. */
  signedFacility: Int32Array;
  designated: Int32Array;
  /** Registration dates, YYYYMMDD (0 = since always, 99991231 = still registered). */
  from: Int32Array;
  to: Int32Array;
  /** Source row of each person. */
  row: Int32Array;
  /** Which optional columns the file has. */
  has: { age: boolean; sex: boolean; residence: boolean; community: boolean; designated: boolean; dates: boolean };
}

export const OPEN_END = 99991231;

export function loadEnrollment(src: TableSource, facilities: FacilityTable, universe: string[], mapping: UserMapping | undefined, require?: string[]): { enrollment: Enrollment; log: RowLog; map: ColumnMap } {
  const map = mapColumns('enrollment', src.headers, src.path, src.headerLine, mapping, require);
  const log = new RowLog('enrollment', src.path, src.headers);
  const ix = map.index;
  const nCols = src.headers.length;
  const places = { county: new ByteInterner(64), township: new ByteInterner(256), village: new ByteInterner(1024), community: new ByteInterner(64) };
  const ids = new ByteInterner(4096);
  const rejectedIds = new ByteInterner(64);
  const rejectedRow: number[] = [];
  let cap = 4096;
  const e = {
    birthYear: new Int16Array(cap),
    age: new Int16Array(cap),
    male: new Int8Array(cap),
    urban: new Int8Array(cap),
    county: new Int32Array(cap),
    township: new Int32Array(cap),
    village: new Int32Array(cap),
    community: new Int32Array(cap),
    conditions: new Uint16Array(cap),
    signed: new Uint8Array(cap),
    signedFacility: new Int32Array(cap),
    designated: new Int32Array(cap),
    from: new Int32Array(cap),
    to: new Int32Array(cap),
    row: new Int32Array(cap),
  };
  const sex = new Categorical(classifySex);
  const res = new Categorical(classifyResidence);
  const yes = new Categorical(classifyYesNo);
  const condCache = new Map<string, { mask: number; unknown: string[] }>();
  let n = 0;
  const required = ['person_id', 'county', 'conditions', ...(require ?? [])].filter((k) => ix[k] >= 0);
  const place = (int: ByteInterner, k: string, buf: Uint8Array, st: Int32Array, en: Int32Array) => {
    if (ix[k] < 0) return -1;
    const s = trimStart(buf, st[ix[k]], en[ix[k]]);
    const t = trimEnd(buf, s, en[ix[k]]);
    return s === t ? -1 : int.intern(buf, s, t);
  };
  // Every person id read, with its first row: a repeated id is a duplicate even when its first row
  // was rejected.
  const seen = new ByteInterner(4096);
  const seenRow: number[] = [];
  const reject = (buf: Uint8Array, st: Int32Array, en: Int32Array, nf: number, row: number, line: number, reason: Reason, column: string, value: string, detail = '') => {
    if (ix.person_id >= 0 && ix.person_id < nf) {
      const s = trimStart(buf, st[ix.person_id], en[ix.person_id]);
      const t = trimEnd(buf, s, en[ix.person_id]);
      if (s < t) {
        rejectedIds.intern(buf, s, t);
        if (rejectedIds.added) rejectedRow.push(row);
      }
    }
    log.reject(buf, st, en, nf, row, line, reason, column, value, detail);
  };

  const sink: RowSink = (buf, st, en, nf, row, line) => {
    log.read++;
    const undecodable = src.undecodable?.(buf, st, en, nf, line);
    if (undecodable) return reject(buf, st, en, nf, row, line, 'encoding', src.headers[undecodable.field] ?? '', text(buf, st[undecodable.field], en[undecodable.field]), undecodable.why);
    if (nf !== nCols) return reject(buf, st, en, nf, row, line, 'bad_row', '', '', `${nf} fields, the header has ${nCols}`);
    for (const k of required) if (isBlank(buf, st[ix[k]], en[ix[k]])) return reject(buf, st, en, nf, row, line, 'missing_value', map.header[k], '');
    const ps = trimStart(buf, st[ix.person_id], en[ix.person_id]);
    const pe = trimEnd(buf, ps, en[ix.person_id]);
    const q = seen.intern(buf, ps, pe);
    if (!seen.added) return reject(buf, st, en, nf, row, line, 'duplicate_person_id', map.header.person_id, text(buf, ps, pe), `first on row ${seenRow[q]}`);
    seenRow.push(row);
    // Birth year (or a date of birth), or age.
    let by = -1;
    let age = -1;
    if (ix.birth_year >= 0 && !isBlank(buf, st[ix.birth_year], en[ix.birth_year])) {
      const y = parseWhole(buf, st[ix.birth_year], en[ix.birth_year]);
      const d = Number.isNaN(y) ? parseDate(buf, st[ix.birth_year], en[ix.birth_year]) : -1;
      by = !Number.isNaN(y) ? y : d > 0 ? Math.floor(d / 10000) : NaN;
      if (Number.isNaN(by)) return reject(buf, st, en, nf, row, line, 'bad_date', map.header.birth_year, text(buf, st[ix.birth_year], en[ix.birth_year]), 'a birth year (1900–2100) or a date of birth');
      if (by < 1900 || by > 2100) return reject(buf, st, en, nf, row, line, 'bad_date', map.header.birth_year, String(by), 'a birth year from 1900 to 2100');
    } else if (ix.age >= 0 && !isBlank(buf, st[ix.age], en[ix.age])) {
      age = parseWhole(buf, st[ix.age], en[ix.age]);
      if (Number.isNaN(age)) return reject(buf, st, en, nf, row, line, 'non_numeric', map.header.age, text(buf, st[ix.age], en[ix.age]), 'age in whole years');
      if (age < 0 || age > 130) return reject(buf, st, en, nf, row, line, age < 0 ? 'negative_amount' : 'bad_value', map.header.age, String(age), 'age from 0 to 130');
    }
    const sx = ix.sex >= 0 ? sex.code(buf, st[ix.sex], en[ix.sex]) : BLANK;
    if (sx === INVALID) return reject(buf, st, en, nf, row, line, 'bad_value', map.header.sex, text(buf, st[ix.sex], en[ix.sex]), 'M/F, male/female, 男/女, 1/2');
    const ur = ix.residence >= 0 ? res.code(buf, st[ix.residence], en[ix.residence]) : BLANK;
    if (ur === INVALID) return reject(buf, st, en, nf, row, line, 'bad_value', map.header.residence, text(buf, st[ix.residence], en[ix.residence]), 'urban/rural, 城镇/农村');
    let sg = ix.signed >= 0 ? yes.code(buf, st[ix.signed], en[ix.signed]) : BLANK;
    if (sg === INVALID) return reject(buf, st, en, nf, row, line, 'bad_value', map.header.signed, text(buf, st[ix.signed], en[ix.signed]), 'yes/no, 是/否, 1/0');
    const condText = text(buf, st[ix.conditions], en[ix.conditions]);
    let cond = condCache.get(condText);
    if (!cond) {
      cond = parseConditions(condText, universe);
      if (condCache.size < 10000) condCache.set(condText, cond);
    }
    if (cond.mask === 0) return reject(buf, st, en, nf, row, line, 'no_known_condition', map.header.conditions, condText, `not recognised: ${cond.unknown.join(', ')}`);
    let from = 0;
    let to = OPEN_END;
    for (const [k, isFrom] of [['enrolled_from', true], ['enrolled_to', false]] as const) {
      if (ix[k] < 0 || isBlank(buf, st[ix[k]], en[ix[k]])) continue;
      const d = parseDate(buf, st[ix[k]], en[ix[k]]);
      if (d < 0) return reject(buf, st, en, nf, row, line, 'bad_date', map.header[k], text(buf, st[ix[k]], en[ix[k]]));
      if (isFrom) from = d;
      else to = d;
    }
    if (from > to) return reject(buf, st, en, nf, row, line, 'bad_date', map.header.enrolled_to, ymdText(to), `ends before it starts (${ymdText(from)})`);
    const sf = ix.signed_facility >= 0 && !isBlank(buf, st[ix.signed_facility], en[ix.signed_facility]) ? facilities.id(buf, st[ix.signed_facility], en[ix.signed_facility]) : -1;
    const df = ix.designated_facility >= 0 && !isBlank(buf, st[ix.designated_facility], en[ix.designated_facility]) ? facilities.id(buf, st[ix.designated_facility], en[ix.designated_facility]) : -1;
    if (sg === BLANK) sg = sf >= 0 ? 1 : 0;

    const p = ids.intern(buf, ps, pe);
    if (p >= cap) {
      cap *= 2;
      for (const k of Object.keys(e) as (keyof typeof e)[]) (e as Record<string, unknown>)[k] = grown(e[k], cap);
    }
    e.birthYear[p] = by;
    e.age[p] = age;
    e.male[p] = sx;
    e.urban[p] = ur;
    e.county[p] = place(places.county, 'county', buf, st, en);
    e.township[p] = place(places.township, 'township', buf, st, en);
    e.village[p] = place(places.village, 'village', buf, st, en);
    e.community[p] = place(places.community, 'community', buf, st, en);
    e.conditions[p] = cond.mask;
    e.signed[p] = sg;
    e.signedFacility[p] = sf;
    e.designated[p] = df;
    e.from[p] = from;
    e.to[p] = to;
    e.row[p] = row;
    n = p + 1;
    log.loaded++;
  };
  src.feed(sink);
  log.checkIdentity();
  const cut = <T extends { subarray(a: number, b: number): T }>(a: T) => a.subarray(0, n);
  return {
    log,
    map,
    enrollment: {
      n,
      ids,
      rejectedIds,
      rejectedRow,
      birthYear: cut(e.birthYear),
      age: cut(e.age),
      male: cut(e.male),
      urban: cut(e.urban),
      county: cut(e.county),
      township: cut(e.township),
      village: cut(e.village),
      community: cut(e.community),
      places,
      conditions: cut(e.conditions),
      universe,
      signed: cut(e.signed),
      signedFacility: cut(e.signedFacility),
      designated: cut(e.designated),
      from: cut(e.from),
      to: cut(e.to),
      row: cut(e.row),
      has: {
        age: ix.birth_year >= 0 || ix.age >= 0,
        sex: ix.sex >= 0,
        residence: ix.residence >= 0,
        community: ix.community >= 0,
        designated: ix.designated_facility >= 0,
        dates: ix.enrolled_from >= 0 || ix.enrolled_to >= 0,
      },
    },
  };
}
