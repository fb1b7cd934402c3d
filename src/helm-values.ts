import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import type { AgentJobChartProps } from './chart';
import { AgentJobConfigError, describe, invalid } from './internal/errors';
import { ACCESS_MODES, EMPTY_DIR_MEDIUMS, IMAGE_PULL_POLICIES } from './internal/k8s-json';
import { isDnsSubdomain, isSecretKey } from './internal/names';
import { Json, compact, markRawJson } from './internal/pod';
import { parseCpu, parseSize } from './internal/quantity';
import { DEFAULT_CLUSTER_RULES, DEFAULT_RULES } from './internal/rbac';
import {
  AgentOptions, CommonOptions, ImageOptions, LogFormat, PersistenceOptions, PodDisruptionBudgetOptions, RbacOptions,
  ServiceAccountOptions, TaskContainerOptions, TaskOptions, TelemetryOptions,
} from './options';
import { VolumeStorage } from './storage';
import { AgentToken } from './token';

/** Options of {@link AgentJobChart.fromHelmValues}. */
export interface HelmValuesOptions {
  /**
   * The release name (`helm install RELEASE`).
   * @default "scalr-agent"
   */
  readonly releaseName?: string;

  /**
   * The namespace of every namespaced object (`helm install --namespace`).
   * @default "default"
   */
  readonly namespace?: string;

  /**
   * The values of the `agent-job` chart 0.5.62, as a parsed values.yaml (a map, or a dict in
   * Python). The chart's defaults apply to every key not given, as Helm applies them: maps are
   * merged, lists replaced and `null` removes a key.
   */
  readonly values: any;

  /**
   * Include the AgentTask CRD (`helm install` installs it; `helm template` only with `--include-crds`).
   * @default true
   */
  readonly includeCrd?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The chart's values.yaml (agent-job 0.5.62), key by key, with its defaults.


const CHART_DEFAULTS: Json = {
  nameOverride: '',
  fullnameOverride: '',
  global: {
    imageRegistry: '',
    imagePullSecrets: [],
    podAnnotations: {},
    podLabels: {},
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
      supplementalGroups: [],
      sysctls: [],
      seLinuxOptions: {},
      seccompProfile: { type: 'RuntimeDefault' },
    },
  },
  serviceAccount: {
    create: true,
    name: '',
    automountToken: true,
    tokenTTL: 3600,
    annotations: {},
    labels: {},
  },
  rbac: {
    create: true,
    rules: DEFAULT_RULES,
    clusterRules: DEFAULT_CLUSTER_RULES,
  },
  agent: {
    url: '',
    token: '',
    tokenExistingSecret: { name: '', key: 'token' },
    image: { repository: 'scalr/agent', tag: '', pullPolicy: 'IfNotPresent' },
    debug: '0',
    logFormat: 'json',
    extraEnv: {},
    // Not a value of the chart: the library's opt-in to let extraEnv redefine its variables.
    allowEnvOverrides: false,
    replicaCount: 1,
    podDisruptionBudget: { enabled: true, minAvailable: 1, maxUnavailable: null },
    nodeSelector: {},
    tolerations: [],
    affinity: {},
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    podAnnotations: {},
    podLabels: {},
    podSecurityContext: {},
    controller: { extraEnv: [], extraEnvFrom: [], securityContext: {} },
    dataDir: '/var/lib/scalr-agent/data',
    cacheDir: '/var/lib/scalr-agent/cache',
    providerCache: { enabled: false, sizeLimit: '40Gi' },
    terminationGracePeriodSeconds: 360,
  },
  task: {
    job: { backoffLimit: 0, ttlSecondsAfterFinished: 60 },
    nodeSelector: {},
    tolerations: [],
    affinity: {},
    podAnnotations: {},
    podLabels: {},
    podSecurityContext: {},
    allowMetadataService: false,
    terminationGracePeriodSeconds: 360,
    extraVolumes: [],
    sidecars: [],
    worker: {
      image: { repository: '', tag: '', pullPolicy: '' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
      extraEnv: {},
      extraVolumeMounts: [],
      securityContext: {},
    },
    runner: {
      image: { repository: 'scalr/agent-runner', tag: '', pullPolicy: 'IfNotPresent' },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '4000m', memory: '2048Mi' } },
      extraEnv: {},
      extraVolumeMounts: [],
      securityContext: {
        seLinuxOptions: {},
        runAsNonRoot: true,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
    },
  },
  persistence: {
    data: {
      enabled: false,
      emptyDir: { sizeLimit: '5Gi' },
      persistentVolumeClaim: { claimName: '', storageClassName: '', storage: '5Gi', accessMode: 'ReadWriteOnce', subPath: '' },
    },
    cache: {
      enabled: false,
      emptyDir: { sizeLimit: '5Gi' },
      persistentVolumeClaim: { claimName: '', storageClassName: '', storage: '50Gi', accessMode: 'ReadWriteMany', subPath: '' },
    },
  },
  otel: {
    enabled: false,
    endpoint: 'http://otel-collector:4317',
    metricsEnabled: true,
    tracesEnabled: false,
  },
};

/** Maps whose keys are free (annotations, labels, environment, Kubernetes structures). */
const OPEN_MAPS = new Set([
  'global.podAnnotations', 'global.podLabels', 'global.podSecurityContext',
  'serviceAccount.annotations', 'serviceAccount.labels',
  'agent.extraEnv', 'agent.nodeSelector', 'agent.affinity', 'agent.podAnnotations', 'agent.podLabels',
  'agent.podSecurityContext', 'agent.controller.securityContext',
  'task.nodeSelector', 'task.affinity', 'task.podAnnotations', 'task.podLabels', 'task.podSecurityContext',
  'task.worker.extraEnv', 'task.worker.securityContext', 'task.runner.extraEnv', 'task.runner.securityContext',
]);

/** Keys that a fixed map may hold although the chart's values.yaml does not list them. */
const OPTIONAL_KEYS: Record<string, string[]> = {
  'persistence.data.emptyDir': ['medium'],
  'persistence.cache.emptyDir': ['medium'],
};
for (const container of ['agent', 'task.worker', 'task.runner']) {
  for (const side of ['requests', 'limits']) OPTIONAL_KEYS[`${container}.resources.${side}`] = ['ephemeral-storage'];
}

/** Library extensions accepted in values although the chart has no such key. */
const EXTENSION_KEYS = new Set(['agent.allowEnvOverrides']);

/** The chart 0.5.62's default values (a copy). */
export function chartDefaultValues(): Json {
  return clone(CHART_DEFAULTS);
}

/**
 * Every key of the chart's values, as dotted paths: the leaves of values.yaml, the free maps and
 * lists (whose entries are the user's), and the default fields of the free maps that have some
 * (`global.podSecurityContext.runAsUser`). Library extensions are not included.
 */
export function chartValueKeys(): string[] {
  const keys: string[] = [];
  const leaves = (node: Json, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (isMap(value) && Object.keys(value).length > 0) leaves(value, `${prefix}.${key}`);
      else keys.push(`${prefix}.${key}`);
    }
  };
  const walk = (node: Json, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (EXTENSION_KEYS.has(path)) continue;
      if (isMap(value) && !OPEN_MAPS.has(path)) {
        walk(value, path);
      } else {
        keys.push(path);
        if (isMap(value)) leaves(value, path);
      }
      for (const optional of OPTIONAL_KEYS[path] ?? []) keys.push(`${path}.${optional}`);
    }
  };
  walk(CHART_DEFAULTS, '');
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Helm's merge semantics.

type Shape = 'fixed' | 'open' | 'list' | 'scalar';

function isMap(value: unknown): value is Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function has(map: Json, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Sets a key without ever touching the prototype (a key may be `__proto__` in a values file). */
function setKey(map: Json, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => clone(v)) as unknown as T;
  if (isMap(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, clone(v));
    return out as T;
  }
  return value;
}

/** A copy where `null` map entries are gone (Kubernetes and Helm treat them as absent). */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => dropNulls(v));
  if (isMap(value)) {
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
function coalesce(defaults: unknown, user: unknown): unknown {
  if (!isMap(defaults) || !isMap(user)) return dropNulls(user);
  const out = clone(defaults) as Json;
  for (const [key, value] of Object.entries(user)) {
    if (value === null || value === undefined) {
      delete out[key];
      continue;
    }
    setKey(out, key, has(defaults, key) ? coalesce(defaults[key], value) : dropNulls(value));
  }
  return out;
}

function lookup(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (!isMap(node) || !has(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

function shapeOf(value: unknown, path: string): Shape {
  if (Array.isArray(value)) return 'list';
  if (isMap(value)) return OPEN_MAPS.has(path) ? 'open' : 'fixed';
  return 'scalar';
}

/** The known keys of a fixed map, with their shapes. */
function knownKeys(path: string): Map<string, Shape> {
  const node = path === '' ? CHART_DEFAULTS : lookup(CHART_DEFAULTS, path);
  const keys = new Map<string, Shape>();
  if (isMap(node)) {
    for (const [key, value] of Object.entries(node)) keys.set(key, shapeOf(value, path ? `${path}.${key}` : key));
  }
  for (const key of OPTIONAL_KEYS[path] ?? []) keys.set(key, 'scalar');
  return keys;
}

/** Every known key path, for suggestions. */
function allKnownPaths(): string[] {
  const paths: string[] = [];
  const walk = (path: string) => {
    for (const [key, shape] of knownKeys(path)) {
      const child = path ? `${path}.${key}` : key;
      paths.push(child);
      if (shape === 'fixed') walk(child);
    }
  };
  walk('');
  return paths;
}

/** The Levenshtein distance between two strings. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/** Names of the typed API (and common slips) that a values file spells differently. */
const ALIASES: Record<string, string> = {
  'common': 'global',
  'telemetry': 'otel',
  'agent.replicas': 'agent.replicaCount',
  'agent.terminationGracePeriod': 'agent.terminationGracePeriodSeconds',
  'task.terminationGracePeriod': 'task.terminationGracePeriodSeconds',
  'task.job.ttlAfterFinished': 'task.job.ttlSecondsAfterFinished',
  'persistence.cacheSubPath': 'persistence.cache.persistentVolumeClaim.subPath',
  'serviceAccount.tokenTtl': 'serviceAccount.tokenTTL',
  'otel.metrics': 'otel.metricsEnabled',
  'otel.traces': 'otel.tracesEnabled',
};

/** The known key closest to an unknown one: a sibling, or a key of the same name elsewhere. */
function closestKey(parent: string, key: string): string | undefined {
  const alias = ALIASES[parent ? `${parent}.${key}` : key];
  if (alias) return alias;
  const wanted = key.toLowerCase();
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: { path: string; distance: number } | undefined;
  const consider = (path: string, name: string, penalty: number) => {
    const distance = levenshtein(wanted, name.toLowerCase()) + penalty;
    if (distance - penalty <= limit && (best === undefined || distance < best.distance)) best = { path, distance };
  };
  for (const sibling of knownKeys(parent).keys()) consider(parent ? `${parent}.${sibling}` : sibling, sibling, 0);
  for (const path of allKnownPaths()) {
    const segments = path.split('.');
    if (segments.slice(0, -1).join('.') !== parent) consider(path, segments[segments.length - 1], 1);
  }
  return best?.path;
}

/** Paths whose values may hold the token (or hold it by mistake): their values are never shown. */
function mayHoldToken(path: string): boolean {
  return path === '' || path === 'agent' || path.startsWith('agent.token');
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a map';
  return `a ${typeof value}`;
}

/** Throws `path: got X; expected Y`, never showing a value that may hold the token. */
function bad(path: string, value: unknown, expected: string): never {
  if (mayHoldToken(path)) {
    const shown = typeof value === 'string' && path.startsWith('agent.token') ? '(redacted)' : kindOf(value);
    throw new AgentJobConfigError(`${path || 'values'}: got ${shown}; expected ${expected}`);
  }
  return invalid(path, value, expected);
}

/** Checks the user's values for unknown keys and for maps and lists where they belong. */
function checkKeys(user: Json, path: string): void {
  const known = knownKeys(path);
  for (const [key, value] of Object.entries(user)) {
    const child = path ? `${path}.${key}` : key;
    const shape = known.get(key);
    if (shape === undefined) {
      const suggestion = closestKey(path, key);
      if (suggestion) throw new AgentJobConfigError(`${child}: unknown key; did you mean ${suggestion}?`);
      throw new AgentJobConfigError(
        `${child}: unknown key (the agent-job chart 0.5.62 has no such value); expected one of ${[...known.keys()].join(', ')}`);
    }
    if (value === null || value === undefined) continue;
    if ((shape === 'fixed' || shape === 'open') && !isMap(value)) bad(child, value, 'a map');
    if (shape === 'list' && !Array.isArray(value)) bad(child, value, 'a list');
    if (shape === 'fixed') checkKeys(value, child);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the coalesced values, with the type each key needs.

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || value === false
    || (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
}

class Values {
  constructor(private readonly values: Json) {}

  /** The value at `path`; a key removed with `null` whose default the library cannot leave out fails. */
  public get(path: string): unknown {
    const value = lookup(this.values, path);
    if (value !== undefined) return value;
    const fallback = lookup(CHART_DEFAULTS, path);
    if (!isEmpty(fallback)) {
      throw new AgentJobConfigError(`${path}: got null; expected a value: null removes the chart's default `
        + `(${describe(fallback)}), which the library cannot leave out; give another value instead`);
    }
    return clone(fallback);
  }

  /** The value at `path`, or undefined when absent (removed with null), whatever its default. */
  public getOrNull(path: string): unknown {
    return lookup(this.values, path);
  }

  public bool(path: string): boolean {
    const value = this.get(path) ?? false;
    if (typeof value !== 'boolean') bad(path, value, 'true or false');
    return value;
  }

  public integer(path: string, min = 0): number {
    const value = this.get(path);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) bad(path, value, 'a whole number');
    if (value < min) bad(path, value, `a whole number of at least ${min}`);
    return value;
  }

  public string(path: string): string {
    const value = this.get(path) ?? '';
    if (typeof value !== 'string') {
      bad(path, value, typeof value === 'number' || typeof value === 'boolean' ? 'a string (quote it, or use --set-string)' : 'a string');
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
    if (!(allowed as string[]).includes(value)) bad(path, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return value as T;
  }

  public map(path: string): Json | undefined {
    const value = this.get(path);
    if (value === undefined) return undefined;
    if (!isMap(value)) bad(path, value, 'a map');
    return value;
  }

  /** Labels, annotations, node selectors: string values only, as Kubernetes requires. */
  public stringMap(path: string): { [key: string]: string } | undefined {
    const map = this.map(path) ?? {};
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') bad(`${path}.${key}`, value, 'a string (quote numbers and booleans)');
    }
    return Object.keys(map).length > 0 ? map : undefined;
  }

  /** Environment maps: the chart quotes each value, so numbers and booleans become strings. */
  public envMap(path: string): { [key: string]: string } | undefined {
    const map = this.map(path) ?? {};
    const env: { [key: string]: string } = {};
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        bad(`${path}.${key}`, value, 'a string, number or boolean (the value of the variable)');
      }
      setKey(env, key, String(value));
    }
    return Object.keys(env).length > 0 ? env : undefined;
  }

  /** A Kubernetes structure passed through as it is; undefined when empty. */
  public rawMap<T>(path: string): T | undefined {
    const map = this.map(path);
    if (map === undefined || Object.keys(map).length === 0) return undefined;
    return markRawJson(clone(map)) as unknown as T;
  }

  /** A list of Kubernetes structures passed through as they are; undefined when empty (unless keepEmpty). */
  public rawList<T>(path: string, what: string, keepEmpty = false): T[] | undefined {
    const value = this.get(path) ?? [];
    if (!Array.isArray(value)) bad(path, value, 'a list');
    value.forEach((item, i) => {
      if (!isMap(item)) bad(`${path}[${i}]`, item, `a map (${what})`);
    });
    if (value.length === 0 && !keepEmpty) return undefined;
    return markRawJson(clone(value)) as unknown as T[];
  }

  /** A security context: a Kubernetes structure whose default fields the library always sets. */
  public securityContext<T>(path: string): T | undefined {
    const map = this.map(path);
    if (map === undefined) return undefined;
    requireDefaultFields(path, map, lookup(CHART_DEFAULTS, path));
    const compacted = compact(clone(map));
    return Object.keys(compacted).length > 0 ? markRawJson(compacted) as unknown as T : undefined;
  }

  /** A storage quantity such as "5Gi" (numbers are bytes, as Kubernetes reads them). */
  public size(path: string): Size | undefined {
    const value = this.get(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') bad(path, value, 'a Kubernetes quantity such as "5Gi" or "1500M"');
    return parseSize(path, value);
  }

  public image(path: string): ImageOptions {
    return {
      repository: this.optionalString(`${path}.repository`),
      tag: this.optionalString(`${path}.tag`),
      pullPolicy: this.oneOf(`${path}.pullPolicy`, IMAGE_PULL_POLICIES, true) as kplus.ImagePullPolicy | undefined,
    };
  }

  public resources(path: string): kplus.ContainerResources {
    const cpu = (side: string) => {
      const value = this.get(`${path}.${side}.cpu`);
      return value === undefined ? undefined : parseCpu(`${path}.${side}.cpu`, value);
    };
    return {
      cpu: { request: cpu('requests'), limit: cpu('limits') },
      memory: { request: this.size(`${path}.requests.memory`), limit: this.size(`${path}.limits.memory`) },
      ephemeralStorage: { request: this.size(`${path}.requests.ephemeral-storage`), limit: this.size(`${path}.limits.ephemeral-storage`) },
    };
  }
}

/** The library merges its defaults under a security context, so it cannot drop one of them. */
function requireDefaultFields(path: string, given: Json, defaults: unknown): void {
  if (!isMap(defaults)) return;
  for (const [key, fallback] of Object.entries(defaults)) {
    if (isEmpty(fallback)) continue;
    if (!has(given, key)) {
      throw new AgentJobConfigError(`${path}.${key}: got null; expected a value: null removes the chart's default `
        + `(${describe(fallback)}), which the library cannot leave out; give another value instead`);
    }
    if (isMap(fallback) && isMap(given[key])) requireDefaultFields(`${path}.${key}`, given[key], fallback);
  }
}

/** Runs a library call whose messages name its own argument, and puts the values path in front. */
function at<T>(prefix: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof AgentJobConfigError) throw new AgentJobConfigError(`${prefix}${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The mapping, key by key.


function token(v: Values): AgentToken {
  const secretName = v.string('agent.tokenExistingSecret.name');
  const key = v.string('agent.tokenExistingSecret.key');
  // Checked here rather than by AgentToken, so that a token pasted into the wrong key is not shown.
  if (secretName !== '' && !isDnsSubdomain(secretName)) {
    bad('agent.tokenExistingSecret.name', secretName,
      "the name of an existing Secret: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
  }
  if (!isSecretKey(key)) {
    bad('agent.tokenExistingSecret.key', key, "the Secret key that holds the token: letters, digits, '-', '_' and '.', such as \"token\"");
  }
  const value = v.get('agent.token') ?? '';
  if (typeof value !== 'string') bad('agent.token', value, 'a string (quote it, or use --set-string)');
  // The library's messages name token.*; toValuesError renames them to agent.token*.
  if (secretName !== '') return AgentToken.fromSecretName(secretName, key);
  if (value === '') {
    throw new AgentJobConfigError('agent.token: got nothing; expected the agent pool token, or the name of an existing Secret '
      + 'in agent.tokenExistingSecret.name (the chart fails the same way: "agent.token must be provided")');
  }
  // Unlike the chart (which always writes the key "token"), the Secret the library creates uses
  // agent.tokenExistingSecret.key, so that the reference to it holds.
  const fromValue = library(() => AgentToken.fromValue(value));
  return key === 'token' ? fromValue : fromValue.withKey(key);
}

/** Runs a library call and gives its errors the values' key names. */
function library<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw toValuesError(error);
  }
}

function debug(v: Values): boolean {
  const value = v.get('agent.debug');
  if (value === '1' || value === 1 || value === true) return true;
  if (value === '0' || value === 0 || value === false) return false;
  return bad('agent.debug', value, '"0" or "1" (or 0, 1, true, false)');
}

function disruptionBudgetValue(v: Values, path: string): number | string | undefined {
  // null (the default of maxUnavailable) means unset; minAvailable's default 1 may be removed with null.
  const value = v.getOrNull(path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) return value;
  return bad(path, value, 'a whole number of at least 0, a percentage such as "50%", or null');
}

function disruptionBudget(v: Values): PodDisruptionBudgetOptions {
  const path = 'agent.podDisruptionBudget';
  const enabled = v.bool(`${path}.enabled`);
  const min = disruptionBudgetValue(v, `${path}.minAvailable`);
  const max = disruptionBudgetValue(v, `${path}.maxUnavailable`);
  if (enabled && min === undefined && max === undefined) {
    throw new AgentJobConfigError(`${path}: got neither minAvailable nor maxUnavailable; expected one of them: `
      + 'set minAvailable or maxUnavailable (or enabled: false for no PodDisruptionBudget)');
  }
  return {
    enabled,
    minAvailable: typeof min === 'number' ? min : undefined,
    minAvailablePercent: typeof min === 'string' ? min : undefined,
    maxUnavailable: typeof max === 'number' ? max : undefined,
    maxUnavailablePercent: typeof max === 'string' ? max : undefined,
  };
}

function podOptions(v: Values, path: 'agent' | 'task') {
  return {
    nodeSelector: v.stringMap(`${path}.nodeSelector`),
    tolerations: v.rawList<kplus.k8s.Toleration>(`${path}.tolerations`, 'a Kubernetes Toleration'),
    affinity: v.rawMap<kplus.k8s.Affinity>(`${path}.affinity`),
    podAnnotations: v.stringMap(`${path}.podAnnotations`),
    podLabels: v.stringMap(`${path}.podLabels`),
    podSecurityContext: v.securityContext<kplus.k8s.PodSecurityContext>(`${path}.podSecurityContext`),
    terminationGracePeriod: Duration.seconds(v.integer(`${path}.terminationGracePeriodSeconds`)),
  };
}

function common(v: Values): CommonOptions {
  const secrets = v.rawList<Json>('global.imagePullSecrets', 'an image pull secret such as {name: regcred}') ?? [];
  return {
    imageRegistry: v.optionalString('global.imageRegistry'),
    imagePullSecrets: secrets.map((secret, i) => {
      const extra = Object.keys(secret).find((k) => k !== 'name');
      if (extra !== undefined) throw new AgentJobConfigError(`global.imagePullSecrets[${i}].${extra}: unknown key; expected only name`);
      if (typeof secret.name !== 'string' || secret.name === '') bad(`global.imagePullSecrets[${i}].name`, secret.name, 'the name of a Secret');
      return secret.name;
    }),
    podAnnotations: v.stringMap('global.podAnnotations'),
    podLabels: v.stringMap('global.podLabels'),
    podSecurityContext: v.securityContext<kplus.k8s.PodSecurityContext>('global.podSecurityContext'),
  };
}

function agent(v: Values): AgentOptions {
  const providerCacheLimit = v.get('agent.providerCache.sizeLimit');
  if (typeof providerCacheLimit !== 'string') bad('agent.providerCache.sizeLimit', providerCacheLimit, 'a size with a unit, such as "40Gi" or "1500M"');
  return {
    ...podOptions(v, 'agent'),
    url: v.string('agent.url'),
    image: v.image('agent.image'),
    debug: debug(v),
    logFormat: v.oneOf('agent.logFormat', Object.values(LogFormat)),
    extraEnv: v.envMap('agent.extraEnv'),
    allowEnvOverrides: v.bool('agent.allowEnvOverrides'),
    replicas: v.integer('agent.replicaCount'),
    podDisruptionBudget: disruptionBudget(v),
    resources: v.resources('agent.resources'),
    controller: {
      extraEnv: v.rawList<kplus.k8s.EnvVar>('agent.controller.extraEnv', 'a Kubernetes EnvVar'),
      extraEnvFrom: v.rawList<kplus.k8s.EnvFromSource>('agent.controller.extraEnvFrom', 'a Kubernetes EnvFromSource'),
      securityContext: v.rawMap<kplus.k8s.SecurityContext>('agent.controller.securityContext'),
    },
    dataDir: v.string('agent.dataDir'),
    cacheDir: v.string('agent.cacheDir'),
    providerCache: {
      enabled: v.bool('agent.providerCache.enabled'),
      sizeLimit: parseSize('agent.providerCache.sizeLimit', providerCacheLimit),
    },
  };
}

function taskContainer(v: Values, path: string, securityContext: kplus.k8s.SecurityContext | undefined): TaskContainerOptions {
  return {
    image: v.image(`${path}.image`),
    resources: v.resources(`${path}.resources`),
    extraEnv: v.envMap(`${path}.extraEnv`),
    extraVolumeMounts: v.rawList<kplus.k8s.VolumeMount>(`${path}.extraVolumeMounts`, 'a Kubernetes VolumeMount'),
    securityContext,
  };
}

function task(v: Values): TaskOptions {
  return {
    ...podOptions(v, 'task'),
    job: {
      backoffLimit: v.integer('task.job.backoffLimit'),
      ttlAfterFinished: Duration.seconds(v.integer('task.job.ttlSecondsAfterFinished')),
    },
    allowMetadataService: v.bool('task.allowMetadataService'),
    extraVolumes: v.rawList<kplus.k8s.Volume>('task.extraVolumes', 'a Kubernetes Volume'),
    sidecars: v.rawList<kplus.k8s.Container>('task.sidecars', 'a Kubernetes Container'),
    worker: taskContainer(v, 'task.worker', v.rawMap<kplus.k8s.SecurityContext>('task.worker.securityContext')),
    runner: taskContainer(v, 'task.runner', v.securityContext<kplus.k8s.SecurityContext>('task.runner.securityContext')),
  };
}

function serviceAccount(v: Values): ServiceAccountOptions {
  return {
    create: v.bool('serviceAccount.create'),
    name: v.optionalString('serviceAccount.name'),
    automountToken: v.bool('serviceAccount.automountToken'),
    tokenTtl: Duration.seconds(v.integer('serviceAccount.tokenTTL')),
    annotations: v.stringMap('serviceAccount.annotations'),
    labels: v.stringMap('serviceAccount.labels'),
  };
}

function rbac(v: Values): RbacOptions {
  return {
    create: v.bool('rbac.create'),
    rules: v.rawList<kplus.k8s.PolicyRule>('rbac.rules', 'a Kubernetes PolicyRule', true),
    clusterRules: v.rawList<kplus.k8s.PolicyRule>('rbac.clusterRules', 'a Kubernetes PolicyRule', true),
  };
}

function volumeStorage(v: Values, name: 'data' | 'cache'): { storage: VolumeStorage; enabled: boolean; subPath: string } {
  const path = `persistence.${name}`;
  const claim = `${path}.persistentVolumeClaim`;
  // Every key is checked, also those that the current setting does not use.
  const enabled = v.bool(`${path}.enabled`);
  const sizeLimit = v.size(`${path}.emptyDir.sizeLimit`);
  const medium = v.oneOf(`${path}.emptyDir.medium`, EMPTY_DIR_MEDIUMS.filter((m) => m !== ''), true) as
    kplus.EmptyDirMedium | undefined;
  const claimName = v.string(`${claim}.claimName`);
  const storageClassName = v.string(`${claim}.storageClassName`);
  const size = v.size(`${claim}.storage`);
  const accessMode = v.oneOf(`${claim}.accessMode`, ACCESS_MODES) as kplus.PersistentVolumeAccessMode;
  // persistence.data.persistentVolumeClaim.subPath is accepted and, as in the chart, unused.
  const subPath = v.string(`${claim}.subPath`);

  let storage: VolumeStorage;
  if (!enabled) {
    storage = at(`${path}.emptyDir.`, () => VolumeStorage.emptyDir({ sizeLimit, medium }));
  } else if (claimName !== '') {
    storage = at(`${claim}.`, () => VolumeStorage.existingClaim(claimName));
  } else {
    // "" leaves the class to the cluster's default; "-" asks for none (storageClassName: "").
    storage = at(`${claim}.`, () => VolumeStorage.newClaim({ storageClassName: storageClassName || undefined, storage: size, accessMode }));
  }
  return { storage, enabled, subPath };
}

function persistence(v: Values): PersistenceOptions {
  const data = volumeStorage(v, 'data');
  const cache = volumeStorage(v, 'cache');
  return {
    data: data.storage,
    cache: cache.storage,
    // Only a persistent cache has a subPath, as in the chart.
    cacheSubPath: cache.enabled && cache.subPath !== '' ? cache.subPath : undefined,
  };
}

function telemetry(v: Values): TelemetryOptions {
  return {
    enabled: v.bool('otel.enabled'),
    endpoint: v.string('otel.endpoint'),
    metrics: v.bool('otel.metricsEnabled'),
    traces: v.bool('otel.tracesEnabled'),
  };
}

/**
 * The typed props that reproduce a release of the chart installed with these values: the chart's
 * defaults applied, every key validated and mapped. Errors name the values' keys.
 */
export function helmValuesToProps(options: HelmValuesOptions): AgentJobChartProps {
  try {
    return mapValues(options);
  } catch (error) {
    // A safety net: whatever went wrong, the token's value is not shown.
    const secret = isMap(options) && isMap(options.values) && isMap(options.values.agent) ? options.values.agent.token : undefined;
    if (error instanceof AgentJobConfigError && typeof secret === 'string' && secret.trim().length >= 4 && error.message.includes(secret.trim())) {
      throw new AgentJobConfigError(error.message.split(secret.trim()).join('(redacted)'));
    }
    throw error;
  }
}

function mapValues(options: HelmValuesOptions): AgentJobChartProps {
  if (!isMap(options)) throw new AgentJobConfigError(`options: got ${kindOf(options)}; expected HelmValuesOptions: { values, releaseName?, namespace?, includeCrd? }`);
  const user = options.values ?? {};
  if (!isMap(user)) bad('', user, "a map of the chart's values (a parsed values.yaml)");
  if (options.includeCrd !== undefined && typeof options.includeCrd !== 'boolean') invalid('includeCrd', options.includeCrd, 'true or false');
  checkKeys(user, '');
  const v = new Values(coalesce(CHART_DEFAULTS, user) as Json);
  return {
    token: token(v),
    releaseName: options.releaseName,
    namespace: options.namespace,
    includeCrd: options.includeCrd ?? true,
    nameOverride: v.optionalString('nameOverride'),
    fullnameOverride: v.optionalString('fullnameOverride'),
    common: common(v),
    agent: agent(v),
    task: task(v),
    serviceAccount: serviceAccount(v),
    rbac: rbac(v),
    persistence: persistence(v),
    telemetry: telemetry(v),
  };
}

// The library names its props; a values user knows the chart's keys.
const RENAMES: [RegExp, string | ((...groups: string[]) => string)][] = [
  [/^token\.secretName:/, 'agent.tokenExistingSecret.name:'],
  [/^token\.key:/, 'agent.tokenExistingSecret.key:'],
  [/^token:/, 'agent.token:'],
  [/\bagent\.replicas\b/g, 'agent.replicaCount'],
  [/\b(agent|task)\.terminationGracePeriod\b/g, '$1.terminationGracePeriodSeconds'],
  [/\btask\.job\.ttlAfterFinished\b/g, 'task.job.ttlSecondsAfterFinished'],
  [/\bserviceAccount\.tokenTtl\b/g, 'serviceAccount.tokenTTL'],
  [/\bpersistence\.cacheSubPath\b/g, 'persistence.cache.persistentVolumeClaim.subPath'],
  [/\bcommon\.(imageRegistry|imagePullSecrets|podAnnotations|podLabels|podSecurityContext)\b/g, 'global.$1'],
  [/\btelemetry\.(endpoint|enabled)\b/g, 'otel.$1'],
  [/\bagent\.podDisruptionBudget\.(minAvailable|maxUnavailable)Percent\b/g, 'agent.podDisruptionBudget.$1'],
  [/\b(agent|task\.worker|task\.runner)\.resources\.(cpu|memory|ephemeralStorage)\.(request|limit)\b/g,
    (_match, container, resource, side) => `${container}.resources.${side}s.${resource === 'ephemeralStorage' ? 'ephemeral-storage' : resource}`],
];

/** A library error, with the values' key names instead of the typed props'. */
export function toValuesError(error: unknown): unknown {
  if (!(error instanceof AgentJobConfigError)) return error;
  let message = error.message;
  for (const [pattern, replacement] of RENAMES) message = message.replace(pattern, replacement as any);
  if (message.includes('a PodDisruptionBudget takes minAvailable or maxUnavailable, not both')) {
    message += ' (minAvailable defaults to 1: set agent.podDisruptionBudget.minAvailable to null to use maxUnavailable)';
  }
  return new AgentJobConfigError(message);
}
