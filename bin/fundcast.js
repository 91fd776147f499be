#!/usr/bin/env node
// The fundcast command. Runs the TypeScript sources through tsx (a dependency, so
// `npm ci && npx fundcast run` needs no build step). With FUNDCAST_DIST=1 it runs the compiled
// engine in dist/ instead (`npm run build` first); never implicitly, so a stale build cannot be
// picked up by mistake.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Output piped into a reader that stops early (`fundcast schema summary | head`): stop quietly.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

let main;
if (process.env.FUNDCAST_DIST === '1') {
  const compiled = fileURLToPath(new URL('../dist/engine/cli/main.js', import.meta.url));
  if (!existsSync(compiled)) {
    process.stderr.write('fundcast: FUNDCAST_DIST=1 but dist/ is not built (run `npm run build`)\n');
    process.exit(2);
  }
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../engine/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
