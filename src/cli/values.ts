import { UsageError } from './errors';
import { isStdin, MAX_VALUES_BYTES, readSource, sourceName } from './read-input';
import { parseSetInto, SetSyntaxError } from './strvals';
import { decodeUtf8, parseValuesText } from './yaml-in';
import { mergeValues } from '../helm/merge';
import { isSecretPath, registerValueSecrets } from '../helm/secrets';

export { UsageError, MAX_VALUES_BYTES };

type Json = { [key: string]: unknown };

export { mergeValues };

/**
 * Parses a values file as Helm reads it: YAML 1.1 (`yes`, `on` are booleans, `0755` octal), one
 * document whose top level is a map (or empty). Dates and `1:20` stay strings. Error messages
 * never quote the file's content, which may hold the token.
 */
export function parseValues(text: string, source: string): Json {
  return parseValuesText(text, source);
}

/** Reads a values file (`-` or /dev/stdin for standard input), at most MAX_VALUES_BYTES. */
export function readValuesFile(file: string): Json {
  const source = sourceName(file);
  return parseValuesText(decodeUtf8(readSource(file), source), source);
}

export interface ValuesSources {
  /** Values files, in order (`-` is standard input). */
  readonly files: string[];
  /** `--set` arguments, in order. */
  readonly set: string[];
  /** `--set-string` arguments, in order. */
  readonly setString: string[];
}

/** A --set syntax error as one line: the option, the argument's number, where, never the text. */
function setError(option: string, number: number, e: SetSyntaxError): UsageError {
  const shown = e.path.length > 80 ? `${e.path.slice(0, 77)}...` : e.path;
  let key = '';
  if (e.afterSecret) key = ' (key not shown: it follows the value of a secret, which may hold an unescaped comma)';
  else if (shown !== '') key = ` (key ${JSON.stringify(shown)})`;
  return new UsageError(`${option} #${number} at character ${e.position}${key}: ${e.reason}`);
}

/**
 * The user's values, in Helm's order: the files in order, then every `--set`, then every
 * `--set-string`. Secret values (SECRET_PATHS) are registered as soon as each source is read.
 */
export function collectValues(sources: ValuesSources): Json {
  if (sources.files.filter(isStdin).length > 1) throw new UsageError('-f -: standard input can be read only once');
  let values: Json = {};
  for (const file of sources.files) {
    const read = readValuesFile(file);
    registerValueSecrets(read);
    values = mergeValues(values, read);
  }
  const apply = (option: string, expressions: string[], stringsOnly: boolean) => {
    expressions.forEach((expression, i) => {
      try {
        parseSetInto(expression, values, stringsOnly, isSecretPath);
      } catch (e) {
        if (!(e instanceof SetSyntaxError)) throw e;
        throw setError(option, i + 1, e);
      } finally {
        // Also what was set before a syntax error.
        registerValueSecrets(values);
      }
    });
  };
  apply('--set', sources.set, false);
  apply('--set-string', sources.setString, true);
  return values;
}
