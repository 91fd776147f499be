/**
 * results.xlsx: a run directory as an Excel workbook, for bureau analysts who work in Excel
 * (`fundcast run --xlsx`, `fundcast report DIR --xlsx`). Sheets, headers in Chinese or English:
 *
 *   结论 / Headline           per model: the run-out year, its probability and Wilson 95% CI, the
 *                             median run-out year with its 95% CI and P5–P95, P(ruin); the notes
 *   基金收支 / Fund ledger     per model × year: enrollees, income, chronic-care budget, outlay (mean,
 *                             P5, P95), closing balance (mean, P5, P95), reserve months, probabilities
 *   支付方式比较 / Models       horizon totals, paired difference from the first model with its 95%
 *                             CI; then the paired differences by year
 *   结算 / Settlement          each model's settlement figures by year (capitation: budget, surplus,
 *                             overspend and who keeps or bears them, with shares; points: global
 *                             budget, point values); then by facility when the run wrote
 *                             facility-results.csv (`--by-facility`): fund payment mean, P5, P95
 *   参数 / Parameters          every dated parameter of the scenario as run: path, unit, value(s), source
 *
 * Amounts in yuan with the number format `#,##0.00"元"` (two decimals, the unit in the cell's
 * format, so sums and charts in Excel work on the numbers); shares as percentages; the header row of
 * every sheet is frozen. Written from the run directory's files (load-run-dir.ts) so both commands
 * give the same workbook.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { writeFileAtomic } from './atomic.ts';
import { loadRunDir } from './load-run-dir.ts';
import { modelLabels, tierLabel } from './charts/common.ts';
import { budgetGapNote, runOutSentence, wilsonNote } from './headline.ts';
import { strings, type Lang } from './i18n.ts';
import { readRunOut, readYearProbabilities } from './risk-sections.ts';
import type { ReportData } from './run-data.ts';
import { datedParameters } from './scenario-parameters.ts';
import { figureLabel } from './html/result-tables.ts';

type Kind = 'yuan' | 'share' | 'number' | 'int' | 'text' | 'months';
interface Col {
  header: string;
  kind: Kind;
  width?: number;
}

const YUAN_FORMAT = '#,##0.00"元"';
const FORMATS: Record<Kind, string | undefined> = { yuan: YUAN_FORMAT, share: '0.0%', number: '#,##0.00', int: '#,##0', months: '0.0', text: undefined };
/** Reserve months stay numbers; a negative one reads "exhausted" (Excel's positive;negative;zero sections). */
const MONTHS_FORMAT = { zh: '0.0;"已耗尽";0.0', en: '0.0;"exhausted";0.0' };

const WORDS = {
  zh: {
    sheets: { headline: '结论', ledger: '基金收支', models: '支付方式比较', settlement: '结算', parameters: '参数' },
    model: '支付方式',
    modelId: '名称',
    year: '年份',
    sentence: '结论',
    firstYear: '首个结存为负概率≥50%的年份',
    pFirst: '该年结存为负的概率',
    ciLow: '95% 下限',
    ciHigh: '95% 上限',
    median: '缺口年份中位数',
    medianLow: '中位数 95% 下限',
    medianHigh: '中位数 95% 上限',
    p5: 'P5',
    p95: 'P95',
    ruin: '测算期内结存为负的概率',
    note: '说明',
    notWithin: '测算期内不出现',
    enrollees: '参保人数',
    income: '筹资收入',
    budget: '慢病预算',
    outlay: '基金支出均值',
    outlayP5: '基金支出 P5',
    outlayP95: '基金支出 P95',
    balance: '年末结存均值',
    balanceP5: '年末结存 P5',
    balanceP95: '年末结存 P95',
    months: '可支付月数（中位数）',
    pOver: '支出超过慢病预算的概率',
    pNeg: '年末结存为负的概率',
    total: '累计基金支出均值',
    diff: '与第一种支付方式的配对差额',
    oop: '患者自付',
    item: '项目',
    value: '金额或数值',
    share: '占比',
    facility: '机构',
    tier: '层级',
    community: '医共体',
    mean: '基金支付均值',
    path: '参数路径',
    unit: '单位',
    values: '取值',
    source: '来源',
  },
  en: {
    sheets: { headline: 'Headline', ledger: 'Fund ledger', models: 'Models compared', settlement: 'Settlement', parameters: 'Parameters' },
    model: 'Payment model',
    modelId: 'Name',
    year: 'Year',
    sentence: 'Answer',
    firstYear: 'First year with P(balance < 0) ≥ 50%',
    pFirst: 'P(balance < 0) that year',
    ciLow: '95% CI low',
    ciHigh: '95% CI high',
    median: 'Median run-out year',
    medianLow: 'Median 95% CI low',
    medianHigh: 'Median 95% CI high',
    p5: 'P5',
    p95: 'P95',
    ruin: 'P(balance < 0 in some year)',
    note: 'Note',
    notWithin: 'not within the horizon',
    enrollees: 'Enrollees',
    income: 'Income',
    budget: 'Chronic-care budget',
    outlay: 'Fund outlay, mean',
    outlayP5: 'Fund outlay P5',
    outlayP95: 'Fund outlay P95',
    balance: 'Closing balance, mean',
    balanceP5: 'Closing balance P5',
    balanceP95: 'Closing balance P95',
    months: 'Reserve months (median)',
    pOver: 'P(outlay > budget)',
    pNeg: 'P(balance < 0)',
    total: 'Total fund outlay, mean',
    diff: 'Paired difference from the first model',
    oop: 'Patient out-of-pocket',
    item: 'Item',
    value: 'Amount or value',
    share: 'Share',
    facility: 'Facility',
    tier: 'Tier',
    community: 'Medical community',
    mean: 'Fund payment, mean',
    path: 'Parameter path',
    unit: 'Unit',
    values: 'Value(s)',
    source: 'Source',
  },
} as const;

type Cell = string | number | null | undefined;

/** A sheet with a frozen, bold header row and per-column number formats. */
function addSheet(wb: ExcelJS.Workbook, name: string, cols: Col[], rows: Cell[][], lang: Lang): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, Math.min(40, c.header.length * (/[\u4e00-\u9fff]/.test(c.header) ? 2 : 1) + 4)) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  cols.forEach((c, i) => {
    const f = c.kind === 'months' ? MONTHS_FORMAT[lang] : FORMATS[c.kind];
    if (f) ws.getColumn(i + 1).eachCell((cell, row) => row > 1 && (cell.numFmt = f));
  });
  return ws;
}

const SHARE_OF: Record<string, string> = { villageRetained: 'retained', townshipRetained: 'retained', leadRetained: 'retained', returnedToFund: 'surplus', retained: 'surplus', leadOverspend: 'overspend', fundOverspend: 'overspend' };

export async function workbook(d: ReportData, lang: Lang): Promise<Uint8Array> {
  const w = WORDS[lang];
  const s = strings(lang);
  const labels = modelLabels(d.summary, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = `fundcast ${d.run?.fundcastVersion ?? ''}`.trim();
  const years = d.summary.years;

  // Headline
  const head: Cell[][] = [];
  for (const m of d.summary.models) {
    const r = readRunOut(m);
    if (!r) continue;
    const ro = r.runOut;
    const p = ro.probabilityByYear.find((x) => x.year === ro.firstYear)?.probability;
    head.push([labels.get(m.name), m.name, runOutSentence(labels.get(m.name) ?? m.name, ro, r.ruin, lang), ro.firstYear ?? w.notWithin, p?.value, p?.low95, p?.high95, ro.medianYear ?? w.notWithin, ro.medianInterval?.low ?? (ro.medianInterval ? w.notWithin : null), ro.medianInterval?.high ?? (ro.medianInterval ? w.notWithin : null), ro.spread.p5 ?? w.notWithin, ro.spread.p95 ?? w.notWithin, r.ruin?.value, r.ruin?.low95, r.ruin?.high95]);
  }
  const notes: string[] = [];
  const probs = d.summary.models[0] && readYearProbabilities(d.summary.models[0]);
  const gap = probs && budgetGapNote(probs, lang);
  if (gap) notes.push(gap);
  const ruin0 = d.summary.models[0] && readRunOut(d.summary.models[0])?.ruin;
  if (ruin0) notes.push(wilsonNote(ruin0, lang));
  for (const x of d.summary.warnings ?? []) notes.push(x.message);
  const hs = addSheet(
    wb,
    w.sheets.headline,
    [
      { header: w.model, kind: 'text', width: 16 },
      { header: w.modelId, kind: 'text', width: 12 },
      { header: w.sentence, kind: 'text', width: 80 },
      { header: w.firstYear, kind: 'text' },
      { header: w.pFirst, kind: 'share' },
      { header: w.ciLow, kind: 'share' },
      { header: w.ciHigh, kind: 'share' },
      { header: w.median, kind: 'text' },
      { header: w.medianLow, kind: 'text' },
      { header: w.medianHigh, kind: 'text' },
      { header: `${w.median} ${w.p5}`, kind: 'text' },
      { header: `${w.median} ${w.p95}`, kind: 'text' },
      { header: w.ruin, kind: 'share' },
      { header: w.ciLow, kind: 'share' },
      { header: w.ciHigh, kind: 'share' },
    ],
    head,
    lang,
  );
  hs.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  if (notes.length) {
    hs.addRow([]);
    for (const n of notes) hs.addRow([w.note, null, n]).getCell(3).alignment = { wrapText: true, vertical: 'top' };
  }

  // Fund ledger
  const ledger: Cell[][] = d.summary.models.flatMap((m) => {
    const pr = readYearProbabilities(m);
    return m.years.map((y, i) => [labels.get(m.name), y.year, y.ledger?.enrollees, y.ledger?.income?.mean, y.ledger?.budget?.mean, y.fundOutlay.mean, y.fundOutlay.p5, y.fundOutlay.p95, y.ledger?.closingBalance?.mean, y.ledger?.closingBalance?.p5, y.ledger?.closingBalance?.p95, y.ledger?.reserveMonths?.p50, pr?.[i]?.pOverBudget, pr?.[i]?.pNegative ?? y.ledger?.probabilityNegativeBalance]);
  });
  addSheet(
    wb,
    w.sheets.ledger,
    [
      { header: w.model, kind: 'text', width: 16 },
      { header: w.year, kind: 'text', width: 8 },
      { header: w.enrollees, kind: 'int' },
      { header: w.income, kind: 'yuan', width: 20 },
      { header: w.budget, kind: 'yuan', width: 20 },
      { header: w.outlay, kind: 'yuan', width: 20 },
      { header: w.outlayP5, kind: 'yuan', width: 20 },
      { header: w.outlayP95, kind: 'yuan', width: 20 },
      { header: w.balance, kind: 'yuan', width: 20 },
      { header: w.balanceP5, kind: 'yuan', width: 20 },
      { header: w.balanceP95, kind: 'yuan', width: 20 },
      { header: w.months, kind: 'months' },
      { header: w.pOver, kind: 'share' },
      { header: w.pNeg, kind: 'share' },
    ],
    ledger,
    lang,
  );

  // Models compared: horizon totals, then the paired differences by year
  const cmp: Cell[][] = d.summary.models.map((m) => {
    const h = m.horizon;
    const diff = h?.differenceFromFirst?.fundOutlay;
    return [labels.get(m.name), `${years[0]}–${years[years.length - 1]}`, h?.fundOutlay?.mean, diff?.mean, diff?.low95, diff?.high95, null, null, null];
  });
  for (const m of d.summary.models) {
    for (const y of m.years) {
      const p = y.differenceFromFirst;
      if (p) cmp.push([labels.get(m.name), y.year, y.fundOutlay.mean, p.fundOutlay.mean, p.fundOutlay.low95, p.fundOutlay.high95, p.patientOutOfPocket.mean, p.patientOutOfPocket.low95, p.patientOutOfPocket.high95]);
    }
  }
  addSheet(
    wb,
    w.sheets.models,
    [
      { header: w.model, kind: 'text', width: 16 },
      { header: w.year, kind: 'text', width: 11 },
      { header: w.total, kind: 'yuan', width: 22 },
      { header: `${w.diff}`, kind: 'yuan', width: 22 },
      { header: w.ciLow, kind: 'yuan', width: 20 },
      { header: w.ciHigh, kind: 'yuan', width: 20 },
      { header: `${w.oop}: ${lang === 'zh' ? '差额' : 'difference'}`, kind: 'yuan', width: 22 },
      { header: w.ciLow, kind: 'yuan', width: 20 },
      { header: w.ciHigh, kind: 'yuan', width: 20 },
    ],
    cmp,
    lang,
  );

  // Settlement: each model's figures by year (amounts in yuan; shares of the surplus or overspend)
  const set: Cell[][] = [];
  for (const m of d.summary.models) {
    for (const y of m.years) {
      const st = y.settlement ?? {};
      for (const [k, v] of Object.entries(st)) {
        const base = SHARE_OF[k] && st[SHARE_OF[k]]?.mean;
        const f = figureLabel(m.type, k);
        const amount = f.unit === 'yuan';
        set.push([labels.get(m.name), y.year, f[lang], amount ? v.mean : null, amount ? null : v.mean, base ? v.mean / base : null]);
      }
    }
  }
  const ss = addSheet(
    wb,
    w.sheets.settlement,
    [
      { header: w.model, kind: 'text', width: 16 },
      { header: w.year, kind: 'text', width: 8 },
      { header: w.item, kind: 'text', width: 30 },
      { header: lang === 'zh' ? '金额（均值）' : 'Amount (mean)', kind: 'yuan', width: 20 },
      { header: lang === 'zh' ? '数值（均值）' : 'Value (mean)', kind: 'number', width: 16 },
      { header: w.share, kind: 'share' },
    ],
    set,
    lang,
  );
  if (d.facilityResults?.length) {
    ss.addRow([]);
    const names = new Map((d.facilities ?? []).map((f) => [f.id, f]));
    const hdr = ss.addRow([w.model, w.year, w.facility, w.mean, w.tier, w.community]);
    hdr.font = { bold: true };
    for (const r of d.facilityResults) {
      const row = ss.addRow([labels.get(r.model) ?? r.model, r.year, `${names.get(r.facility)?.name ?? r.facility} (${r.facility})`, r.fundPaymentMean, tierLabel(s, r.tier), names.get(r.facility)?.community ?? '']);
      row.getCell(4).numFmt = YUAN_FORMAT;
    }
  }

  // Parameters with their sources
  addSheet(
    wb,
    w.sheets.parameters,
    [
      { header: w.path, kind: 'text', width: 48 },
      { header: w.unit, kind: 'text', width: 18 },
      { header: w.values, kind: 'text', width: 40 },
      { header: w.source, kind: 'text', width: 80 },
    ],
    d.scenario ? datedParameters(d.scenario).map((p) => [p.path, p.unit, p.value, p.source]) : [],
    lang,
  );
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Write DIR/results.xlsx from the run directory's files; returns its path. */
export async function writeWorkbook(dir: string, lang: Lang, into = dir): Promise<string> {
  const path = join(into, 'results.xlsx');
  writeFileAtomic(path, await workbook(loadRunDir(dir), lang));
  return path;
}
