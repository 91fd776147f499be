/**
 * Fonts of the charts: DejaVu Sans for Latin text and digits, Noto Sans CJK for Chinese (Debian
 * packages fonts-dejavu-core and fonts-noto-cjk). The browser gets the same family list; the PNG
 * renderer (resvg) is given the font files explicitly so a PNG never depends on fontconfig, and
 * missing glyphs fall back from DejaVu to Noto CJK instead of showing boxes.
 */
import { existsSync } from 'node:fs';

// Families after the first two only help browsers on machines without them (Windows, macOS).
export const FONT_FAMILY = 'DejaVu Sans, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif';

/** Candidate font files; the first of each group that exists is used. */
const FONT_FILES: readonly (readonly string[])[] = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc'],
];

export function fontFiles(): string[] {
  return FONT_FILES.map((group) => group.find((f) => existsSync(f))).filter((f): f is string => f !== undefined);
}

/** The fonts the PNGs need but this machine lacks (install fonts-dejavu-core fonts-noto-cjk). */
export function missingFonts(): string[] {
  return FONT_FILES.filter((group) => !group.some((f) => existsSync(f))).map((group) => group[0]);
}
