/** Command-line parsing on node:util's parseArgs, with errors that name the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Errors } from '../errors.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(args: string[], options: Options, maxPositionals: number): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw Errors.Usage(`${(e as Error).message.replace(/\. To specify a positional argument.*$/, '')} (see --help)`);
  }
  if (parsed.positionals.length > maxPositionals) throw Errors.Usage(`unexpected argument "${parsed.positionals[maxPositionals]}" (see --help)`);
  return parsed;
}

/** A flag's value as a whole number, or undefined when absent. */
export function intFlag(values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const s = String(v).replace(/_/g, '');
  if (!/^-?\d+$/.test(s)) throw Errors.BadFlag(name, `must be a whole number, got "${v}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw Errors.BadFlag(name, `must be from ${min} to ${max}, got ${v}`);
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
