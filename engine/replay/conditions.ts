/**
 * Registered chronic conditions from enrollment text: ICD-10 codes (by range) or names (Chinese
 * or the scenario's condition ids). A cell may list several, separated by ; , | 、 / or spaces.
 *
 * | condition id | 中文 | ICD-10 |
 * | --- | --- | --- |
 * | hypertension | 高血压 | I10–I15 |
 * | diabetes | 糖尿病 | E10–E14 |
 * | hemophilia | 血友病 | D66–D67 |
 * | coronaryHeartDisease | 冠心病 | I20–I25 |
 * | stroke | 脑卒中 (脑血管病) | I60–I69 |
 * | copd | 慢阻肺 | J44 |
 * | chronicNephritis | 慢性肾炎 | N03 |
 * | hepatitisB | 慢性乙肝 | B18.0–B18.1 |
 *
 * A scenario may declare other condition ids: a cell naming one (e.g. `asthma`) is read as it.
 */

export interface ConditionDef {
  id: string;
  zh: string;
  icd: string;
  /** Test on the normalised code (upper case, no dots or spaces). */
  code: RegExp;
  names: string[];
}

export const KNOWN_CONDITIONS: ConditionDef[] = [
  { id: 'hypertension', zh: '高血压', icd: 'I10–I15', code: /^I1[0-5]/, names: ['高血压', '高血压病', '原发性高血压'] },
  { id: 'diabetes', zh: '糖尿病', icd: 'E10–E14', code: /^E1[0-4]/, names: ['糖尿病', '2型糖尿病', '1型糖尿病'] },
  { id: 'hemophilia', zh: '血友病', icd: 'D66–D67', code: /^D6[67]/, names: ['血友病'] },
  { id: 'coronaryHeartDisease', zh: '冠心病', icd: 'I20–I25', code: /^I2[0-5]/, names: ['冠心病'] },
  { id: 'stroke', zh: '脑卒中', icd: 'I60–I69', code: /^I6\d/, names: ['脑卒中', '中风', '脑血管病', '脑梗死'] },
  { id: 'copd', zh: '慢阻肺', icd: 'J44', code: /^J44/, names: ['慢阻肺', '慢性阻塞性肺疾病'] },
  { id: 'chronicNephritis', zh: '慢性肾炎', icd: 'N03', code: /^N03/, names: ['慢性肾炎', '慢性肾小球肾炎'] },
  { id: 'hepatitisB', zh: '慢性乙肝', icd: 'B18.0–B18.1', code: /^B18[01]/, names: ['慢性乙肝', '乙肝', '慢性乙型肝炎'] },
];

/** ICD-10 code of each known condition written by the demonstration data. */
export const DEFAULT_CODE: Record<string, string> = { hypertension: 'I10', diabetes: 'E11.9', hemophilia: 'D66', coronaryHeartDisease: 'I25.1', stroke: 'I63.9', copd: 'J44.9', chronicNephritis: 'N03.9', hepatitisB: 'B18.1' };

/**
 * The condition universe: the known conditions, then any `extra` ids (a scenario's own), at most
 * 16 in all (a person's conditions are a 16-bit mask over this list).
 */
export function conditionUniverse(extra: string[] = []): string[] {
  const ids = KNOWN_CONDITIONS.map((c) => c.id);
  for (const e of extra) if (!ids.includes(e)) ids.push(e);
  return ids.slice(0, 16);
}

const SPLIT = /[;,，；|、/\s]+/;

/**
 * The mask (over `universe`) of the conditions named in `text`, and the tokens not recognised.
 * Names and ids are matched case-insensitively.
 */
export function parseConditions(text: string, universe: string[]): { mask: number; unknown: string[] } {
  let mask = 0;
  const unknown: string[] = [];
  for (const raw of text.split(SPLIT)) {
    const t = raw.trim();
    if (!t) continue;
    const bit = conditionBit(t, universe);
    if (bit < 0) unknown.push(t);
    else mask |= 1 << bit;
  }
  return { mask, unknown };
}

function conditionBit(t: string, universe: string[]): number {
  const lower = t.toLowerCase();
  const byId = universe.findIndex((id) => id.toLowerCase() === lower);
  if (byId >= 0) return byId;
  const code = t.toUpperCase().replace(/[.\s]/g, '');
  for (const c of KNOWN_CONDITIONS) {
    if (c.code.test(code) || c.names.includes(t)) return universe.indexOf(c.id);
  }
  return -1;
}
