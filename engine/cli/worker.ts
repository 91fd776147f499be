import { availableParallelism } from 'node:os';
import { Errors, parseQueueUrl, startQueueWorker } from '../index.ts';
import { intFlag, numFlag, parse } from './args.ts';

export const workerHelp = `fundcast worker --queue redis://HOST:PORT [options]

Take simulation tasks of queue runs (\`fundcast run SCENARIO --queue redis://HOST:PORT\`) off a Redis
queue and run them on this machine's worker threads. Start one per machine, on as many machines as
you like; they need nothing but Redis (no shared filesystem: the scenario travels in the queue).
Runs until stopped: Ctrl-C or SIGTERM finishes the tasks in hand, then exits; a second signal (or
SIGKILL) stops at once, and the tasks in hand are run again by other workers.

Options:
  --queue URL          the Redis server (redis://HOST:PORT[/DB]; rediss:// for TLS) (required)
  --workers K          worker threads, and tasks run at once (default: the cores available here)
  --lock-seconds S     a task's lock; a worker that stops answering for this long loses its task
                       to another worker (default 30)
  --stalled-seconds S  how often to look for tasks of workers that stopped answering (default 30)
  --quiet              no log lines (tasks done, refusals, connection trouble)
  -h, --help           this help

A worker refuses tasks of another fundcast version (the run stops and says so). See docs/distributed.md.
`;

export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    queue: { type: 'string' },
    workers: { type: 'string' },
    'lock-seconds': { type: 'string' },
    'stalled-seconds': { type: 'string' },
    quiet: { type: 'boolean' },
  }, 0);
  if (values.help) {
    process.stdout.write(workerHelp);
    return 0;
  }
  if (values.queue === undefined) throw Errors.Usage('--queue redis://HOST:PORT is required: the Redis server of the queue (see --help)');
  const { shown } = parseQueueUrl(String(values.queue));
  const threads = intFlag(values, 'workers', 1, 256) ?? availableParallelism();
  const lockSeconds = numFlag(values, 'lock-seconds');
  const stalledSeconds = numFlag(values, 'stalled-seconds');
  const log = values.quiet === true ? undefined : (line: string) => process.stderr.write(`fundcast worker: ${line}\n`);
  log?.(`starting on ${shown} with ${threads} thread${threads > 1 ? 's' : ''}`);
  // startQueueWorker loads BullMQ only when called
  const w = await startQueueWorker(String(values.queue), { threads, lockSeconds, stalledSeconds, onLog: log });
  const code = await new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = () => {
      if (++signals === 1) {
        log?.('stopping: finishing the tasks in hand (signal again to stop at once)');
        void w.close(false).then(() => resolve(0));
      } else {
        log?.('stopping now: the tasks in hand will be run again by other workers');
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  log?.('stopped');
  return code;
}
