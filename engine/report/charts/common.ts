/**
 * What every chart shares: the ChartDef contract, the look (fonts, sizes, colours), amounts in 万元
 * and the display names of payment models and tiers.
 */
import { PAYMENT_PLUGINS } from '../../payment/index.ts';
import type { TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from '../fonts.ts';
import { strings, type Lang, type Strings } from '../i18n.ts';
import { TIER_KEYS, type ReportData, type ReportSummary } from '../run-data.ts';

export type VlSpec = TopLevelSpec;

export interface ChartDef {
  /** File stem of charts/NAME.svg and .png, and the chart's id in report.html. */
  name: string;
  /** Whether the run's data hold what this chart shows. */
  applies(d: ReportData): boolean;
  /** The chart as a vega-lite spec; call only when `applies`. Pure: same data, same spec. */
  build(d: ReportData, lang: Lang): VlSpec;
  /** The question the chart answers (the report's heading for it). */
  question(lang: Lang): string;
}

/** Chart width in pixels (the whole figure, legends aside). */
export const WIDTH = 720;

export const MODEL_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756', '#72b7b2', '#9d755d', '#bab0ac'];
export const TIER_COLORS = ['#54a24b', '#4c78a8', '#e45756', '#9d755d'];

/** Yuan → 万元, kept to the yuan. */
export const wan = (yuan: number): number => Math.round(yuan) / 1e4;

/** 万元 amounts on axes: thousands separators, no decimals. */
export const WAN_FORMAT = ',.0f';

/** Display name of each model: its type's name, or type · name when two models share a type. */
export function modelLabels(summary: ReportSummary, lang: Lang): Map<string, string> {
  const s = strings(lang);
  const count = new Map<string, number>();
  for (const m of summary.models) count.set(m.type, (count.get(m.type) ?? 0) + 1);
  return new Map(
    summary.models.map((m) => {
      const typeName = PAYMENT_PLUGINS.find((p) => p.type === m.type)?.label[lang];
      const label = typeName === undefined ? m.name : count.get(m.type) === 1 ? typeName : `${typeName} · ${m.name}`;
      return [m.name, label];
    }),
  );
}

export const tierLabel = (s: Strings, tier: string): string => s.tiers[tier] ?? tier;
export const tierOrder = (s: Strings): string[] => TIER_KEYS.map((t) => tierLabel(s, t));

/** A colour scale for the models in summary order (same colour for a model in every chart). */
export function modelScale(summary: ReportSummary, lang: Lang, only?: string[]): { domain: string[]; range: string[] } {
  const labels = modelLabels(summary, lang);
  const names = summary.models.map((m) => m.name);
  const kept = names.filter((n) => !only || only.includes(n));
  return { domain: kept.map((n) => labels.get(n)!), range: kept.map((n) => MODEL_COLORS[names.indexOf(n) % MODEL_COLORS.length]) };
}

/** Top-level properties of every chart: title with subtitle, fonts, readable sizes, white background. */
export function frame(title: string, subtitle: string) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start' as const, fontSize: 15, subtitleFontSize: 11.5, subtitleColor: '#555', offset: 12 },
    background: 'white',
    padding: 12,
    config: {
      font: FONT_FAMILY,
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, titleColor: '#333', labelColor: '#333', gridColor: '#e6e6e6' },
      legend: { labelFontSize: 11.5, titleFontSize: 12, titleFontWeight: 'normal' as const, orient: 'bottom' as const, direction: 'horizontal' as const, labelLimit: 320, titleLimit: 480, symbolStrokeWidth: 2 },
      header: { labelFontSize: 12.5, labelFontWeight: 'bold' as const, titleFontSize: 12 },
      view: { stroke: null },
      line: { strokeWidth: 2.2 },
    },
  };
}

/** Number of replications, for subtitles. */
export const replicationsOf = (d: ReportData): number => d.summary.replications ?? d.summary.models[0]?.years[0]?.fundOutlay.n ?? 0;

/** The years as strings (an ordinal axis without thousands separators). */
export const yearLabel = (y: number): string => String(y);
