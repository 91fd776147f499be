// piscina worker of `npm run bench` (bench/w-pool.ts): one task = replications [r0, r1) × stream
// blocks [b0, b1) of the reference workload W (bench/workload-w.ts). Like workers/tsx-bootstrap.mjs,
// it registers tsx's ESM API in this thread and then imports the TypeScript module: the kernel then
// runs at compiled-JS speed, which `execArgv: ['--import', 'tsx']` does not give (engine/pool.ts).
import { register } from 'tsx/esm/api';

register();
const { runWTask } = await import('../bench/workload-w.ts');

export default function benchWTask(task) {
  return runWTask(task);
}
