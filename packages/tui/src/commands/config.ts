import path from 'node:path';
import { CONFIG_DEFAULTS, HermesConfig } from '@hermes/protocol';
import Conf from 'conf';
import * as z from 'zod';
import { resolveHome } from '../client/discovery.js';

/**
 * `hermes config`: reads and writes HERMES_HOME/config.json, the file the daemon reads at the
 * start of every run. Every write is validated whole against the protocol's `HermesConfig`
 * first; an invalid result leaves the file as it was.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export class ConfigKeyError extends Error {}

/** `approvals.mode` → ['approvals', 'mode']; a dot inside a name is written `\.` (`prices.openai:gpt-4\.1`). */
export function parseKey(key: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    if (ch === '\\' && key[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (ch === '.') {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  if (parts.some((p) => p.length === 0)) throw new ConfigKeyError(`not a valid key: "${key}" (keys look like model or approvals.mode)`);
  if (parts.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype'))
    throw new ConfigKeyError(`not a valid key: "${key}"`);
  return parts;
}

/** A command-line value: JSON when it parses (numbers, booleans, objects, arrays, null), else the string itself. */
export function parseValue(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getAt(obj: JsonObject, parts: string[]): Json | undefined {
  let cur: Json | undefined = obj;
  for (const p of parts) {
    if (!isObject(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** A copy with the value set, creating the objects on the way. */
export function setAt(obj: JsonObject, parts: string[], value: Json): JsonObject {
  const [head, ...rest] = parts;
  const copy: JsonObject = { ...obj };
  if (rest.length === 0) copy[head!] = value;
  else copy[head!] = setAt(isObject(obj[head!]) ? (obj[head!] as JsonObject) : {}, rest, value);
  return copy;
}

/** A copy without the key; objects left empty by it go too. */
export function unsetAt(obj: JsonObject, parts: string[]): JsonObject {
  const [head, ...rest] = parts;
  const copy: JsonObject = { ...obj };
  if (!Object.hasOwn(copy, head!)) return copy;
  if (rest.length === 0) {
    delete copy[head!];
    return copy;
  }
  const child = copy[head!];
  if (!isObject(child)) return copy;
  const next = unsetAt(child, rest);
  if (Object.keys(next).length === 0) delete copy[head!];
  else copy[head!] = next;
  return copy;
}

/** Peels optional/nullable wrappers off a schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s;
}

/**
 * The keys the schema allows where `parts` points, or null when anything goes there (a record,
 * a leaf). Used to say which keys exist when one is unknown.
 */
export function knownKeysAt(parts: string[]): string[] | null {
  let s: z.ZodType = HermesConfig;
  for (const p of parts) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) {
      const shape = s.shape as Record<string, z.ZodType>;
      if (!Object.hasOwn(shape, p)) return Object.keys(shape);
      s = shape[p]!;
    } else if (s instanceof z.ZodRecord) {
      s = s.valueType as z.ZodType;
    } else {
      return null;
    }
  }
  return null;
}

/** The first path prefix of `parts` the schema does not know, with what it knows there. */
export function unknownKey(parts: string[]): { key: string; known: string[] } | null {
  for (let i = 0; i < parts.length; i++) {
    const known = knownKeysAt(parts.slice(0, i + 1));
    if (known && !known.includes(parts[i]!)) return { key: parts.slice(0, i + 1).join('.'), known };
  }
  return null;
}

/** Flattens a config to `key = value` lines, dotted, sorted as written. */
export function flatten(obj: JsonObject, prefix = ''): [string, Json][] {
  const out: [string, Json][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k.replace(/\./g, '\\.');
    if (isObject(v) && Object.keys(v).length > 0) out.push(...flatten(v, `${key}.`));
    else out.push([key, v]);
  }
  return out;
}

const show = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

function store(homeOpt: string | undefined): Conf<JsonObject> {
  const home = resolveHome(homeOpt);
  // Our own dotted paths (with `\.` escapes) and schema: conf only does the file I/O.
  return new Conf<JsonObject>({ cwd: home, configName: 'config', projectName: 'hermes', accessPropertiesByDotNotation: false });
}

function fail(message: string, code: number): number {
  process.stderr.write(`hermes: ${message}\n`);
  return code;
}

/** Opens the store; a broken file or an unusable home is a clear error (exit 1). */
function withStore(homeOpt: string | undefined, body: (conf: Conf<JsonObject>) => number): number {
  let conf: Conf<JsonObject>;
  try {
    conf = store(homeOpt);
  } catch (err) {
    const file = path.join(resolveHome(homeOpt), 'config.json');
    return fail(`cannot read ${file}: ${(err as Error).message}`, 1);
  }
  try {
    return body(conf);
  } catch (err) {
    if (err instanceof ConfigKeyError) return fail(err.message, 2);
    return fail((err as Error).message, 1);
  }
}

function checkKnown(parts: string[]): void {
  const unknown = unknownKey(parts);
  if (unknown) throw new ConfigKeyError(`unknown config key "${unknown.key}"; known here: ${unknown.known.join(', ')}`);
}

/** Validates the whole config that would result; returns the message when it is invalid. */
export function validate(next: JsonObject, key: string): string | null {
  const parsed = HermesConfig.safeParse(next);
  if (parsed.success) return null;
  return `invalid value for ${key}:\n${z.prettifyError(parsed.error)}`;
}

/** The defaults as a config object (for merging and lookups). */
const defaults = (): JsonObject => JSON.parse(JSON.stringify(CONFIG_DEFAULTS)) as JsonObject;

/** `over` laid on `base`, objects merged key by key (arrays and values replace). */
export function mergeOver(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? mergeOver(b, v) : v;
  }
  return out;
}

export async function configGet(homeOpt: string | undefined, key: string, opts: { effective?: boolean } = {}): Promise<number> {
  return withStore(homeOpt, (conf) => {
    const parts = parseKey(key);
    checkKnown(parts);
    const set = getAt(conf.store, parts);
    const value = set ?? (opts.effective ? getAt(mergeOver(defaults(), conf.store), parts) : undefined);
    if (value === undefined) {
      const hint = opts.effective ? ' and has no default' : ' (its default, if any: hermes config get --effective ' + key + ')';
      return fail(`${key} is not set${hint}`, 1);
    }
    process.stdout.write(`${show(value)}\n`);
    if (set === undefined) process.stderr.write('(default)\n');
    return 0;
  });
}

export async function configSet(homeOpt: string | undefined, key: string, raw: string): Promise<number> {
  return withStore(homeOpt, (conf) => {
    const parts = parseKey(key);
    checkKnown(parts);
    const next = setAt(conf.store, parts, parseValue(raw));
    const problem = validate(next, key);
    if (problem) return fail(problem, 2);
    conf.store = next;
    process.stderr.write(`${key} = ${JSON.stringify(getAt(next, parts))}\n`);
    return 0;
  });
}

export async function configUnset(homeOpt: string | undefined, key: string): Promise<number> {
  return withStore(homeOpt, (conf) => {
    const parts = parseKey(key);
    checkKnown(parts);
    const current = conf.store;
    if (getAt(current, parts) === undefined) {
      process.stderr.write(`${key} was not set\n`);
      return 0;
    }
    const next = unsetAt(current, parts);
    const problem = validate(next, key);
    if (problem) return fail(problem, 2);
    conf.store = next;
    process.stderr.write(`unset ${key}\n`);
    return 0;
  });
}

export async function configPath(homeOpt: string | undefined): Promise<number> {
  process.stdout.write(`${path.join(resolveHome(homeOpt), 'config.json')}\n`);
  return 0;
}

export async function configList(homeOpt: string | undefined, opts: { json?: boolean; defaults?: boolean }): Promise<number> {
  return withStore(homeOpt, (conf) => {
    const all = conf.store;
    const shown = opts.defaults ? mergeOver(defaults(), all) : all;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }
    const lines = flatten(shown);
    if (lines.length === 0) {
      process.stderr.write(
        `no settings yet in ${conf.path} (try: hermes config set model openai:gpt-4.1; defaults: hermes config list --defaults)\n`,
      );
      return 0;
    }
    // With --defaults, what the file does not set is marked: the value in effect is the default.
    const setKeys = new Set(flatten(all).map(([k]) => k));
    const mark = (k: string) => (opts.defaults && !setKeys.has(k) ? '  (default)' : '');
    process.stdout.write(lines.map(([k, v]) => `${k} = ${JSON.stringify(v)}${mark(k)}`).join('\n') + '\n');
    const problem = HermesConfig.safeParse(all);
    if (!problem.success) process.stderr.write(`hermes: warning: ${conf.path} is invalid:\n${z.prettifyError(problem.error)}\n`);
    return 0;
  });
}
