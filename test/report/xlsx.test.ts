/**
 * results.xlsx (`fundcast run --xlsx`, `fundcast report DIR --xlsx`), read back with exceljs: its
 * sheets, Chinese or English headers, frozen header rows, 元 number formats with two decimals, and
 * values equal to summary.json's; and the CSV files in GBK (`--csv-encoding gbk`), read back equal.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { from } from 'arquero';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvTable, encodeCsv } from '../../engine/csv/write.ts';
import { loadRunDir } from '../../engine/report/load-run-dir.ts';
import { datedParameters } from '../../engine/report/scenario-parameters.ts';
import { writeWorkbook } from '../../engine/report/xlsx.ts';
import { parseScenarioText } from '../../engine/params/load.ts';
import { runScenario } from '../../engine/run/run-scenario.ts';
import { facilityRows, replicationRows, writeResults } from '../../engine/report/write-results.ts';
import { inProcess } from '../helpers/cli.ts';
import { fixtureScenarioText, makeRunDir, removeDir } from './fixture.ts';

let dir: string;
beforeAll(async () => {
  dir = await makeRunDir();
}, 120_000);
afterAll(() => removeDir(dir));

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  return wb;
}

describe('results.xlsx', () => {
  it('zh: five sheets with Chinese headers, frozen header rows, 元 with 2 decimals, the numbers of summary.json', async () => {
    const wb = await read(await writeWorkbook(dir, 'zh'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['结论', '基金收支', '支付方式比较', '结算', '参数']);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getRow(1).font?.bold).toBe(true);
    }
    const ledger = wb.getWorksheet('基金收支')!;
    const head = (ledger.getRow(1).values as unknown[]).slice(1);
    expect(head).toContain('筹资收入');
    expect(head).toContain('慢病预算');
    const d = loadRunDir(dir);
    const m = d.summary.models[0];
    const col = head.indexOf('基金支出均值') + 1;
    const cell = ledger.getRow(2).getCell(col);
    expect(cell.value).toBe(m.years[0].fundOutlay.mean);
    expect(cell.numFmt).toBe('#,##0.00"元"');
    expect(ledger.rowCount).toBe(1 + d.summary.models.length * d.summary.years.length);
    // reserve months stay numbers; a negative one reads 已耗尽 (exhausted)
    expect(ledger.getRow(2).getCell(head.indexOf('可支付月数（中位数）') + 1).numFmt).toBe('0.0;"已耗尽";0.0');
    const headline = wb.getWorksheet('结论')!;
    expect(String(headline.getRow(2).getCell(3).value)).toMatch(/测算期内不会出现缺口|出现缺口/);
    const params = wb.getWorksheet('参数')!;
    expect(params.rowCount).toBe(1 + datedParameters(d.scenario).length);
    expect((params.getRow(1).values as unknown[]).slice(1)).toEqual(['参数路径', '单位', '取值', '来源']);
    // settlement: capitation shares of the surplus/overspend are fractions with a % format
    const set = wb.getWorksheet('结算')!;
    const shares: number[] = [];
    set.eachRow((row, i) => {
      const v = row.getCell(6).value;
      if (i > 1 && typeof v === 'number') {
        shares.push(v);
        expect(row.getCell(6).numFmt).toBe('0.0%');
      }
    });
    for (const s of shares) expect(s >= 0 && s <= 1 + 1e-9).toBe(true);
    // facility rows from facility-results.csv (the fixture runs with --by-facility)
    let facilityRowsSeen = 0;
    set.eachRow((row) => {
      if (String(row.getCell(3).value ?? '').includes('(tiny-1-t01')) facilityRowsSeen++;
    });
    expect(facilityRowsSeen).toBeGreaterThan(0);
  });

  it('en: English sheet names and headers', async () => {
    const wb = await read(await writeWorkbook(dir, 'en'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Headline', 'Fund ledger', 'Models compared', 'Settlement', 'Parameters']);
    expect((wb.getWorksheet('Fund ledger')!.getRow(1).values as unknown[]).slice(1)).toContain('Chronic-care budget');
    expect(String(wb.getWorksheet('Headline')!.getRow(2).getCell(3).value)).toMatch(/run out/);
  });

  it('fundcast report DIR --xlsx writes it', async () => {
    rmSync(join(dir, 'results.xlsx'), { force: true });
    const o = await inProcess(['report', dir, '--xlsx', '--lang', 'en', '--quiet']);
    expect(o.code).toBe(0);
    expect(existsSync(join(dir, 'results.xlsx'))).toBe(true);
  }, 120_000);
});

describe('CSV: one writer, UTF-8 or GBK', () => {
  it('the CSV files are byte-identical to the writer they replace (arquero toCSV) for this run', async () => {
    const r = await runScenario(parseScenarioText(fixtureScenarioText(), '<t>'), { workers: 1 });
    for (const rows of [replicationRows(r), facilityRows(r), r.facilities.map((f) => ({ ...f, county: f.county ?? '', community: f.community ?? '' }))]) {
      expect(csvTable(rows)).toBe(from(rows).toCSV());
    }
  }, 120_000);

  it('--csv-encoding gbk: the files are GBK (Chinese names readable by Excel on Chinese Windows) and read back equal', async () => {
    const r = await runScenario(parseScenarioText(fixtureScenarioText(), '<t>'), { workers: 1 });
    const gbkDir = `${dir}-gbk`;
    try {
      writeResults(gbkDir, r, { scenarioFiles: ['<t>'], byFacility: true, csvEncoding: 'gbk' });
      const bytes = readFileSync(join(gbkDir, 'facilities.csv'));
      expect(bytes.toString('utf8')).not.toContain('乡镇卫生院'); // not UTF-8
      expect(iconv.decode(bytes, 'gbk')).toContain('乡镇卫生院');
      expect(JSON.parse(readFileSync(join(gbkDir, 'run.json'), 'utf8')).csvEncoding).toBe('gbk');
      const a = loadRunDir(gbkDir);
      const b = loadRunDir(dir);
      expect(a.facilities).toEqual(b.facilities);
    } finally {
      removeDir(gbkDir);
    }
  }, 120_000);

  it('a character GBK cannot encode is an error naming it and its line, never a silent "?"', () => {
    expect(Buffer.from(encodeCsv('name\n村卫生室\n', 'gbk') as Uint8Array).equals(iconv.encode('name\n村卫生室\n', 'gbk'))).toBe(true);
    expect(() => encodeCsv('name\n村卫生室\n张😀\n', 'gbk')).toThrow('--csv-encoding gbk: "😀" (U+1F600) on CSV line 3 has no GBK encoding; write UTF-8 (the default) instead');
    expect(encodeCsv('张😀\n')).toBe('张😀\n');
  });
});
