/**
 * SVG text → PNG bytes with resvg, fonts loaded from the bundled files only (fonts.ts: DejaVu Sans,
 * Noto Sans SC from node_modules; no system fonts), so the image is the same on every machine after
 * `npm ci`; 2× for sharp text when printed. `fonts` replaces the font files (tests render without
 * the CJK font to see what a missing glyph looks like).
 */
import { Resvg } from '@resvg/resvg-js';
import { fontFiles } from '../fonts.ts';

export function svgToPng(svg: string, scale = 2, fonts: string[] = fontFiles()): Buffer {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
