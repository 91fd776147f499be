// report.html and charts/: self-contained (no CDN), escaped, in both languages, with the run's
// identity, the key tables and the scenario's parameters with their sources.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharts, CHARTS } from '../../engine/report/charts/index.ts';
import { escapeHtml, inlineScript, jsonForScript } from '../../engine/report/html/escape.ts';
import { reportHtml } from '../../engine/report/html/page.ts';
import { loadRunDir } from '../../engine/report/load-run-dir.ts';
import { datedParameters } from '../../engine/report/scenario-parameters.ts';
import { writeReport } from '../../engine/report/write-report.ts';
import { ffsYaml } from '../helpers/payment.ts';
import { EVIL, makeRunDir, removeDir, withoutRiskAndSensitivity, withRisk, withSensitivity } from './fixture.ts';

let dir: string;
let zh: string;
let en: string;
let files: string[];

beforeAll(async () => {
  dir = await makeRunDir();
  withRisk(dir);
  withSensitivity(dir);
  const data = loadRunDir(dir);
  en = reportHtml(data, buildCharts(data, 'en'), 'en'); // the page alone: images are checked in zh
  const out = await writeReport(dir); // default language: zh
  files = out.files;
  zh = readFileSync(join(dir, 'report.html'), 'utf8');
});
afterAll(() => removeDir(dir));

/** The text of every <script> element. */
const scripts = (html: string) => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));

describe('one self-contained file', () => {
  it('loads nothing from the network: no http(s) src or href, no external scripts or stylesheets', () => {
    for (const html of [zh, en]) {
      expect(html).not.toMatch(/\s(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
      expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
      expect(html).not.toMatch(/<link\b/i);
      expect(html).toContain('Content-Security-Policy');
    }
  });

  it('inlines vega, vega-lite and vega-embed', () => {
    const libs = scripts(zh).map((s) => s.attrs.match(/data-lib="([^"@]+)@/)?.[1]).filter(Boolean);
    expect(libs).toEqual(['vega', 'vega-lite', 'vega-embed']);
    expect(zh.length).toBeGreaterThan(500_000);
  });

  it('carries every applicable chart as a spec and a container, and writes its SVG and PNG', () => {
    const json = scripts(zh).find((s) => s.attrs.includes('fundcast-charts'))!.body;
    const specs = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(specs).sort()).toEqual(CHARTS.map((c) => c.name).sort());
    for (const name of Object.keys(specs)) {
      expect(zh).toContain(`id="chart-${name}"`);
      const svg = readFileSync(join(dir, 'charts', `${name}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const png = readFileSync(join(dir, 'charts', `${name}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(10_000);
    }
    expect(files.at(-1)).toBe(join(dir, 'report.html'));
  });

  it('removes the images of charts that no longer apply', async () => {
    const other = await makeRunDir(undefined, [ffsYaml()]); // few charts, English: quick to draw
    try {
      withRisk(other);
      await writeReport(other, { lang: 'en' });
      expect(existsSync(join(other, 'charts', 'outlay-distribution.png'))).toBe(true);
      withoutRiskAndSensitivity(other);
      await writeReport(other, { lang: 'en' });
      expect(readdirSync(join(other, 'charts')).filter((f) => f.startsWith('outlay-distribution'))).toEqual([]);
      expect(readFileSync(join(other, 'report.html'), 'utf8')).not.toContain('chart-outlay-distribution');
    } finally {
      removeDir(other);
    }
  });
});

describe('escaping', () => {
  it('user strings (title, description, county and facility names, sensitivity parameters) show as text', () => {
    for (const html of [zh, en]) {
      expect(html).not.toContain(EVIL);
      expect(html).toContain(`Report test ${escapeHtml(EVIL)} 区`);
      expect(html).toContain(`${escapeHtml(EVIL)}县`); // county (region table) and facility names (top facilities)
      // the scenario's description is never copied into the page (an extending scenario inherits its base's)
      expect(html).not.toContain('closes a script');
    }
    expect(scripts(zh).filter((s) => !s.attrs.includes('data-lib'))).toHaveLength(2); // specs JSON + init: nothing injected
  });

  it('JSON inside <script> cannot end the element or open a comment', () => {
    const json = scripts(zh).find((s) => s.attrs.includes('fundcast-charts'))!.body;
    expect(json).not.toMatch(/<\/|<!--/);
    expect(JSON.parse(json)['sensitivity-tornado']).toBeDefined();
    expect(JSON.stringify(JSON.parse(json))).toContain(EVIL); // the tornado's parameter label, intact as data
    const tricky = { s: '</script><!-- <b>&\u2028' };
    expect(jsonForScript(tricky)).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(jsonForScript(tricky))).toEqual(tricky);
  });

  it('refuses to inline library code that would end its <script> element', () => {
    expect(() => inlineScript('var a = "</script>";', 'lib')).toThrow(/cannot be inlined/);
    expect(() => inlineScript('var a = "<!--";', 'lib')).toThrow(/cannot be inlined/);
    expect(inlineScript('var a = 1 < 2;', 'lib')).toBe('var a = 1 < 2;');
  });
});

describe('content in both languages', () => {
  it('zh is the default: Chinese headings, lang="zh-CN"', () => {
    expect(zh).toContain('<html lang="zh-CN">');
    for (const h of ['门诊慢特病基金测算报告', '本次测算', '主要数据表', '情景参数及来源', '各年基金支出（万元）', '随机种子']) expect(zh).toContain(h);
  });

  it('en: English headings, lang="en", no Chinese outside user data', () => {
    expect(en).toContain('<html lang="en">');
    for (const h of ['Outpatient chronic-disease fund projection', 'This run', 'Key tables', 'Scenario parameters and their sources', 'Fund outlay by year (10k yuan)', 'Random seed']) expect(en).toContain(h);
    const ours = en
      .replace(/<script\b[\s\S]*?<\/script>/g, '') // specs and libraries
      .replace(/<table>[\s\S]*?<\/table>/g, '') // tables hold user data (names, sources)
      .replace(/<h1>[\s\S]*?<\/h1>|<title>[\s\S]*?<\/title>/g, '')
      .replace(/<p class="desc">[\s\S]*?<\/p>/g, ''); // the region's name (user data) in the prose
    expect(ours).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('opens with the headline: when the fund runs out per model, then the ledger; prose from the region and horizon as run', () => {
    for (const [html, lang] of [[zh, 'zh'], [en, 'en']] as const) {
      const sections = [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
      expect(sections[0]).toBe('headline');
      const head = html.slice(html.indexOf('<section id="headline">'), html.indexOf('<section id="run">'));
      expect(head.match(/<li>/g)?.length ?? 0).toBeGreaterThanOrEqual(3); // one sentence per model, then the notes
      // this fund does not run out within 2025–2027 (the base region's balance on 30,000 residents)
      expect(head).toContain(lang === 'zh' ? '2025–2027 年测算期内不会出现缺口' : 'does not run out within 2025–2027');
      expect(head).toContain(lang === 'zh' ? '筹资收入' : 'Income');
      expect(head).toContain(lang === 'zh' ? '慢病预算' : 'Chronic-care budget');
      expect(head).toContain('Wilson');
      // 30,000 residents in one county, 2025–2027: generated from the region as run
      const prose = /<p class="desc">([^<]*)<\/p>/.exec(html)![1];
      expect(prose).toMatch(/30,000/);
      expect(prose).toContain('2025–2027');
    }
  });

  it("shows the run's seed, scenario hash and fundcast version", () => {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { seed: number; scenarioHash: string; fundcastVersion: string };
    for (const html of [zh, en]) {
      expect(html).toContain(`<dd>${run.seed}</dd>`);
      expect(html).toContain(`<dd>${run.scenarioHash}</dd>`);
      expect(html).toContain(`<dd>${run.fundcastVersion}</dd>`);
    }
  });

  it('has the key tables: outlay by year per model, tiers, settlement, differences, risk, sensitivity', () => {
    for (const caption of ['各年基金支出（万元）', '各层级机构（万元，均值）', '结算情况（均值） — 按人头付费', '结算情况（均值） — 点数法付费', '与第一种支付方式的配对差额（万元）', '基金风险：累计支出的 VaR 与 TVaR（万元）', '敏感性分析']) {
      expect(zh).toContain(`<caption>${caption}`);
    }
    expect(zh).toContain('模拟次数不足，估计不可靠'); // the fixture's object-shaped estimates say reliable: false
  });

  it("lists the scenario's dated parameters with unit, value and source", () => {
    const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as unknown;
    const params = datedParameters(scenario);
    expect(params.length).toBeGreaterThan(30);
    const deductible = params.find((p) => p.path === 'benefits.deductible')!;
    expect(deductible.unit).toBe('yuan/year');
    expect(params.find((p) => p.path === 'paymentModels[cap].retention.villageShare')).toMatchObject({ unit: 'share', value: '0.4' });
    expect(params.find((p) => p.path === 'financing.perCapita')!.value).toContain('2019-01-01: {subsidy: 520, individual: 250}');
    for (const p of params.slice(0, 10)) expect(zh).toContain(escapeHtml(p.source));
    expect(zh).toContain('<td class="path">benefits.deductible</td>');
  });
});

describe('input errors', () => {
  it('a directory without summary.json is a user error naming the file', async () => {
    const empty = join(dir, 'charts'); // exists, holds no run
    await expect(writeReport(empty)).rejects.toMatchObject({ code: 'ERR_REPORT_INPUT', message: expect.stringContaining('summary.json is missing') });
  });

  it('a corrupt summary.json is a user error', async () => {
    const other = mkdtempSync(join(tmpdir(), 'fundcast-report-bad-'));
    try {
      writeFileSync(join(other, 'summary.json'), '{ not json');
      await expect(writeReport(other)).rejects.toMatchObject({ code: 'ERR_REPORT_INPUT' });
    } finally {
      removeDir(other);
    }
  });
});
