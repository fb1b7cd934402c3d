import * as fs from 'fs';
import { parseDocument } from 'yaml';
import { parseSetInto, SetSyntaxError } from './strvals';

type Json = { [key: string]: unknown };

/** A problem with the command line or its inputs; the message is shown as it is. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function isMap(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function setKey(map: Json, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Merges values as Helm merges several `-f` files: maps key by key, anything else (lists
 * included) replaced by the later file. A `null` is kept: it removes the key (and its default)
 * when the chart's defaults are applied.
 */
export function mergeValues(base: Json, over: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(base)) setKey(out, key, value);
  for (const [key, value] of Object.entries(over)) {
    const current = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    setKey(out, key, isMap(value) && isMap(current) ? mergeValues(current, value) : value);
  }
  return out;
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Parses a values file as Helm reads it: YAML 1.1 (`yes`, `on` are booleans, `0755` octal), one
 * document whose top level is a map (or empty). Dates and `1:20` stay strings. Error messages
 * never quote the file's content, which may hold the token.
 */
export function parseValues(text: string, source: string): Json {
  const doc = parseDocument(text, {
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t === 'object' && t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
  });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
    throw new UsageError(`values file ${source}: unreadable YAML${where}: ${reason}`);
  }
  let values: unknown;
  try {
    values = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError(`values file ${source}: unreadable YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (values === null || values === undefined) return {};
  if (!isMap(values)) {
    throw new UsageError(`values file ${source}: got ${Array.isArray(values) ? 'a list' : `a ${typeof values}`} at the top level; expected a map of values`);
  }
  return values;
}

/** Reads a values file (`-` for standard input). */
export function readValuesFile(file: string): Json {
  const source = file === '-' ? 'standard input (-)' : file;
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`values file ${source}: cannot read it: ${FS_ERRORS[code] ?? (e as Error).message}`);
  }
  return parseValues(text, source);
}

export interface ValuesSources {
  /** Values files, in order (`-` is standard input). */
  readonly files: string[];
  /** `--set` arguments, in order. */
  readonly set: string[];
  /** `--set-string` arguments, in order. */
  readonly setString: string[];
}

/**
 * The user's values, in Helm's order: the files in order, then every `--set`, then every
 * `--set-string`.
 */
export function collectValues(sources: ValuesSources): Json {
  if (sources.files.filter((f) => f === '-').length > 1) throw new UsageError('-f -: standard input can be read only once');
  let values: Json = {};
  for (const file of sources.files) values = mergeValues(values, readValuesFile(file));
  const apply = (option: string, expressions: string[], stringsOnly: boolean) => {
    for (const expression of expressions) {
      try {
        parseSetInto(expression, values, stringsOnly);
      } catch (e) {
        if (!(e instanceof SetSyntaxError)) throw e;
        // The expression may hold the token: show it only when it cannot.
        const shown = /token/i.test(expression) ? '' : ` ${JSON.stringify(expression)}`;
        const message = shown ? e.message : e.message.replace(/"[^"]*"/g, '"(redacted)"');
        throw new UsageError(`${option}${shown}: ${message}`);
      }
    }
  };
  apply('--set', sources.set, false);
  apply('--set-string', sources.setString, true);
  return values;
}
