/** `fundcast report DIR`: the HTML report and chart images of a run directory. */
import { join, relative, resolve, sep } from 'node:path';
import {
  withOutputSet,
  loadRunDir,
  Errors,
  isLang,
  LANGS,
  type Lang,
  writeReport,
  CSV_ENCODINGS,
  isCsvEncoding,
  type CsvEncoding,
  writeWorkbook,
} from '../index.ts';
import { parse } from './args.ts';

export const reportHelp = `fundcast report DIR [options]

Write DIR/report.html and DIR/charts/*.svg, *.png from the results of \`fundcast run --out DIR\`.
report.html is one self-contained file (charts, tables, the scenario's parameters with their
sources, the run's seed, scenario hash and version): open it in any browser, offline.

Options:
  --lang zh|en   language of headings, labels and chart text (default: zh)
  --xlsx         also write DIR/results.xlsx (headline, fund ledger, models compared, settlement,
                 parameters with sources; headers in --lang)
  --quiet        print nothing but errors
  -h, --help     this help

The PNG charts use the fonts bundled with fundcast (DejaVu Sans, Noto Sans SC from npm): no
system font is needed.
`;

/** The --lang flag (default zh), shared with \`fundcast run --report\`. */
export function langFlag(values: Record<string, unknown>): Lang {
  const v = values.lang ?? 'zh';
  if (!isLang(v)) throw Errors.BadFlag('lang', `must be one of ${LANGS.join(', ')}, got "${String(v)}"`);
  return v;
}

/** The --csv-encoding flag (default utf-8). */
export function csvEncodingFlag(values: Record<string, unknown>): CsvEncoding {
  const v = values['csv-encoding'] ?? 'utf-8';
  const s = String(v).toLowerCase();
  if (!isCsvEncoding(s)) throw Errors.BadFlag('csv-encoding', `must be one of ${CSV_ENCODINGS.join(', ')}, got "${String(v)}"`);
  return s;
}

/** Write the report of run directory `dir`, printing what was written unless quiet. */
export async function reportTo(dir: string, lang: Lang, quiet: boolean): Promise<string[]> {
  const out = await writeReport(dir, { lang });
  for (const w of out.warnings) process.stderr.write(`fundcast report: warning: ${w}\n`);
  if (!quiet) printReport(dir, out.files.length);
  return out.files;
}

function printReport(dir: string, nFiles: number): void {
  const charts = (nFiles - 1) / 2;
  process.stdout.write(`Report: ${join(dir, 'report.html').replace(process.cwd() + '/', '')} (${charts} chart${charts === 1 ? '' : 's'}, also as SVG and PNG in ${resolve(dir, 'charts').replace(process.cwd() + '/', '')}/)\n`);
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { lang: { type: 'string' }, quiet: { type: 'boolean' }, xlsx: { type: 'boolean' } }, 1);
  if (values.help) {
    process.stdout.write(reportHelp);
    return 0;
  }
  if (!positionals[0]) throw Errors.Usage('fundcast report: which run directory? (usage: fundcast report DIR; see --help)');
  const lang = langFlag(values);
  const dir = resolve(positionals[0]);
  loadRunDir(dir); // not a run directory: said before anything is written
  const cwd = process.cwd();
  if (cwd === dir || cwd.startsWith(dir + sep)) {
    // The current folder cannot be replaced whole: each file is written atomically, as before sets.
    await reportTo(dir, lang, values.quiet === true);
    if (values.xlsx === true) {
      const x = await writeWorkbook(dir, lang);
      if (values.quiet !== true) process.stdout.write(`Workbook: ${x.replace(cwd + '/', '')}\n`);
    }
    return 0;
  }
  // The report is added to the run's output set: the run's files and the new report.html, charts/
  // (and results.xlsx) are swapped in together (docs/reliability.md).
  await withOutputSet(dir, { extendExcept: ['report.html', 'charts', ...(values.xlsx === true ? ['results.xlsx'] : [])] }, async (set) => {
    const quiet = values.quiet === true;
    const out = await writeReport(dir, { lang }, set.staging);
    const written = [...out.files];
    let xlsx: string | undefined;
    if (values.xlsx === true) written.push((xlsx = await writeWorkbook(dir, lang, set.staging))); // exceljs on demand
    set.commit(written.map((f) => relative(set.staging, f)));
    for (const w of set.warnings) process.stderr.write(`fundcast report: warning: ${w}\n`);
    for (const w of out.warnings) process.stderr.write(`fundcast report: warning: ${w}\n`);
    if (!quiet) {
      printReport(dir, out.files.length);
      if (xlsx) process.stdout.write(`Workbook: ${join(dir, 'results.xlsx').replace(process.cwd() + '/', '')}\n`);
    }
  });
  return 0;
}
