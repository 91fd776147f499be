/**
 * Row validation bookkeeping: every row read is either loaded or rejected with its row number,
 * line, reason, column and value, so that loaded + rejected = rows read, always. Rejected rows are
 * written to `<out>/rejects-<table>.csv` with their original fields; a summary by reason is printed;
 * a reject rate above `--max-reject-rate` fails the run.
 */
import { FundcastError } from '../errors.ts';
import { csvLine } from '../csv/write.ts';

/** Why a row is rejected. The text is the rule, as printed and written. */
export const REASONS = {
  bad_row: 'the row has a different number of fields than the header',
  encoding: 'the row does not decode in the encoding given with --encoding',
  missing_value: 'a required value is empty',
  non_numeric: 'not a number',
  negative_amount: 'an amount or count is negative',
  bad_date: 'not a valid date (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY年MM月DD日, years 1900–2100)',
  date_outside_period: 'the date is outside the period replayed (--period)',
  date_out_of_range: 'the date is after the extract date (--extract-date, default today) or before 2003, when the residents\' schemes began',
  bad_value: 'not one of the values allowed in this column',
  unknown_facility: 'the facility is not in the facility register, or its tier is unknown',
  facility_tier_conflict: 'the facility has a different tier on an earlier row or in the register',
  duplicate_claim_id: 'the claim id was seen on an earlier row',
  duplicate_person_id: 'the person id was seen on an earlier row',
  duplicate_facility_id: 'the facility id was seen on an earlier row of the register',
  person_not_enrolled: 'the person is not in the enrollment file, or not enrolled on the claim date',
  amounts_do_not_add_up: 'fund paid + patient paid ≠ total cost (beyond 1 fen), or the eligible, drug or fund amount exceeds the total',
  no_known_condition: 'no registered chronic condition recognised (ICD-10 code or condition name)',
} as const;
export type Reason = keyof typeof REASONS;
export const REASON_KEYS = Object.keys(REASONS) as Reason[];

export interface Reject {
  row: number;
  line: number;
  reason: Reason;
  column: string;
  value: string;
  detail: string;
  fields: string[];
}

const utf8 = new TextDecoder('utf-8');

/** The rows of one input table: how many were read, loaded and rejected (with why). */
export class RowLog {
  read = 0;
  loaded = 0;
  readonly rejects: Reject[] = [];
  readonly byReason = new Map<Reason, number>();

  constructor(
    readonly table: string,
    readonly file: string,
    readonly headers: string[],
  ) {}

  get rejected(): number {
    return this.rejects.length;
  }

  /** Record a rejected row; its fields are copied out of the buffer as text. */
  reject(buf: Uint8Array, starts: Int32Array, ends: Int32Array, nf: number, row: number, line: number, reason: Reason, column: string, value: string, detail = ''): void {
    const fields: string[] = [];
    for (let k = 0; k < nf; k++) fields.push(utf8.decode(buf.subarray(starts[k], ends[k])));
    this.rejects.push({ row, line, reason, column, value, detail, fields });
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
  }

  /** The reject file's text: row, line, reason, column, value, rule, then the row's original fields. */
  rejectsCsv(): string {
    const head = ['row', 'line', 'reason', 'column', 'value', 'rule', ...this.headers.map((h) => (['row', 'line', 'reason', 'column', 'value', 'rule'].includes(h) ? `original:${h}` : h))];
    let s = csvLine(head);
    for (const r of [...this.rejects].sort((a, b) => a.row - b.row)) {
      s += csvLine([r.row, r.line, r.reason, r.column, r.value, REASONS[r.reason] + (r.detail ? `: ${r.detail}` : ''), ...r.fields]);
    }
    return s;
  }

  /** "claims.csv: 38,112 rows read, 38,000 loaded, 112 rejected (duplicate_claim_id 12, bad_date 100)". */
  summary(): string {
    const by = [...this.byReason.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n.toLocaleString('en-US')}`);
    return `${this.file}: ${this.read.toLocaleString('en-US')} rows read, ${this.loaded.toLocaleString('en-US')} loaded, ${this.rejected.toLocaleString('en-US')} rejected${by.length ? ` (${by.join(', ')})` : ''}`;
  }

  /** Counts for replay.json. */
  counts(): { file: string; read: number; loaded: number; rejected: number; byReason: Record<string, number> } {
    return { file: this.file, read: this.read, loaded: this.loaded, rejected: this.rejected, byReason: Object.fromEntries(this.byReason) };
  }

  /** The accounting identity: every row read is loaded or rejected. */
  checkIdentity(): void {
    if (this.loaded + this.rejected !== this.read) throw new Error(`${this.file}: ${this.loaded} loaded + ${this.rejected} rejected ≠ ${this.read} read (a bug: a row was lost)`);
  }
}

/** Fail (exit 2) when a table's reject rate exceeds `max`, naming the file, the counts, the reasons and the rejects file. */
export function checkRejectRate(log: RowLog, max: number, rejectsFile: string): void {
  if (log.read === 0) return;
  const rate = log.rejected / log.read;
  if (rate > max) {
    const top = [...log.byReason.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r}: ${n}`).join(', ');
    const first = [...log.rejects].sort((a, b) => a.row - b.row)[0];
    throw new FundcastError(
      'ERR_DATA_REJECT_RATE',
      `${log.file}: ${(rate * 100).toFixed(2)}% of rows rejected (${log.rejected.toLocaleString('en-US')} of ${log.read.toLocaleString('en-US')}), above --max-reject-rate ${max}; reasons: ${top}; first: row ${first.row} (line ${first.line}), column ${first.column || '—'}: ${REASONS[first.reason]}${first.detail ? `: ${first.detail}` : ''}. Every rejected row is in ${rejectsFile}`,
    );
  }
}
