/**
 * Limits on a scenario file, so a huge or hostile file is refused at once instead of hanging the
 * parser (docs/reliability.md §Limits): at most {@link MAX_SCENARIO_BYTES} bytes and
 * {@link MAX_SCENARIO_KEYS} mapping keys. The embedded default scenario is about 20 KB with under
 * 500 keys; the limits are 50× and 40× that. Duplicate keys are found here in one pass over the
 * parsed document (a Set per mapping) — the YAML library's own `uniqueKeys` check compares every
 * key with every other (a 1 MB file of 60,000 keys took a minute).
 */
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { ScenarioError, type ScenarioIssue } from '../errors.ts';
import type { SourceDoc } from './locate.ts';

export const MAX_SCENARIO_BYTES = 1024 * 1024;
export const MAX_SCENARIO_KEYS = 20_000;

/** Refuse a file larger than the limit before reading or parsing it. */
export function checkScenarioSize(file: string, bytes: number): void {
  if (bytes <= MAX_SCENARIO_BYTES) return;
  throw new ScenarioError([{ file, path: '', rule: `the file is ${(bytes / 1024 / 1024).toFixed(1)} MiB; a scenario file may be at most ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB (docs/reliability.md §Limits: a scenario is parameters, not data — give data to fundcast replay)` }]);
}

/**
 * Every key given twice in one mapping (at the second, naming the first's line), and more keys
 * than the limit, in one pass over the document (aliases are not followed).
 */
export function keyIssues(src: SourceDoc): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  let keys = 0;
  const at = (node: Node | null | undefined) => {
    const r = node?.range;
    if (!r) return {};
    const lp = src.lines.linePos(r[0]);
    return { line: lp.line, column: lp.col };
  };
  const stack: { node: unknown; path: string }[] = [{ node: src.doc.contents, path: '' }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (isAlias(node)) continue;
    if (isMap(node)) {
      keys += node.items.length;
      if (keys > MAX_SCENARIO_KEYS) {
        return [{ file: src.file, ...at(node), path, rule: `more than ${MAX_SCENARIO_KEYS.toLocaleString('en-US')} keys; a scenario file may have at most ${MAX_SCENARIO_KEYS.toLocaleString('en-US')} (docs/reliability.md §Limits)` }];
      }
      const seen = new Map<string, Node>();
      for (const p of node.items) {
        const k = isScalar(p.key) ? String(p.key.value) : undefined;
        const kPath = k === undefined ? path : path ? `${path}.${k}` : k;
        if (k !== undefined) {
          const first = seen.get(k);
          if (first) issues.push({ file: src.file, ...at(p.key as Node), path: kPath, rule: `the key "${k}" is given twice in this mapping (first on line ${at(first).line}); a key given twice would silently overwrite the first` });
          else seen.set(k, p.key as Node);
        }
        stack.push({ node: p.value, path: kPath });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: path ? `${path}.${i}` : String(i) }));
    }
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
