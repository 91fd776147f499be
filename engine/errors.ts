/**
 * fundcast's error catalogue (after piscina's `src/errors.ts`): every error a *user* can cause is a
 * {@link FundcastError} with a stable `code`, a message that names where (file, line, parameter
 * path or flag) and the rule broken, and an exit code. The CLI prints these without a stack trace;
 * anything else is a bug and is reported as one.
 */

/** Exit code for a user's mistake (bad scenario, bad flag, bad data). */
export const EXIT_USER_ERROR = 2;
/** Exit code for an internal failure (a bug, a crashed worker that would not recover). */
export const EXIT_INTERNAL = 1;
/** Exit code after SIGINT/SIGTERM (128 + 2, as shells report Ctrl-C). */
export const EXIT_INTERRUPTED = 130;

export class FundcastError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = EXIT_USER_ERROR) {
    super(message);
    this.name = 'FundcastError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** One problem found in a scenario: where it is and which rule it breaks. */
export interface ScenarioIssue {
  /** The scenario file (or `<embedded default>`). */
  file: string;
  /** 1-based line and column in the file, when known. */
  line?: number;
  column?: number;
  /** Parameter path, e.g. `benefits.ratio.values.2025-01-01.village`. */
  path: string;
  /** The rule broken, in words. */
  rule: string;
}

export function formatIssue(i: ScenarioIssue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}${i.column !== undefined ? `:${i.column}` : ''}` : i.file;
  return `${where}: ${i.path || '(top level)'}: ${i.rule}`;
}

export class ScenarioError extends FundcastError {
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super('ERR_SCENARIO_INVALID', `scenario is invalid (${issues.length} error${issues.length === 1 ? '' : 's'}):\n` + issues.map((i) => '  ' + formatIssue(i)).join('\n'));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

export const Errors = {
  ScenarioNotFound: (file: string) => new FundcastError('ERR_SCENARIO_NOT_FOUND', `scenario file not found: ${file}`),
  ScenarioUnreadable: (file: string, why: string) => new FundcastError('ERR_SCENARIO_UNREADABLE', `cannot read scenario ${file}: ${why}`),
  UnsupportedScenarioType: (file: string) =>
    new FundcastError('ERR_SCENARIO_TYPE', `scenario ${file}: unsupported file type (expected .yaml, .yml or .json)`),
  BadFlag: (flag: string, rule: string) => new FundcastError('ERR_BAD_FLAG', `--${flag}: ${rule}`),
  Usage: (message: string) => new FundcastError('ERR_USAGE', message),
  OutputUnwritable: (dir: string, why: string) => new FundcastError('ERR_OUTPUT', `cannot write results to ${dir}: ${why}`),
  WorkerFailed: (task: string, why: string) =>
    new FundcastError('ERR_WORKER_FAILED', `simulation task ${task} failed: ${why}`, EXIT_INTERNAL),
  Interrupted: () => new FundcastError('ERR_INTERRUPTED', 'interrupted: no results were written', EXIT_INTERRUPTED),
  CheckpointMismatch: (file: string, why: string) =>
    new FundcastError('ERR_CHECKPOINT', `cannot resume from ${file}: ${why} (delete it, or run without --resume)`),
  QueueUnreachable: (url: string, why: string) =>
    new FundcastError('ERR_QUEUE_UNREACHABLE', `cannot reach Redis at ${url} (${why}): is redis-server running there? No results were written`, EXIT_INTERNAL),
  QueueLost: (url: string, why: string) =>
    new FundcastError('ERR_QUEUE_LOST', `lost the connection to Redis at ${url} (${why}): the run is stopped and no results were written; run it again when Redis is back`, EXIT_INTERNAL),
  QueueTaskFailed: (task: string, why: string) => new FundcastError('ERR_QUEUE_TASK', `queue task ${task} failed: ${why}`, EXIT_INTERNAL),
  TooLong: (hours: number, maxHours: number, what: string) =>
    new FundcastError('ERR_TOO_LONG', `this run would take at least ${hours >= 48 ? `${Math.round(hours / 24).toLocaleString('en-US')} days` : `${hours.toFixed(1)} hours`} (${what}) — more than the ${maxHours} hours allowed; use fewer replications or a smaller region, more workers or machines (--shard, --queue), or pass --max-hours to allow it (docs/reliability.md §Memory and time)`),
  RegionTooLarge: (residents: number, max: number) =>
    new FundcastError('ERR_REGION_TOO_LARGE', `the region has ${Math.round(residents).toLocaleString('en-US')} residents (counties' residents × region.scale); at most ${max.toLocaleString('en-US')} (more than China's population) can be simulated — check the residents and region.scale`),
  NotEnoughMemory: (needGiB: number, haveGiB: number, what: string) =>
    new FundcastError('ERR_MEMORY', `this run needs about ${needGiB.toFixed(1)} GiB of memory (${what}) but about ${haveGiB.toFixed(1)} GiB is available; use fewer workers or replications, or pass --max-memory to override the estimate`),
} as const;
