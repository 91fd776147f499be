/** The scenario's dated parameters with unit, value(s) and source (escaped: sources are user text). */
import { strings, type Lang } from '../i18n.ts';
import { datedParameters } from '../scenario-parameters.ts';
import { htmlTable } from './table.ts';

export function parametersTable(scenario: unknown, lang: Lang): string {
  const rows = datedParameters(scenario);
  if (!rows.length) return '';
  const c = strings(lang).cols;
  return htmlTable(
    [c.path, c.unit, c.value, c.source],
    rows.map((r) => [{ text: r.path, className: 'path' }, r.unit, { text: r.value, className: 'value' }, r.source]),
  );
}
