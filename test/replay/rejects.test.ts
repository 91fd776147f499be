// Validation: every reject reason with its row number, line, column and rule; the accounting
// identity loaded + rejected = read (a fast-check property over random mixes of good and bad rows);
// --max-reject-rate.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FundcastError } from '../../engine/errors.ts';
import { checkRejectRates, loadReplayData, writeRejects } from '../../engine/replay/replay.ts';
import { REASON_KEYS, REASONS } from '../../engine/replay/validate.ts';
import { CLAIMS_HEADER, ENROLLMENT_HEADER, PERSONS, claim, csv, tmp, write } from './helpers.ts';

const t = tmp();
afterAll(t.done);

const E_HEAD = [...ENROLLMENT_HEADER, 'enrolled_from', 'enrolled_to'];
const enrollmentRows: (string | number)[][] = [
  [...PERSONS[0], '', ''], // row 1
  [...PERSONS[1], '', ''], // row 2
  [...PERSONS[2], '', ''], // row 3
  ['P1', 1951, 'M', 'demo', 'T1', 'V1', 'rural', 'I10', 'no', '', '', ''], // row 4: duplicate person id
  ['P4', 1950, 'M', 'demo', 'T1', 'V1', 'rural', 'Z00.0', 'no', '', '', ''], // row 5: no known condition
  ['P5', 'abc', 'M', 'demo', 'T1', 'V1', 'rural', 'I10', 'no', '', '', ''], // row 6: bad birth year
  ['P6', 1950, 'X', 'demo', 'T1', 'V1', 'rural', 'I10', 'no', '', '', ''], // row 7: bad sex
  ['', 1950, 'M', 'demo', 'T1', 'V1', 'rural', 'I10', 'no', '', '', ''], // row 8: missing person id
  ['P7', 1950, 'M'], // row 9: too few fields
  ['P8', 1950, 'M', 'demo', 'T1', 'V1', 'rural', 'I10', 'no', '', '2025-13-01', ''], // row 10: bad date
  ['P9', 1950, 'F', 'demo', 'T1', 'V1', 'rural', 'I10', 'no', '', '2025-01-01', '2025-03-31'], // row 11: registered Jan–Mar
];
const claimRows: (string | number)[][] = [
  claim('C1', 'P1', '2025-01-05', 'v1', 'village', 30, 0, { drug: 20, days: 30 }), // 1 good
  claim('C1', 'P1', '2025-01-06', 'v1', 'village', 30, 0), // 2 duplicate claim id
  claim('C3', 'P1', '2025-02-30', 'v1', 'village', 30, 0), // 3 bad date
  claim('C4', 'P1', '2025-03-01', 'v1', 'village', -30, 0), // 4 negative amount
  ['C5', 'P1', '2025-03-02', 'v1', 'village', 'outpatient', '30.00', '30.00', 'twelve', '18.00', '0', '0', ''], // 5 non-numeric
  claim('C6', 'P99', '2025-03-03', 'v1', 'village', 30, 0), // 6 person not in the enrollment
  claim('C7', 'P4', '2025-03-04', 'v1', 'village', 30, 0), // 7 person whose enrollment row was rejected
  ['C8', 'P1', '2025-03-05', 'v1', 'village', 'outpatient', '30.00', '30.00', '10.00', '19.00', '0', '0', ''], // 8 10 + 19 ≠ 30
  claim('C9', 'P1', '2024-12-31', 'v1', 'village', 30, 0), // 9 outside the period
  claim('C10', 'P1', '2025-03-06', 'v1', 'clinic', 30, 0), // 10 unknown tier word
  claim('C11', 'P1', '2025-03-07', 'x9', '', 30, 0), // 11 facility without a tier
  claim('C12', 'P1', '2025-03-08', 'v1', 'township', 30, 0), // 12 v1 is a village clinic (row 1)
  claim('C13', '', '2025-03-09', 'v1', 'village', 30, 0), // 13 missing person id
  ['C14', 'P1', '2025-03-10'], // 14 too few fields
  claim('C15', 'P9', '2025-05-01', 'v1', 'village', 30, 0), // 15 after P9's registration ended
  claim('C16', 'P1', '2025-03-11', 'v1', 'village', 30, 0, { eligible: 31 }), // 16 eligible > total
  claim('C17', 'P1', '2025-03-12', 'h1', 'hospital', 30, 0, { off: '是' }), // 17 off-site without category
  claim('C18', 'P2', '2025-03-13', 't1', 'township', 50, 10), // 18 good
  claim('C19', 'P3', '2025-04-01', 'h1', 'hospital', 9000, 5000, { type: 'inpatient', eligible: 8000 }), // 19 good
  claim('C20', 'P9', '2025-02-01', 'h1', '', 80, 20), // 20 good: h1's tier known from row 17? no — row 17 was rejected; from row 19
];

describe('every reject reason, with its row number', () => {
  it('enrollment and claims: each bad row is rejected with the right reason, row, line and column; the rest load', async () => {
    const dir = t.dir;
    const data = await loadReplayData({ enrollment: write(dir, 'e.csv', csv([E_HEAD, ...enrollmentRows])), claims: write(dir, 'c.csv', csv([CLAIMS_HEADER, ...claimRows])), period: [2025, 2025] });
    const eRej = data.logs.enrollment.rejects.map((r) => [r.row, r.line, r.reason, r.column]);
    expect(eRej).toEqual([
      [4, 5, 'duplicate_person_id', 'person_id'],
      [5, 6, 'no_known_condition', 'conditions'],
      [6, 7, 'bad_date', 'birth_year'],
      [7, 8, 'bad_value', 'sex'],
      [8, 9, 'missing_value', 'person_id'],
      [9, 10, 'bad_row', ''],
      [10, 11, 'bad_date', 'enrolled_from'],
    ]);
    expect(data.logs.enrollment.read).toBe(11);
    expect(data.logs.enrollment.loaded).toBe(4);
    const cRej = data.logs.claims.rejects.map((r) => [r.row, r.reason, r.column]);
    expect(cRej).toEqual([
      [2, 'duplicate_claim_id', 'claim_id'],
      [3, 'bad_date', 'date'],
      [4, 'negative_amount', 'total_cost'],
      [5, 'non_numeric', 'fund_paid'],
      [6, 'person_not_enrolled', 'person_id'],
      [7, 'person_not_enrolled', 'person_id'],
      [8, 'amounts_do_not_add_up', 'fund_paid + patient_paid'],
      [9, 'date_outside_period', 'date'],
      [10, 'bad_value', 'facility_tier'],
      [11, 'unknown_facility', 'facility_id'],
      [12, 'facility_tier_conflict', 'facility_tier'],
      [13, 'missing_value', 'person_id'],
      [14, 'bad_row', ''],
      [15, 'person_not_enrolled', 'date'],
      [16, 'amounts_do_not_add_up', 'eligible_cost'],
      [17, 'bad_value', 'off_site'],
    ]);
    expect(data.logs.claims.rejects.find((r) => r.row === 7)!.detail).toBe('its enrollment row 5 was rejected');
    expect(data.logs.claims.rejects.find((r) => r.row === 2)!.detail).toBe('first on row 1');
    expect(data.claims.n).toBe(4);
    expect(Array.from(data.claims.row)).toEqual([1, 18, 19, 20]);
    for (const log of [data.logs.enrollment, data.logs.claims]) expect(log.loaded + log.rejected).toBe(log.read);

    // The rejects files: one line per rejected row, with the rule and the original fields.
    writeRejects(dir, data);
    const lines = readFileSync(`${dir}/rejects-claims.csv`, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(`row,line,reason,column,value,rule,${CLAIMS_HEADER.join(',')}`);
    expect(lines).toHaveLength(1 + 16);
    expect(lines[3]).toBe(`4,5,negative_amount,total_cost,-30.00,${REASONS.negative_amount},C4,P1,2025-03-01,v1,village,outpatient,-30.00,-30.00,0.00,-30.00,0.00,0,`);
    expect(readFileSync(`${dir}/rejects-enrollment.csv`, 'utf8')).toContain('5,6,no_known_condition,conditions,Z00.0,');
  });

  it('with a facility register: a facility not in it is unknown, a repeated register id and a tier that disagrees are rejected', async () => {
    const dir = t.dir;
    const reg = write(dir, 'f.csv', csv([['机构编码', '机构层级', '所属乡镇卫生院'], ['v1', '村卫生室', 't1'], ['t1', '乡镇卫生院', ''], ['t1', 'township', ''], ['h1', '二级及以上', '']]));
    const claims = write(dir, 'c2.csv', csv([CLAIMS_HEADER, claim('A', 'P1', '2025-01-01', 'v1', '', 10, 0), claim('B', 'P1', '2025-01-02', 'v2', 'village', 10, 0), claim('C', 'P1', '2025-01-03', 't1', 'hospital', 10, 0), claim('D', 'P2', '2025-01-04', 't1', '', 10, 0)]));
    const data = await loadReplayData({ enrollment: write(dir, 'e2.csv', csv([ENROLLMENT_HEADER, ...PERSONS])), claims, facilities: reg });
    expect(data.logs.facilities!.rejects.map((r) => [r.row, r.reason])).toEqual([[3, 'duplicate_facility_id']]);
    expect(data.logs.claims.rejects.map((r) => [r.row, r.reason, r.detail])).toEqual([
      [2, 'unknown_facility', 'not in the facility register'],
      [3, 'facility_tier_conflict', 't1 is township in the register'],
    ]);
    expect(data.claims.n).toBe(2);
  });

  it('the catalogue documents every reason it uses', () => {
    for (const r of REASON_KEYS) expect(REASONS[r].length).toBeGreaterThan(10);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: loaded + rejected = read, for any mix of good and bad rows; each bad row is rejected
// with its reason and row number, each good row loads.

type Kind = 'good' | 'bad_date' | 'negative_amount' | 'non_numeric' | 'missing_value' | 'person_not_enrolled' | 'amounts_do_not_add_up' | 'bad_value' | 'duplicate_claim_id' | 'bad_row' | 'unknown_facility' | 'date_outside_period';
const KINDS: Kind[] = ['good', 'bad_date', 'negative_amount', 'non_numeric', 'missing_value', 'person_not_enrolled', 'amounts_do_not_add_up', 'bad_value', 'duplicate_claim_id', 'bad_row', 'unknown_facility', 'date_outside_period'];

function row(kind: Kind, i: number, day: number): (string | number)[] {
  const id = `K${i}`;
  const date = `2025-0${1 + (day % 9)}-${String(1 + (day % 28)).padStart(2, '0')}`;
  const person = ['P1', 'P2', 'P3'][i % 3];
  const good = claim(id, person, date, 'v1', 'village', 40 + (day % 7), 10, { drug: 5, days: day % 2 ? 30 : 0 });
  switch (kind) {
    case 'good':
      return good;
    case 'bad_date':
      return claim(id, person, '2025-02-31', 'v1', 'village', 40, 10);
    case 'negative_amount':
      return claim(id, person, date, 'v1', 'village', 40, -1);
    case 'non_numeric':
      return [id, person, date, 'v1', 'village', 'outpatient', '4o.00', '', '10.00', '', '', '', ''];
    case 'missing_value':
      return [id, person, '', 'v1', 'village', 'outpatient', '40.00', '', '10.00', '', '', '', ''];
    case 'person_not_enrolled':
      return claim(id, `X${i}`, date, 'v1', 'village', 40, 10);
    case 'amounts_do_not_add_up':
      return [id, person, date, 'v1', 'village', 'outpatient', '40.00', '', '10.00', '29.98', '', '', ''];
    case 'bad_value':
      return claim(id, person, date, 'v1', 'village', 40, 10, { type: 'emergency?' });
    case 'duplicate_claim_id':
      return claim('K0', person, date, 'v1', 'village', 40, 10);
    case 'bad_row':
      return [id, person, date, 'v1'];
    case 'unknown_facility':
      return claim(id, person, date, `nowhere${i}`, '', 40, 10);
    case 'date_outside_period':
      return claim(id, person, '2026-01-01', 'v1', 'village', 40, 10);
  }
}

describe('accounting identity (property)', () => {
  it('loaded + rejected = read; bad rows rejected with their reason and row number, good rows loaded', async () => {
    const enrollment = write(t.dir, 'pe.csv', csv([ENROLLMENT_HEADER, ...PERSONS]));
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...KINDS), fc.nat(1000)), { minLength: 0, maxLength: 40 }), async (spec) => {
        const kinds: Kind[] = ['good', ...spec.map(([kd]) => kd)]; // row 1 is good (duplicates repeat its id)
        const rows = kinds.map((kd, i) => row(kd, i, i === 0 ? 1 : spec[i - 1][1]));
        const claims = write(t.dir, `pc${k++}.csv`, csv([CLAIMS_HEADER, ...rows]));
        const data = await loadReplayData({ enrollment, claims, period: [2025, 2025] });
        const log = data.logs.claims;
        expect(log.read).toBe(kinds.length);
        expect(log.loaded + log.rejected).toBe(log.read);
        expect(data.claims.n).toBe(log.loaded);
        const expected = kinds.map((kd, i) => [i + 1, kd] as const).filter(([, kd]) => kd !== 'good');
        expect(log.rejects.map((r) => [r.row, r.reason])).toEqual(expected);
        expect(Array.from(data.claims.row)).toEqual(kinds.map((kd, i) => [i + 1, kd] as const).filter(([, kd]) => kd === 'good').map(([r]) => r));
      }),
      { numRuns: 60 },
    );
  });
});

describe('--max-reject-rate', () => {
  it('fails with a clear message above the rate, after the rejects are known; passes at or below it', async () => {
    const enrollment = write(t.dir, 're.csv', csv([ENROLLMENT_HEADER, ...PERSONS]));
    const rows = Array.from({ length: 50 }, (_, i) => row(i === 7 ? 'bad_date' : 'good', i, i));
    const data = await loadReplayData({ enrollment, claims: write(t.dir, 'rc.csv', csv([CLAIMS_HEADER, ...rows])) });
    expect(data.logs.claims.rejected).toBe(1); // 2% of 50 rows
    expect(() => checkRejectRates(data, 0.01, '/out')).toThrow(FundcastError);
    expect(() => checkRejectRates(data, 0.01, '/out')).toThrow(/rc\.csv: 2\.00% of rows rejected \(1 of 50\), above --max-reject-rate 0\.01; reasons: bad_date: 1; first: row 8 \(line 9\), column date: .*\/out\/rejects-claims\.csv/);
    expect(() => checkRejectRates(data, 0.02, '/out')).not.toThrow();
  });
});
