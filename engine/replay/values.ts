/**
 * Parsers for field values straight from UTF-8 bytes (no string per row): amounts in yuan to
 * integer fen (exact: "12.35" is 1235 fen, never 1234.9999), whole numbers, dates, and the
 * classifiers of categorical text (tier, off-site category, claim type, sex, yes/no, residence).
 */
import { yuanToFen } from '../money/fen.ts';

const SP = 32;
const TAB = 9;

/** True when bytes [s, e) are empty or only spaces. */
export function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] !== SP && buf[i] !== TAB) return false;
  return true;
}

/** Start of bytes [s, e) without leading spaces. */
export function trimStart(buf: Uint8Array, s: number, e: number): number {
  while (s < e && (buf[s] === SP || buf[s] === TAB)) s++;
  return s;
}

/** End of bytes [s, e) without trailing spaces. */
export function trimEnd(buf: Uint8Array, s: number, e: number): number {
  while (e > s && (buf[e - 1] === SP || buf[e - 1] === TAB)) e--;
  return e;
}

const utf8 = new TextDecoder('utf-8');
/** Bytes [s, e) as a trimmed string (off the hot path: messages, rejects, rare values). */
export function text(buf: Uint8Array, s: number, e: number): string {
  return utf8.decode(buf.subarray(s, e)).trim();
}

/**
 * An amount in yuan → integer fen, rounding half away from zero beyond two decimals; thousands
 * separators (1,234.50) and a leading + are allowed. NaN when not a number (empty included).
 */
export function parseFen(buf: Uint8Array, s0: number, e0: number): number {
  const s1 = trimStart(buf, s0, e0);
  const e = trimEnd(buf, s1, e0);
  let i = s1;
  if (i === e) return NaN;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
  } else if (buf[i] === 43 /* + */) i++;
  let int = 0;
  let digits = 0;
  while (i < e) {
    const b = buf[i];
    if (b >= 48 && b <= 57) {
      int = int * 10 + (b - 48);
      digits++;
    } else if (b === 44 /* , */ && digits > 0) {
      /* thousands separator */
    } else break;
    i++;
  }
  let frac = 0;
  let fd = 0;
  let round = 0;
  if (i < e && buf[i] === 46 /* . */) {
    i++;
    while (i < e) {
      const b = buf[i];
      if (b < 48 || b > 57) break;
      if (fd < 2) frac = frac * 10 + (b - 48);
      else if (fd === 2) round = b >= 53 ? 1 : 0;
      fd++;
      digits++;
      i++;
    }
  }
  if (i < e) {
    // Exponent notation (1.2e3) from some exporters: the slow path.
    const t = text(buf, s0, e0);
    if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(t)) return yuanToFen(Number(t));
    return NaN;
  }
  if (digits === 0) return NaN;
  if (fd === 1) frac *= 10;
  const fen = int * 100 + frac + round;
  return neg ? -fen : fen;
}

/** A whole number (a trailing ".0…" is allowed); NaN otherwise (empty included). */
export function parseWhole(buf: Uint8Array, s0: number, e0: number): number {
  const s = trimStart(buf, s0, e0);
  const e = trimEnd(buf, s, e0);
  let i = s;
  if (i === e) return NaN;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let v = 0;
  let d = 0;
  while (i < e && buf[i] >= 48 && buf[i] <= 57) {
    v = v * 10 + (buf[i] - 48);
    d++;
    i++;
  }
  if (i < e && buf[i] === 46) {
    i++;
    while (i < e && buf[i] === 48) i++;
  }
  if (i < e || d === 0) return NaN;
  return neg ? -v : v;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS[m - 1];
}

/**
 * A date → YYYYMMDD as a number, or -1. Accepts YYYY-MM-DD, YYYY/M/D, YYYY.MM.DD, YYYYMMDD and
 * YYYY年M月D日, each optionally followed by a time (after a space or T), which is ignored.
 * Years 1900–2100 only.
 */
export function parseDate(buf: Uint8Array, s0: number, e0: number): number {
  const s = trimStart(buf, s0, e0);
  const e = trimEnd(buf, s, e0);
  let i = s;
  let y = 0;
  let n = 0;
  while (i < e && buf[i] >= 48 && buf[i] <= 57) {
    y = y * 10 + (buf[i] - 48);
    n++;
    i++;
  }
  let m = 0;
  let d = 0;
  if (n === 8) {
    d = y % 100;
    m = Math.floor(y / 100) % 100;
    y = Math.floor(y / 10000);
  } else if (n === 4) {
    // separator: one ASCII char (- / .) or the three bytes of 年
    const sep = skipSep(buf, i, e);
    if (sep < 0) return -1;
    i = sep;
    let k = 0;
    while (i < e && buf[i] >= 48 && buf[i] <= 57 && k < 2) {
      m = m * 10 + (buf[i] - 48);
      k++;
      i++;
    }
    if (k === 0) return -1;
    const sep2 = skipSep(buf, i, e);
    if (sep2 < 0) return -1;
    i = sep2;
    k = 0;
    while (i < e && buf[i] >= 48 && buf[i] <= 57 && k < 2) {
      d = d * 10 + (buf[i] - 48);
      k++;
      i++;
    }
    if (k === 0) return -1;
    // 日 = e6 97 a5
    if (e - i >= 3 && buf[i] === 0xe6 && buf[i + 1] === 0x97 && buf[i + 2] === 0xa5) i += 3;
  } else return -1;
  if (i < e && buf[i] !== SP && buf[i] !== 84 /* T */) return -1;
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return -1;
  return y * 10000 + m * 100 + d;
}

/** Past a date separator at i (one of - / . or 年 / 月), or -1. */
function skipSep(buf: Uint8Array, i: number, e: number): number {
  if (i >= e) return -1;
  const b = buf[i];
  if (b === 45 || b === 47 || b === 46) return i + 1;
  // 年 = e5 b9 b4, 月 = e6 9c 88
  if (e - i >= 3 && ((b === 0xe5 && buf[i + 1] === 0xb9 && buf[i + 2] === 0xb4) || (b === 0xe6 && buf[i + 1] === 0x9c && buf[i + 2] === 0x88))) return i + 3;
  return -1;
}

/** YYYYMMDD → "YYYY-MM-DD". */
export function ymdText(ymd: number): string {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Categorical text. Each classifier takes the trimmed text and returns a small code; negative
// codes mean "blank" (-1) or "not an allowed value" (-2).

export const BLANK = -1;
export const INVALID = -2;

const key = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s_\-]/g, '');

/** Facility tiers of the input data (the engine's three tiers, with city hospitals and pharmacies apart). */
export const DATA_TIERS = ['village', 'township', 'hospital', 'city', 'pharmacy'] as const;
export const T_VILLAGE = 0;
export const T_TOWNSHIP = 1;
export const T_HOSPITAL = 2;
export const T_CITY = 3;
export const T_PHARMACY = 4;

const TIER_WORDS: [number, string[]][] = [
  [T_VILLAGE, ['village', 'villageclinic', '村', '村卫生室', '卫生室', '村卫生所', '社区卫生服务站', '卫生服务站', '服务站', '村级']],
  [T_TOWNSHIP, ['township', 'townshipcentre', 'townshipcenter', 'communitycentre', 'communitycenter', 'primary', '乡镇', '乡镇卫生院', '卫生院', '中心卫生院', '社区卫生服务中心', '卫生服务中心', '乡级', '一级']],
  [T_HOSPITAL, ['hospital', 'county', 'countyhospital', 'level2', 'level2+', 'lead', '医院', '县级', '县级医院', '县医院', '县级及以上', '二级', '二级及以上', '二级医院', '三级', '三级医院', '牵头医院']],
  [T_CITY, ['city', 'cityhospital', '市级', '市级医院', '市属医院', '市医院']],
  [T_PHARMACY, ['pharmacy', 'dualchannel', 'dualchannelpharmacy', '药店', '药房', '定点药店', '双通道药店', '双通道']],
];
const TIER_MAP = new Map<string, number>(TIER_WORDS.flatMap(([c, ws]) => ws.map((w) => [key(w), c] as [string, number])));

export function classifyTier(s: string): number {
  if (s === '') return BLANK;
  return TIER_MAP.get(key(s)) ?? INVALID;
}

/** Off-site categories in the engine's order (OFF_SITE of the scenario schema). */
const OFFSITE_WORDS: [number, string[]][] = [
  [-1, ['no', 'n', 'false', '0', 'none', 'local', 'onsite', '否', '本地', '非异地', '统筹区内', '市内', '本地就医']],
  [0, ['inprovincereferred', 'inprovince referred', '省内转诊', '省内异地转诊', '省内已转诊', '省内备案转诊']],
  [1, ['inprovinceunreferred', '省内未转诊', '省内异地未转诊', '省内自行就医', '省内未备案']],
  [2, ['crossprovincereferred', '跨省转诊', '跨省异地转诊', '跨省已转诊', '跨省备案转诊']],
  [3, ['crossprovinceunreferred', '跨省未转诊', '跨省异地未转诊', '跨省自行就医', '跨省未备案']],
];
const OFFSITE_MAP = new Map<string, number>(OFFSITE_WORDS.flatMap(([c, ws]) => ws.map((w) => [key(w), c] as [string, number])));

/** -1 on site (blank included), 0–3 the off-site category, INVALID otherwise (e.g. a bare "yes"). */
export function classifyOffSite(s: string): number {
  if (s === '') return -1;
  return OFFSITE_MAP.get(key(s)) ?? INVALID - 1;
}
/** The invalid code of {@link classifyOffSite} (distinct from the on-site -1). */
export const OFFSITE_INVALID = INVALID - 1;

/** 0 outpatient (blank included), 1 inpatient, INVALID otherwise. NHSA med_type codes: 1x outpatient, 2x inpatient. */
export function classifyClaimType(s: string): number {
  const k = key(s);
  if (k === '' || ['outpatient', 'op', 'o', '门诊', '门诊慢特病', '慢特病门诊', '慢病门诊', '普通门诊', '门诊特殊病', '门特'].includes(k)) return 0;
  if (['inpatient', 'ip', 'i', '住院', '普通住院'].includes(k)) return 1;
  if (/^1\d{0,3}$/.test(k)) return 0;
  if (/^2\d{0,3}$/.test(k)) return 1;
  return INVALID;
}

/** 1 male, 0 female, BLANK, INVALID. */
export function classifySex(s: string): number {
  const k = key(s);
  if (k === '') return BLANK;
  if (['m', 'male', 'man', '男', '1'].includes(k)) return 1;
  if (['f', 'female', 'woman', '女', '2', '0'].includes(k)) return 0;
  return INVALID;
}

/** 1 yes, 0 no, BLANK, INVALID. */
export function classifyYesNo(s: string): number {
  const k = key(s);
  if (k === '') return BLANK;
  if (['yes', 'y', 'true', 't', '1', '是', '已签约', '签约', '有'].includes(k)) return 1;
  if (['no', 'n', 'false', 'f', '0', '否', '未签约', '无', '不是'].includes(k)) return 0;
  return INVALID;
}

/** 1 urban, 0 rural, BLANK, INVALID. */
export function classifyResidence(s: string): number {
  const k = key(s);
  if (k === '') return BLANK;
  if (['urban', 'u', 'city', 'town', '1', 'true', '城镇', '城市', '城', '城区', '非农业', '居民'].includes(k)) return 1;
  if (['rural', 'r', 'country', 'village', '0', 'false', '农村', '乡村', '乡', '农业'].includes(k)) return 0;
  return INVALID;
}
