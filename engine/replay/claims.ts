/**
 * The claims file → loaded claims as typed-array columns, in one pass over the rows with no
 * per-row objects. Checks, in order (the first that fails rejects the row): number of fields,
 * required values present, claim id not seen before, amounts numeric and not negative, date valid
 * and inside the period, tier / claim type / off-site category allowed, facility known (tier from
 * the row, earlier rows or the register) and consistent, person enrolled on the date, and the
 * amounts adding up (fund + patient = total within 1 fen; eligible, drug and fund ≤ total).
 */
import { mapColumns, type ColumnMap, type UserMapping } from './columns.ts';
import type { RowSink } from './csv.ts';
import type { Enrollment } from './enrollment.ts';
import type { FacilityTable } from './facilities.ts';
import { grown } from './grow.ts';
import { ByteInterner, Categorical } from './interner.ts';
import type { TableSource } from './source.ts';
import { RowLog } from './validate.ts';
import {
  BLANK,
  classifyClaimType,
  classifyOffSite,
  classifyTier,
  DATA_TIERS,
  INVALID,
  isBlank,
  OFFSITE_INVALID,
  parseDate,
  parseFen,
  parseWhole,
  T_HOSPITAL,
  text,
  trimEnd,
  trimStart,
  ymdText,
} from './values.ts';

export interface Claims {
  n: number;
  /** Person index (enrollment). */
  person: Int32Array;
  /** Date, YYYYMMDD. */
  ymd: Int32Array;
  /** Facility id (FacilityTable). */
  facility: Int32Array;
  /** Data tier of the facility (values.ts DATA_TIERS); off-site claims: hospital. */
  tier: Int8Array;
  /** 1 inpatient, 0 outpatient. */
  inpatient: Uint8Array;
  /** -1 on site, else the off-site category (0–3, the scenario schema's OFF_SITE order). */
  offSite: Int8Array;
  /** Amounts, integer fen. eligible and patient are -1 when the file has no such column or the cell is empty. */
  cost: Float64Array;
  eligible: Float64Array;
  fund: Float64Array;
  patient: Float64Array;
  drug: Float64Array;
  days: Int32Array;
  /** Source row. */
  row: Int32Array;
  /** Which optional columns the file has. */
  has: { eligible: boolean; patient: boolean; drug: boolean; days: boolean; offSite: boolean; claimType: boolean };
  /** Earliest and latest date loaded (YYYYMMDD), 0 when none. */
  minYmd: number;
  maxYmd: number;
}

/**
 * The first day a residents' insurance claim can have: the New Cooperative Medical Scheme, the first
 * of the schemes merged into the residents' basic medical insurance, began in 2003 (国务院办公厅转发
 * 卫生部等部门《关于建立新型农村合作医疗制度的意见》, 国办发〔2003〕3号, 2003-01-16). docs/replay.md §Validation.
 */
export const FIRST_CLAIM_DATE = 20030101;

/** [FIRST_CLAIM_DATE, the extract date] (YYYYMMDD); the extract date defaults to today (local time). */
export function plausibleDates(extractYmd?: number): [number, number] {
  const d = new Date();
  return [FIRST_CLAIM_DATE, extractYmd ?? d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate()];
}

export interface ClaimsOptions {
  /** Inclusive date range (YYYYMMDD) of the period; claims outside are rejected. */
  period?: [number, number];
  /**
   * Without a period: the dates a claim may plausibly have (YYYYMMDD, inclusive; default
   * {@link plausibleDates} of today) — outside, `date_out_of_range`.
   */
  plausible?: [number, number];
  mapping?: UserMapping;
  /**
   * Tier (values.ts DATA_TIERS index) of a facility whose tier nothing states — no register, no tier on
   * its rows (`--default-tier`). Without it such a claim is rejected as `unknown_facility`.
   */
  defaultTier?: number;
}

/** Largest amount read: 10^10 yuan (in fen), far above any real claim; larger values (1e308, twenty digits) would load as Infinity or inexact fen. */
const MAX_FEN = 1e12;
/** Largest drug days supplied (a century): the column is held as 32-bit integers. */
const MAX_DAYS = 36_500;

const AMOUNTS = ['total_cost', 'eligible_cost', 'fund_paid', 'patient_paid', 'drug_cost'] as const;

export function loadClaims(src: TableSource, facilities: FacilityTable, enrollment: Enrollment, opts: ClaimsOptions = {}): { claims: Claims; log: RowLog; map: ColumnMap } {
  const map = mapColumns('claims', src.headers, src.path, src.headerLine, opts.mapping, [
    'claim_id',
    'person_id',
    'date',
    'facility_id',
    'total_cost',
    'fund_paid',
    ...(facilities.registered || opts.defaultTier !== undefined ? [] : ['facility_tier']),
  ]);
  const log = new RowLog('claims', src.path, src.headers);
  const ix = map.index;
  const H = map.header;
  const nCols = src.headers.length;
  const claimIds = new ByteInterner(1 << 16);
  let firstRow = new Int32Array(1 << 16);
  const tiers = new Categorical(classifyTier);
  const types = new Categorical(classifyClaimType);
  const offs = new Categorical(classifyOffSite);
  const required = ['claim_id', 'person_id', 'date', 'facility_id', 'total_cost', 'fund_paid'].map((k) => ix[k]);
  const requiredNames = ['claim_id', 'person_id', 'date', 'facility_id', 'total_cost', 'fund_paid'].map((k) => H[k]);
  const amountCols = AMOUNTS.map((k) => ix[k]);
  const amountNames = AMOUNTS.map((k) => H[k] ?? k);
  const amounts = new Float64Array(AMOUNTS.length);
  const period = opts.period;
  const plausible = opts.plausible ?? plausibleDates();
  const { ids: personIds } = enrollment;

  let cap = 1 << 16;
  const c = {
    person: new Int32Array(cap),
    ymd: new Int32Array(cap),
    facility: new Int32Array(cap),
    tier: new Int8Array(cap),
    inpatient: new Uint8Array(cap),
    offSite: new Int8Array(cap),
    cost: new Float64Array(cap),
    eligible: new Float64Array(cap),
    fund: new Float64Array(cap),
    patient: new Float64Array(cap),
    drug: new Float64Array(cap),
    days: new Int32Array(cap),
    row: new Int32Array(cap),
  };
  let n = 0;
  let minYmd = 99999999;
  let maxYmd = 0;
  const yuan = (fen: number) => (fen / 100).toFixed(2);

  const sink: RowSink = (buf, st, en, nf, row, line) => {
    log.read++;
    const undecodable = src.undecodable?.(buf, st, en, nf, line);
    if (undecodable) return log.reject(buf, st, en, nf, row, line, 'encoding', src.headers[undecodable.field] ?? '', text(buf, st[undecodable.field], en[undecodable.field]), undecodable.why);
    if (nf !== nCols) return log.reject(buf, st, en, nf, row, line, 'bad_row', '', '', `${nf} fields, the header has ${nCols}`);
    for (let k = 0; k < required.length; k++) {
      const j = required[k];
      if (isBlank(buf, st[j], en[j])) return log.reject(buf, st, en, nf, row, line, 'missing_value', requiredNames[k], '');
    }
    // Claim id: a repeat of any earlier row's id is a duplicate.
    const cs = trimStart(buf, st[ix.claim_id], en[ix.claim_id]);
    const ce = trimEnd(buf, cs, en[ix.claim_id]);
    const cid = claimIds.intern(buf, cs, ce);
    if (!claimIds.added) return log.reject(buf, st, en, nf, row, line, 'duplicate_claim_id', H.claim_id, text(buf, cs, ce), `first on row ${firstRow[cid]}`);
    if (cid >= firstRow.length) firstRow = grown(firstRow, cid + 1);
    firstRow[cid] = row;
    // Amounts.
    for (let k = 0; k < AMOUNTS.length; k++) {
      const j = amountCols[k];
      if (j < 0 || isBlank(buf, st[j], en[j])) {
        amounts[k] = -1;
        continue;
      }
      const v = parseFen(buf, st[j], en[j]);
      if (Number.isNaN(v)) return log.reject(buf, st, en, nf, row, line, 'non_numeric', amountNames[k], text(buf, st[j], en[j]), 'an amount in yuan');
      if (v < 0) return log.reject(buf, st, en, nf, row, line, 'negative_amount', amountNames[k], text(buf, st[j], en[j]));
      if (v > MAX_FEN) return log.reject(buf, st, en, nf, row, line, 'bad_value', amountNames[k], text(buf, st[j], en[j]), 'an amount in yuan up to 10,000,000,000');
      amounts[k] = v;
    }
    let days = 0;
    if (ix.days_supplied >= 0 && !isBlank(buf, st[ix.days_supplied], en[ix.days_supplied])) {
      days = parseWhole(buf, st[ix.days_supplied], en[ix.days_supplied]);
      if (Number.isNaN(days)) return log.reject(buf, st, en, nf, row, line, 'non_numeric', H.days_supplied, text(buf, st[ix.days_supplied], en[ix.days_supplied]), 'drug days supplied, a whole number');
      if (days < 0) return log.reject(buf, st, en, nf, row, line, 'negative_amount', H.days_supplied, String(days));
      if (days > MAX_DAYS) return log.reject(buf, st, en, nf, row, line, 'bad_value', H.days_supplied, text(buf, st[ix.days_supplied], en[ix.days_supplied]), `drug days supplied, a whole number up to ${MAX_DAYS}`);
    }
    // Date and period.
    const ymd = parseDate(buf, st[ix.date], en[ix.date]);
    if (ymd < 0) return log.reject(buf, st, en, nf, row, line, 'bad_date', H.date, text(buf, st[ix.date], en[ix.date]));
    if (period && (ymd < period[0] || ymd > period[1])) return log.reject(buf, st, en, nf, row, line, 'date_outside_period', H.date, ymdText(ymd), `the period is ${ymdText(period[0])} to ${ymdText(period[1])}`);
    if (!period && (ymd < plausible[0] || ymd > plausible[1])) return log.reject(buf, st, en, nf, row, line, 'date_out_of_range', H.date, ymdText(ymd), ymd > plausible[1] ? `after the extract date ${ymdText(plausible[1])}` : `before ${ymdText(plausible[0])}`);
    // Categorical values.
    const inpatient = ix.claim_type >= 0 ? types.code(buf, st[ix.claim_type], en[ix.claim_type]) : 0;
    if (inpatient === INVALID) return log.reject(buf, st, en, nf, row, line, 'bad_value', H.claim_type, text(buf, st[ix.claim_type], en[ix.claim_type]), 'outpatient/inpatient, 门诊/住院');
    const off = ix.off_site >= 0 ? offs.code(buf, st[ix.off_site], en[ix.off_site]) : -1;
    if (off === OFFSITE_INVALID) return log.reject(buf, st, en, nf, row, line, 'bad_value', H.off_site, text(buf, st[ix.off_site], en[ix.off_site]), 'empty/no for on site, or the category: inProvinceReferred, inProvinceUnreferred, crossProvinceReferred, crossProvinceUnreferred (省内转诊, 省内未转诊, 跨省转诊, 跨省未转诊)');
    const rowTier = ix.facility_tier >= 0 ? tiers.code(buf, st[ix.facility_tier], en[ix.facility_tier]) : BLANK;
    if (rowTier === INVALID) return log.reject(buf, st, en, nf, row, line, 'bad_value', H.facility_tier, text(buf, st[ix.facility_tier], en[ix.facility_tier]), `a tier is one of ${DATA_TIERS.join(', ')} (or their Chinese names)`);
    // Facility: its tier from the register, or from this or an earlier row.
    const f = facilities.id(buf, st[ix.facility_id], en[ix.facility_id]);
    let tier: number;
    if (off >= 0) tier = T_HOSPITAL; // care outside the region: settled at the off-site pseudo-facility
    else {
      const known = facilities.tier[f];
      if (facilities.registered && facilities.register[f] === undefined) return log.reject(buf, st, en, nf, row, line, 'unknown_facility', H.facility_id, facilities.idOf(f), 'not in the facility register');
      if (known < 0 && rowTier < 0 && opts.defaultTier === undefined) return log.reject(buf, st, en, nf, row, line, 'unknown_facility', H.facility_id, facilities.idOf(f), 'no tier on this row and none known for the facility (give a facility register, or --default-tier)');
      if (known >= 0 && rowTier >= 0 && rowTier !== known) {
        return log.reject(buf, st, en, nf, row, line, 'facility_tier_conflict', H.facility_tier, DATA_TIERS[rowTier], `${facilities.idOf(f)} is ${DATA_TIERS[known]} ${facilities.registered ? 'in the register' : `from row ${facilities.tierRow[f]}`}`);
      }
      tier = known >= 0 ? known : rowTier >= 0 ? rowTier : opts.defaultTier!;
    }
    // Person, enrolled on the date.
    const ps = trimStart(buf, st[ix.person_id], en[ix.person_id]);
    const pe = trimEnd(buf, ps, en[ix.person_id]);
    const p = personIds.find(buf, ps, pe);
    if (p < 0) {
      const r = enrollment.rejectedIds.find(buf, ps, pe);
      return log.reject(buf, st, en, nf, row, line, 'person_not_enrolled', H.person_id, text(buf, ps, pe), r >= 0 ? `its enrollment row ${enrollment.rejectedRow[r]} was rejected` : 'not in the enrollment file');
    }
    if (ymd < enrollment.from[p] || ymd > enrollment.to[p]) {
      return log.reject(buf, st, en, nf, row, line, 'person_not_enrolled', H.date, ymdText(ymd), `not enrolled on that date (registered ${enrollment.from[p] ? ymdText(enrollment.from[p]) : 'always'} to ${enrollment.to[p] < 99991231 ? ymdText(enrollment.to[p]) : 'now'})`);
    }
    // Amounts add up.
    const total = amounts[0];
    const elig = amounts[1];
    const fund = amounts[2];
    const pat = amounts[3];
    const drug = amounts[4];
    if (pat >= 0 && Math.abs(fund + pat - total) > 1) return log.reject(buf, st, en, nf, row, line, 'amounts_do_not_add_up', `${H.fund_paid} + ${H.patient_paid}`, `${yuan(fund)} + ${yuan(pat)}`, `≠ ${H.total_cost} ${yuan(total)}`);
    if (fund > total) return log.reject(buf, st, en, nf, row, line, 'amounts_do_not_add_up', H.fund_paid, yuan(fund), `> ${H.total_cost} ${yuan(total)}`);
    if (elig > total) return log.reject(buf, st, en, nf, row, line, 'amounts_do_not_add_up', H.eligible_cost, yuan(elig), `> ${H.total_cost} ${yuan(total)}`);
    if (drug > total) return log.reject(buf, st, en, nf, row, line, 'amounts_do_not_add_up', H.drug_cost, yuan(drug), `> ${H.total_cost} ${yuan(total)}`);

    // Loaded: the facility's tier is now known (first row that states it).
    if (off < 0) {
      if (facilities.tier[f] < 0) {
        facilities.tier[f] = tier;
        facilities.tierRow[f] = row;
      }
      facilities.onSiteClaims[f]++;
      if (!facilities.name[f] && ix.facility_name >= 0) facilities.name[f] = text(buf, st[ix.facility_name], en[ix.facility_name]);
    }
    if (n === cap) {
      cap *= 2;
      for (const k of Object.keys(c) as (keyof typeof c)[]) (c as Record<string, unknown>)[k] = grown(c[k], cap);
    }
    c.person[n] = p;
    c.ymd[n] = ymd;
    c.facility[n] = f;
    c.tier[n] = tier;
    c.inpatient[n] = inpatient;
    c.offSite[n] = off;
    c.cost[n] = total;
    c.eligible[n] = elig;
    c.fund[n] = fund;
    c.patient[n] = pat;
    c.drug[n] = drug < 0 ? 0 : drug;
    c.days[n] = days;
    c.row[n] = row;
    if (ymd < minYmd) minYmd = ymd;
    if (ymd > maxYmd) maxYmd = ymd;
    n++;
    log.loaded++;
  };
  src.feed(sink);
  log.checkIdentity();
  const cut = <T extends { subarray(a: number, b: number): T }>(a: T) => a.subarray(0, n);
  return {
    log,
    map,
    claims: {
      n,
      person: cut(c.person),
      ymd: cut(c.ymd),
      facility: cut(c.facility),
      tier: cut(c.tier),
      inpatient: cut(c.inpatient),
      offSite: cut(c.offSite),
      cost: cut(c.cost),
      eligible: cut(c.eligible),
      fund: cut(c.fund),
      patient: cut(c.patient),
      drug: cut(c.drug),
      days: cut(c.days),
      row: cut(c.row),
      has: { eligible: ix.eligible_cost >= 0, patient: ix.patient_paid >= 0, drug: ix.drug_cost >= 0, days: ix.days_supplied >= 0, offSite: ix.off_site >= 0, claimType: ix.claim_type >= 0 },
      minYmd: n ? minYmd : 0,
      maxYmd: n ? maxYmd : 0,
    },
  };
}
