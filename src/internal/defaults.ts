import { Size } from 'cdk8s';
import { ResourceDefaults } from './pod';
import { ChartVersion } from '../chart-version';
import { Json, clone, isPlainObject, lookup } from '../core/json';
import { parseSize } from '../core/quantity';
import { VersionProfile } from '../versions/profile';

// The typed API's defaults, read from the chart version's values.yaml (versions/*.ts): the one
// place each default is written.

/** A copy without the empty maps and lists values.yaml spells out (`seLinuxOptions: {}`). */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (!isPlainObject(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const kept = withoutEmpty(v);
    if (kept === null || kept === undefined) continue;
    if (Array.isArray(kept) && kept.length === 0) continue;
    if (isPlainObject(kept) && Object.keys(kept).length === 0) continue;
    out[key] = kept;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

// One instance per chart version: a pool reads each default once, and many pools share them.
const INSTANCES = new Map<string, Defaults>();

/** Typed reads of one chart version's defaults (frozen: callers copy what they change). */
export class Defaults {
  /** The reader of a chart version's defaults. */
  public static of(profile: VersionProfile): Defaults {
    let found = INSTANCES.get(profile.version);
    if (!found) {
      found = new Defaults(profile);
      INSTANCES.set(profile.version, found);
    }
    return found;
  }

  private readonly values = new Map<string, unknown>();
  private readonly structures = new Map<string, Json>();

  private constructor(public readonly profile: VersionProfile) {}

  /** The value at a values.yaml path. */
  public value(path: string): unknown {
    if (!this.values.has(path)) {
      const found = lookup(this.profile.values, path)
        // Settings an older chart version does not have take the defaults of the latest.
        ?? lookup(ChartVersion.LATEST._profile.values, path);
      if (found === undefined) throw new Error(`no chart version has a default for ${path}`);
      this.values.set(path, deepFreeze(clone(found)));
    }
    return this.values.get(path);
  }

  /** A Kubernetes structure, without its empty fields. */
  public json(path: string): Json {
    if (!this.structures.has(path)) this.structures.set(path, deepFreeze(withoutEmpty(this.value(path)) as Json));
    return this.structures.get(path)!;
  }

  /** A list of Kubernetes structures. */
  public list(path: string): Json[] {
    return this.value(path) as Json[];
  }

  public number(path: string): number {
    return this.value(path) as number;
  }

  public string(path: string): string {
    return this.value(path) as string;
  }

  public boolean(path: string): boolean {
    return this.value(path) as boolean;
  }

  /** Whether the chart version has this value at all. */
  public has(path: string): boolean {
    return lookup(this.profile.values, path) !== undefined;
  }

  public size(path: string): Size {
    return parseSize(path, this.value(path));
  }

  /** The defaults of a `resources` map (`requests` / `limits` of cpu, memory, ephemeral-storage). */
  public resources(path: string): ResourceDefaults {
    const r = this.value(path) as Json;
    const size = (v: unknown) => (v === undefined ? undefined : parseSize(path, v));
    return {
      cpuRequest: r.requests?.cpu,
      cpuLimit: r.limits?.cpu,
      memoryRequest: size(r.requests?.memory),
      memoryLimit: size(r.limits?.memory),
      storageRequest: size(r.requests?.['ephemeral-storage']),
      storageLimit: size(r.limits?.['ephemeral-storage']),
    };
  }
}
