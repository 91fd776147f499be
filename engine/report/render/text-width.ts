/**
 * Text widths for charts rendered without a browser. Vega lays out titles, legends and labels by
 * text width; without a canvas it guesses 0.8 em a character, too wide for Latin text and too narrow
 * for Chinese (1 em), so legends overlapped or were cut off. This measures with DejaVu Sans's real
 * advance widths (ASCII, regular and bold, read from the font's hmtx table) and 1 em for CJK.
 */

// Advance widths in em of ASCII 32..126, DejaVu Sans (DejaVuSans.ttf, DejaVuSans-Bold.ttf).
// prettier-ignore
const REGULAR = [0.318,0.401,0.46,0.838,0.636,0.95,0.78,0.275,0.39,0.39,0.5,0.838,0.318,0.361,0.318,0.337,0.636,0.636,0.636,0.636,0.636,0.636,0.636,0.636,0.636,0.636,0.337,0.337,0.838,0.838,0.838,0.531,1.0,0.684,0.686,0.698,0.77,0.632,0.575,0.775,0.752,0.295,0.295,0.656,0.557,0.863,0.748,0.787,0.603,0.787,0.695,0.635,0.611,0.732,0.684,0.989,0.685,0.611,0.685,0.39,0.337,0.39,0.838,0.5,0.5,0.613,0.635,0.55,0.635,0.615,0.352,0.635,0.634,0.278,0.278,0.579,0.278,0.974,0.634,0.612,0.635,0.635,0.411,0.521,0.392,0.634,0.592,0.818,0.592,0.592,0.525,0.636,0.337,0.636,0.838];
// prettier-ignore
const BOLD = [0.348,0.456,0.521,0.838,0.696,1.002,0.872,0.306,0.457,0.457,0.523,0.838,0.38,0.415,0.38,0.365,0.696,0.696,0.696,0.696,0.696,0.696,0.696,0.696,0.696,0.696,0.4,0.4,0.838,0.838,0.838,0.58,1.0,0.774,0.762,0.734,0.83,0.683,0.683,0.821,0.837,0.372,0.372,0.775,0.637,0.995,0.837,0.85,0.733,0.85,0.77,0.72,0.682,0.812,0.774,1.103,0.771,0.724,0.725,0.457,0.365,0.457,0.838,0.5,0.5,0.675,0.716,0.593,0.716,0.678,0.435,0.716,0.712,0.343,0.343,0.665,0.343,1.042,0.712,0.687,0.716,0.716,0.493,0.595,0.478,0.712,0.652,0.924,0.645,0.652,0.582,0.712,0.365,0.712,0.838];

/** East Asian wide characters (CJK, kana, hangul, full-width forms and punctuation): 1 em. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function textWidthEm(text: string, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 32 && c <= 126) w += table[c - 32];
    else if (WIDE.test(ch)) w += 1;
    else w += bold ? 0.7 : 0.64; // other Latin, Greek, symbols such as – × ≥ …
  }
  return w;
}

/** vega-scenegraph's `textMetrics.width(item, text)` contract. */
export function measureItem(item: { fontSize?: number | string; fontWeight?: number | string; limit?: number }, text: unknown): number {
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const s = text == null ? '' : String(text).trim();
  const bold = item.fontWeight === 'bold' || item.fontWeight === 'bolder' || Number(item.fontWeight) >= 600;
  return textWidthEm(s, bold) * size;
}
