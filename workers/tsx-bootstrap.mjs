// Worker entry when running from TypeScript sources: register tsx's ESM loader in this thread, then
// load the TypeScript worker. (Passing `--import tsx` in execArgv works too, but measured ~40% slower
// in the simulation kernel on Node 20; registering the ESM API here runs at compiled-JS speed.)
import { register } from 'tsx/esm/api';

register();
const { default: task } = await import('./simulate.worker.ts');
export default task;
