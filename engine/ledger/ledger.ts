/**
 * The fund ledger of the chronic-care budget, per year (F7, docs/risk.md): income (per-capita
 * financing × enrollees, financing grown after the last published standard: financing.ts), the share
 * of it budgeted for these patients, outlays, and the balance carried forward.
 */
import { applyRate, yuanToFen } from '../money/fen.ts';
import { openingBalanceFen } from './opening-balance.ts';
import { at } from '../params/param.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { perCapitaFinancing } from './financing.ts';
import { readReserve, reserveMonths, type ReserveReading } from './reserve-months.ts';

export interface LedgerYear {
  year: number;
  enrollees: number;
  /** Resident-fund income: enrollees × (subsidy + individual contribution), fen. */
  incomeFen: number;
  /** The part of income budgeted for chronic care, fen. */
  budgetFen: number;
  openingBalanceFen: number;
  outlayFen: number;
  closingBalanceFen: number;
  reserveMonths: number;
  reading: ReserveReading;
}

/**
 * Roll the ledger over the years given each year's outlay (fen). The opening balance is
 * `openingFen` when given (a run passes the same one to every payment model), else read from the
 * scenario against these outlays (opening-balance.ts).
 */
export function ledgerYears(s: ScenarioFile, years: number[], enrollees: number[], outlaysFen: number[], openingFen?: number): LedgerYear[] {
  let balance = openingFen ?? openingBalanceFen(s, years[0], enrollees[0], outlaysFen[0]);
  return years.map((year, i) => {
    // Per-capita financing (grown after the last published standard), in fen per enrollee.
    const incomeFen = enrollees[i] * yuanToFen(perCapitaFinancing(s, year).total);
    const budgetFen = applyRate(incomeFen, at(s.financing.chronicBudgetShare, year));
    const opening = balance;
    balance = opening + budgetFen - outlaysFen[i];
    const rm = reserveMonths(balance, outlaysFen[i]);
    return { year, enrollees: enrollees[i], incomeFen, budgetFen, openingBalanceFen: opening, outlayFen: outlaysFen[i], closingBalanceFen: balance, reserveMonths: rm, reading: readReserve(rm, s.ledger.reserveMonths) };
  });
}
