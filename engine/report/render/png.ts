/**
 * SVG text → PNG bytes with resvg, fonts loaded from explicit files (fonts.ts) so the image looks the
 * same on every machine that has the two Debian font packages; 2× for sharp text when printed.
 */
import { Resvg } from '@resvg/resvg-js';
import { fontFiles } from '../fonts.ts';

export function svgToPng(svg: string, scale = 2): Buffer {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
