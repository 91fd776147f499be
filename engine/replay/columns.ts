/**
 * The documented column schema of the three input tables — enrollment, claims and the optional
 * facility register — and the mapping from a file's headers to those fields.
 *
 * A header matches a field when, normalised (NFKC so full-width letters become ASCII, lower-case,
 * without spaces, `_`, `-`, `.`, and without a trailing unit in brackets such as "(元)" or "（元）"),
 * it equals the field's key or one of its aliases: English names, the Chinese headers of common
 * extracts, and the field names of the national medical-insurance information platform (e.g.
 * `psn_no`, `setl_id`, `fixmedins_code`, `medfee_sumamt`, `hifp_pay`). A user mapping file
 * (YAML or JSON, `--mapping`) names the header to use for any field and wins over the defaults.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isScalar, type Pair, type Scalar } from 'yaml';
import { FundcastError } from '../errors.ts';

export type TableKind = 'enrollment' | 'claims' | 'facilities';
export const TABLE_KINDS: TableKind[] = ['enrollment', 'claims', 'facilities'];

export interface FieldDef {
  key: string;
  required: boolean;
  /** What it holds, with its unit and accepted values (docs/replay.md shows this text). */
  description: string;
  /** Chinese headers first, then English and platform names. */
  aliases: string[];
}

const PERSON_ID = ['个人编号', '人员编号', '参保人编号', '患者编号', '患者ID', '个人ID', 'person', 'patient_id', 'patient', 'psn_no', 'pid'];

export const FIELDS: Record<TableKind, FieldDef[]> = {
  enrollment: [
    { key: 'person_id', required: true, description: 'person id (any text; unique in the file)', aliases: PERSON_ID },
    { key: 'birth_year', required: false, description: 'year of birth, or a date of birth (its year is used)', aliases: ['出生年份', '出生年', '出生日期', '出生年月', 'birth_date', 'birthdate', 'date_of_birth', 'dob', 'yob', 'brdy'] },
    { key: 'age', required: false, description: 'age in whole years at the start of the period (when there is no birth year)', aliases: ['年龄', 'age_years'] },
    { key: 'sex', required: false, description: 'sex: M/F, male/female, 男/女, 1 (male)/2 (female)', aliases: ['性别', 'gender', 'gend'] },
    { key: 'county', required: true, description: 'county or district of residence (区县): a name or code', aliases: ['区县', '县区', '所属区县', '参保区县', '参保地', 'district', 'admdvs'] },
    { key: 'township', required: false, description: 'township or street (乡镇/街道) of residence', aliases: ['乡镇', '乡镇街道', '乡镇(街道)', '街道', '所属乡镇', 'town', 'street'] },
    { key: 'village', required: false, description: 'village or neighbourhood (村/社区) of residence', aliases: ['村', '村居', '村(社区)', '村社区', '行政村', '社区', 'neighbourhood', 'neighborhood'] },
    { key: 'community', required: false, description: 'county medical community (医共体) the person belongs to; default: one per county', aliases: ['医共体', '所属医共体', 'medical_community'] },
    { key: 'residence', required: false, description: 'urban or rural residence: urban/rural, 城镇/农村 (城市/乡村, 1 urban/0 rural)', aliases: ['城乡', '城乡类别', '户籍类型', '居住地类型', 'urban_rural', 'urban'] },
    { key: 'insurance_type', required: false, description: 'insurance scheme (informational): resident/employee, 城乡居民/职工', aliases: ['参保类型', '险种类型', '险种', 'insutype', 'insurance', 'scheme'] },
    { key: 'conditions', required: true, description: 'registered chronic conditions: ICD-10 codes or names separated by ; , | 、 or spaces (I10–I15 hypertension, E10–E14 diabetes, …)', aliases: ['慢病病种', '病种', '慢病', '慢性病', '病种编码', '慢病编码', '疾病编码', '认定病种', 'chronic_conditions', 'condition', 'icd10', 'dise_codg'] },
    { key: 'signed', required: false, description: 'family-doctor contract: yes/no, 是/否, 1/0, 已签约/未签约 (default: yes when signed_facility is given)', aliases: ['签约状态', '是否签约', '家庭医生签约', '签约', 'signed_status'] },
    { key: 'signed_facility', required: false, description: 'facility id of the family-doctor contract (签约机构)', aliases: ['签约机构', '签约机构编码', '签约机构编号', '签约医疗机构', 'signed_facility_id'] },
    { key: 'designated_facility', required: false, description: 'designated hospital (定点医院) for conditions treated at one designated facility (e.g. hemophilia)', aliases: ['定点医院', '定点医疗机构', '选定医疗机构', '定点机构', 'designated_facility_id', 'designated_hospital'] },
    { key: 'enrolled_from', required: false, description: 'date registered for the benefit (default: the start of the period)', aliases: ['登记日期', '认定日期', '开始日期', '待遇开始日期', 'start_date', 'enrolled'] },
    { key: 'enrolled_to', required: false, description: 'date the registration ended (default: still registered)', aliases: ['退出日期', '终止日期', '结束日期', '待遇终止日期', 'end_date'] },
  ],
  claims: [
    { key: 'claim_id', required: true, description: 'claim (settlement) id, unique in the file', aliases: ['结算编号', '结算ID', '结算单号', '单据号', '就诊流水号', 'claim', 'settlement_id', 'setl_id'] },
    { key: 'person_id', required: true, description: 'person id, as in the enrollment file', aliases: PERSON_ID },
    { key: 'date', required: true, description: 'settlement date: YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY年MM月DD日 (a time after it is ignored)', aliases: ['结算日期', '结算时间', '就诊日期', '费用发生日期', '就诊时间', 'service_date', 'claim_date', 'setl_time', 'settlement_date'] },
    { key: 'facility_id', required: true, description: 'facility id (定点医药机构编号)', aliases: ['机构编码', '机构编号', '医疗机构编码', '定点医药机构编号', '定点机构编码', 'facility', 'fixmedins_code'] },
    { key: 'facility_name', required: false, description: 'facility name (informational)', aliases: ['机构名称', '医疗机构名称', '定点医药机构名称', 'fixmedins_name'] },
    { key: 'facility_tier', required: false, description: 'facility tier: village (村卫生室/社区卫生服务站), township (乡镇卫生院/社区卫生服务中心), hospital (county level-2+, 二级及以上), city (city level-2+ hospital outside the communities, 市级医院), pharmacy (双通道药店); required unless a facility register is given', aliases: ['机构层级', '机构级别', '医疗机构层级', '医院等级', '机构等级', 'tier', 'level', 'facility_level'] },
    { key: 'claim_type', required: false, description: 'outpatient or inpatient: outpatient/inpatient, 门诊/住院, med_type codes 1x/2x (default: outpatient)', aliases: ['就诊类型', '医疗类别', '门诊住院', '就医类别', 'setting', 'med_type', 'type'] },
    { key: 'total_cost', required: true, description: 'total cost, yuan (医疗费总额)', aliases: ['医疗费总额', '总费用', '费用总额', '医疗总费用', 'total', 'cost', 'medfee_sumamt'] },
    { key: 'eligible_cost', required: false, description: 'policy-eligible cost, yuan (政策范围内费用), before any individual pre-payment; default: total × the scenario\'s eligibleShare', aliases: ['政策范围内费用', '政策范围内金额', '符合政策范围金额', '政策内费用', 'eligible', 'inscp_scp_amt'] },
    { key: 'fund_paid', required: true, description: 'fund paid, yuan (统筹基金支付), as recorded', aliases: ['统筹基金支付', '统筹基金支出', '基金支付', '统筹支付', 'fund', 'hifp_pay'] },
    { key: 'patient_paid', required: false, description: 'patient paid, yuan (个人自付/个人负担); when given, fund + patient must equal total within 1 fen', aliases: ['个人自付', '个人负担', '个人支付', '个人负担总金额', '自付金额', 'oop', 'out_of_pocket', 'psn_part_amt'] },
    { key: 'drug_cost', required: false, description: 'drug cost within the total, yuan (药品费)', aliases: ['药品费', '药品费用', '药费', 'drug', 'drug_fee'] },
    { key: 'days_supplied', required: false, description: 'drug days supplied (用药天数); > 0 marks a refill visit', aliases: ['用药天数', '处方天数', '带药天数', '给药天数', 'drug_days', 'days'] },
    { key: 'diagnosis', required: false, description: 'diagnosis, ICD-10 code (informational)', aliases: ['诊断', '诊断编码', '主诊断', '主诊断编码', 'icd10', 'diag_code', 'dise_codg'] },
    { key: 'off_site', required: false, description: 'off-site category: empty/no/本地 = on site; inProvinceReferred (省内转诊), inProvinceUnreferred (省内未转诊), crossProvinceReferred (跨省转诊), crossProvinceUnreferred (跨省未转诊)', aliases: ['异地就医', '异地类别', '就医地类别', '异地就医类别', 'offsite', 'off_site_category'] },
  ],
  facilities: [
    { key: 'facility_id', required: true, description: 'facility id, as in the claims', aliases: ['机构编码', '机构编号', '医疗机构编码', '定点医药机构编号', 'facility', 'id', 'fixmedins_code'] },
    { key: 'facility_tier', required: true, description: 'tier, as in the claims (village, township, hospital, city, pharmacy)', aliases: ['机构层级', '机构级别', '医疗机构层级', '医院等级', '机构等级', 'tier', 'level'] },
    { key: 'facility_name', required: false, description: 'name', aliases: ['机构名称', '医疗机构名称', 'name', 'fixmedins_name'] },
    { key: 'county', required: false, description: 'county (as in the enrollment)', aliases: ['区县', '县区', '所属区县', 'district'] },
    { key: 'community', required: false, description: 'medical community (as in the enrollment)', aliases: ['医共体', '所属医共体', 'medical_community'] },
    { key: 'township_facility', required: false, description: "a village clinic's township centre (facility id)", aliases: ['所属乡镇卫生院', '上级机构', '所属卫生院', 'parent_facility', 'township_centre'] },
    { key: 'lead', required: false, description: "yes for a medical community's lead hospital (牵头医院)", aliases: ['牵头医院', '是否牵头医院', 'lead_hospital'] },
  ],
};

/** Normalised form of a header or alias (see the module comment). */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[（(][^)）]*[)）]\s*$/, '')
    .replace(/[\s_\-.]/g, '');
}

/** A user's header mapping: per table, field key → header, with where each was written. */
export interface UserMapping {
  file: string;
  tables: Partial<Record<TableKind, Record<string, { header: string; line?: number }>>>;
}

/** Read a mapping file (YAML or JSON): `claims: { fund_paid: 基金支付金额, … }`, `enrollment: …`, `facilities: …`. */
export function loadMapping(file: string): UserMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FundcastError('ERR_MAPPING', `cannot read mapping file ${file}: ${(e as Error).message}`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) => (node?.range ? lc.linePos(node.range[0]).line : undefined);
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new FundcastError('ERR_MAPPING', `${file}:${lc.linePos(e.pos[0]).line}: not valid YAML/JSON: ${e.message.split('\n')[0]}`);
  }
  const out: UserMapping = { file, tables: {} };
  if (!isMap(doc.contents)) throw new FundcastError('ERR_MAPPING', `${file}:1: a mapping file maps tables (${TABLE_KINDS.join(', ')}) to { field: header }`);
  for (const pair of doc.contents.items as Pair[]) {
    const k = String((pair.key as Scalar).value);
    if (!TABLE_KINDS.includes(k as TableKind)) throw new FundcastError('ERR_MAPPING', `${file}:${lineOf(pair.key as Scalar)}: ${k}: unknown table (one of: ${TABLE_KINDS.join(', ')})`);
    const kind = k as TableKind;
    if (!isMap(pair.value)) throw new FundcastError('ERR_MAPPING', `${file}:${lineOf(pair.key as Scalar)}: ${k}: expected a mapping { field: header }`);
    const fields = FIELDS[kind].map((f) => f.key);
    const t: Record<string, { header: string; line?: number }> = {};
    for (const p of pair.value.items as Pair[]) {
      const fk = String((p.key as Scalar).value);
      const line = lineOf(p.key as Scalar);
      if (!fields.includes(fk)) throw new FundcastError('ERR_MAPPING', `${file}:${line}: ${kind}.${fk}: unknown field (fields of ${kind}: ${fields.join(', ')})`);
      if (!isScalar(p.value) || String(p.value.value ?? '').trim() === '') throw new FundcastError('ERR_MAPPING', `${file}:${line}: ${kind}.${fk}: give the header of the column as text`);
      t[fk] = { header: String(p.value.value).trim(), line };
    }
    out.tables[kind] = t;
  }
  return out;
}

export interface ColumnMap {
  kind: TableKind;
  /** Column index per field key (-1: not in the file). */
  index: Record<string, number>;
  /** The header each field was read from (for messages and replay.json). */
  header: Record<string, string>;
  /** Headers of the file that map to no field (ignored). */
  unused: string[];
}

/**
 * Map a file's headers to the fields of `kind`. A user mapping names a header exactly (or by its
 * normalised form); otherwise the first header matching the field's key or an alias is used.
 * Missing required fields (those in `require`, default: the table's required ones) are a user error
 * naming the file, the header line and the headers found.
 */
export function mapColumns(kind: TableKind, headers: string[], file: string, headerLine: number, user?: UserMapping, require?: string[]): ColumnMap {
  const norm = headers.map(normalizeHeader);
  const index: Record<string, number> = {};
  const header: Record<string, string> = {};
  const taken = new Set<number>();
  const userT = user?.tables[kind] ?? {};
  for (const f of FIELDS[kind]) {
    const u = userT[f.key];
    if (!u) continue;
    let i = headers.indexOf(u.header);
    if (i < 0) i = norm.indexOf(normalizeHeader(u.header));
    if (i < 0) throw new FundcastError('ERR_MAPPING', `${user!.file}:${u.line ?? '?'}: ${kind}.${f.key}: there is no column "${u.header}" in ${file} (its headers: ${headers.join(', ')})`);
    index[f.key] = i;
    header[f.key] = headers[i];
    taken.add(i);
  }
  for (const f of FIELDS[kind]) {
    if (index[f.key] !== undefined) continue;
    const names = [f.key, ...f.aliases].map(normalizeHeader);
    let found = -1;
    for (const n of names) {
      const i = norm.findIndex((h, k) => h === n && !taken.has(k));
      if (i >= 0) {
        found = i;
        break;
      }
    }
    index[f.key] = found;
    if (found >= 0) {
      header[f.key] = headers[found];
      taken.add(found);
    }
  }
  const need = require ?? FIELDS[kind].filter((f) => f.required).map((f) => f.key);
  const missing = need.filter((k) => index[k] < 0);
  if (missing.length) {
    const show = missing.map((k) => {
      const f = FIELDS[kind].find((x) => x.key === k)!;
      return `${k} (e.g. ${[f.aliases.find((a) => /[\u4e00-\u9fff]/.test(a)), f.key].filter(Boolean).join(' / ')})`;
    });
    throw new FundcastError(
      'ERR_DATA_COLUMNS',
      `${file}: line ${headerLine} (header): no column for ${show.join(', ')}; the headers are: ${headers.join(', ') || '(none)'}. Rename the column or name it in a mapping file (--mapping; see docs/replay.md)`,
    );
  }
  return { kind, index, header, unused: headers.filter((_, i) => !taken.has(i)) };
}
