/**
 * F5: reserve months (累计结存可支付月数) = balance ÷ (annual outlay ÷ 12).
 * Reference: docs/risk.md F5; the reading bands follow the old national guidance for pooled funds.
 * @example reserveMonths(90_000, 120_000) // 9
 */
export function reserveMonths(balanceFen: number, annualOutlayFen: number): number {
  if (annualOutlayFen <= 0) return balanceFen >= 0 ? Infinity : -Infinity;
  return balanceFen / (annualOutlayFen / 12);
}

export interface ReserveThresholds {
  severe: number;
  low: number;
  normal: number;
  excessive: number;
}

export type ReserveReading = 'severe shortage' | 'low' | 'normal' | 'above normal' | 'excessive';

/** The reading of a reserve-months figure: < severe, < low, ≤ normal, ≤ excessive, above. */
export function readReserve(months: number, t: ReserveThresholds): ReserveReading {
  if (months < t.severe) return 'severe shortage';
  if (months < t.low) return 'low';
  if (months <= t.normal) return 'normal';
  if (months <= t.excessive) return 'above normal';
  return 'excessive';
}
