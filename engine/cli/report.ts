/** `fundcast report DIR`: the HTML report and chart images of a run directory. */
import { resolve } from 'node:path';
import {
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
  if (!quiet) {
    const html = out.files[out.files.length - 1];
    const charts = (out.files.length - 1) / 2;
    process.stdout.write(`Report: ${html.replace(process.cwd() + '/', '')} (${charts} chart${charts === 1 ? '' : 's'}, also as SVG and PNG in ${resolve(dir, 'charts').replace(process.cwd() + '/', '')}/)\n`);
  }
  return out.files;
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
  await reportTo(dir, lang, values.quiet === true);
  if (values.xlsx === true) {
    const x = await writeWorkbook(dir, lang); // exceljs on demand
    if (values.quiet !== true) process.stdout.write(`Workbook: ${x.replace(process.cwd() + '/', '')}\n`);
  }
  return 0;
}
