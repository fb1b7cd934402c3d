import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { cdk8sPlus, k8sJson } from './k8s-json';
import { checkRules } from './k8s-rules';
import { K8sType, checkK8s } from './k8s-schema';
import { refName } from './refs';
import { invalid } from '../core/errors';
import { Json, deepMerge, findNonPlain, isPlainObject } from '../core/json';
import { IF_NOT_PRESENT, IMAGE_PULL_POLICIES, INT32_MAX } from '../core/k8s-enums';
import { checkDnsLabel } from '../core/names';
import { checkBytes, cpu, cpuCores, sizeToBytes, sizeToQuantity } from '../core/quantity';
import { ImageOptions } from '../options/common';

export type { Json };

// Values that are already Kubernetes JSON (from a Helm values file) are passed through as they
// are instead of through the k8s.toJson_* converters, which expect the typed cdk8s structs.
const RAW_JSON = new WeakSet<object>();

/** Marks a value (parsed from a values file) as Kubernetes JSON that needs no conversion. */
export function markRawJson<T>(value: T): T {
  if (value !== null && typeof value === 'object') RAW_JSON.add(value as unknown as object);
  return value;
}

/** Whether a value is a cdk8s-plus object (Volume, Container…) rather than a raw k8s struct. */
function isPlusObject(value: unknown): value is { _toKube(): unknown } {
  return value !== null && typeof value === 'object' && typeof (value as any)._toKube === 'function';
}

/**
 * A free-form Kubernetes structure as JSON, checked against the Kubernetes OpenAPI schema: a
 * typed cdk8s-plus k8s struct is converted, raw JSON (from a values file) passes through, and a
 * cdk8s-plus object given where a raw struct is expected (a `kplus.Volume` in `extraVolumes`) is
 * rendered completely through its own conversion, never just by its name.
 */
export function struct(path: string, type: K8sType, value: unknown, raw = false): Json | undefined {
  if (value === undefined || value === null) return undefined;
  let json: unknown;
  if (raw || (typeof value === 'object' && RAW_JSON.has(value as object))) json = value;
  else if (isPlusObject(value)) json = k8sJson[type](value._toKube());
  else if (typeof value !== 'object' || Array.isArray(value)) json = value;
  else json = convert(path, type, value);
  // A Map, a Date or a function (possible from JavaScript) would pass the schema as an empty map.
  const nonPlain = findNonPlain(json);
  if (nonPlain) invalid(nonPlain.path ? `${path}.${nonPlain.path}` : path, nonPlain.what, 'plain data: a map, list, string, number or boolean');
  checkK8s(path, type, json);
  checkRules(path, type, json);
  return json as Json;
}

/** A list of structures (or a raw JSON list), each checked, named `path[i]`. */
export function structList(path: string, type: K8sType, values: unknown): Json[] {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) invalid(path, values, `a list of ${type}s`);
  // The items of a list from a values file are Kubernetes JSON already (see markRawJson).
  const raw = RAW_JSON.has(values);
  return values.map((v, i) => struct(`${path}[${i}]`, type, v, raw) ?? invalid(`${path}[${i}]`, v, `a ${type}`));
}

/** The cdk8s-plus conversion; a value of the wrong shape for it is left to the schema check. */
function convert(path: string, type: K8sType, value: unknown): unknown {
  try {
    return k8sJson[type](value);
  } catch {
    return invalid(path, value, `a Kubernetes ${type}`);
  }
}

/** A cdk8s-plus Volume as Kubernetes JSON. */
export function plusVolume(volume: kplus.Volume): Json {
  if (!isPlusObject(volume)) invalid('volume', volume, 'a cdk8s-plus Volume (kplus.Volume.fromConfigMap(...)...)');
  return k8sJson.Volume(volume._toKube())!;
}

/** cdk8s-plus container props as Kubernetes JSON (with cdk8s-plus's defaults), and the volumes it mounts. */
export function plusContainer(props: kplus.ContainerProps): { container: Json; volumes: kplus.Volume[] } {
  const container = new (cdk8sPlus().Container)(props);
  return {
    container: k8sJson.Container(container._toKube())!,
    volumes: container.mounts.map((m) => m.volume as kplus.Volume),
  };
}

/** A cdk8s-plus volume mount as Kubernetes JSON, and its volume. */
export function plusMount(mount: kplus.VolumeMount): { mount: Json; volume: kplus.Volume } {
  const { volume, path, ...options } = mount;
  return {
    mount: k8sJson.VolumeMount({
      name: volume.name,
      mountPath: path,
      readOnly: options.readOnly,
      subPath: options.subPath,
      subPathExpr: options.subPathExpr,
      mountPropagation: options.propagation,
    })!,
    volume: volume as kplus.Volume,
  };
}

/** The controller's and worker's container security context when none is given (F10/G4). */
export const DEFAULT_CONTAINER_SECURITY_CONTEXT: Json = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** The pod security context: defaults, then common, then the component's (which wins). */
export function podSecurityContext(path: string, defaults: Json, common?: kplus.k8s.PodSecurityContext,
  component?: kplus.k8s.PodSecurityContext): Json {
  const g = struct('common.podSecurityContext', 'PodSecurityContext', common);
  const c = struct(path, 'PodSecurityContext', component);
  checkSeccomp('common.podSecurityContext', g);
  checkSeccomp(path, c);
  return deepMerge(deepMerge(defaults, g), c);
}

/** A container's security context as Kubernetes JSON, validated. */
export function securityContext(path: string, given?: kplus.k8s.SecurityContext): Json | undefined {
  const json = struct(path, 'SecurityContext', given);
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
  const list = structList(path, 'Toleration', given);
  list.forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(t)) invalid(at, t, 'a Toleration (a map)');
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
const PATH_COMPONENTS = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const REPOSITORY_WITH_HOST = /^([a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export interface ResolvedImage {
  readonly image: string;
  readonly pullPolicy: string;
}

/** Where images come from: `common.imageRegistry` and `common.imageNamespace`, validated. */
export interface ImageSource {
  readonly registry?: string;
  readonly namespace?: string;
}

/** Validates the registry prefix (`registry.example.com:5000/mirror`) and namespace (`mirror/scalr`). */
export function imageSource(registry: string | undefined, namespace: string | undefined): ImageSource {
  if (registry && !REGISTRY.test(registry)) {
    invalid('common.imageRegistry', registry, 'a registry host with optional port and path, such as "registry.example.com/mirror"');
  }
  if (namespace && !PATH_COMPONENTS.test(namespace)) {
    invalid('common.imageNamespace', namespace, 'a repository path such as "mirror/scalr"');
  }
  return { registry: registry || undefined, namespace: namespace || undefined };
}

/** Only the fields that are set, so that spreading over defaults keeps the defaults. */
export function definedFields<T extends object>(obj: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(obj ?? {}).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/**
 * `[registry/]repository:tag`, with the image namespace replacing the repository's path (its last
 * segment stays), and the repository, tag and pull policy validated.
 */
export function resolveImage(path: string, source: ImageSource, image: ImageOptions, fallbackTag: string): ResolvedImage {
  let repository = image.repository ?? '';
  const pattern = source.registry ? PATH_COMPONENTS : REPOSITORY_WITH_HOST;
  if (typeof repository !== 'string' || !pattern.test(repository)) {
    invalid(`${path}.repository`, repository,
      source.registry ? 'a repository path such as "scalr/agent" (the registry is given by common.imageRegistry)'
        : 'an image repository such as "scalr/agent" or "registry.example.com/scalr/agent"');
  }
  if (source.namespace) repository = `${source.namespace}/${repository.split('/').pop()}`;
  const tag = image.tag || fallbackTag;
  if (typeof tag !== 'string' || (!TAG.test(tag) && !DIGEST.test(tag))) {
    invalid(`${path}.tag`, tag, "a tag of at most 128 letters, digits, '_', '.' and '-' (not starting with '.' or '-'), or a digest such as sha256:...");
  }
  const pullPolicy = image.pullPolicy ?? IF_NOT_PRESENT;
  if (!IMAGE_PULL_POLICIES.includes(pullPolicy)) {
    invalid(`${path}.pullPolicy`, pullPolicy, `one of ${IMAGE_PULL_POLICIES.join(', ')}`);
  }
  const separator = DIGEST.test(tag) ? '@' : ':';
  return { image: `${source.registry ? `${source.registry}/` : ''}${repository}${separator}${tag}`, pullPolicy };
}

export interface ResourceDefaults {
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: Size;
  readonly memoryLimit?: Size;
  readonly storageRequest?: Size;
  readonly storageLimit?: Size;
}

/** The container's resources: each field given wins over its default; requests ≤ limits. */
export function containerResources(path: string, defaults: ResourceDefaults, given?: kplus.ContainerResources): Json {
  if (given !== undefined && !isPlainObject(given)) invalid(path, given, 'kplus.ContainerResources (cpu, memory, ephemeralStorage)');
  const cpuRequest = given?.cpu?.request?.amount ?? defaults.cpuRequest;
  const cpuLimit = given?.cpu?.limit?.amount ?? defaults.cpuLimit;
  const memoryRequest = given?.memory?.request ?? defaults.memoryRequest;
  const memoryLimit = given?.memory?.limit ?? defaults.memoryLimit;
  const storageRequest = given?.ephemeralStorage?.request ?? defaults.storageRequest;
  const storageLimit = given?.ephemeralStorage?.limit ?? defaults.storageLimit;

  const cores = (field: string, amount?: string) => amount === undefined ? undefined : cpuCores(`${path}.${field}`, cpu(amount));
  const bytes = (field: string, size?: Size) => size === undefined ? undefined : checkBytes(`${path}.${field}`, sizeToBytes(size), false);
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

  const side = (cpuAmount?: string, memory?: Size, storage?: Size) => {
    const out: Json = {};
    if (cpuAmount !== undefined) out.cpu = cpuAmount;
    if (memory !== undefined) out.memory = sizeToQuantity(memory);
    if (storage !== undefined) out['ephemeral-storage'] = sizeToQuantity(storage);
    return out;
  };
  const out: Json = {};
  const limits = side(cpuLimit, memoryLimit, storageLimit);
  const requests = side(cpuRequest, memoryRequest, storageRequest);
  if (Object.keys(limits).length > 0) out.limits = limits;
  if (Object.keys(requests).length > 0) out.requests = requests;
  return out;
}

/** A duration in whole seconds, at least `min`, at most `max` (the API field's range). */
export function seconds(path: string, duration: Duration | undefined, fallback: number, min = 0, max = INT32_MAX): number {
  if (duration === undefined) return fallback;
  if (duration === null || typeof duration !== 'object' || typeof duration.toSeconds !== 'function') {
    invalid(path, duration, 'a cdk8s Duration such as Duration.seconds(60)');
  }
  const value = duration.toSeconds({ integral: false });
  if (!Number.isInteger(value) || value < min || value > max) {
    invalid(path, `${value} seconds`, `a whole number of seconds from ${min} to ${max}`);
  }
  return value;
}

/** A boolean prop, or its fallback when not given. */
export function flag(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(path, value, 'true or false');
  return value;
}

/** A whole number from `min` to `max` (int32 by default: the type of the fields it lands in). */
export function integer(path: string, value: number | undefined, fallback: number, min = 0, max = INT32_MAX): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(path, value, max === INT32_MAX ? `a whole number of at least ${min} (at most ${max})` : `a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Checks a volume mount added to a task pod's container: only the worker may mount the API token. */
export function checkTaskMount(path: string, mount: Json): void {
  if (mount === null || typeof mount !== 'object') invalid(path, mount, 'a VolumeMount');
  checkDnsLabel(`${path}.name`, mount.name);
  if (typeof mount.mountPath !== 'string' || !mount.mountPath.startsWith('/')) {
    invalid(`${path}.mountPath`, mount.mountPath, 'an absolute path');
  }
  if (mount.subPath !== undefined && (typeof mount.subPath !== 'string' || mount.subPath.startsWith('/') || mount.subPath.split('/').includes('..'))) {
    invalid(`${path}.subPath`, mount.subPath, "a relative path without '..'");
  }
  if (mount.name === 'sa-token') {
    invalid(`${path}.name`, mount.name, 'a volume other than sa-token: only the worker may see the Kubernetes API token');
  }
}

/** A list of strings (command, args), or undefined when not given. */
export function stringList(path: string, list: string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) invalid(path, list, 'a list of strings');
  list.forEach((item, i) => {
    if (typeof item !== 'string') invalid(`${path}[${i}]`, item, 'a string');
  });
  return list.length > 0 ? [...list] : undefined;
}

/** imagePullSecrets entries, from cdk8s-plus Secrets in the pool's namespace. */
export function pullSecrets(path: string, secrets: kplus.ISecret[] | undefined, namespace: string): Json[] {
  if (secrets === undefined) return [];
  if (!Array.isArray(secrets)) invalid(path, secrets, 'a list of cdk8s-plus ISecrets');
  const names = secrets.map((secret, i) => refName(`${path}[${i}]`, secret, namespace));
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) invalid(`${path}[${i}]`, name, `a Secret not listed already (${path}[${names.indexOf(name)}] names it)`);
  });
  return names.map((name) => ({ name }));
}

/** Two mounts at one path in one container: the API server refuses the pod. */
export function checkMountPaths(path: string, container: string, mounts: Json[]): void {
  const seen = new Map<string, string>();
  for (const mount of mounts) {
    const at = String(mount.mountPath).replace(/\/+$/, '') || '/';
    const other = seen.get(at);
    if (other !== undefined) {
      invalid(`${path} (${container} container)`, `${mount.name} and ${other} both mounted at ${at}`,
        'a different path for each mount: check agent.dataDir, agent.cacheDir and the extra volume mounts (the library mounts /tmp, '
        + '/var/run/secrets/kubernetes.io/serviceaccount and the data and cache directories itself)');
    }
    seen.set(at, mount.name);
  }
}
