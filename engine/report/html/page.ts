/**
 * report.html: one self-contained page (styles, vega bundles, chart specs and the script that draws
 * them all inline; a Content-Security-Policy that forbids loading anything), with the run's identity,
 * the charts, the key tables, the region and the scenario's parameters with their sources.
 * Every string from the run's files is escaped; the chart specs travel as escaped JSON.
 */
import type { BuiltChart } from '../charts/index.ts';
import { fill, strings, type Lang } from '../i18n.ts';
import { modelLabels } from '../charts/common.ts';
import type { ReportData } from '../run-data.ts';
import { browserBundles } from './bundles.ts';
import { CLIENT_SCRIPT } from './client.ts';
import { escapeHtml, jsonForScript } from './escape.ts';
import { parametersTable } from './parameters-table.ts';
import { regionTable, topFacilitiesTable } from './region-tables.ts';
import { differencesTable, outlayTable, settlementTables, tiersTable } from './result-tables.ts';
import { collectiveTable, riskTable, sensitivityTable } from './risk-tables.ts';
import { CSS } from './style.ts';
import { glossarySection, headlineSection, runProse } from './headline-section.ts';

// vega compiles expressions with Function(), hence 'unsafe-eval'; nothing may be fetched.
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

function runInfo(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const r = d.run ?? {};
  const sc = d.scenario as { name?: string; title?: string; description?: string } | undefined;
  const years = r.years ?? d.summary.years;
  const labels = modelLabels(d.summary, lang);
  const items: [string, string | number | undefined][] = [
    [s.run.scenario, sc?.name ?? d.summary.scenario?.name ?? r.scenario],
    [s.run.seed, r.seed ?? d.summary.seed],
    [s.run.hash, r.scenarioHash ?? d.summary.scenario?.hash],
    [s.run.version, r.fundcastVersion],
    [s.run.replications, r.replications ?? d.summary.replications],
    [s.run.years, years.length ? (years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : String(years[0])) : undefined],
    [s.run.models, d.summary.models.map((m) => `${labels.get(m.name)} (${m.name})`).join(lang === 'zh' ? '、' : ', ')],
    [s.run.workers, r.workers],
    [s.run.finishedAt, r.finishedAt],
    [s.run.node, r.node],
  ];
  const rows = items.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`);
  return `<dl class="run">${rows.join('')}</dl><p class="note">${escapeHtml(s.run.reading)}</p>`;
}

function chartFigure(c: BuiltChart): string {
  const n = escapeHtml(c.name);
  return `<figure id="fig-${n}"><h3>${escapeHtml(c.question)}</h3><div class="chart" id="chart-${n}" data-chart="${n}"></div><figcaption><a href="charts/${n}.svg">SVG</a> · <a href="charts/${n}.png">PNG</a></figcaption></figure>`;
}

export function reportHtml(d: ReportData, charts: BuiltChart[], lang: Lang): string {
  const s = strings(lang);
  const sc = d.scenario as { name?: string; title?: string; description?: string } | undefined;
  const title = sc?.title ?? d.summary.scenario?.title ?? sc?.name ?? d.summary.scenario?.name ?? s.reportTitle;
  const version = d.run?.fundcastVersion ?? '';
  const sections: [string, string, string][] = [
    ['headline', s.headline.section, headlineSection(d, lang)],
    ['run', s.sections.run, runInfo(d, lang)],
    ['charts', s.sections.charts, `<noscript><p class="note">${escapeHtml(s.noScript)}</p></noscript>${charts.map(chartFigure).join('\n')}`],
    ['tables', s.sections.tables, [outlayTable(d, lang), differencesTable(d, lang), riskTable(d, lang), collectiveTable(d, lang), sensitivityTable(d, lang), tiersTable(d, lang), settlementTables(d, lang)].filter(Boolean).join('\n')],
    ['region', s.sections.region, [regionTable(d, lang), topFacilitiesTable(d, lang)].filter(Boolean).join('\n')],
    ['parameters', s.sections.parameters, d.scenario ? parametersTable(d.scenario, lang) : ''],
    ['terms', s.glossary.section, glossarySection(lang)],
  ];
  const shown = sections.filter(([, , body]) => body);
  const specs = Object.fromEntries(charts.map((c) => [c.name, c.spec]));
  const scripts = browserBundles().map((b) => `<script data-lib="${escapeHtml(b.name)}@${escapeHtml(b.version)}">${b.code}</script>`);
  return `<!doctype html>
<html lang="${s.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="fundcast ${escapeHtml(version)}">
<title>${escapeHtml(title)} — ${escapeHtml(s.reportTitle)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<p class="kicker">${escapeHtml(s.reportTitle)}</p>
<h1>${escapeHtml(title)}</h1>
${runProse(d, lang)}
</header>
<nav><strong>${escapeHtml(s.contents)}</strong><ol>${shown.map(([id, h]) => `<li><a href="#${id}">${escapeHtml(h)}</a></li>`).join('')}</ol></nav>
${shown.map(([id, h, body]) => `<section id="${id}">\n<h2>${escapeHtml(h)}</h2>\n${body}\n</section>`).join('\n')}
<footer>${escapeHtml(fill(s.generatedBy, { version }))}</footer>
</main>
${scripts.join('\n')}
<script type="application/json" id="fundcast-charts">${jsonForScript(specs)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
