/**
 * The region as run: counties with their residents and designated facilities by tier (scenario.json,
 * facilities.csv), and, when the run wrote facility-results.csv, the facilities the fund paid most.
 * Names come from user files and are escaped by htmlTable.
 */
import { modelLabels, tierLabel } from '../charts/common.ts';
import { fill, strings, type Lang } from '../i18n.ts';
import { TIER_KEYS, type ReportData } from '../run-data.ts';
import { fmtNumber, fmtWan } from './format.ts';
import { regionAsRun } from '../region-as-run.ts';
import { htmlTable, num, type Cell } from './table.ts';

interface County {
  id: string;
  name?: string;
  residents?: number;
  communities?: number;
}

export function regionTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  // residents as run: region.scale applied (region-as-run.ts)
  const region = regionAsRun(d.scenario);
  const counties: County[] = region.counties;
  if (!counties.length && !d.facilities) return '';
  const count = new Map<string, number>();
  for (const f of d.facilities ?? []) count.set(`${f.county}|${f.tier}`, (count.get(`${f.county}|${f.tier}`) ?? 0) + 1);
  const tiers = TIER_KEYS.filter((t) => t !== 'offSite');
  const rows: Cell[][] = counties.map((c) => [
    c.name ? `${c.name} (${c.id})` : c.id,
    num(fmtNumber(c.residents, lang)),
    num(fmtNumber(c.communities ?? 1, lang)),
    ...tiers.map((t) => num(d.facilities ? fmtNumber(count.get(`${c.id}|${t}`) ?? 0, lang) : '–')),
  ]);
  // City hospitals and off-site facilities belong to no county.
  const other = tiers.map((t) => (d.facilities ?? []).filter((f) => f.tier === t && !counties.some((c) => c.id === f.county)).length);
  if (d.facilities && other.some((n) => n > 0)) rows.push([s.tables.otherFacilities, num(''), num(''), ...other.map((n) => num(fmtNumber(n, lang)))]);
  const c = s.cols;
  const caption = region.name ? `${s.tables.region}: ${region.name}${region.scale !== 1 ? ` (region.scale = ${region.scale})` : ''}` : s.tables.region;
  return htmlTable([c.county, c.residents, c.communities, ...tiers.map((t) => `${s.tables.facilities}: ${tierLabel(s, t)}`)], rows, caption);
}

/** The ten facilities with the highest mean fund payment, first model, last year. */
export function topFacilitiesTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const fr = d.facilityResults;
  if (!fr?.length) return '';
  const model = d.summary.models[0]?.name ?? fr[0].model;
  const year = Math.max(...fr.filter((r) => r.model === model).map((r) => r.year));
  const names = new Map((d.facilities ?? []).map((f) => [f.id, f.name]));
  const top = fr
    .filter((r) => r.model === model && r.year === year && Number.isFinite(r.fundPaymentMean))
    .sort((a, b) => b.fundPaymentMean - a.fundPaymentMean)
    .slice(0, 10);
  const rows: Cell[][] = top.map((r) => [names.get(r.facility) ?? r.facility, r.facility, tierLabel(s, r.tier), num(fmtWan(r.fundPaymentMean, lang))]);
  const c = s.cols;
  const label = modelLabels(d.summary, lang).get(model) ?? model;
  return htmlTable([c.facility, c.id, s.tier, c.fundPayment], rows, fill(s.tables.topFacilities, { model: label, year }));
}
