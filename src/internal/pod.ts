import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { invalid } from './errors';
import { checkDnsLabel, checkDnsSubdomain } from './names';
import { cpuCores, sizeToBytes, sizeToQuantity } from './quantity';
import { ImageOptions } from '../options';
import { IF_NOT_PRESENT, IMAGE_PULL_POLICIES, cpu, k8sJson } from './k8s-json';

export type Json = { [key: string]: any };

// Values that are already Kubernetes JSON (from a Helm values file) are passed through as they
// are instead of through the k8s.toJson_* converters, which expect the typed cdk8s structs.
const RAW_JSON = new WeakSet<object>();

/** Marks a value (parsed from a values file) as Kubernetes JSON that needs no conversion. */
export function markRawJson<T>(value: T): T {
  if (value !== null && typeof value === 'object') RAW_JSON.add(value as unknown as object);
  return value;
}

/** Converts a typed cdk8s-plus k8s struct to Kubernetes JSON (raw JSON passes through). */
export function toK8s<T>(value: T | undefined, convert: (v: T) => Json | undefined): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && RAW_JSON.has(value as unknown as object)) return value as unknown as Json;
  return convert(value);
}

/** Converts a list of typed structs (or a raw JSON list). */
export function toK8sList<T>(values: T[] | undefined, convert: (v: T) => Json | undefined): Json[] {
  if (values === undefined || values === null) return [];
  if (RAW_JSON.has(values)) return values as unknown as Json[];
  return values.map((v) => toK8s(v, convert) ?? {});
}

export function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep merge of plain objects where `over` wins; lists are replaced. */
export function deepMerge(base: Json | undefined, over: Json | undefined): Json {
  const result: Json = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(over ?? {})) {
    if (value === undefined) continue;
    result[key] = isPlainObject(value) && isPlainObject(result[key]) ? deepMerge(result[key], value) : value;
  }
  return result;
}

/** Drops empty maps, lists and undefined values at the top level. */
export function compact(obj: Json): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isPlainObject(value) && Object.keys(value).length === 0) continue;
    result[key] = value;
  }
  return result;
}

/** A map rendered with its keys in order (as Helm's `range` does). */
export function sortedEntries(map: { [key: string]: string } | undefined): [string, string][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export const DEFAULT_POD_SECURITY_CONTEXT: Json = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  fsGroupChangePolicy: 'OnRootMismatch',
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The controller's and worker's container security context when none is given (F10). */
export const DEFAULT_CONTAINER_SECURITY_CONTEXT: Json = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** The pod security context: defaults, then common, then the component's (which wins). */
export function podSecurityContext(path: string, common?: kplus.k8s.PodSecurityContext, component?: kplus.k8s.PodSecurityContext): Json {
  const g = toK8s(common, k8sJson.PodSecurityContext);
  const c = toK8s(component, k8sJson.PodSecurityContext);
  checkSeccomp('common.podSecurityContext', g);
  checkSeccomp(path, c);
  return deepMerge(deepMerge(DEFAULT_POD_SECURITY_CONTEXT, g), c);
}

/** A container's security context as Kubernetes JSON, validated. */
export function securityContext(path: string, given?: kplus.k8s.SecurityContext): Json | undefined {
  const json = toK8s(given, k8sJson.SecurityContext);
  checkSeccomp(path, json);
  return json;
}

const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost', 'Unconfined'];

function checkSeccomp(path: string, context: Json | undefined): void {
  const profile = context?.seccompProfile;
  if (profile === undefined || profile === null) return;
  if (!SECCOMP_TYPES.includes(profile.type)) invalid(`${path}.seccompProfile.type`, profile.type, `one of ${SECCOMP_TYPES.join(', ')}`);
  if (profile.type === 'Localhost' && !profile.localhostProfile) {
    invalid(`${path}.seccompProfile.localhostProfile`, profile.localhostProfile, 'the profile\'s path on the node, required with type Localhost');
  }
}

const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Tolerations as Kubernetes JSON, checked as the API server checks them. */
export function tolerations(path: string, given: kplus.k8s.Toleration[] | undefined): Json[] {
  const list = toK8sList(given, k8sJson.Toleration);
  list.forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (t.operator !== undefined && !TOLERATION_OPERATORS.includes(t.operator)) invalid(`${at}.operator`, t.operator, `one of ${TOLERATION_OPERATORS.join(', ')}`);
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(t.effect)) {
      invalid(`${at}.effect`, t.effect, `one of ${TAINT_EFFECTS.join(', ')}, or empty for every effect`);
    }
    if (t.operator === 'Exists' && t.value) invalid(`${at}.value`, t.value, 'no value with operator Exists');
    if (!t.key && t.operator !== 'Exists') invalid(`${at}.operator`, t.operator ?? 'Equal', 'Exists when no key is given (a toleration of every taint)');
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') invalid(`${at}.tolerationSeconds`, t.tolerationSeconds, 'nothing unless the effect is NoExecute');
  });
  return list;
}

const REGISTRY = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]+)?(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const REPOSITORY_WITH_HOST = /^([a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export interface ResolvedImage {
  readonly image: string;
  readonly pullPolicy: string;
}

/** Validates a registry prefix such as `registry.example.com:5000/mirror`. */
export function checkRegistry(path: string, registry: string | undefined): void {
  if (registry && !REGISTRY.test(registry)) {
    invalid(path, registry, 'a registry host with optional port and path, such as "registry.example.com/mirror"');
  }
}

/** `[registry/]repository:tag`, with the repository, tag and pull policy validated. */
export function resolveImage(path: string, registry: string | undefined, image: ImageOptions, fallbackTag: string): ResolvedImage {
  const repository = image.repository ?? '';
  const pattern = registry ? REPOSITORY : REPOSITORY_WITH_HOST;
  if (!pattern.test(repository)) {
    invalid(`${path}.repository`, repository,
      registry ? 'a repository path such as "scalr/agent" (the registry is given by common.imageRegistry)'
        : 'an image repository such as "scalr/agent" or "registry.example.com/scalr/agent"');
  }
  const tag = image.tag || fallbackTag;
  if (!TAG.test(tag) && !DIGEST.test(tag)) {
    invalid(`${path}.tag`, tag, "a tag of at most 128 letters, digits, '_', '.' and '-' (not starting with '.' or '-'), or a digest such as sha256:...");
  }
  const pullPolicy = image.pullPolicy ?? IF_NOT_PRESENT;
  if (!IMAGE_PULL_POLICIES.includes(pullPolicy)) {
    invalid(`${path}.pullPolicy`, pullPolicy, `one of ${IMAGE_PULL_POLICIES.join(', ')}`);
  }
  const separator = DIGEST.test(tag) ? '@' : ':';
  return { image: `${registry ? `${registry}/` : ''}${repository}${separator}${tag}`, pullPolicy };
}

export interface ResourceDefaults {
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: Size;
  readonly memoryLimit?: Size;
}

/** The container's resources: each field given wins over its default; requests ≤ limits. */
export function containerResources(path: string, defaults: ResourceDefaults, given?: kplus.ContainerResources): Json {
  const cpuRequest = given?.cpu?.request?.amount ?? defaults.cpuRequest;
  const cpuLimit = given?.cpu?.limit?.amount ?? defaults.cpuLimit;
  const memoryRequest = given?.memory?.request ?? defaults.memoryRequest;
  const memoryLimit = given?.memory?.limit ?? defaults.memoryLimit;
  const storageRequest = given?.ephemeralStorage?.request;
  const storageLimit = given?.ephemeralStorage?.limit;

  const cores = (field: string, amount?: string) => amount === undefined ? undefined : cpuCores(`${path}.${field}`, cpu(amount));
  const bytes = (field: string, size?: Size) => {
    if (size === undefined) return undefined;
    const value = sizeToBytes(size);
    if (!Number.isFinite(value) || value < 0) invalid(`${path}.${field}`, `${value} bytes`, 'a size that is not negative');
    return value;
  };
  const pairs: [string, number | undefined, number | undefined][] = [
    ['cpu', cores('cpu.request', cpuRequest), cores('cpu.limit', cpuLimit)],
    ['memory', bytes('memory.request', memoryRequest), bytes('memory.limit', memoryLimit)],
    ['ephemeralStorage', bytes('ephemeralStorage.request', storageRequest), bytes('ephemeralStorage.limit', storageLimit)],
  ];
  for (const [name, request, limit] of pairs) {
    if (request !== undefined && limit !== undefined && request > limit) {
      invalid(`${path}.${name}.request`, name === 'cpu' ? cpuRequest : sizeToQuantity(name === 'memory' ? memoryRequest! : storageRequest!),
        `at most the limit (${name === 'cpu' ? cpuLimit : sizeToQuantity(name === 'memory' ? memoryLimit! : storageLimit!)})`);
    }
  }

  const side = (cpuAmount?: string, memory?: Size, storage?: Size) => compact({
    'cpu': cpuAmount,
    'memory': memory && sizeToQuantity(memory),
    'ephemeral-storage': storage && sizeToQuantity(storage),
  });
  return compact({
    limits: side(cpuLimit, memoryLimit, storageLimit),
    requests: side(cpuRequest, memoryRequest, storageRequest),
  });
}

/** A duration in whole seconds, at least `min`. */
export function seconds(path: string, duration: Duration | undefined, fallback: number, min = 0): number {
  if (duration === undefined) return fallback;
  const value = duration.toSeconds({ integral: false });
  if (!Number.isInteger(value) || value < min) invalid(path, `${value} seconds`, `a whole number of seconds, at least ${min}`);
  return value;
}

/** A whole number, at least `min`. */
export function integer(path: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) invalid(path, value, `a whole number of at least ${min}`);
  return value;
}

/** imagePullSecrets entries. */
export function pullSecrets(path: string, names: string[] | undefined): Json[] {
  return (names ?? []).map((name, i) => ({ name: checkDnsSubdomain(`${path}[${i}]`, name) }));
}

/** Checks a container name (sidecars). */
export function checkContainerName(path: string, name: unknown): string {
  return checkDnsLabel(path, name);
}
