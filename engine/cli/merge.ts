import { relative, resolve } from 'node:path';
import { withOutputSet, mergeShards, writeResults, Errors } from '../index.ts';
import { parse } from './args.ts';
import { langFlag, reportTo } from './report.ts';
import { summaryTables } from './table.ts';

export const mergeHelp = `fundcast merge SHARD_DIR... --out DIR [options]

Combine the shard files of a sharded run (\`fundcast run SCENARIO --shard K/N\`, one per machine)
into the results one run writes: summary.json, replications.csv and facilities.csv are
byte-identical to \`fundcast run\` with the same scenario, seed and replications.

SHARD_DIR  a directory holding shard files (shard-K-of-N.jsonl), or a shard file; several may be
           given (e.g. one directory per machine)

Options:
  --out DIR          where to write the results (required)
  --by-facility      also write facility-results.csv
  --report           also write report.html and charts/
  --lang zh|en       language of the report (default: zh)
  --quiet            print no summary table
  -h, --help         this help

Merge refuses, naming the files: shards of different scenarios, seeds or fundcast versions, a
shard given twice or two shards holding the same replications, and missing shards. A sharded
run's one-way sensitivity runs are sharded too; merge computes the tornado from them. See
docs/distributed.md.
`;

export async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    out: { type: 'string' },
    'by-facility': { type: 'boolean' },
    report: { type: 'boolean' },
    lang: { type: 'string' },
    quiet: { type: 'boolean' },
  }, Infinity);
  if (values.help) {
    process.stdout.write(mergeHelp);
    return 0;
  }
  if (positionals.length === 0) throw Errors.Usage('name the shard directories or files to merge (see --help)');
  if (values.out === undefined) throw Errors.Usage('--out DIR is required: where to write the merged results (see --help)');
  const reportLang = langFlag(values);
  const { m, files } = await withOutputSet(resolve(String(values.out)), {}, async (set) => {
    const m = await mergeShards(positionals);
    // every file into the set's temporary folder, then the set swapped in whole (docs/reliability.md)
    const dir = set.staging;
    const written = writeResults(dir, m.result, {
      scenarioFiles: m.scenarioFiles,
      byFacility: values['by-facility'] === true,
      runInfo: { mergedFrom: m.shards },
    });
    if (values.report === true) written.push((await reportTo(dir, reportLang, true)).at(-1)!);
    const files = set.commit(written.map((f) => relative(dir, f)));
    for (const w of set.warnings) process.stderr.write(`fundcast merge: warning: ${w}\n`);
    return { m, files };
  });
  if (values.quiet !== true) {
    const r = m.result;
    process.stdout.write(`\n${r.scenario.title ?? r.scenario.name}\n${'='.repeat(40)}\n`);
    process.stdout.write(summaryTables(r.summary) + '\n');
    process.stdout.write(`${r.scenario.replications} replications × ${r.summary.years.length} years merged from ${m.shards.length} shard${m.shards.length > 1 ? 's' : ''} (seed ${r.scenario.seed})\n`);
    process.stdout.write(`Results: ${files.map((f) => f.replace(process.cwd() + '/', '')).join(', ')}\n`);
  }
  return 0;
}
