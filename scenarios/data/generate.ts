/**
 * Writes the demonstration dataset of scenarios/data/ (see README.md there): one replication of
 * the synthetic county `demo-county.yaml`, simulated by fundcast's kernel with its claim trace, as
 *
 *   enrollment.csv        UTF-8, English headers and values
 *   claims.csv.gz         UTF-8, English headers and values (gzip: replay reads it as it is)
 *   enrollment-gbk.csv    the same persons, GBK, Chinese headers and values
 *   claims-gbk.csv.gz     the same claims, GBK, Chinese headers and values
 *
 * and the three years of `demo-history.yaml` (the back-test example), UTF-8 only, as
 *
 *   history-enrollment.csv, history-claims.csv.gz
 *
 * Run: npx tsx scenarios/data/generate.ts   (deterministic: the same files every time)
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compile, loadScenario } from '../../engine/index.ts';
import { encodeGbk, syntheticData } from '../../engine/replay/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const loaded = loadScenario(join(here, 'demo-county.yaml'));
const c = compile(loaded.scenario);
const en = syntheticData(c, { lang: 'en' });
const zh = syntheticData(c, { lang: 'zh' });
const gz = (b: string | Buffer) => gzipSync(b, { level: 9 });
writeFileSync(join(here, 'enrollment.csv'), en.enrollment);
writeFileSync(join(here, 'claims.csv.gz'), gz(en.claims));
writeFileSync(join(here, 'enrollment-gbk.csv'), encodeGbk(zh.enrollment));
writeFileSync(join(here, 'claims-gbk.csv.gz'), gz(encodeGbk(zh.claims)));
process.stdout.write(`${en.persons} persons, ${en.claimRows} claims written to ${here}\n`);
const history = syntheticData(compile(loadScenario(join(here, 'demo-history.yaml')).scenario), { lang: 'en' });
writeFileSync(join(here, 'history-enrollment.csv'), history.enrollment);
writeFileSync(join(here, 'history-claims.csv.gz'), gz(history.claims));
process.stdout.write(`${history.persons} persons, ${history.claimRows} claims of 2023–2025 written to ${here}\n`);
