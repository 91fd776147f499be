/** Command-line parsing on node:util's parseArgs, with errors that name the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Errors, closest } from '../index.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(args: string[], options: Options, maxPositionals: number): Parsed {
  let parsed: Parsed;
  const all: Options = { ...options, help: { type: 'boolean', short: 'h' } };
  const checked = checkFlags(args, all);
  try {
    parsed = parseArgs({ args: checked, options: all, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw Errors.Usage(`${(e as Error).message.replace(/\. To specify a positional argument.*$/, '')} (see --help)`);
  }
  if (parsed.positionals.length > maxPositionals) throw Errors.Usage(`unexpected argument "${parsed.positionals[maxPositionals]}" (see --help)`);
  return parsed;
}

/**
 * Flags checked before parseArgs, for messages a user can act on: an unknown flag with the closest
 * known one ("did you mean --replications?"), a flag missing its value, a value given to a switch.
 * A negative number after a flag is its value (`--replications -1` then fails the flag's own range
 * check, instead of parseArgs calling it "ambiguous"); it is passed on as `--flag=-1`.
 */
export function checkFlags(args: string[], options: Options): string[] {
  const out: string[] = [];
  const names = Object.keys(options);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!a.startsWith('-') || a === '-' || isNumber(a)) {
      out.push(a);
      continue;
    }
    if (!a.startsWith('--')) {
      const short = names.find((n) => options[n].short === a.slice(1));
      if (!short) throw Errors.Usage(`unknown flag ${a}${suggestFlag(a.slice(1), names)} (see --help)`);
      out.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const o = options[name];
    if (!o) throw Errors.Usage(`unknown flag --${name}${suggestFlag(name, names)} (see --help)`);
    if (o.type === 'boolean') {
      if (eq >= 0) throw Errors.BadFlag(name, 'is a switch and takes no value (write --' + name + ' alone)');
      out.push(a);
      continue;
    }
    if (eq >= 0) {
      out.push(a);
      continue;
    }
    const v = args[i + 1];
    if (v === undefined || v === '--' || (v.startsWith('-') && !isNumber(v))) throw Errors.BadFlag(name, `needs a value (e.g. --${name} ${EXAMPLE[name] ?? 'VALUE'}; see --help)`);
    out.push(`--${name}=${v}`);
    i++;
  }
  return out;
}

const EXAMPLE: Record<string, string> = { replications: '200', years: '5', seed: '7', workers: '2', scale: '0.5', out: 'out/my-run', lang: 'en', 'until-se': '2000000', 'max-replications': '400', precision: '0.5%', 'max-memory': '8', 'csv-encoding': 'gbk' };

function isNumber(s: string): boolean {
  return /^[-+]?(\d[\d_]*)?(\.\d+)?(e[-+]?\d+)?$/i.test(s) && /\d/.test(s);
}

function suggestFlag(name: string, names: string[]): string {
  const guess = closest(name, names);
  return guess ? ` (did you mean --${guess}?)` : '';
}

/** A flag's value as a whole number, or undefined when absent. */
export function intFlag(values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const s = String(v).replace(/_/g, '');
  if (!/^-?\d+$/.test(s)) throw Errors.BadFlag(name, `must be a whole number, got "${v}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw Errors.BadFlag(name, `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got ${v}`);
  return n;
}

/** A flag's value as a positive number, or undefined when absent. */
export function numFlag(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(String(v).replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw Errors.BadFlag(name, `must be a positive number, got "${v}"`);
  return n;
}
