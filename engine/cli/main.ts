/**
 * The `fundcast` command: dispatch to one file per command. User mistakes (FundcastError) print a
 * clear message and exit 2, without a stack trace; anything else is a bug and says so.
 */
import { FundcastError } from '../index.ts';
import { backtestCommand, backtestHelp } from './backtest.ts';
import { calibrateCommand, calibrateHelp } from './calibrate.ts';
import { explainCommand, explainHelp } from './explain.ts';
import { replayCommand, replayHelp } from './replay.ts';
import { reportCommand, reportHelp } from './report.ts';
import { runCommand, runHelp } from './run.ts';
import { mergeCommand, mergeHelp } from './merge.ts';
import { workerCommand, workerHelp } from './worker.ts';
import { schemaCommand, schemaHelp } from './schema.ts';
import { validateCommand, validateHelp } from './validate.ts';

const commands: Record<string, { run: (argv: string[]) => Promise<number>; help: string; summary: string }> = {
  run: { run: runCommand, help: runHelp, summary: 'simulate a scenario and write results (default: the embedded Wuhu-sized region)' },
  merge: { run: mergeCommand, help: mergeHelp, summary: 'combine the shard files of a sharded run (run --shard K/N) into one run\'s results' },
  worker: { run: workerCommand, help: workerHelp, summary: 'run simulation tasks of queue runs (run --queue) from a Redis queue, on this machine' },
  validate: { run: validateCommand, help: validateHelp, summary: 'check a scenario file; list every error with file, line, parameter and rule' },
  schema: { run: schemaCommand, help: schemaHelp, summary: 'print the JSON Schema of scenario files' },
  explain: { run: explainCommand, help: explainHelp, summary: "print one year's settlement step by step for a facility or a patient" },
  report: { run: reportCommand, help: reportHelp, summary: 'write report.html (charts, tables, parameters) and chart SVG/PNG for a run directory' },
  replay: { run: replayCommand, help: replayHelp, summary: 'replay recorded claims (CSV/GBK, Arrow, Parquet) through the rules, payment models and ledger' },
  calibrate: { run: calibrateCommand, help: calibrateHelp, summary: 'fit synthesis parameters to recorded enrollment and claims; write a scenario fragment' },
  backtest: { run: backtestCommand, help: backtestHelp, summary: 'calibrate on the earlier years of recorded claims, forecast the last, compare with what happened' },
};

export const mainHelp = `fundcast — payment simulation and fund projection for outpatient chronic-disease insurance (两病 / 门诊慢特病)

Usage: fundcast <command> [options]

Commands:
${Object.entries(commands)
  .map(([k, c]) => `  ${k.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`fundcast <command> --help\` for a command's options. Quick start: \`fundcast run\`.
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === 'help' && rest[0] && commands[rest[0]]) process.stdout.write(commands[rest[0]].help);
    else process.stdout.write(mainHelp);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    const { packageVersion } = await import('../index.ts');
    process.stdout.write(packageVersion() + '\n');
    return 0;
  }
  const c = commands[cmd];
  if (!c) {
    process.stderr.write(`fundcast: unknown command "${cmd}" (commands: ${Object.keys(commands).join(', ')}; see fundcast --help)\n`);
    return 2;
  }
  try {
    return await c.run(rest);
  } catch (e) {
    if (e instanceof FundcastError) {
      process.stderr.write(`fundcast ${cmd}: error: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`fundcast ${cmd}: internal error (a bug in fundcast, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
