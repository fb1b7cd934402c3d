import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { describe, invalid, problem } from '../core/errors';
import { Json, clone, compact, hasKey, isPlainObject, kindOf, lookup, setKey } from '../core/json';
import { IMAGE_PULL_POLICIES, INT32_MAX } from '../core/k8s-enums';
import { parseCpu, parseSize } from '../core/quantity';
import { markRawJson } from '../internal/pod';
import { ImageOptions } from '../options/common';
import { VersionProfile } from '../versions/profile';

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || value === false
    || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);
}

/** Throws: `null` removed a default the library cannot leave out. */
function removedDefault(path: string, fallback: unknown): never {
  return problem(path, `got null; expected a value: null removes the chart's default (${describe(fallback)}), `
    + 'which the library cannot leave out; give another value instead');
}

/** Reads the coalesced values of one chart version, with the type each key needs. */
export class Values {
  constructor(private readonly values: Json, private readonly profile: VersionProfile) {}

  /** Whether the chart version has this key (its values.yaml names it). */
  public has(path: string): boolean {
    return lookup(this.profile.values, path) !== undefined;
  }

  /** The value at `path`; a key removed with `null` whose default the library cannot leave out fails. */
  public get(path: string): unknown {
    const value = lookup(this.values, path);
    if (value !== undefined) return value;
    const fallback = lookup(this.profile.values, path);
    if (!isEmpty(fallback)) removedDefault(path, fallback);
    return clone(fallback);
  }

  /** The value at `path`, or undefined when absent (removed with null), whatever its default. */
  public getOrNull(path: string): unknown {
    return lookup(this.values, path);
  }

  public bool(path: string): boolean {
    const value = this.get(path) ?? false;
    if (typeof value !== 'boolean') invalid(path, value, 'true or false');
    return value;
  }

  /** A whole number from min to max (int32 unless said otherwise: the fields values land in). */
  public integer(path: string, min = 0, max = INT32_MAX): number {
    const value = this.get(path);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(path, value, 'a whole number');
    if (value < min || value > max) invalid(path, value, `a whole number from ${min} to ${max}`);
    return value;
  }

  public string(path: string): string {
    const value = this.get(path) ?? '';
    if (typeof value !== 'string') {
      invalid(path, value, typeof value === 'number' || typeof value === 'boolean'
        ? 'a string (quote it in the values file, or use --set-string)' : 'a string');
    }
    return value;
  }

  /** A string where "" means the library's default. */
  public optionalString(path: string): string | undefined {
    return this.string(path) || undefined;
  }

  public oneOf<T extends string>(path: string, allowed: T[], allowEmpty = false): T | undefined {
    const value = this.string(path);
    if (value === '' && allowEmpty) return undefined;
    if (!(allowed as string[]).includes(value)) invalid(path, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return value as T;
  }

  public map(path: string): Json | undefined {
    const value = this.get(path);
    if (value === undefined) return undefined;
    if (!isPlainObject(value)) problem(path, `got ${kindOf(value)}; expected a map`);
    return value;
  }

  /** Labels, annotations, node selectors: string values only, as Kubernetes requires. */
  public stringMap(path: string): { [key: string]: string } | undefined {
    const map = this.map(path) ?? {};
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') invalid(`${path}.${key}`, value, 'a string (quote numbers and booleans)');
    }
    return Object.keys(map).length > 0 ? map : undefined;
  }

  /** Environment maps: the chart quotes each value, so numbers and booleans become strings. */
  public envMap(path: string): { [key: string]: string } | undefined {
    const map = this.map(path) ?? {};
    const env: { [key: string]: string } = {};
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        invalid(`${path}.${key}`, value, 'a string, number or boolean (the value of the variable)');
      }
      setKey(env, key, String(value));
    }
    return Object.keys(env).length > 0 ? env : undefined;
  }

  /** A list of strings (command, args); undefined when empty. */
  public stringList(path: string): string[] | undefined {
    const value = this.get(path) ?? [];
    if (!Array.isArray(value)) problem(path, `got ${kindOf(value)}; expected a list of strings`);
    value.forEach((item, i) => {
      if (typeof item !== 'string') invalid(`${path}[${i}]`, item, 'a string');
    });
    return value.length > 0 ? [...value] : undefined;
  }

  /** A Kubernetes structure passed through as it is; undefined when empty. */
  public rawMap<T>(path: string): T | undefined {
    const map = this.map(path);
    if (map === undefined || Object.keys(map).length === 0) return undefined;
    return markRawJson(clone(map)) as unknown as T;
  }

  /** A list of Kubernetes structures passed through as they are; undefined when empty (unless keepEmpty). */
  public rawList<T>(path: string, what: string, keepEmpty = false): T[] | undefined {
    let value = this.get(path) ?? [];
    if (isPlainObject(value) && Object.keys(value).length === 0) value = [];
    if (!Array.isArray(value)) problem(path, `got ${kindOf(value)}; expected a list`);
    value.forEach((item, i) => {
      if (!isPlainObject(item)) problem(`${path}[${i}]`, `got ${kindOf(item)}; expected a map (${what})`);
    });
    if (value.length === 0 && !keepEmpty) return undefined;
    return markRawJson(clone(value)) as unknown as T[];
  }

  /** A security context: a Kubernetes structure whose default fields the library always sets. */
  public securityContext<T>(path: string): T | undefined {
    const map = this.map(path);
    if (map === undefined) return undefined;
    requireDefaultFields(path, map, lookup(this.profile.values, path));
    const compacted = compact(clone(map));
    return Object.keys(compacted).length > 0 ? markRawJson(compacted) as unknown as T : undefined;
  }

  /** A storage quantity such as "5Gi" (numbers are bytes, as Kubernetes reads them). */
  public size(path: string): Size | undefined {
    const value = this.get(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') invalid(path, value, 'a Kubernetes quantity such as "5Gi" or "1500M"');
    return parseSize(path, value);
  }

  /** A size that the chart converts to MB (`sizeToMB`): a string with a unit. */
  public megabyteSize(path: string): Size {
    const value = this.get(path);
    if (typeof value !== 'string') invalid(path, value, 'a size with a unit, such as "40Gi" or "1500M"');
    return parseSize(path, value);
  }

  public image(path: string): ImageOptions {
    return {
      repository: this.optionalString(`${path}.repository`),
      tag: this.optionalString(`${path}.tag`),
      pullPolicy: this.oneOf(`${path}.pullPolicy`, IMAGE_PULL_POLICIES, true) as kplus.ImagePullPolicy | undefined,
    };
  }

  /** A `resources` map as kplus.ContainerResources. */
  public resources(path: string): kplus.ContainerResources {
    const cpu = (side: string) => {
      const value = this.get(`${path}.${side}.cpu`);
      return value === undefined ? undefined : parseCpu(`${path}.${side}.cpu`, value);
    };
    const size = (key: string) => this.size(key);
    return {
      cpu: { request: cpu('requests'), limit: cpu('limits') },
      memory: { request: size(`${path}.requests.memory`), limit: size(`${path}.limits.memory`) },
      ephemeralStorage: { request: size(`${path}.requests.ephemeral-storage`), limit: size(`${path}.limits.ephemeral-storage`) },
    };
  }
}

/** The library merges its defaults under a security context, so it cannot drop one of them. */
function requireDefaultFields(path: string, given: Json, defaults: unknown): void {
  if (!isPlainObject(defaults)) return;
  for (const [key, fallback] of Object.entries(defaults)) {
    if (isEmpty(fallback)) continue;
    if (!hasKey(given, key)) removedDefault(`${path}.${key}`, fallback);
    if (isPlainObject(fallback) && isPlainObject(given[key])) requireDefaultFields(`${path}.${key}`, given[key], fallback);
  }
}
