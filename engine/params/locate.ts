/**
 * Finding where a parameter path lives in a YAML/JSON source, so errors can name the line.
 */
import { isMap, isSeq, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

export interface SourceDoc {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseSource(file: string, text: string): SourceDoc {
  const lines = new LineCounter();
  // A key given twice is an error, never a silent overwrite: found by keyIssues (limits.ts) in one
  // pass — the library's uniqueKeys check is quadratic in a mapping's keys.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: true });
  return { file, doc, lines };
}

/**
 * Line and column of the node at `path` (or of `key` inside it, for unknown keys); when the path
 * does not exist (a missing key), the position of its deepest existing ancestor.
 */
export function locate(src: SourceDoc, path: (string | number)[], key?: string): { line: number; column: number; exact: boolean } | undefined {
  let node: unknown = src.doc.contents;
  let pos: [number, number] | undefined = rangeOf(node);
  let exact = true;
  const full = key === undefined ? path : [...path, key];
  for (let i = 0; i < full.length; i++) {
    const seg = full[i];
    let next: unknown;
    let keyRange: [number, number] | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair) {
        next = pair.value;
        keyRange = rangeOf(pair.key);
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined && keyRange === undefined) {
      exact = false;
      break;
    }
    // For the last segment of an unknown key, point at the key itself.
    pos = (key !== undefined && i === full.length - 1 ? keyRange : rangeOf(next) ?? keyRange) ?? pos;
    node = next;
  }
  if (!pos) return undefined;
  const lp = src.lines.linePos(pos[0]);
  return { line: lp.line, column: lp.col, exact };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/**
 * Whether this file supplies the value at `path` in the merged scenario: it has the whole path, or a
 * prefix of it whose node replaces what the files below it say (a list, a scalar, or a dated
 * parameter — a mapping with a `unit`), as `extends` merges.
 */
export function owns(src: SourceDoc, path: (string | number)[]): boolean {
  let node: unknown = src.doc.contents;
  for (const seg of path) {
    if (isMap(node)) {
      if (node.items.some((p) => isScalar(p.key) && p.key.value === 'unit')) return true;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return false;
      node = pair.value;
    } else {
      return node !== null && node !== undefined;
    }
  }
  return true;
}
