/**
 * The report's charts in reading order, and which of them a run's data support: each chart is
 * listed only when its data exist (capitation charts need a capitation model, the distribution needs
 * summary.json's risk section, and so on).
 */
import type { Lang } from '../i18n.ts';
import type { ReportData } from '../run-data.ts';
import { capitationSettlement } from './capitation-settlement.ts';
import type { ChartDef, VlSpec } from './common.ts';
import { facilityRevenue } from './facility-revenue.ts';
import { fundBalance } from './fund-balance.ts';
import { fundOutlayFan } from './fund-outlay-fan.ts';
import { modelDifferences } from './model-differences.ts';
import { outlayDistribution } from './outlay-distribution.ts';
import { pointValue } from './point-value.ts';
import { sensitivityTornado } from './sensitivity-tornado.ts';

export type { ChartDef, VlSpec };

export const CHARTS: readonly ChartDef[] = [
  fundOutlayFan,
  fundBalance,
  outlayDistribution,
  sensitivityTornado,
  modelDifferences,
  facilityRevenue,
  capitationSettlement,
  pointValue,
];

export interface BuiltChart {
  name: string;
  question: string;
  spec: VlSpec;
}

export function applicableCharts(d: ReportData): ChartDef[] {
  return CHARTS.filter((c) => c.applies(d));
}

export function buildCharts(d: ReportData, lang: Lang): BuiltChart[] {
  return applicableCharts(d).map((c) => ({ name: c.name, question: c.question(lang), spec: c.build(d, lang) }));
}
