// Header mapping (Chinese, English, platform names, user mapping files) and the value parsers.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FIELDS, loadMapping, mapColumns, normalizeHeader, TABLE_KINDS } from '../../engine/replay/columns.ts';
import { conditionUniverse, parseConditions } from '../../engine/replay/conditions.ts';
import { classifyClaimType, classifyOffSite, classifyResidence, classifySex, classifyTier, classifyYesNo, INVALID, OFFSITE_INVALID, parseDate, parseFen, parseWhole } from '../../engine/replay/values.ts';
import { tmp, write } from './helpers.ts';

const t = tmp();
afterAll(t.done);
const b = (s: string) => Buffer.from(s, 'utf8');

describe('header mapping', () => {
  it('no alias maps to two fields of one table', () => {
    for (const kind of TABLE_KINDS) {
      const seen = new Map<string, string>();
      for (const f of FIELDS[kind]) {
        for (const a of [f.key, ...f.aliases]) {
          const n = normalizeHeader(a);
          expect(seen.get(n) ?? f.key, `${kind}: "${a}" is used by ${seen.get(n)} and ${f.key}`).toBe(f.key);
          seen.set(n, f.key);
        }
      }
    }
  });

  it('maps Chinese headers (with units in brackets, full-width), English headers and platform field names', () => {
    const zh = ['结算编号', '个人编号', '结算日期', '机构编码', '机构层级', '医疗费总额（元）', '政策范围内费用(元)', '统筹基金支付', '个人自付', '药品费', '用药天数', '异地就医'];
    const m1 = mapColumns('claims', zh, 'c.csv', 1);
    expect(m1.index).toMatchObject({ claim_id: 0, person_id: 1, date: 2, facility_id: 3, facility_tier: 4, total_cost: 5, eligible_cost: 6, fund_paid: 7, patient_paid: 8, drug_cost: 9, days_supplied: 10, off_site: 11 });
    const en = ['Claim ID', 'Person_ID', 'DATE', 'facility-id', 'Tier', 'Total Cost', 'fund paid', 'ＳＥＸ'];
    const m2 = mapColumns('claims', en, 'c.csv', 1);
    expect(m2.index).toMatchObject({ claim_id: 0, person_id: 1, date: 2, facility_id: 3, facility_tier: 4, total_cost: 5, fund_paid: 6 });
    expect(m2.unused).toEqual(['ＳＥＸ']);
    const nhsa = ['setl_id', 'psn_no', 'setl_time', 'fixmedins_code', 'medfee_sumamt', 'hifp_pay', 'inscp_scp_amt', 'psn_part_amt', 'med_type', 'level'];
    const m3 = mapColumns('claims', nhsa, 'c.csv', 1);
    expect(m3.index).toMatchObject({ claim_id: 0, person_id: 1, date: 2, facility_id: 3, total_cost: 4, fund_paid: 5, eligible_cost: 6, patient_paid: 7, claim_type: 8, facility_tier: 9 });
    const e = mapColumns('enrollment', ['人员编号', '出生日期', '性别', '区县', '乡镇(街道)', '村(社区)', '城乡类别', '慢病病种', '是否签约', '签约机构'], 'e.csv', 1);
    expect(e.index).toMatchObject({ person_id: 0, birth_year: 1, sex: 2, county: 3, township: 4, village: 5, residence: 6, conditions: 7, signed: 8, signed_facility: 9 });
  });

  it('a missing required column is an error naming the file, the header line, the field with its Chinese header, and the headers found', () => {
    expect(() => mapColumns('claims', ['claim_id', 'person_id', 'date', 'facility_id', 'facility_tier', 'total_cost'], 'claims.csv', 3)).toThrow(
      /claims\.csv: line 3 \(header\): no column for fund_paid \(e\.g\. 统筹基金支付 \/ fund_paid\); the headers are: claim_id, person_id, date, facility_id, facility_tier, total_cost\. .*--mapping/,
    );
  });

  it('a user mapping (YAML or JSON) wins over the defaults; its mistakes name the mapping file and line', () => {
    const y = write(t.dir, 'map.yaml', '# my extract\nclaims:\n  fund_paid: 基金支付金额\n  total_cost: "总金额"\nenrollment:\n  person_id: 身份证号\n');
    const m = loadMapping(y);
    const c = mapColumns('claims', ['结算编号', '个人编号', '结算日期', '机构编码', '机构层级', '总金额', '基金支付金额', '统筹基金支付'], 'c.csv', 1, m);
    expect(c.index.fund_paid).toBe(6);
    expect(c.index.total_cost).toBe(5);
    expect(c.unused).toEqual(['统筹基金支付']);
    const j = loadMapping(write(t.dir, 'map.json', JSON.stringify({ enrollment: { person_id: 'ID', conditions: 'dx' } })));
    expect(mapColumns('enrollment', ['ID', 'dx', '区县'], 'e.csv', 1, j).index).toMatchObject({ person_id: 0, conditions: 1, county: 2 });
    expect(() => mapColumns('claims', ['a'], 'c.csv', 1, loadMapping(write(t.dir, 'm2.yaml', 'claims:\n  fund_paid: 不存在\n')))).toThrow(/m2\.yaml:2: claims\.fund_paid: there is no column "不存在" in c\.csv/);
    expect(() => loadMapping(write(t.dir, 'm3.yaml', 'claims:\n  total: x\n  fund_piad: y\n'))).toThrow(/m3\.yaml:2: claims\.total: unknown field/);
    expect(() => loadMapping(write(t.dir, 'm4.yaml', 'claim:\n  fund_paid: y\n'))).toThrow(/m4\.yaml:1: claim: unknown table/);
    expect(() => loadMapping(write(t.dir, 'm5.yaml', 'claims: [\n'))).toThrow(/m5\.yaml:\d+: not valid YAML/);
  });
});

describe('value parsers', () => {
  it('amounts in yuan parse to exact integer fen', () => {
    const cases: [string, number][] = [['123.45', 12345], ['0.5', 50], ['7', 700], [' 1,234.56 ', 123456], ['+3.10', 310], ['-2.00', -200], ['0.125', 13], ['0.124', 12], ['1.2e3', 120000], ['.5', 50], ['abc', NaN], ['1.2.3', NaN], ['', NaN], ['12元', NaN]];
    for (const [s, fen] of cases) expect(parseFen(b(s), 0, b(s).length), s).toBe(fen);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (fen) => {
        const s = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
        return parseFen(b(s), 0, s.length) === fen;
      }),
      { numRuns: 500 },
    );
  });

  it('whole numbers', () => {
    expect(parseWhole(b('30'), 0, 2)).toBe(30);
    expect(parseWhole(b('30.0'), 0, 4)).toBe(30);
    expect(parseWhole(b('30.5'), 0, 4)).toBeNaN();
    expect(parseWhole(b('-3'), 0, 2)).toBe(-3);
  });

  it('dates in the documented forms; impossible dates are rejected', () => {
    const ok: [string, number][] = [['2025-03-04', 20250304], ['2025/3/4', 20250304], ['20250304', 20250304], ['2025.03.04', 20250304], ['2025年3月4日', 20250304], ['2025-03-04 10:22:33', 20250304], ['2025-03-04T10:22', 20250304], ['2024-02-29', 20240229]];
    for (const [s, v] of ok) expect(parseDate(b(s), 0, b(s).length), s).toBe(v);
    for (const s of ['2025-02-29', '2025-13-01', '2025-00-10', '25-03-04', '2025-03', 'yesterday', '1899-12-31', '2025-03-04x']) expect(parseDate(b(s), 0, b(s).length), s).toBe(-1);
  });

  it('categorical values in English and Chinese', () => {
    expect(['village', '村卫生室', '社区卫生服务站', 'township', '乡镇卫生院', '社区卫生服务中心', 'hospital', '二级及以上', 'city', '市级医院', 'pharmacy', '双通道药店'].map(classifyTier)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(classifyTier('诊所')).toBe(INVALID);
    expect(['', 'no', '本地', 'inProvinceReferred', '省内未转诊', '跨省转诊', 'crossProvinceUnreferred'].map(classifyOffSite)).toEqual([-1, -1, -1, 0, 1, 2, 3]);
    expect(classifyOffSite('是')).toBe(OFFSITE_INVALID);
    expect(['', 'outpatient', '门诊', '14', 'inpatient', '住院', '21'].map(classifyClaimType)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(['M', '男', '1', 'F', '女', '2', ''].map(classifySex)).toEqual([1, 1, 1, 0, 0, 0, -1]);
    expect(['yes', '是', '已签约', 'no', '否', '未签约'].map(classifyYesNo)).toEqual([1, 1, 1, 0, 0, 0]);
    expect(['urban', '城镇', 'rural', '农村', 'x'].map(classifyResidence)).toEqual([1, 1, 0, 0, INVALID]);
  });

  it('conditions from ICD-10 codes and names', () => {
    const u = conditionUniverse(['asthma']);
    const bit = (id: string) => 1 << u.indexOf(id);
    expect(parseConditions('I10;E11.900', u).mask).toBe(bit('hypertension') | bit('diabetes'));
    expect(parseConditions('I15.0、E14', u).mask).toBe(bit('hypertension') | bit('diabetes'));
    expect(parseConditions('高血压, 糖尿病', u).mask).toBe(bit('hypertension') | bit('diabetes'));
    expect(parseConditions('D66 I63.9 J44.1 asthma', u).mask).toBe(bit('hemophilia') | bit('stroke') | bit('copd') | bit('asthma'));
    expect(parseConditions('I16 Z00', u)).toEqual({ mask: 0, unknown: ['I16', 'Z00'] });
  });
});

describe('docs/replay.md', () => {
  it('documents every field of every table and every reject reason', async () => {
    const { readFileSync } = await import('node:fs');
    const { REASON_KEYS } = await import('../../engine/replay/validate.ts');
    const doc = readFileSync(new URL('../../docs/replay.md', import.meta.url), 'utf8');
    for (const kind of TABLE_KINDS) {
      for (const f of FIELDS[kind]) {
        expect(doc, `${kind}.${f.key}`).toContain(`| \`${f.key}\` |`);
        const zh = f.aliases.find((a) => /[\u4e00-\u9fff]/.test(a));
        if (zh) expect(doc, `${kind}.${f.key} ${zh}`).toContain(zh);
      }
    }
    for (const r of REASON_KEYS) expect(doc, r).toContain(`| \`${r}\` |`);
  });
});
