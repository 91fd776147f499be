/** One HTML table from plain values: every cell is escaped here, numbers are right-aligned. */
import { escapeHtml } from './escape.ts';

export type Cell = string | { text: string; num?: boolean; className?: string };

export function htmlTable(headers: string[], rows: Cell[][], caption?: string, note?: string): string {
  const cell = (c: Cell, tag: 'td' | 'th') => {
    const o = typeof c === 'string' ? { text: c } : c;
    const cls = [o.num ? 'num' : '', o.className ?? ''].filter(Boolean).join(' ');
    return `<${tag}${cls ? ` class="${cls}"` : ''}>${escapeHtml(o.text)}</${tag}>`;
  };
  return [
    '<div class="table-wrap"><table>',
    caption ? `<caption>${escapeHtml(caption)}</caption>` : '',
    `<thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
    note ? `<p class="note">${escapeHtml(note)}</p>` : '',
    '</div>',
  ].join('');
}

export const num = (text: string): Cell => ({ text, num: true });
