/**
 * Fonts of the charts, bundled as npm dependencies so that a PNG never depends on the fonts a
 * machine happens to have: DejaVu Sans for Latin text and digits (`dejavu-fonts-ttf`) and Noto Sans
 * SC for Chinese (`@expo-google-fonts/noto-sans-sc`, TrueType: resvg reads TTF/OTF, not WOFF).
 * The PNG renderer (resvg) is given these files only (no system fonts), so `npm ci` is the whole
 * setup; missing glyphs fall back from DejaVu to Noto Sans SC instead of showing boxes. Browsers get
 * the same family list, then the usual Chinese system fonts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Families after the first three only help browsers on machines without them (Windows, macOS).
export const FONT_FAMILY = 'DejaVu Sans, Noto Sans SC, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif';

const require = createRequire(import.meta.url);

/** A file of an installed package (undefined when the package is not installed). */
function packageFile(pkg: string, file: string): string {
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), file);
  } catch {
    return join('node_modules', pkg, file); // reported as missing below
  }
}

/** The bundled font files: regular and bold of each family. */
export const BUNDLED_FONTS: readonly string[] = [
  packageFile('dejavu-fonts-ttf', 'ttf/DejaVuSans.ttf'),
  packageFile('dejavu-fonts-ttf', 'ttf/DejaVuSans-Bold.ttf'),
  packageFile('@expo-google-fonts/noto-sans-sc', '400Regular/NotoSansSC_400Regular.ttf'),
  packageFile('@expo-google-fonts/noto-sans-sc', '700Bold/NotoSansSC_700Bold.ttf'),
];

export function fontFiles(): string[] {
  return BUNDLED_FONTS.filter((f) => existsSync(f));
}

/** Bundled fonts that are not installed (run `npm ci`). */
export function missingFonts(): string[] {
  return BUNDLED_FONTS.filter((f) => !existsSync(f));
}
