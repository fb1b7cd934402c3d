import { keyForProp } from './keymap';
import { levenshtein, problem } from '../core/errors';
import { Json, isPlainObject, kindOf, lookup } from '../core/json';
import { VersionProfile } from '../versions/profile';

// The values keys of each chart version, derived from its values.yaml (versions/*.ts): the
// fixed maps' keys, the free maps (labels, environment, Kubernetes structures) and lists.

export type Shape = 'fixed' | 'open' | 'list' | 'scalar';

/** Library extensions accepted in values although no chart has such a key. */
export const EXTENSION_KEYS: { [path: string]: Shape } = { 'agent.allowEnvOverrides': 'scalar' };

/** The Kubernetes `resources` maps: requests and limits of cpu, memory and ephemeral-storage. */
const RESOURCE_MAPS = ['agent.resources', 'task.worker.resources', 'task.runner.resources'];
const RESOURCE_NAMES = ['cpu', 'memory', 'ephemeral-storage'];

function shapeOf(profile: VersionProfile, value: unknown, path: string): Shape {
  if (Array.isArray(value)) return 'list';
  if (isPlainObject(value)) return profile.openMaps.includes(path) ? 'open' : 'fixed';
  return 'scalar';
}

/** The known keys of a fixed map of one chart version, with their shapes. */
export function knownKeys(profile: VersionProfile, path: string): Map<string, Shape> {
  const keys = new Map<string, Shape>();
  const parent = path.split('.').slice(0, -1).join('.');
  if (RESOURCE_MAPS.includes(path)) {
    keys.set('requests', 'fixed');
    keys.set('limits', 'fixed');
    return keys;
  }
  if (RESOURCE_MAPS.includes(parent)) {
    for (const name of RESOURCE_NAMES) keys.set(name, 'scalar');
    return keys;
  }
  const node = path === '' ? profile.values : lookup(profile.values, path);
  if (isPlainObject(node)) {
    for (const [key, value] of Object.entries(node)) keys.set(key, shapeOf(profile, value, path ? `${path}.${key}` : key));
  }
  for (const key of profile.optionalKeys[path] ?? []) if (!keys.has(key)) keys.set(key, 'scalar');
  for (const [extension, shape] of Object.entries(EXTENSION_KEYS)) {
    const segments = extension.split('.');
    if (segments.slice(0, -1).join('.') === path) keys.set(segments[segments.length - 1], shape);
  }
  return keys;
}

/** Every known key path of a chart version (for suggestions and the docs). */
export function allKnownPaths(profile: VersionProfile): string[] {
  const paths: string[] = [];
  const walk = (path: string) => {
    for (const [key, shape] of knownKeys(profile, path)) {
      const child = path ? `${path}.${key}` : key;
      paths.push(child);
      if (shape === 'fixed') walk(child);
    }
  };
  walk('');
  return paths;
}

/** The known key closest to an unknown one: its values spelling, a sibling, or a key of the same name elsewhere. */
function closestKey(profile: VersionProfile, paths: string[], parent: string, key: string): string | undefined {
  const full = parent ? `${parent}.${key}` : key;
  const renamed = keyForProp(full);
  if (renamed !== full && paths.includes(renamed)) return renamed;
  if (key.length > 64) return undefined;
  const wanted = key.toLowerCase();
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: { path: string; distance: number } | undefined;
  const consider = (path: string, name: string, penalty: number) => {
    const distance = levenshtein(wanted, name.toLowerCase()) + penalty;
    if (distance - penalty <= limit && (best === undefined || distance < best.distance)) best = { path, distance };
  };
  for (const sibling of knownKeys(profile, parent).keys()) consider(parent ? `${parent}.${sibling}` : sibling, sibling, 0);
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.slice(0, -1).join('.') !== parent) consider(path, segments[segments.length - 1], 1);
  }
  return best?.path;
}

/**
 * Checks the user's values for unknown keys and for maps and lists where they belong. An
 * unknown key is suggested its closest known key, or the other chart version that has it.
 */
export function checkKeys(profile: VersionProfile, others: VersionProfile[], user: Json): void {
  const walk = (node: Json, path: string) => {
    const known = knownKeys(profile, path);
    for (const [key, value] of Object.entries(node)) {
      const child = path ? `${path}.${key}` : key;
      const shape = known.get(key);
      if (shape === undefined) {
        const elsewhere = others.find((o) => allKnownPaths(o).includes(child));
        if (elsewhere) {
          problem(child, `unknown key in chart ${profile.version}; it exists in chart ${elsewhere.version} `
            + `(select it with --version ${elsewhere.version}, or version: ChartVersion.V${elsewhere.version.replace(/\./g, '_')})`);
        }
        const suggestion = closestKey(profile, allKnownPaths(profile), path, key);
        if (suggestion) problem(child, `unknown key; did you mean ${suggestion}?`);
        problem(child, `unknown key (chart ${profile.version} has no such value); expected one of ${[...known.keys()].join(', ')}`);
      }
      if (value === null || value === undefined) continue;
      if ((shape === 'fixed' || shape === 'open') && !isPlainObject(value)) problem(child, `got ${kindOf(value)}; expected a map`);
      if (shape === 'list' && !Array.isArray(value)) {
        // The chart 0.6.5 values.yaml writes `topologySpreadConstraints: {}`: an empty map is an empty list.
        if (!(isPlainObject(value) && Object.keys(value).length === 0)) problem(child, `got ${kindOf(value)}; expected a list`);
      }
      if (shape === 'fixed') walk(value, child);
    }
  };
  walk(user, '');
}

/**
 * Every key of a chart version's values, as dotted paths: the leaves of values.yaml, the free
 * maps and lists (whose entries are the user's), and the default fields of the free maps that
 * have some (`global.podSecurityContext.runAsUser`). Library extensions are not included.
 */
export function chartValueKeys(profile: VersionProfile): string[] {
  const keys: string[] = [];
  const leaves = (node: Json, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (isPlainObject(value) && Object.keys(value).length > 0) leaves(value, `${prefix}.${key}`);
      else keys.push(`${prefix}.${key}`);
    }
  };
  const walk = (node: Json, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value) && !profile.openMaps.includes(path)) {
        walk(value, path);
      } else {
        keys.push(path);
        if (isPlainObject(value)) leaves(value, path);
      }
      for (const optional of profile.optionalKeys[path] ?? []) keys.push(`${path}.${optional}`);
    }
  };
  walk(profile.values, '');
  return keys;
}
