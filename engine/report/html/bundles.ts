/**
 * The browser bundles of vega, vega-lite and vega-embed, read from node_modules so that report.html
 * carries them inline and opens offline (no CDN). Packages are found through Node's resolution, so
 * any install layout works; their `exports` hide the build folder, hence the walk up to the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inlineScript } from './escape.ts';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === name) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package directory of ${name}`);
    dir = up;
  }
}

/** In load order: vega-embed needs the globals `vega` and `vegaLite`. */
const BUNDLES = [
  { pkg: 'vega', file: 'build/vega.min.js' },
  { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
] as const;

let cache: { name: string; version: string; code: string }[] | undefined;

export function browserBundles(): { name: string; version: string; code: string }[] {
  cache ??= BUNDLES.map(({ pkg, file }) => {
    const dir = packageDir(pkg);
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    return { name: pkg, version, code: inlineScript(readFileSync(join(dir, file), 'utf8'), `${pkg}/${file}`) };
  });
  return cache;
}
