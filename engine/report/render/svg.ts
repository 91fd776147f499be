/**
 * A vega-lite spec → SVG text, in Node, without a browser: compile to vega, run a headless View.
 * Text is measured with real font widths (text-width.ts) so that the layout matches the fonts the
 * PNG and the browser use.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { VlSpec } from '../charts/common.ts';
import { measureItem } from './text-width.ts';

let measured = false;

function useFontWidths(): void {
  if (measured) return;
  // vega reads textMetrics.width for every label; a user function is its supported extension point
  // (vl-convert does the same). The object is exported by vega-scenegraph but missing from vega's types.
  (vega as unknown as { textMetrics: { width: (item: object, text: unknown) => number } }).textMetrics.width = measureItem;
  measured = true;
}

export async function specToSvg(spec: VlSpec): Promise<string> {
  useFontWidths();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
