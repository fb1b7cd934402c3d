import { Json, clone, hasKey, isPlainObject, setKey } from '../core/json';

// Helm's rules for combining values, shared by fromHelmValues and the command.

/**
 * Merges values as Helm merges several `-f` files: maps key by key, anything else (lists
 * included) replaced by the later source. A `null` is kept: it removes the key (and its default)
 * when the chart's defaults are applied. `base` is changed in place and returned, so that many
 * sources merge in time linear in their size.
 */
export function mergeValues(base: Json, over: Json): Json {
  for (const key of Object.keys(over)) {
    const value = over[key];
    const current = hasKey(base, key) ? base[key] : undefined;
    if (isPlainObject(value) && isPlainObject(current)) mergeValues(current, value);
    else setKey(base, key, value);
  }
  return base;
}

/** A copy where `null` map entries are gone (Kubernetes and Helm treat them as absent). */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => dropNulls(v));
  if (isPlainObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) setKey(out, k, dropNulls(v));
    return out;
  }
  return value;
}

/**
 * Helm's coalescing of the user's values over the chart's: maps are merged key by key, anything
 * else (lists included) replaces the default, and `null` removes the key with its default.
 */
export function coalesce(defaults: unknown, user: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(user)) return dropNulls(user);
  const out = clone(defaults) as Json;
  for (const [key, value] of Object.entries(user)) {
    if (value === null || value === undefined) {
      delete out[key];
      continue;
    }
    setKey(out, key, hasKey(defaults, key) ? coalesce(defaults[key], value) : dropNulls(value));
  }
  return out;
}
