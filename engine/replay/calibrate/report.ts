/**
 * The calibration report (docs/replay.md, "Calibrate"): the fitted parameters with estimate,
 * standard error and n; those set by construction; those kept from the template, with the reason.
 */
import type { ParamLine } from './book.ts';

const num = (x: number) => (x === 0 ? '0' : Math.abs(x) >= 1e5 || Math.abs(x) < 1e-4 ? x.toExponential(3) : String(Number(x.toPrecision(4))));

/** The report as text lines (for the terminal and the fragment's header comment). */
export function paramReport(lines: ParamLine[]): string[] {
  const fitted = lines.filter((l) => l.status === 'fitted');
  const set = lines.filter((l) => l.status === 'set');
  const kept = lines.filter((l) => l.status === 'kept');
  const w = Math.max(0, ...fitted.map((l) => l.path.length));
  const out = [`Fitted (${fitted.length}): estimate ± standard error (n)`];
  for (const l of fitted) out.push(`  ${l.path.padEnd(w)}  ${num(l.estimate!)} ± ${num(l.se!)}${l.path.endsWith('.sigma') ? ' (sd of log)' : l.unit && l.unit !== 'share' ? ` ${l.unit}` : ''} (n = ${l.n!.toLocaleString('en-US')})`);
  if (set.length) {
    out.push(`Set by construction (${set.length}):`);
    const byReason = new Map<string, string[]>();
    for (const l of set) byReason.set(l.reason ?? '', [...(byReason.get(l.reason ?? '') ?? []), l.path]);
    for (const [r, paths] of byReason) out.push(`  ${paths.join(', ')}: ${r}`);
  }
  out.push(`Kept from the template (${kept.length}):`);
  const byReason = new Map<string, string[]>();
  for (const l of kept) byReason.set(l.reason ?? '', [...(byReason.get(l.reason ?? '') ?? []), l.path]);
  for (const [r, paths] of byReason) out.push(`  ${r}: ${paths.join(', ')}`);
  return out;
}
