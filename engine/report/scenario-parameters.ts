/**
 * The dated parameters of a scenario as run (scenario.json): every object with a `unit`, a `source`
 * and a `value` or dated `values`, wherever it sits, with its path. List items are named by their
 * `name` or `id` when they have one (paymentModels[capitation].retention.villageShare).
 */

export interface ParameterRow {
  path: string;
  unit: string;
  /** The value, or one "date: value" line per date; objects compactly as "key: value, …". */
  value: string;
  source: string;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function show(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  if (isObj(x)) return Object.entries(x).map(([k, v]) => `${k}: ${isObj(v) ? `{${show(v)}}` : show(v)}`).join(', ');
  return String(x);
}

function isDated(x: Record<string, unknown>): boolean {
  return typeof x.unit === 'string' && typeof x.source === 'string' && ('value' in x || 'values' in x);
}

export function datedParameters(scenario: unknown): ParameterRow[] {
  const rows: ParameterRow[] = [];
  const walk = (x: unknown, path: string) => {
    if (Array.isArray(x)) {
      x.forEach((item, i) => {
        const key = isObj(item) && (typeof item.name === 'string' || typeof item.id === 'string') ? String(item.name ?? item.id) : String(i);
        walk(item, `${path}[${key}]`);
      });
    } else if (isObj(x)) {
      if (isDated(x)) {
        const value = 'values' in x && isObj(x.values) ? Object.entries(x.values).map(([date, v]) => `${date}: ${isObj(v) ? `{${show(v)}}` : show(v)}`).join('\n') : show(x.value);
        rows.push({ path, unit: x.unit as string, value, source: x.source as string });
        return;
      }
      for (const [k, v] of Object.entries(x)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(scenario, '');
  return rows;
}
