/**
 * Helm's `--set` syntax (its pkg/strvals parser), for `--set` and `--set-string`:
 *
 * - `a.b=c` sets a nested key; `a=1,b=2` sets several; `a[0].b=c` and `a[0]=c` set list items
 *   (missing items before the index become null);
 * - `a={x,y}` sets a list;
 * - a backslash escapes the next character: `a\.b=c` is the key `a.b`, `a=x\,y` the value `x,y`;
 * - with `--set`, `true` and `false` (any case) are booleans, `null` is null (which removes the key
 *   with its default), whole numbers without a leading zero are numbers, and anything else is a
 *   string; with `--set-string` every value is a string.
 *
 * The parsed values are merged into the given map, over what the values files set.
 */
import { Json, hasKey, isPlainObject, kindOf, setKey } from '../core/json';

export class SetSyntaxError extends Error {
  /**
   * @param reason what is wrong, without any of the expression's text
   * @param position the 1-based character position in the argument where it is
   * @param path the key path being set (`task.tolerations[0].key`), '' when there is none
   * @param afterSecret whether a secret-bearing key was set before it in the same argument (a
   *   comma in a secret splits it: what follows may be part of the secret, so the key is not shown)
   */
  constructor(
    public readonly reason: string,
    public readonly position: number,
    public readonly path: string,
    public readonly afterSecret: boolean,
  ) {
    super(reason);
    this.name = 'SetSyntaxError';
  }
}

/** Helm's limits: list indexes up to 65536 and 30 levels of nested names. */
const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;
/** Lists in lists (`a[0][0]...`): Helm has no limit; a deep one would overflow the stack. */
const MAX_LIST_NESTING = 200;

interface Scan {
  readonly text: string;
  /** Whether the scan stopped at the end of the input (no stop character). */
  readonly eof: boolean;
  /** The stop character found. */
  readonly last?: string;
}

/** Whether a map has no key (only asked on an error path: it lists the keys). */
function isEmpty(map: Json): boolean {
  return Object.keys(map).length === 0;
}

const joinPath = (prefix: string, key: string) => (prefix === '' ? key : `${prefix}.${key}`);

/**
 * Helm's strvals parser. Each step is linear in what it reads: maps and lists are changed in
 * place (as Helm's), so that 10,000 --set arguments into one map take linear time.
 */
class Parser {
  private readonly chars: string[];
  private pos = 0;
  private secretSet = false;

  constructor(input: string, private readonly stringsOnly: boolean, private readonly isSecretPath: (path: string) => boolean) {
    this.chars = Array.from(input);
  }

  public parse(data: Json): void {
    while (this.pos < this.chars.length) this.key(data, 0, '');
  }

  private fail(reason: string, position: number, path: string): never {
    throw new SetSyntaxError(reason, position + 1, path, this.secretSet);
  }

  /** Reads up to one of `stop` (consumed), with backslash escapes. */
  private until(stop: string): Scan {
    let text = '';
    while (this.pos < this.chars.length) {
      const c = this.chars[this.pos++];
      if (stop.includes(c)) return { text, eof: false, last: c };
      if (c === '\\') {
        if (this.pos >= this.chars.length) return { text, eof: true };
        text += this.chars[this.pos++];
        continue;
      }
      text += c;
    }
    return { text, eof: true };
  }

  /** Sets a value at a path; remembers when the path holds a secret. */
  private assigned(path: string): void {
    if (this.isSecretPath(path)) this.secretSet = true;
  }

  /** Parses `key...` into data. @returns whether anything was set */
  private key(data: Json, level: number, prefix: string): boolean {
    const start = this.pos;
    const { text: k, eof, last } = this.until('=[,.');
    const path = joinPath(prefix, k);
    if (eof) {
      if (k === '') return false;
      this.fail('no value; expected KEY=VALUE', start, path);
    }
    switch (last) {
      case '[': {
        const bracket = this.pos - 1;
        const index = this.index(path);
        const existing = (hasKey(data, k) ? data[k] : undefined);
        if (existing !== undefined && existing !== null && !Array.isArray(existing)) {
          this.fail(`the key holds ${kindOf(existing)}, not a list`, bracket, path);
        }
        const list = Array.isArray(existing) ? existing : [];
        this.listItem(list, index, level, `${path}[${index}]`, 1);
        setKey(data, k, list);
        return true;
      }
      case '=':
        setKey(data, k, this.value(path));
        this.assigned(path);
        return true;
      case ',':
        return this.fail('no value (a comma ends it); expected KEY=VALUE, with \\, for a comma inside a value', start, path);
      default: { // '.'
        if (k === '') this.fail('an empty key (two dots in a row, or a leading dot)', start, prefix);
        if (level + 1 > MAX_NESTED_NAME_LEVEL) this.fail(`keys nested deeper than ${MAX_NESTED_NAME_LEVEL} levels (helm's limit)`, start, path);
        const existing = (hasKey(data, k) ? data[k] : undefined);
        if (existing !== undefined && existing !== null && !isPlainObject(existing)) {
          this.fail(`the key holds ${kindOf(existing)}, not a map`, start, path);
        }
        const inner: Json = isPlainObject(existing) ? existing : {};
        const set = this.key(inner, level + 1, path);
        if (!set && isEmpty(inner)) this.fail('no value; expected KEY=VALUE', start, path);
        setKey(data, k, inner);
        return true;
      }
    }
  }

  private index(path: string): number {
    const start = this.pos - 1;
    const { text, eof } = this.until(']');
    if (eof) this.fail('a list index without its closing ]', start, path);
    if (!/^\d+$/.test(text)) this.fail('a list index that is not a whole number', start, path);
    const index = Number(text);
    if (index > MAX_INDEX) this.fail(`a list index greater than the maximum supported index of ${MAX_INDEX}`, start, path);
    return index;
  }

  /** Sets item `index` of `list` (in place, nulls before it as needed) from what follows `]`. */
  private listItem(list: unknown[], index: number, level: number, path: string, nesting: number): void {
    const start = this.pos;
    if (nesting > MAX_LIST_NESTING) this.fail(`lists nested deeper than ${MAX_LIST_NESTING} levels`, start, path);
    const { text, eof, last } = this.until('[.=');
    if (text !== '') this.fail('unexpected characters after ]', start, path);
    if (eof) this.fail('no value; expected KEY=VALUE', start, path);
    while (list.length <= index) list.push(null);
    switch (last) {
      case '=':
        list[index] = this.value(path);
        this.assigned(path);
        break;
      case '[': {
        const inner = this.index(path);
        const existing = list[index];
        const innerList = Array.isArray(existing) ? existing : [];
        this.listItem(innerList, inner, level, `${path}[${inner}]`, nesting + 1);
        list[index] = innerList;
        break;
      }
      default: { // '.'
        const existing = list[index];
        const inner: Json = isPlainObject(existing) ? existing : {};
        this.key(inner, level, path);
        list[index] = inner;
      }
    }
  }

  /** A value after `=`: a `{a,b}` list or a scalar up to the next unescaped comma. */
  private value(path: string): unknown {
    if (this.chars[this.pos] === '{') {
      const start = this.pos;
      this.pos++;
      const list: unknown[] = [];
      for (;;) {
        const { text, eof, last } = this.until(',}');
        if (eof) this.fail("a list value ({...}) without its closing '}'", start, path);
        list.push(this.typed(text));
        if (last === '}') {
          if (this.chars[this.pos] === ',') this.pos++;
          return list;
        }
      }
    }
    return this.typed(this.until(',').text);
  }

  private typed(text: string): unknown {
    if (this.stringsOnly) return text;
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (text === '0') return 0;
    // Whole numbers without a leading zero that fit Helm's int64 (safe integers here).
    if (/^[-+]?[1-9]\d*$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
    return text;
  }
}

/**
 * Parses one `--set` (or `--set-string`) argument into `data`, over what it holds.
 * @param expression such as `agent.replicaCount=2,task.tolerations[0].key=dedicated`
 * @param data the values to set into (changed in place)
 * @param stringsOnly `--set-string`: every value is a string
 * @param isSecretPath which key paths hold secrets (a syntax error after one does not name its key)
 */
export function parseSetInto(expression: string, data: Json, stringsOnly = false, isSecretPath: (path: string) => boolean = () => false): void {
  new Parser(expression, stringsOnly, isSecretPath).parse(data);
}
