// report.html in a real browser: Debian's chromium driven by playwright-core (never a downloaded
// browser). Opened from disk (file://), every chart must draw marks, with no console errors and no
// request but the file itself. The report and a screenshot stay in out/test-report/ to look at.
// Skips only when /usr/bin/chromium is absent (CI installs it: .ci/run).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHARTS } from '../../engine/report/charts/index.ts';
import { writeReport } from '../../engine/report/write-report.ts';
import { makeRunDir, removeDir, withRisk, withSensitivity } from './fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = resolve(import.meta.dirname, '../../out/test-report');

const present = existsSync(CHROMIUM);
if (!present) console.warn(`report browser test SKIPPED: ${CHROMIUM} is absent (install it: apt-get install chromium)`);

const userDataDir = mkdtempSync(join(tmpdir(), 'fundcast-chromium-'));
afterAll(() => rmSync(userDataDir, { recursive: true, force: true }));

describe(present ? 'report.html in chromium' : `report.html in chromium — SKIPPED: ${CHROMIUM} is absent (apt-get install chromium)`, () => {
  it.skipIf(!present)('draws every chart from file://, with no console errors and no network request', async () => {
    removeDir(OUT);
    await makeRunDir(OUT);
    withRisk(OUT);
    withSensitivity(OUT); // all charts apply
    await writeReport(OUT, { lang: 'zh' });
    const url = pathToFileURL(join(OUT, 'report.html')).href;

    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForSelector('body[data-charts]', { timeout: 30_000 });

      const state = await page.evaluate(() => ({
        done: document.body.getAttribute('data-charts'),
        charts: Array.from(document.querySelectorAll<HTMLElement>('.chart')).map((el) => ({
          name: el.dataset.chart,
          error: el.getAttribute('data-error'),
          // vega's SVG renderer: <g class="mark-… role-mark"> groups holding the drawn items
          marks: el.querySelectorAll('svg .role-mark > *').length + el.querySelectorAll('canvas').length,
        })),
      }));
      await page.screenshot({ path: join(OUT, 'screenshot.png'), fullPage: true });

      expect(problems).toEqual([]);
      expect(state.done).toBe('rendered');
      expect(state.charts.map((c) => c.name).sort()).toEqual(CHARTS.map((c) => c.name).sort());
      for (const c of state.charts) {
        expect(c.error, c.name).toBeNull();
        expect(c.marks, c.name).toBeGreaterThan(0);
      }
      expect(requests).toEqual([url]);
      expect(existsSync(join(OUT, 'screenshot.png'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
