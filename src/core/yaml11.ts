// Would a YAML 1.1 reader take this string, written as a plain (unquoted) scalar, for something
// other than a string?
//
// kubectl reads manifests with sigs.k8s.io/yaml, which is go-yaml v2: a plain scalar is a
// boolean, a null, an integer, a float, a timestamp or the merge key when go-yaml v2's `resolve`
// says so. This is that function, for strings: go-yaml v2 (resolve.go) looks the text up in a
// table of booleans, nulls and special floats, then, for text starting with a digit or a sign,
// tries a timestamp, Go's `strconv.ParseInt(text without underscores, 0, 64)`, `ParseUint`, its
// float pattern and `0b` binary. Such strings must be quoted in a manifest, or `"0o022"` would
// reach the API server as the number 18 and `"2024-1-2"` as `2024-01-02T00:00:00Z`.

/** go-yaml v2's float pattern (yamlStyleFloat). */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** What go-yaml v2 resolves a plain scalar to. */
export type Yaml11Type = 'str' | 'bool' | 'null' | 'int' | 'float' | 'timestamp' | 'merge';

/**
 * The type go-yaml v2 (kubectl, Helm: sigs.k8s.io/yaml) gives this text as a plain scalar.
 * @param text the scalar's text
 */
export function yaml11TypeOf(text: string): Yaml11Type {
  return resolve(text).type;
}

/**
 * The value go-yaml v2 decodes this plain scalar to (what Helm's values hold): a boolean, null, a
 * number (integers beyond 2^53 approximated, as Helm's JSON step does), or the text itself (also
 * for timestamps and `<<`, which go-yaml v2 keeps as strings when decoding into interface{}).
 * @param text the scalar's text
 */
export function resolveYaml11(text: string): string | number | boolean | null {
  return resolve(text).value;
}

/**
 * Whether go-yaml v2 (kubectl, sigs.k8s.io/yaml), reading this string as a plain scalar, would
 * take it for something other than a string: a boolean (`yes`, `Off`, `y`...), a null (`~`,
 * `null`), a number (`0o022`, `0X1F`, `0b101`, `1_000`, `1e3`, `08`, `.5`), a timestamp
 * (`2024-1-2`, a date for YAML 1.1 readers) or the merge key `<<`. Such strings must be quoted
 * when written as YAML for kubectl.
 * @param text the string
 */
export function isAmbiguousYaml11(text: string): boolean {
  return resolve(text).type !== 'str';
}

interface Resolved {
  readonly type: Yaml11Type;
  readonly value: string | number | boolean | null;
}

const BOOLEANS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((t) => [t, true] as [string, boolean]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((t) => [t, false] as [string, boolean]),
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map((t) => [t, NaN] as [string, number]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((t) => [t, Infinity] as [string, number]),
  ...['-.inf', '-.Inf', '-.INF'].map((t) => [t, -Infinity] as [string, number]),
]);

/** go-yaml v2's resolve (resolve.go) for a plain scalar. */
function resolve(text: string): Resolved {
  const bool = BOOLEANS.get(text);
  if (bool !== undefined) return { type: 'bool', value: bool };
  if (NULLS.has(text)) return { type: 'null', value: null };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { type: 'float', value: special };
  if (text === '<<') return { type: 'merge', value: text };
  const str: Resolved = { type: 'str', value: text };
  const first = text.charCodeAt(0);
  if (first === 0x2e /* . */) return parsesAsGoFloat(text) ? { type: 'float', value: Number(text.replace(/_/g, '')) } : str;
  const digit = first >= 0x30 && first <= 0x39;
  if (!digit && first !== 0x2b /* + */ && first !== 0x2d /* - */) return str;
  if (digit && isGoTimestamp(text)) return { type: 'timestamp', value: text };
  const plain = text.replace(/_/g, '');
  const int = goInt(plain);
  if (int !== undefined) return { type: 'int', value: Number(int) };
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return { type: 'float', value: Number(plain) };
  // go-yaml v2's own binary forms, after Go's: 0b with a sign after the prefix.
  const binary = /^0b([-+]?)([01]+)$/.exec(plain) ?? /^-0b()([01]+)$/.exec(plain);
  if (binary) {
    const magnitude = BigInt(`0b${binary[2]}`);
    const negative = binary[1] === '-' || plain.startsWith('-');
    const max = negative ? INT64_MAX + 1n : binary[1] === '+' ? INT64_MAX : UINT64_MAX;
    if (magnitude <= max) return { type: 'int', value: Number(negative ? -magnitude : magnitude) };
  }
  return str;
}

/**
 * Go's `strconv.ParseInt(s, 0, 64)`, else `ParseUint(s, 0, 64)` (s has no underscores): an
 * optional sign, then 0x/0X hex, 0b/0B binary, 0o/0O or a leading 0 octal, or decimal.
 * @returns the value, or undefined when both fail
 */
function goInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, digits] = m;
  const prefixed = /^0[xXbBoO]/.test(digits);
  const magnitude = BigInt(prefixed ? `0${digits[1].toLowerCase()}${digits.slice(2)}` : digits.length > 1 && digits[0] === '0' ? `0o${digits.slice(1)}` : digits);
  if (sign === '-') return magnitude <= INT64_MAX + 1n ? -magnitude : undefined;
  if (sign === '+') return magnitude <= INT64_MAX ? magnitude : undefined;
  return magnitude <= UINT64_MAX ? magnitude : undefined;
}

/** Go's `strconv.ParseFloat(s, 64)` succeeds, for text starting with a dot. */
function parsesAsGoFloat(s: string): boolean {
  // A dot, digits (underscores between digits), an optional exponent.
  if (!/^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/.test(s)) return false;
  return Number.isFinite(Number(s.replace(/_/g, '')));
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * go-yaml v2's parseTimestamp: four digits and a dash, then one of Go's layouts
 * `2006-1-2T15:4:5.999999999Z07:00` (also with a lower-case t), `2006-1-2 15:4:5.999999999` or
 * `2006-1-2`, with Go's range checks.
 */
function isGoTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(Z|[-+]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, sec, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day < 1 || day > (month === 2 && leap ? 29 : DAYS[month - 1])) return false;
  if (sep === undefined) return true;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  // The layout with a space has no zone; the T layouts need one.
  if (sep === ' ') return zone === undefined;
  if (zone === undefined) return false;
  if (zone === 'Z') return true;
  return Number(zone.slice(1, 3)) <= 24 && Number(zone.slice(4, 6)) <= 60;
}
