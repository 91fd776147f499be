/**
 * `fundcast report DIR` and `fundcast run --report`: from a run directory write DIR/report.html (one
 * self-contained page) and DIR/charts/NAME.svg and NAME.png for every chart the run's data support.
 * Charts of an earlier report that no longer apply are removed, so charts/ always matches the page.
 * report.html is written last: its presence marks a complete report.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.ts';
import { buildCharts, CHARTS } from './charts/index.ts';
import { missingFonts } from './fonts.ts';
import { reportHtml } from './html/page.ts';
import type { Lang } from './i18n.ts';
import { loadRunDir } from './load-run-dir.ts';

export interface ReportOptions {
  /** Language of labels, headings and chart text (default zh). */
  lang?: Lang;
}

export interface ReportOutput {
  files: string[];
  /** Things the user should know (e.g. fonts missing for the PNGs). */
  warnings: string[];
}

/** Read the run in `dir` and write the report into `into` (default `dir`; the CLI writes into an output set's temporary folder). */
export async function writeReport(dir: string, opts: ReportOptions = {}, into = dir): Promise<ReportOutput> {
  // vega, vega-lite and resvg load on demand: half a second that every other command and every
  // worker thread (which import the public API) would otherwise pay.
  const [{ specToSvg }, { svgToPng }] = await Promise.all([import('./render/svg.ts'), import('./render/png.ts')]);
  const lang = opts.lang ?? 'zh';
  const data = loadRunDir(dir);
  const charts = buildCharts(data, lang);
  const files: string[] = [];
  const chartsDir = join(into, 'charts');
  for (const c of charts) {
    const svg = await specToSvg(c.spec);
    const svgPath = join(chartsDir, `${c.name}.svg`);
    const pngPath = join(chartsDir, `${c.name}.png`);
    writeFileAtomic(svgPath, svg);
    writeFileAtomic(pngPath, svgToPng(svg));
    files.push(svgPath, pngPath);
  }
  for (const old of CHARTS.filter((c) => !charts.some((b) => b.name === c.name))) {
    for (const ext of ['svg', 'png']) {
      const p = join(chartsDir, `${old.name}.${ext}`);
      if (existsSync(p)) rmSync(p);
    }
  }
  const html = join(into, 'report.html');
  writeFileAtomic(html, reportHtml(data, charts, lang));
  files.push(html);
  const missing = missingFonts();
  const warnings = missing.length ? [`fonts missing for the PNG charts (${missing.join(', ')}): text may show as boxes; run npm ci (the fonts are npm dependencies)`] : [];
  return { files, warnings };
}
