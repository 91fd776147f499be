#!/usr/bin/env node
// The fundcast command. Runs the compiled engine (dist/) when built, else the TypeScript sources
// through tsx (installed as a dependency, so `npm ci && npx fundcast run` needs no build step).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/engine/cli/main.js', import.meta.url));
let main;
if (existsSync(compiled) && process.env.FUNDCAST_FROM_SOURCE !== '1') {
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../engine/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
