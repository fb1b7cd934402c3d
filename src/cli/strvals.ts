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

export class SetSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetSyntaxError';
  }
}

type Json = { [key: string]: unknown };

/** Helm's limits: list indexes up to 65536 and 30 levels of nested names. */
const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

interface Scan {
  readonly text: string;
  /** Whether the scan stopped at the end of the input (no stop character). */
  readonly eof: boolean;
  /** The stop character found. */
  readonly last?: string;
}

function isMap(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets a key without ever touching the prototype (a key may be `__proto__`). */
function setKey(map: Json, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function getKey(map: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

class Parser {
  private readonly chars: string[];
  private pos = 0;

  constructor(input: string, private readonly stringsOnly: boolean) {
    this.chars = Array.from(input);
  }

  public parse(data: Json): void {
    while (this.pos < this.chars.length) this.key(data, 0);
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

  private key(data: Json, level: number): void {
    const { text: k, eof, last } = this.until('=[,.');
    if (eof) {
      if (k === '') return;
      throw new SetSyntaxError(`key "${k}" has no value`);
    }
    switch (last) {
      case '[': {
        const index = this.index();
        const existing = getKey(data, k);
        if (existing !== undefined && existing !== null && !Array.isArray(existing)) {
          throw new SetSyntaxError(`key "${k}" is ${describeKind(existing)}, not a list`);
        }
        setKey(data, k, this.listItem(Array.isArray(existing) ? existing : [], index, level));
        return;
      }
      case '=':
        setKey(data, k, this.value());
        return;
      case ',':
        throw new SetSyntaxError(`key "${k}" has no value (cannot end with ,)`);
      default: { // '.'
        if (k === '') throw new SetSyntaxError('a key is empty (two dots in a row, or a leading dot)');
        if (level + 1 > MAX_NESTED_NAME_LEVEL) throw new SetSyntaxError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        const existing = getKey(data, k);
        if (existing !== undefined && existing !== null && !isMap(existing)) {
          throw new SetSyntaxError(`key "${k}" is ${describeKind(existing)}, not a map`);
        }
        const inner: Json = isMap(existing) ? existing : {};
        const before = this.pos;
        this.key(inner, level + 1);
        if (Object.keys(inner).length === 0 && this.pos >= this.chars.length && before === this.pos) {
          throw new SetSyntaxError(`key map "${k}" has no value`);
        }
        setKey(data, k, inner);
      }
    }
  }

  private index(): number {
    const { text, eof } = this.until(']');
    if (eof) throw new SetSyntaxError(`error parsing index: missing ] after [${text}`);
    if (!/^\d+$/.test(text)) throw new SetSyntaxError(`error parsing index: "${text}" is not a whole number`);
    const index = Number(text);
    if (index > MAX_INDEX) throw new SetSyntaxError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
    return index;
  }

  private listItem(list: unknown[], index: number, level: number): unknown[] {
    const { text, eof, last } = this.until('[.=');
    if (text !== '') throw new SetSyntaxError(`unexpected data at end of array index: "${text}"`);
    if (eof) throw new SetSyntaxError(`list item [${index}] has no value`);
    const result = [...list];
    while (result.length <= index) result.push(null);
    switch (last) {
      case '=':
        result[index] = this.value();
        break;
      case '[': {
        const inner = this.index();
        const existing = result[index];
        result[index] = this.listItem(Array.isArray(existing) ? existing : [], inner, level);
        break;
      }
      default: { // '.'
        const existing = result[index];
        const inner: Json = isMap(existing) ? existing : {};
        this.key(inner, level);
        result[index] = inner;
      }
    }
    return result;
  }

  /** A value after `=`: a `{a,b}` list or a scalar up to the next unescaped comma. */
  private value(): unknown {
    if (this.chars[this.pos] === '{') {
      this.pos++;
      const list: unknown[] = [];
      for (;;) {
        const { text, eof, last } = this.until(',}');
        if (eof) throw new SetSyntaxError("list must terminate with '}'");
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

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a map';
  return `a ${typeof value}`;
}

/**
 * Parses one `--set` (or `--set-string`) argument into `data`, over what it holds.
 * @param expression such as `agent.replicaCount=2,task.tolerations[0].key=dedicated`
 * @param data the values to set into (changed in place)
 * @param stringsOnly `--set-string`: every value is a string
 */
export function parseSetInto(expression: string, data: Json, stringsOnly = false): void {
  new Parser(expression, stringsOnly).parse(data);
}
