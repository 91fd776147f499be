/**
 * The facilities named by the data: every facility id of the claims, the enrollment (signed and
 * designated facilities) and the optional facility register, interned once, with the tier each
 * has. Without a register a facility's tier is the one its claims state (the first row that
 * states it; a later row stating another is rejected). With a register, the register's tier rules
 * and a claim at a facility not in it is rejected as `unknown_facility`.
 */
import { mapColumns, type UserMapping } from './columns.ts';
import type { RowSink } from './csv.ts';
import { ByteInterner, Categorical } from './interner.ts';
import type { TableSource } from './source.ts';
import { RowLog } from './validate.ts';
import { BLANK, classifyTier, classifyYesNo, DATA_TIERS, INVALID, isBlank, text, trimEnd, trimStart } from './values.ts';

export interface RegisterEntry {
  county: string;
  community: string;
  /** A village clinic's township centre (facility id), or ''. */
  township: string;
  /** 1 lead hospital, 0 not, -1 not said. */
  lead: number;
}

export class FacilityTable {
  readonly ids = new ByteInterner(256);
  /** Data tier (values.ts DATA_TIERS index) per facility; -1 unknown. */
  readonly tier: number[] = [];
  /** Row that first stated the tier (claims row, or register row), for conflict messages. */
  readonly tierRow: number[] = [];
  readonly name: string[] = [];
  /** On-site claims at the facility (facilities seen only off-site are not part of the region). */
  readonly onSiteClaims: number[] = [];
  /** Register entries (when a register was read), by facility. */
  readonly register: (RegisterEntry | undefined)[] = [];
  registered = false;

  /** The facility id of bytes [s, e) (trimmed), added when new. */
  id(buf: Uint8Array, s0: number, e0: number): number {
    const s = trimStart(buf, s0, e0);
    const e = trimEnd(buf, s, e0);
    const f = this.ids.intern(buf, s, e);
    if (this.ids.added) {
      this.tier.push(-1);
      this.tierRow.push(0);
      this.name.push('');
      this.onSiteClaims.push(0);
      this.register.push(undefined);
    }
    return f;
  }

  get n(): number {
    return this.ids.n;
  }

  idOf(f: number): string {
    return this.ids.string(f);
  }
}

/** Read the facility register into `table`; rows go to `log`. */
export function loadRegister(src: TableSource, table: FacilityTable, mapping: UserMapping | undefined): RowLog {
  const map = mapColumns('facilities', src.headers, src.path, src.headerLine, mapping);
  const log = new RowLog('facilities', src.path, src.headers);
  const ix = map.index;
  const nCols = src.headers.length;
  const tiers = new Categorical(classifyTier);
  const lead = new Categorical(classifyYesNo);
  table.registered = true;
  const sink: RowSink = (buf, st, en, nf, row, line) => {
    log.read++;
    const undecodable = src.undecodable?.(buf, st, en, nf, line);
    if (undecodable) return log.reject(buf, st, en, nf, row, line, 'encoding', src.headers[undecodable.field] ?? '', text(buf, st[undecodable.field], en[undecodable.field]), undecodable.why);
    if (nf !== nCols) return log.reject(buf, st, en, nf, row, line, 'bad_row', '', '', `${nf} fields, the header has ${nCols}`);
    for (const k of ['facility_id', 'facility_tier']) {
      if (isBlank(buf, st[ix[k]], en[ix[k]])) return log.reject(buf, st, en, nf, row, line, 'missing_value', map.header[k], '');
    }
    const t = tiers.code(buf, st[ix.facility_tier], en[ix.facility_tier]);
    if (t < 0) return log.reject(buf, st, en, nf, row, line, 'bad_value', map.header.facility_tier, text(buf, st[ix.facility_tier], en[ix.facility_tier]), `a tier is one of ${DATA_TIERS.join(', ')} (or their Chinese names)`);
    const l = ix.lead >= 0 ? lead.code(buf, st[ix.lead], en[ix.lead]) : BLANK;
    if (l === INVALID) return log.reject(buf, st, en, nf, row, line, 'bad_value', map.header.lead, text(buf, st[ix.lead], en[ix.lead]), 'yes or no');
    const f = table.id(buf, st[ix.facility_id], en[ix.facility_id]);
    if (table.register[f] !== undefined) return log.reject(buf, st, en, nf, row, line, 'duplicate_facility_id', map.header.facility_id, table.idOf(f), `first on row ${table.tierRow[f]}`);
    const get = (k: string) => (ix[k] >= 0 ? text(buf, st[ix[k]], en[ix[k]]) : '');
    table.tier[f] = t;
    table.tierRow[f] = row;
    table.name[f] = get('facility_name');
    table.register[f] = { county: get('county'), community: get('community'), township: get('township_facility'), lead: l };
    log.loaded++;
  };
  log.read = 0;
  src.feed(sink);
  log.checkIdentity();
  return log;
}
