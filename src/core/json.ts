/** Kubernetes JSON: plain maps, lists, strings, numbers and booleans. */
export type Json = { [key: string]: any };

/** A plain map (not a list, not a class instance). */
export function isPlainObject(value: unknown): value is Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** How a value is named in a message about its shape (never the value itself: it may hold the token). */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return `a ${typeof value}`;
}

/** Whether a map has its own key (never the prototype's: a key may be `__proto__`). */
export function hasKey(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Sets a key without ever touching the prototype (a key may be `__proto__` in a values file). */
export function setKey(map: Json, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of plain maps and lists. */
export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => clone(v)) as unknown as T;
  if (isPlainObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, clone(v));
    return out as T;
  }
  return value;
}

/** Deep merge of plain maps where `over` wins; lists are replaced; undefined values are skipped. */
export function deepMerge(base: Json | undefined, over: Json | undefined): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(base ?? {})) setKey(result, key, value);
  for (const [key, value] of Object.entries(over ?? {})) {
    if (value === undefined) continue;
    const current = hasKey(result, key) ? result[key] : undefined;
    setKey(result, key, isPlainObject(value) && isPlainObject(current) ? deepMerge(current, value) : value);
  }
  return result;
}

/** Drops empty maps, empty lists, null and undefined values at the top level. */
export function compact(obj: Json): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isPlainObject(value) && Object.keys(value).length === 0) continue;
    setKey(result, key, value);
  }
  return result;
}

/** A map's entries in key order (as Helm's `range` renders them). */
export function sortedEntries<T>(map: { [key: string]: T } | undefined): [string, T][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The value at a dotted path of nested maps, or undefined. */
export function lookup(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (!isPlainObject(node) || !hasKey(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** How deep user structures may nest: far beyond any Kubernetes object, short of a stack overflow. */
const MAX_DEPTH = 100;

/**
 * Checks that a user structure is a tree of reasonable depth: a cycle or absurd nesting would
 * otherwise end in a stack overflow while it is copied or rendered.
 */
export function checkTree(path: string, value: unknown, fail: (path: string, text: string) => never): void {
  const ancestors = new Set<object>();
  const walk = (node: unknown, at: string, depth: number) => {
    if (node === null || typeof node !== 'object') return;
    if (ancestors.has(node)) fail(at, 'refers back to a map or list that contains it (a cycle); expected a tree');
    if (depth > MAX_DEPTH) fail(at, `nests more than ${MAX_DEPTH} levels deep; expected a Kubernetes structure`);
    if (!Array.isArray(node) && !isPlainObject(node)) return;
    ancestors.add(node);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}[${i}]`, depth + 1));
    else for (const [key, item] of Object.entries(node)) walk(item, at ? `${at}.${key}` : key, depth + 1);
    ancestors.delete(node);
  };
  walk(value, path, 0);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What cannot be rendered into a manifest, and where. */
export interface Unrenderable {
  readonly path: string;
  readonly problem: string;
}

/**
 * The first thing in a structure that cannot be rendered into a manifest: a map key
 * `constructor` (cdk8s's serializer reads `obj.constructor` and fails), or a string with a lone
 * UTF-16 surrogate (no UTF-8 encoding exists for it).
 */
export function findUnrenderable(value: unknown, path = ''): Unrenderable | undefined {
  if (typeof value === 'string') {
    const match = LONE_SURROGATE.exec(value);
    return match ? { path, problem: `a lone UTF-16 surrogate at character ${match.index}, which has no UTF-8 encoding` } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnrenderable(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key === 'constructor') return { path: at, problem: 'a map key "constructor", which cdk8s cannot render (its serializer fails on it)' };
    const found = findUnrenderable(key, `${at} (the key)`) ?? findUnrenderable(item, at);
    if (found) return found;
  }
  return undefined;
}

/**
 * The first value in a structure that is not plain data (a map, list, string, finite number,
 * boolean or null), with its path and what it is: cdk8s renders nothing else.
 */
export function findNonPlain(value: unknown, path = ''): { path: string; what: string } | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, what: String(value) };
  if (typeof value !== 'object') return { path, what: `a ${typeof value}` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return { path: `${path}[${i}]`, what: 'a hole in a list' };
      const found = findNonPlain(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return { path, what: `a ${(value as object).constructor?.name ?? 'class'} object` };
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const found = findNonPlain(item, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/** The path of the first string or map key that contains `needle`, or undefined. */
export function findText(value: unknown, needle: string, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(needle) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findText(value[i], needle, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes(needle)) return `${at} (the key)`;
    const found = findText(item, needle, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
