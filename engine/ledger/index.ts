export { ledgerYears, type LedgerYear } from './ledger.ts';
export { reserveMonths, readReserve, type ReserveThresholds, type ReserveReading } from './reserve-months.ts';
