/** Number formats of the report's tables (the charts format their own axes). */
import type { Lang } from '../i18n.ts';

const locale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-US');

export function fmtNumber(x: number | null | undefined, lang: Lang, digits = 0): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  // -0 would print as "-0"
  const v = Object.is(Math.round(x * 10 ** digits), -0) ? 0 : x;
  return v.toLocaleString(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Yuan → 万元 with one decimal. */
export const fmtWan = (yuan: number | null | undefined, lang: Lang): string => fmtNumber(typeof yuan === 'number' ? yuan / 1e4 : yuan, lang, 1);

export const fmtPercent = (share: number | null | undefined, lang: Lang): string => (typeof share === 'number' && Number.isFinite(share) ? `${fmtNumber(share * 100, lang, 1)}%` : '–');

/** "mean [low, high]" for a paired difference, 万元. */
export function fmtInterval(mean: number, low: number | null | undefined, high: number | null | undefined, lang: Lang): string {
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  return ok(low) && ok(high) ? `${fmtWan(mean, lang)} [${fmtWan(low, lang)}, ${fmtWan(high, lang)}]` : fmtWan(mean, lang);
}

/** Reserve months with one decimal; "exhausted" (已耗尽) once the balance is negative. */
export function fmtMonths(x: number | null | undefined, lang: Lang): string {
  if (typeof x === 'number' && x < 0) return lang === 'zh' ? '已耗尽' : 'exhausted';
  if (x === Infinity) return '∞';
  return fmtNumber(x, lang, 1);
}
