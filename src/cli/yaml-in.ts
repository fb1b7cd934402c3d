// Reading a values file as Helm does (YAML 1.1: `yes` and `on` are booleans, `0755` is octal),
// in time linear in its size, and with messages that never quote its content (it may hold the
// token): every problem is named by the file, a line and a column.
import { Alias, Composer, Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Node, Parser, Scalar, YAMLError, YAMLParseError } from 'yaml';
import { UsageError } from './errors';
import { Json, clone, hasKey, isPlainObject, setKey } from '../core/json';
import { resolveYaml11 } from '../core/yaml11';

/** How deep maps and lists may nest in a values file. */
export const MAX_DEPTH = 200;

/**
 * How many YAML tokens (keys, values, indicators, line breaks: a `key: value` line is about 8) a
 * values file may hold. The yaml package takes about 5 µs and 500 bytes per token: a file of
 * 8 MiB of `- x` lines would take a minute and gigabytes; this keeps every file within seconds.
 */
export const MAX_TOKENS = 1_000_000;

/** How many values aliases (`*name`) and merge keys (`<<`) may repeat in one values file, in all. */
export const MAX_ALIASED_VALUES = 1_000_000;

/** YAML 1.1 tags that values files do not use: Helm has no use for them (and JSON no form). */
const DROPPED_TAGS = ['binary', 'omap', 'pairs', 'set', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`);

const STANDARD_TAG = /^tag:yaml\.org,2002:([a-z]+)$/;

/**
 * The UTF-8 text of a values file; a BOM is dropped. Invalid UTF-8 is an error that names the
 * byte offset and line of the first bad byte (Helm refuses such files too).
 */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    throw new UsageError(`values file ${source}: not valid UTF-8 at byte ${offset} (line ${line}); save the file as UTF-8`);
  }
}

/** The offset of the first byte that is not part of a valid UTF-8 sequence. */
/* eslint-disable no-bitwise */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
/* eslint-enable no-bitwise */

/** A yaml error as words without the source text: its code's meaning, or its message's fixed part. */
function describeYamlError(error: YAMLError): string {
  const first = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
  switch (error.code) {
    case 'BAD_DQ_ESCAPE': return 'invalid escape sequence in a double-quoted string';
    case 'BAD_DIRECTIVE': return 'unknown or invalid directive (a line starting with %)';
    case 'MULTIPLE_DOCS': return 'Source contains multiple documents (a values file is one YAML document)';
    case 'DUPLICATE_KEY': return 'a key appears twice in one map';
    case 'RESOURCE_EXHAUSTION': return `nested too deeply (at most ${MAX_DEPTH} levels)`;
    case 'TAG_RESOLVE_FAILED': return 'a tag that cannot be used here';
    case 'BAD_SCALAR_START': return first.replace(/ with .*$/, ' with this character');
    default:
      // Messages that quote the source: only their fixed part.
      return first
        .replace(/:.*$/, '')
        .replace(/^Unexpected (.+?) (in|at|token)\b/, (m, what: string, rest: string) => (/^[a-z-]+$/.test(what) ? m : `Unexpected characters ${rest}`))
        .replace(/^The .* tag has no suffix$/, 'A tag has no suffix')
        .replace(/^Verbatim tags aren't resolved.*$/, 'An invalid verbatim tag')
        .replace(/^(Unknown directive|Unsupported YAML version|Invalid escape sequence|Unresolved plain scalar) .*$/, '$1');
  }
}

/**
 * The yaml package's parseDocument, with bounded work: at most MAX_TOKENS tokens and MAX_DEPTH
 * levels of nesting, checked token by token before the yaml package builds anything of them.
 */
function parseBounded(text: string, lineCounter: LineCounter, fail: (problem: string, offset: number) => never): Document.Parsed {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({
    version: '1.1',
    uniqueKeys: false,
    customTags: (tags) => tags.filter((t) => typeof t === 'object' && !DROPPED_TAGS.includes(t.tag) && t.format !== 'TIME'),
  });
  function* tokens() {
    lineCounter.addNewLine(0);
    let count = 0;
    for (const lexeme of new Lexer().lex(text)) {
      if (++count > MAX_TOKENS) fail(`more than ${MAX_TOKENS} YAML tokens, the limit for one values file (about 100,000 lines of keys and values); the limit is reached`, parser.offset);
      yield* parser.next(lexeme);
      // +2: the document and its top-level map.
      if (parser.stack.length > MAX_DEPTH + 2) fail(`nested deeper than ${MAX_DEPTH} levels`, parser.offset);
    }
    yield* parser.end();
  }
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens(), true, text.length)) {
    if (!doc) {
      doc = next;
    } else {
      doc.errors.push(new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  return doc!;
}

class Converter {
  /** The values each anchor stands for, and how many values that is (the latest definition wins, as in YAML). */
  private readonly anchors = new Map<string, { value: unknown; size: number }>();
  /** Values produced so far, aliases counted as the values they repeat. */
  private count = 0;
  private aliased = 0;

  constructor(private readonly where: (node: Node | Alias | undefined) => string, private readonly fail: (text: string) => never) {}

  public value(node: unknown, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels ${this.where(node as Node)}`);
    if (node === null || node === undefined) {
      this.count++;
      return null;
    }
    if (isAlias(node)) return this.alias(node);
    const before = this.count;
    let value: unknown;
    if (isScalar(node)) {
      value = this.scalar(node);
      this.count++;
    } else if (isMap(node)) {
      value = this.map(node, depth);
    } else if (isSeq(node)) {
      this.count++;
      value = node.items.map((item) => this.value(item, depth + 1));
    } else {
      this.fail(`unsupported YAML ${this.where(node as Node)}`);
    }
    const anchor = (node as Node).anchor;
    if (anchor) this.anchors.set(anchor, { value, size: this.count - before });
    return value;
  }

  private scalar(node: Scalar): unknown {
    // A plain scalar without a tag: what go-yaml v2 (Helm) makes of its text, not the yaml
    // package's YAML 1.1 schema (which differs on 0o17, 0X1F, "." and others).
    if (node.type === Scalar.PLAIN && !node.tag && typeof node.source === 'string') return resolveYaml11(node.source);
    const v = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
    return this.fail(`unsupported value ${this.where(node)}`);
  }

  private alias(node: Alias): unknown {
    const target = this.anchors.get(node.source);
    if (!target) this.fail(`an alias ${this.where(node)} refers to an anchor that is not defined before it`);
    this.aliased += target.size;
    if (this.aliased > MAX_ALIASED_VALUES) {
      this.fail(`aliases repeat more than ${MAX_ALIASED_VALUES} values in all (the limit is reached ${this.where(node)})`);
    }
    this.count += target.size;
    return clone(target.value);
  }

  private key(node: unknown): string | typeof MERGE {
    if (isScalar(node)) {
      if (typeof node.value === 'symbol') return MERGE;
      const v = this.scalar(node);
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      this.fail(`a key ${this.where(node)} is null; keys are strings`);
    }
    if (isAlias(node)) {
      const value = this.alias(node);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    }
    return this.fail(`a key ${this.where(node as Node)} is a map or a list; keys are strings`);
  }

  private map(node: import('yaml').YAMLMap, depth: number): Json {
    this.count++;
    const out: Json = {};
    const merges: unknown[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = this.key(pair.key);
      if (key === MERGE) {
        merges.push(pair.value);
        continue;
      }
      if (hasKey(out, key)) {
        this.fail(`duplicate key ${this.where(pair.key as Node)} (a key appears twice in one map)`);
      }
      setKey(out, key, this.value(pair.value, depth + 1));
    }
    // Merge keys (`<<: *base`): keys of the map win, then earlier merged maps over later ones.
    for (const merge of merges) {
      const sources = isSeq(merge) ? merge.items : [merge];
      for (const source of sources) {
        const value = this.value(source, depth + 1);
        if (!isPlainObject(value)) this.fail(`a merge key (<<) ${this.where(source as Node)} merges something that is not a map`);
        for (const k of Object.keys(value)) if (!hasKey(out, k)) setKey(out, k, value[k]);
      }
    }
    return out;
  }
}

const MERGE = Symbol('merge');

/**
 * Parses a values file as Helm reads it: YAML 1.1 (`yes`, `on` are booleans, `0755` octal), one
 * document whose top level is a map (or empty). Dates and `1:20` stay strings. A key twice in one
 * map, a tag other than the standard !!str, !!int, !!float, !!bool, !!null, !!map, !!seq and
 * !!merge, an alias to an undefined anchor, and keys that are maps or lists are errors. Error
 * messages never quote the file's content, which may hold the token.
 */
export function parseValuesText(text: string, source: string): Json {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return '';
    const { line, col } = lineCounter.linePos(offset);
    return line > 0 ? ` at line ${line}, column ${col}` : '';
  };
  const doc = parseBounded(text, lineCounter, (problem, offset) => {
    throw new UsageError(`values file ${source}: ${problem}${at(offset)}`);
  });
  const error = doc.errors[0];
  if (error) {
    throw new UsageError(`values file ${source}: unreadable YAML${at(error.pos?.[0])}: ${describeYamlError(error)}`);
  }
  const warning = doc.warnings[0];
  if (warning) {
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      const tag = STANDARD_TAG.exec(/^Unresolved tag: (\S+)/.exec(warning.message)?.[1] ?? '')?.[1];
      const named = tag ? `the tag !!${tag}` : 'a custom tag';
      throw new UsageError(`values file ${source}: unsupported YAML${at(warning.pos?.[0])}: ${named} `
        + '(values are plain maps, lists, strings, numbers, booleans and nulls)');
    }
    throw new UsageError(`values file ${source}: unsupported YAML${at(warning.pos?.[0])}: ${describeYamlError(warning)}`);
  }
  const fail = (text2: string): never => {
    throw new UsageError(`values file ${source}: ${text2}`);
  };
  const where = (node: Node | Alias | undefined) => at(node?.range?.[0]).trim();
  const values = new Converter(where, fail).value(doc.contents, 0);
  if (values === null || values === undefined) return {};
  if (!isPlainObject(values)) {
    throw new UsageError(`values file ${source}: got ${Array.isArray(values) ? 'a list' : `a ${typeof values}`} at the top level; expected a map of values`);
  }
  return values;
}
