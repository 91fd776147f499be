/**
 * Synthetic claims and enrollment written by fundcast itself: one replication of a scenario,
 * simulated by the kernel with its claim trace on, written out in the documented input schema
 * (English or Chinese headers and values). Used for the demonstration data in scenarios/data/ and
 * the replay benchmark. The claims carry the kernel's own adjudication (fund paid = the fund share
 * under the scenario's rules), so replaying them under the same scenario reconciles to 0.
 *
 * Dates: each month's outpatient visits of a patient get sorted random days of that month (so the
 * file's date order is the kernel's claim order, which the replay follows); admissions get a random
 * day. Registration: from the first day of the month the patient's care starts (empty when they
 * are registered before the first year) to the last day of the month they die or leave (open when
 * they stay).
 */
import { OFF_SITE } from '../params/schema.ts';
import { synthesizeBlock } from '../population/synthesize.ts';
import { Rng, streamState } from '../rng/stream.ts';
import { simulateBlocks, type Compiled } from '../run/simulate.ts';
import type { ClaimTrace } from '../utilization/kernel.ts';
import { FIELDS, type TableKind } from './columns.ts';
import { DEFAULT_CODE } from './conditions.ts';
import { csvLine } from '../csv/write.ts';
import { daysInMonth } from './values.ts';

export type Lang = 'en' | 'zh';

export const ENROLLMENT_COLUMNS = ['person_id', 'birth_year', 'sex', 'county', 'township', 'village', 'community', 'residence', 'insurance_type', 'conditions', 'signed', 'signed_facility', 'designated_facility', 'enrolled_from', 'enrolled_to'];
export const CLAIMS_COLUMNS = ['claim_id', 'person_id', 'date', 'facility_id', 'facility_tier', 'claim_type', 'total_cost', 'eligible_cost', 'fund_paid', 'patient_paid', 'drug_cost', 'days_supplied', 'diagnosis', 'off_site'];

/** Header of a field in a language: its key (en), or its first Chinese alias (zh). */
export function headerFor(kind: TableKind, key: string, lang: Lang): string {
  if (lang === 'en') return key;
  const f = FIELDS[kind].find((x) => x.key === key)!;
  return f.aliases.find((a) => /[\u4e00-\u9fff]/.test(a)) ?? key;
}

const WORDS = {
  en: { tier: ['village', 'township', 'hospital', 'city', 'pharmacy'], off: [...OFF_SITE] as string[], op: 'outpatient', ip: 'inpatient', male: 'M', female: 'F', urban: 'urban', rural: 'rural', yes: 'yes', no: 'no', resident: 'resident' },
  zh: { tier: ['村卫生室', '乡镇卫生院', '二级及以上', '市级医院', '双通道药店'], off: ['省内转诊', '省内未转诊', '跨省转诊', '跨省未转诊'], op: '门诊', ip: '住院', male: '男', female: '女', urban: '城镇', rural: '农村', yes: '是', no: '否', resident: '城乡居民' },
};

export interface SyntheticOptions {
  lang?: Lang;
  /** Replication simulated (default 0). */
  replication?: number;
  /** Sort the claims by date (stable), as an extract usually is (default true; the benchmark writes them per patient). */
  sortByDate?: boolean;
  /** Receive the text in pieces (for large outputs); by default it is returned. */
  enrollment?: (chunk: string) => void;
  claims?: (chunk: string) => void;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Write the enrollment and claims of replication `replication` of `c`. Returns the texts when no sinks are given. */
export function syntheticData(c: Compiled, o: SyntheticOptions = {}): { enrollment: string; claims: string; persons: number; claimRows: number } {
  const lang = o.lang ?? 'en';
  const W = WORDS[lang];
  const rep = o.replication ?? 0;
  const sort = o.sortByDate ?? true;
  const s = c.scenario;
  const region = c.region;
  const conds = Object.keys(s.population.prevalence);
  const nY = c.years.length;
  let enrollmentText = '';
  let claimsText = '';
  const outE = o.enrollment ?? ((t: string) => (enrollmentText += t));
  const outC = o.claims ?? ((t: string) => (claimsText += t));
  outE(csvLine(ENROLLMENT_COLUMNS.map((k) => headerFor('enrollment', k, lang))));
  outC(csvLine(CLAIMS_COLUMNS.map((k) => headerFor('claims', k, lang))));
  // Claims sorted by date: day buckets (a stable bucket sort), written at the end.
  const buckets: string[][] | null = sort ? Array.from({ length: nY * 372 }, () => []) : null;
  let buf = '';
  let claimNo = 0;
  let personNo = 0;
  const fac = region.facilities;
  const tierWord = (f: number) => W.tier[fac[f].city ? 3 : fac[f].pharmacy ? 4 : region.tierCode[f]];
  for (let b = 0; b < region.blocks.length; b++) {
    const block = region.blocks[b];
    const pop = synthesizeBlock(c, rep, b);
    const ids = Array.from({ length: pop.n }, () => `P${pad(++personNo, 7)}`);
    const township = lang === 'zh' ? `乡镇${b + 1}` : `T${pad(b + 1, 3)}`;
    for (let p = 0; p < pop.n; p++) {
      const vi = block.villages.indexOf(pop.village[p]);
      const codes = conds.filter((_, i) => pop.conditions[p] & (1 << i)).map((id) => DEFAULT_CODE[id] ?? id);
      const signedAt = pop.signed[p] ? (pop.urban[p] ? pop.township[p] : pop.village[p]) : -1;
      const entry = pop.entry[p];
      const exit = pop.exit[p];
      outE(
        csvLine([
          ids[p],
          c.years[0] + pop.birth[p],
          pop.male[p] ? W.male : W.female,
          region.counties[block.county].name,
          township,
          lang === 'zh' ? `${township}村${vi + 1}` : `${township}-V${pad(vi + 1, 2)}`,
          region.communities[block.community].id,
          pop.urban[p] ? W.urban : W.rural,
          W.resident,
          codes.join(';'),
          pop.signed[p] ? W.yes : W.no,
          signedAt >= 0 ? fac[signedAt].id : '',
          fac[pop.hospital[p]].id,
          // registered from the entry month (a new registration in the first year too: its care
          // starts that month); a death or departure in month m: enrolled to its end
          entry === 0 && pop.entryMonth[p] === 0 ? '' : `${c.years[entry]}-${pad(pop.entryMonth[p] + 1, 2)}-01`,
          exit >= nY && pop.exitMonth[p] === 12 ? '' : `${c.years[exit - 1]}-${pad(pop.exitMonth[p], 2)}-${pad(daysInMonth(c.years[exit - 1], pop.exitMonth[p]), 2)}`,
        ]),
      );
    }
    // The kernel's claims of this block, patient by patient in the kernel's order.
    const rng = new Rng(streamState(s.seed, rep, b, 90));
    let month: ClaimTrace[] = [];
    const flush = () => {
      if (month.length === 0) return;
      const e0 = month[0];
      const year = c.years[e0.yearIndex];
      const dim = daysInMonth(year, e0.month);
      const op = month.filter((e) => e.kind === 'outpatient');
      const days = op.map(() => 1 + rng.int(dim)).sort((x, y) => x - y);
      let k = 0;
      for (const e of month) {
        const day = e.kind === 'outpatient' ? days[k++] : 1 + rng.int(dim);
        const pcodes = conds.filter((_, i) => pop.conditions[e.patient] & (1 << i));
        const code = DEFAULT_CODE[pcodes[k % pcodes.length]] ?? pcodes[0];
        const date = `${year}-${pad(e.month, 2)}-${pad(day, 2)}`;
        const line = [
          '',
          ids[e.patient],
          date,
          fac[e.facility].id,
          tierWord(e.facility),
          e.kind === 'outpatient' ? W.op : W.ip,
          yuan(e.costFen),
          yuan(e.eligibleFen),
          yuan(e.fundFen),
          yuan(e.patientFen),
          yuan(e.drugFen ?? 0),
          e.days ?? 0,
          code,
          e.offSite >= 0 ? W.off[e.offSite] : '',
        ];
        if (buckets) buckets[e0.yearIndex * 372 + (e.month - 1) * 31 + day - 1].push(csvLine(line.slice(1)));
        else {
          line[0] = `C${pad(++claimNo, 9)}`;
          buf += csvLine(line);
          if (buf.length > 1 << 20) {
            outC(buf);
            buf = '';
          }
        }
      }
      month = [];
    };
    simulateBlocks(c, rep, b, b + 1, (e) => {
      if (e.kind === 'patientYear') return;
      const m0 = month[0];
      if (m0 && (m0.patient !== e.patient || m0.yearIndex !== e.yearIndex || m0.month !== e.month)) flush();
      month.push(e);
    });
    flush();
  }
  if (buckets) {
    for (const bucket of buckets) {
      for (const rest of bucket) {
        buf += `C${pad(++claimNo, 9)},${rest}`;
        if (buf.length > 1 << 20) {
          outC(buf);
          buf = '';
        }
      }
    }
  }
  if (buf) outC(buf);
  return { enrollment: enrollmentText, claims: claimsText, persons: personNo, claimRows: claimNo };
}
