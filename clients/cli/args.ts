import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes';

/** One flag as `util.parseArgs` takes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

/** A command's flags by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Parsed flag values by long name. */
export type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** Flags every command accepts, anywhere on the line. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  url: { type: 'string' },
  key: { type: 'string' },
  'admin-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** The service the CLI talks to when neither `--url` nor `OUTREACH_URL` says otherwise. */
export const DEFAULT_URL = 'http://localhost:8080';

/** The global settings after flags and environment are combined (flags win). */
export interface GlobalOptions {
  readonly url: string;
  readonly key: string | undefined;
  readonly adminKey: string | undefined;
  readonly json: boolean;
  readonly help: boolean;
}

const VALUE_FLAGS = new Set(['--url', '--key', '--admin-key']);

/**
 * Splits a command line into the command words (the longest prefix of positionals that names or
 * starts a known command path) and everything else. Global flags may come before or between the
 * command words; their values are kept with them.
 */
export function locateCommand(
  argv: readonly string[],
  paths: readonly (readonly string[])[],
): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let i = 0;
  for (; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '--') break;
    if (token.startsWith('-')) {
      rest.push(token);
      if (VALUE_FLAGS.has(token) && i + 1 < argv.length) rest.push(argv[++i] as string);
      continue;
    }
    const next = [...words, token];
    if (!paths.some((path) => isPrefix(next, path))) break;
    words.push(token);
  }
  return { words, rest: [...rest, ...argv.slice(i)] };
}

/** True when `prefix` is the start of (or equal to) `path`. */
export function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((word, i) => path[i] === word);
}

/** Parses flags and positionals strictly: an unknown flag or a missing value is a usage error. */
export function parseFlags(args: readonly string[], options: OptionSpecs): { values: OptionValues; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (e: unknown) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Global settings from parsed flags, falling back to `OUTREACH_URL`, `OUTREACH_API_KEY`, `OUTREACH_ADMIN_KEY`. */
export function globalOptions(values: OptionValues, env: Readonly<Record<string, string | undefined>>): GlobalOptions {
  const url = stringFlag(values, 'url') ?? nonEmpty(env.OUTREACH_URL) ?? DEFAULT_URL;
  if (!/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  return {
    url: url.replace(/\/+$/, ''),
    key: stringFlag(values, 'key') ?? nonEmpty(env.OUTREACH_API_KEY),
    adminKey: stringFlag(values, 'admin-key') ?? nonEmpty(env.OUTREACH_ADMIN_KEY),
    json: values.json === true,
    help: values.help === true,
  };
}

/** A string flag's value, or undefined when absent. */
export function stringFlag(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string flag's values, each also split on commas (`--status A,B --status C`). */
export function listFlag(values: OptionValues, name: string): string[] {
  const value = values[name];
  const raw = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return raw
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** An integer flag within [min, max], or `fallback` when absent. */
export function intFlag(values: OptionValues, name: string, min: number, max: number, fallback: number): number;
export function intFlag(values: OptionValues, name: string, min: number, max: number): number | undefined;
export function intFlag(values: OptionValues, name: string, min: number, max: number, fallback?: number): number | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A number of seconds within [min, max] (fractions allowed), or `fallback` when absent. */
export function secondsFlag(values: OptionValues, name: string, min: number, max: number, fallback: number): number {
  const raw = stringFlag(values, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number of seconds from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
