/** `fundcast run SCENARIO --shard K/N`: run one shard and write its shard file (engine/run/shard.ts). */
import {
  type LoadedScenario,
  runShard,
  writeShard,
  type RunOptions,
  describeUnits,
  parseShard,
  Errors,
} from '../index.ts';
import { progressBar } from './progress.ts';

export interface ShardCliOptions {
  shard: string;
  outDir: string;
  quiet: boolean;
  sensitivity: boolean;
  /** Flags that only `fundcast merge` can honour. */
  mergeOnly: string[];
}

export async function shardCommand(loaded: LoadedScenario, opts: RunOptions, o: ShardCliOptions): Promise<number> {
  const shard = parseShard(o.shard);
  if (o.mergeOnly.length) throw Errors.Usage(`--${o.mergeOnly[0]} does not apply to a shard (it holds no results yet): pass it to \`fundcast merge\``);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let s;
  try {
    s = await runShard(loaded, { ...opts, shard, sensitivity: o.sensitivity, signal: abort.signal, onRetry: (what) => process.stderr.write(`fundcast run: warning: ${what}\n`), onProgress: o.quiet ? undefined : progressBar(`shard ${shard.index}/${shard.count}: simulating work units`) });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const file = writeShard(o.outDir, s);
  if (!o.quiet) {
    const main = s.runs[0];
    process.stdout.write(`shard ${shard.index}/${shard.count} of ${s.header.scenario} (seed ${s.header.seed}): ${describeUnits(main.units, main.blocks)}`);
    process.stdout.write(`${s.runs.length > 1 ? ` and ${s.runs.length - 1} sensitivity run${s.runs.length > 2 ? 's' : ''}` : ''} in ${s.header.wallSeconds.toFixed(1)} s\n`);
    process.stdout.write(`Wrote ${file.replace(process.cwd() + '/', '')}; when every shard is done: fundcast merge ${o.outDir.replace(process.cwd() + '/', '')} --out RESULTS_DIR\n`);
  }
  return 0;
}
