/**
 * The calibration's parameter book: every parameter of the fragment is either fitted (an estimate
 * with its standard error and the count it rests on, `source: "calibrated from …"`), kept from the
 * template (the base scenario's value, `source: "kept from the template …"`), or set by
 * construction (a template's signedShareByCondition removed). docs/replay.md, "Calibrate".
 */
import type { Estimate } from '../estimate.ts';

export type ParamStatus = 'fitted' | 'kept' | 'set';

/** One line of the calibration report: a parameter (or one key of it) and how it was decided. */
export interface ParamLine {
  path: string;
  status: ParamStatus;
  unit?: string;
  estimate?: number;
  se?: number;
  n?: number;
  /** Why it was kept, or how it was set. */
  reason?: string;
}

/** Significant digits as written in the fragment. */
export const sig = (x: number, d = 6): number => (x === 0 || !Number.isFinite(x) ? 0 : Number(x.toPrecision(d)));

export class ParamBook {
  readonly lines: ParamLine[] = [];
  constructor(
    private readonly files: string,
    private readonly period: string,
  ) {}

  /** The source of a fitted parameter. */
  source(n: number, what: string): string {
    return `calibrated from ${this.files}, ${this.period}, n = ${Math.round(n).toLocaleString('en-US')} ${what}`;
  }

  /**
   * A fitted dated parameter: `estimates` by key path below `path` ('' for a number). Keys kept from
   * the template are listed with their reason, in the parameter's note and the report.
   */
  fitted(path: string, unit: string, n: number, what: string, value: unknown, estimates: Record<string, Estimate>, kept: Record<string, string> = {}): Record<string, unknown> {
    for (const [k, e] of Object.entries(estimates)) this.lines.push({ path: k ? `${path}.${k}` : path, status: 'fitted', unit, estimate: e.value, se: e.se, n: e.n });
    for (const [k, reason] of Object.entries(kept)) this.lines.push({ path: `${path}.${k}`, status: 'kept', unit, reason });
    const keptNote = Object.entries(kept).map(([k, r]) => `${k}: kept from the template (${r})`).join('; ');
    return { unit, source: this.source(n, what), value, ...(keptNote ? { note: keptNote } : {}) };
  }

  /** A parameter written with the template's value (a dated parameter of the base, copied). */
  kept(path: string, param: { unit?: string; source?: string }, reason: string, value: unknown): Record<string, unknown> {
    this.lines.push({ path, status: 'kept', unit: param.unit, reason });
    return { unit: param.unit, source: `kept from the template: ${reason} (template: ${param.source ?? 'no source'})`, value };
  }

  /** A parameter not in the fragment: the base's applies. */
  keptAsIs(path: string, reason: string, unit?: string): void {
    this.lines.push({ path, status: 'kept', unit, reason });
  }

  /** A parameter the fragment sets by construction (e.g. removes), with why. */
  set(path: string, reason: string): void {
    this.lines.push({ path, status: 'set', reason });
  }

  /** Fitted numbers by path. */
  estimates(): Record<string, Estimate> {
    return Object.fromEntries(this.lines.filter((l) => l.status === 'fitted').map((l) => [l.path, { value: l.estimate!, se: l.se!, n: l.n! }]));
  }
}
