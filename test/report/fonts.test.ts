/**
 * Chinese text in the PNG charts renders as glyphs, not the missing-glyph box, with the fonts the
 * package bundles (npm dependencies) and no system font: the PNG renderer loads only the bundled
 * files. Rendering without the CJK font gives the box — the same image for every Chinese character —
 * which is what the glyphs are compared against.
 */
import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { fundOutlayFan } from '../../engine/report/charts/fund-outlay-fan.ts';
import { BUNDLED_FONTS, FONT_FAMILY, fontFiles, missingFonts } from '../../engine/report/fonts.ts';
import { svgToPng } from '../../engine/report/render/png.ts';
import { specToSvg } from '../../engine/report/render/svg.ts';
import type { ReportData } from '../../engine/report/run-data.ts';

const LATIN_ONLY = BUNDLED_FONTS.filter((f) => f.includes('dejavu'));

/** One character at 28 px, rendered with `fonts` only: its pixels' hash and the count of dark pixels. */
function glyph(ch: string, fonts: string[]): { hash: string; ink: number } {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><text x="4" y="30" font-family="${FONT_FAMILY}" font-size="28">${ch}</text></svg>`;
  const px = new Resvg(svg, { background: 'white', font: { loadSystemFonts: false, fontFiles: fonts, defaultFontFamily: 'DejaVu Sans' } }).render().pixels;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] < 128) ink++;
  return { hash: createHash('sha256').update(px).digest('hex'), ink };
}

describe('PNG fonts: bundled, no system font needed', () => {
  it('the fonts are npm dependencies, all installed, none from the system', () => {
    expect(missingFonts()).toEqual([]);
    expect(fontFiles()).toEqual([...BUNDLED_FONTS]);
    for (const f of fontFiles()) {
      expect(f).toMatch(/node_modules/);
      expect(f).toMatch(/\.(ttf|otf)$/); // resvg reads TrueType/OpenType, not WOFF
    }
  });

  it('Chinese characters render as distinct glyphs, not the missing-glyph box', () => {
    const chars = [...'基金支出结存村卫生室'];
    const box = glyph('基', LATIN_ONLY);
    expect(glyph('金', LATIN_ONLY).hash).toBe(box.hash); // without the CJK font: one box for every character
    const seen = new Set<string>();
    for (const ch of chars) {
      const g = glyph(ch, fontFiles());
      expect(g.hash, ch).not.toBe(box.hash);
      expect(g.ink, ch).toBeGreaterThan(20);
      seen.add(g.hash);
    }
    expect(seen.size).toBe(chars.length);
    // Latin text is DejaVu's either way
    expect(glyph('A', fontFiles()).hash).toBe(glyph('A', LATIN_ONLY).hash);
  });

  it('a chart with Chinese labels renders differently with the CJK font than with boxes', async () => {
    const d = (v: number) => ({ n: 4, mean: v, sd: 1, p5: v - 2, p25: v - 1, p50: v, p75: v + 1, p95: v + 2, min: v - 3, max: v + 3 });
    const data = { summary: { replications: 4, years: [2025, 2026], models: [{ name: 'ffs', type: 'feeForService', years: [2025, 2026].map((year, i) => ({ year, fundOutlay: d(1e8 + i * 1e7) })) }] } } as unknown as ReportData;
    const svg = await specToSvg(fundOutlayFan.build(data, 'zh'));
    expect(svg).toContain('基金支出');
    const withCjk = svgToPng(svg, 1);
    const withBoxes = svgToPng(svg, 1, LATIN_ONLY);
    expect(withCjk.equals(withBoxes)).toBe(false);
  });
});
