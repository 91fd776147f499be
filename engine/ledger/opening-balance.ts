/**
 * The fund's balance at the start of the horizon, from `financing.openingBalance` in whichever unit
 * it is stated (schema.ts OPENING_BALANCE_UNITS):
 *
 *   yuan           the amount (already multiplied by region.scale: params/scale.ts)
 *   yuan/enrollee  the amount × the enrollees of the first horizon year
 *   months         the amount × the first payment model's fund outlay in the first horizon year ÷ 12,
 *                  per replication — the same opening balance for every model, so that the models'
 *                  balances stay paired (reserve months, F5, read backwards)
 *
 * And the check of what it implies: the opening balance in months of the first year's mean outlay,
 * read against the scenario's reserve-month bands (ledger.reserveMonths); outside
 * [severe, excessive] it is a warning, since a run then starts in a shortage or with an excess that
 * no fund holds, which usually means the balance was not scaled with the region.
 */
import { fenToYuan, yuanToFen } from '../money/fen.ts';
import { at } from '../params/param.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { readReserve, reserveMonths, type ReserveReading } from './reserve-months.ts';

/** Opening balance (fen) of the horizon's first year `year`. */
export function openingBalanceFen(s: ScenarioFile, year: number, firstYearEnrollees: number, firstModelFirstYearOutlayFen: number): number {
  const p = s.financing.openingBalance;
  const v = at(p, year);
  if (p.unit === 'yuan/enrollee') return yuanToFen(v) * firstYearEnrollees;
  if (p.unit === 'months') return Math.round((firstModelFirstYearOutlayFen * v) / 12);
  return yuanToFen(v);
}

export interface OpeningCheck {
  /** Mean opening balance across replications, yuan. */
  openingBalance: number;
  /** It in months of the first model's mean outlay in the first year. */
  reserveMonths: number;
  reading: ReserveReading;
  /** Set when the months fall outside [severe, excessive]. */
  warning?: string;
}

/**
 * The opening balance read as reserve months of the first year's outlay. `openingFen` and
 * `outlayFen`: per replication, the first model's first-year opening balance and outlay.
 */
export function checkOpening(s: ScenarioFile, openingFen: number[], outlayFen: number[]): OpeningCheck {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const opening = mean(openingFen);
  const months = reserveMonths(opening, mean(outlayFen));
  const t = s.ledger.reserveMonths;
  const reading = readReserve(months, t);
  const out: OpeningCheck = { openingBalance: fenToYuan(opening), reserveMonths: months, reading };
  if (Number.isFinite(months) && (months < t.severe || months > t.excessive)) {
    const side = months < t.severe ? `below the severe-shortage threshold of ${t.severe} months` : `above the excessive threshold of ${t.excessive} months`;
    const scale = s.region.scale !== undefined && s.region.scale !== 1 ? ` (region.scale ${s.region.scale})` : '';
    out.warning =
      `financing.openingBalance: the opening balance of ${Math.round(fenToYuan(opening)).toLocaleString('en-US')} yuan is ${months.toFixed(1)} months of the first year's outlay${scale}, ` +
      `${side} (ledger.reserveMonths: < ${t.severe} severe, ${t.severe}–${t.low} low, ${t.low}–${t.normal} normal, > ${t.excessive} excessive). ` +
      'If the region was resized, state the balance in yuan with region.scale, or per enrollee (unit: yuan/enrollee), or in months (unit: months).';
  }
  return out;
}
