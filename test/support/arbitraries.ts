/**
 * fast-check arbitraries for the property-based tests (test/property.test.ts and
 * test/conformance/property.conformance.ts): Helm values of each chart version, valid and
 * hostile, `--set` expressions, and values files as YAML text.
 *
 * Every case carries a distinctive token (`prop-SECRET-<16 random characters>`) at agent.token:
 * the tests check that it is never shown, in any form, outside the token Secret's data.
 *
 * - VALID values (`validCase`) use only keys of the version's schema (`chartValueKeys`), with
 *   type-correct values that the library must accept and that the API server accepts at Pod
 *   Security `restricted` (no hostPath, restricted security contexts only, requests within
 *   limits, unique variable names per container).
 * - HOSTILE values (`hostileCase`) are valid values with 1-3 mutations: unknown keys, wrong
 *   types, huge numbers, broken strings, prototype keys, removed defaults, deep nesting, big
 *   lists, bad release names and namespaces.
 * - TOKEN COPIES (`tokenCopyCase`): valid values with the token also written into other fields.
 * - JS values (`jsHostileCase`): what only the library API can receive (undefined, BigInt,
 *   functions, cycles, class instances...).
 *
 * Values are built from lists of edits, so that fast-check shrinks a failure to the few edits
 * that matter.
 */
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { ChartVersion } from '../../src';
import { isAmbiguousYaml11 } from '../../src/core/yaml11';
import { chartValueKeys } from '../../src/helm/schema';

export type Json = { [key: string]: any };
export type VersionName = '0.5.62' | '0.6.5';
export const VERSION_NAMES: VersionName[] = ['0.5.62', '0.6.5'];

/** Every distinctive token starts with this. */
export const TOKEN_PREFIX = 'prop-SECRET-';

/** The keys of each chart version's values (leaves, open maps and lists). */
export const SCHEMA_KEYS: Record<VersionName, Set<string>> = {
  '0.5.62': new Set(chartValueKeys(ChartVersion.V0_5_62._profile)),
  '0.6.5': new Set(chartValueKeys(ChartVersion.V0_6_5._profile)),
};

/** The chart's defaults of a version (a copy). */
export function defaultValues(version: VersionName): Json {
  return JSON.parse(JSON.stringify(ChartVersion.of(version)._profile.values));
}

// ---------------------------------------------------------------------------------------------
// Building values without touching prototypes (a key may be `__proto__`).

export type Segment = string | number;

/** Sets an own property, also `__proto__`. */
export function setOwn(target: any, key: Segment, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isMap(value: unknown): value is Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A map from entries, with own properties only. */
export function mapOf(entries: [string, unknown][]): Json {
  const out: Json = {};
  for (const [k, v] of entries) setOwn(out, k, v);
  return out;
}

/** Deep merge of plain maps (later wins, lists replaced), into a fresh object. */
export function merge(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over;
  const out: Json = {};
  for (const k of Object.keys(base)) setOwn(out, k, base[k]);
  for (const k of Object.keys(over)) setOwn(out, k, Object.prototype.hasOwnProperty.call(out, k) ? merge(out[k], over[k]) : over[k]);
  return out;
}

/** A nested map holding `value` at a dotted path: `nest('a.b', 1)` is `{a: {b: 1}}`. */
export function nest(path: string, value: unknown): Json {
  return nestSegments(path.split('.'), value) as Json;
}

function nestSegments(segments: Segment[], value: unknown): unknown {
  let node: unknown = value;
  for (const segment of [...segments].reverse()) {
    if (typeof segment === 'number') {
      const list: unknown[] = [];
      list[segment] = node;
      node = list;
    } else {
      node = mapOf([[segment, node]]);
    }
  }
  return node;
}

/** Sets a value at a path in place, replacing what is in the way with maps (or lists for numbers). */
export function setPath(root: Json, segments: Segment[], value: unknown): void {
  let node: any = root;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      setOwn(node, segment, value);
      return;
    }
    const wantsList = typeof segments[i + 1] === 'number';
    const current = Object.prototype.hasOwnProperty.call(node, segment) ? node[segment] : undefined;
    const fits = wantsList ? Array.isArray(current) : isMap(current);
    if (!fits) setOwn(node, segment, wantsList ? [] : {});
    node = node[segment];
  });
}

/** A deep copy of maps and lists (own properties, `__proto__` keys kept). */
export function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => copy(v)) as unknown as T;
  if (isMap(value)) return mapOf(Object.keys(value).map((k) => [k, copy((value as Json)[k])])) as T;
  return value;
}

// ---------------------------------------------------------------------------------------------
// Small arbitraries

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/** The distinctive token. */
// Not shrunk: a shrunk token (prop-SECRET-aaaaaaaaaaaaaaaa) could be found inside other generated text.
export const tokenArb: fc.Arbitrary<string> = fc.noShrink(fc.string({ unit: fc.constantFrom(...(LOWER + DIGITS).split('')), minLength: 16, maxLength: 16 }))
  .map((s) => `${TOKEN_PREFIX}${s}`);

/** The forms in which a token could leak: as it is, base64 (with and without padding), and its random part. */
export function tokenForms(token: string): string[] {
  const base64 = Buffer.from(token, 'utf8').toString('base64');
  return [token, base64, base64.replace(/=+$/, ''), token.slice(TOKEN_PREFIX.length)];
}

/** A short DNS-1123 label with a fixed prefix (never a reserved name). */
const dnsLabel = (prefix: string) => fc.stringMatching(/^[a-z0-9]{1,8}$/).map((s) => `${prefix}${s}`);

export const releaseArb = fc.oneof(fc.constant('scalr-agent'), dnsLabel('pool-'));
export const namespaceArb = fc.oneof(fc.constant('scalr'), dnsLabel('prop-ns-'));

/**
 * Strings that a YAML 1.1 reader (go-yaml v2: kubectl, Helm) takes for something else when they
 * are written plain: booleans, nulls, numbers of every base, dates, the merge key.
 */
export const YAML_AMBIGUOUS = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'On', 'OFF', 'true', 'False', 'TRUE', 'null', 'Null', 'NULL', '~', '',
  '0755', '0o17', '0O17', '0X1F', '0x1f', '0b101', '-0b1', '1e3', '1E3', '1e+3', '-1', '+1', '-0', '.5', '1_000', '08', '0.', '3.14',
  '.inf', '-.Inf', '.NaN', '2024-01-02', '2024-1-2', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '<<', '1:20',
];

/** Strings that are awkward to write as YAML in other ways. */
export const YAML_AWKWARD = [
  '=', '-', '- x', ' leading', 'trailing ', 'a: b', 'a:b', '#x', 'x #y', 'multi\nline', 'trailing\n', '\nleading', 'tab\tchar',
  '"quoted"', "'single'", '\\back', 'ünïcödé', '😀', '{x}', '[y]', '&anchor', '*alias', '!tag', '%dir', '@at', '`tick`', '|', '>',
  '?', '? x', '---', '...', ',', 'a,b', 'x\u00a0y', '\u2028', 'é\u0301',
];

/** Label values, including those YAML 1.1 would misread. */
const labelValueArb = fc.oneof(
  fc.constantFrom('yes', 'no', 'on', 'off', 'y', 'N', 'true', 'False', 'null', '0755', '0o17', '0X1F', '1e3', '1_000', '08', '2024-01-02', ''),
  fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,14}[A-Za-z0-9])?$/),
);

/** Label keys: an optional prefix, a name (never a selector key, never `constructor`). */
const labelKeyArb = fc.tuple(fc.constantFrom('', 'example.com/', 'prop.scalr.io/'), fc.stringMatching(/^[a-z]([a-z0-9._-]{0,10}[a-z0-9])?$/))
  .map(([prefix, name]) => `${prefix}${name}`)
  .filter((k) => k !== 'constructor');

const labelsArb = (maxKeys = 3) => fc.uniqueArray(fc.tuple(labelKeyArb, labelValueArb), { maxLength: maxKeys, selector: (e) => e[0] }).map(mapOf);

/** Free text: awkward and ambiguous strings, printable ASCII, Unicode graphemes. */
const textArb = fc.oneof(
  fc.constantFrom(...YAML_AMBIGUOUS, ...YAML_AWKWARD),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

const annotationsArb = (maxKeys = 3) => fc.uniqueArray(fc.tuple(labelKeyArb, textArb), { maxLength: maxKeys, selector: (e) => e[0] }).map(mapOf);

/** Environment maps: names with a per-container prefix (no collision with the library's variables). */
const envMapArb = (prefix: string) => fc.uniqueArray(
  fc.tuple(fc.stringMatching(/^[A-Z0-9_]{1,10}$/).map((s) => `${prefix}${s}`), fc.oneof(textArb, fc.integer({ min: -1000, max: 100000 }), fc.boolean())),
  { maxLength: 4, selector: (e) => e[0] },
).map(mapOf);

const uid = fc.integer({ min: 1000, max: 65535 });
const pullPolicy = fc.constantFrom('Always', 'IfNotPresent', 'Never');

/** A container securityContext that meets Pod Security `restricted` on its own. */
const restrictedContainerContext = fc.record({
  readOnlyRootFilesystem: fc.boolean(),
  runAsUser: fc.option(uid, { nil: undefined }),
}).map(({ readOnlyRootFilesystem, runAsUser }) => {
  const ctx: Json = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    readOnlyRootFilesystem,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  if (runAsUser !== undefined) ctx.runAsUser = runAsUser;
  return ctx;
});

const podSecurityContext = fc.record({
  runAsUser: uid,
  runAsGroup: uid,
  fsGroup: uid,
  fsGroupChangePolicy: fc.constantFrom('Always', 'OnRootMismatch'),
  supplementalGroups: fc.uniqueArray(uid, { maxLength: 2 }),
}, { requiredKeys: [] });

const tolerationArb = fc.oneof(
  labelKeyArb.map((key) => ({ key, operator: 'Exists' })),
  fc.tuple(labelKeyArb, labelValueArb, fc.constantFrom('NoSchedule', 'PreferNoSchedule')).map(([key, value, effect]) => ({ key, operator: 'Equal', value, effect })),
  fc.constant({ operator: 'Exists' }),
  fc.tuple(labelKeyArb, fc.integer({ min: 0, max: 3600 })).map(([key, tolerationSeconds]) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds })),
);

const affinityArb = fc.oneof(
  fc.subarray(['amd64', 'arm64'], { minLength: 1 }).map((values) => ({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values }] }],
      },
    },
  })),
  fc.tuple(fc.integer({ min: 1, max: 100 }), labelValueArb.filter((v) => v !== '')).map(([weight, app]) => ({
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight, podAffinityTerm: { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
      }],
    },
  })),
);

const topologySpreadArb = fc.record({
  maxSkew: fc.integer({ min: 1, max: 3 }),
  topologyKey: fc.constantFrom('topology.kubernetes.io/zone', 'kubernetes.io/hostname'),
  whenUnsatisfiable: fc.constantFrom('DoNotSchedule', 'ScheduleAnyway'),
  labelSelector: fc.option(labelValueArb.filter((v) => v !== '').map((app) => ({ matchLabels: { app } })), { nil: undefined }),
}).map((c) => JSON.parse(JSON.stringify(c)));

/** A quantity as YAML gives it: a string with or without unit, sometimes a number. */
const sizeArb = fc.constantFrom('512Mi', '1Gi', '2Gi', '5Gi', '1500M', '10G', '1.5Gi', '100Gi');

/** Requests within every default limit, limits above every request (the API server checks requests <= limits). */
interface ResourceChoices {
  readonly requestCpu: (string | number)[];
  readonly requestMemory: string[];
  readonly limitCpu: (string | number)[];
  readonly limitMemory: string[];
}

const resourcesArb = (opts: ResourceChoices) => fc.record({
  requests: fc.record({
    'cpu': fc.constantFrom(...opts.requestCpu),
    'memory': fc.constantFrom(...opts.requestMemory),
    'ephemeral-storage': fc.constantFrom('256Mi', '1Gi'),
  }, { requiredKeys: [] }),
  limits: fc.record({
    'cpu': fc.constantFrom(...opts.limitCpu),
    'memory': fc.constantFrom(...opts.limitMemory),
    'ephemeral-storage': fc.constantFrom('2Gi', '4Gi'),
  }, { requiredKeys: [] }),
}, { requiredKeys: [] });

const AGENT_RESOURCES = { requestCpu: ['50m', '100m', '250m', 0.1], requestMemory: ['64Mi', '128Mi', '200M', '256Mi'], limitCpu: ['500m', '1', 2], limitMemory: ['256Mi', '512Mi', '1Gi'] };
const WORKER_RESOURCES = { requestCpu: ['100m', '250m', '500m', 1], requestMemory: ['128Mi', '256Mi', '512Mi', '1Gi'], limitCpu: ['1', '2', '2500m'], limitMemory: ['1Gi', '1536Mi', '2Gi'] };
const RUNNER_RESOURCES = { requestCpu: ['250m', '500m', '1', 2], requestMemory: ['256Mi', '512Mi', '1Gi', '2Gi'], limitCpu: ['2', '4', '4000m'], limitMemory: ['2Gi', '4Gi', '8Gi'] };

/** A PodDisruptionBudget: exactly one of minAvailable and maxUnavailable (the other null). */
const budgetArb = (percent: boolean) => fc.record({
  enabled: fc.boolean(),
  which: fc.constantFrom('minAvailable', 'maxUnavailable'),
  value: percent ? fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('0%', '50%', '100%')) : fc.integer({ min: 0, max: 3 }),
}).map(({ enabled, which, value }) => ({
  enabled,
  minAvailable: which === 'minAvailable' ? value : null,
  maxUnavailable: which === 'maxUnavailable' ? value : null,
}));

/** Extra volumes and the mounts of the worker and runner (each volume mounted at its own path). */
const volumesArb = fc.uniqueArray(fc.record({
  n: fc.integer({ min: 0, max: 9 }),
  source: fc.constantFrom<Json>({ emptyDir: {} }, { emptyDir: { sizeLimit: '1Gi' } }, { configMap: { name: 'prop-config' } }, { secret: { secretName: 'prop-secret' } }),
  worker: fc.boolean(),
  runner: fc.boolean(),
  readOnly: fc.boolean(),
}), { maxLength: 3, selector: (v) => v.n }).map((vols) => {
  const mount = (v: { n: number; readOnly: boolean }) => ({ name: `prop-vol-${v.n}`, mountPath: `/mnt/prop-${v.n}`, ...(v.readOnly ? { readOnly: true } : {}) });
  return {
    task: {
      extraVolumes: vols.map((v) => ({ name: `prop-vol-${v.n}`, ...v.source })),
      worker: { extraVolumeMounts: vols.filter((v) => v.worker).map(mount) },
      runner: { extraVolumeMounts: vols.filter((v) => v.runner).map(mount) },
    },
  };
});

const sidecarsArb = (version: VersionName) => fc.uniqueArray(fc.record({
  n: fc.integer({ min: 0, max: 9 }),
  securityContext: restrictedContainerContext,
  native: fc.boolean(),
  env: fc.boolean(),
}), { maxLength: 2, selector: (s) => s.n }).map((sidecars) => ({
  task: {
    sidecars: sidecars.map((s) => ({
      name: `prop-side-${s.n}`,
      image: 'busybox:1.36',
      command: ['sleep', '3600'],
      securityContext: s.securityContext,
      // A native sidecar (an init container that keeps running) only where the chart puts sidecars in initContainers.
      ...(version === '0.5.62' && s.native ? { restartPolicy: 'Always' } : {}),
      ...(s.env ? { env: [{ name: 'PROP_SIDE', value: 'yes' }] } : {}),
    })),
  },
}));

const persistenceArb = (name: 'data' | 'cache') => fc.oneof(
  fc.record({ sizeLimit: sizeArb, medium: fc.constantFrom(undefined, '', 'Memory') }).map(({ sizeLimit, medium }) =>
    ({ enabled: false, emptyDir: medium === undefined ? { sizeLimit } : { sizeLimit, medium } })),
  fc.constant({ enabled: true, persistentVolumeClaim: { claimName: `prop-existing-${name}` } }),
  fc.record({
    storageClassName: fc.constantFrom('', 'standard', '-'),
    storage: sizeArb,
    accessMode: fc.constantFrom('ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod'),
    subPath: fc.constantFrom('', 'sub', 'a/b'),
  }).map((claim) => ({ enabled: true, persistentVolumeClaim: { claimName: '', ...claim } })),
).map((p) => ({ persistence: mapOf([[name, p]]) }));

// ---------------------------------------------------------------------------------------------
// Valid values, by feature: each group writes keys of the schema, and owns them entirely (two
// groups never write the same key, so that any combination is valid).

interface Group {
  readonly name: string;
  /** The schema keys the group writes: the group is used only when the version has all of them. */
  readonly keys: string[];
  readonly arb: (version: VersionName) => fc.Arbitrary<Json>;
}

const GROUPS: Group[] = [
  { name: 'url', keys: ['agent.url'], arb: () => fc.constantFrom('', 'https://example.scalr.io', 'https://acme.scalr.io/', 'http://scalr.internal:8080').map((url) => nest('agent.url', url)) },
  {
    name: 'replicas and budget',
    keys: ['agent.replicaCount', 'agent.podDisruptionBudget.enabled', 'agent.podDisruptionBudget.minAvailable', 'agent.podDisruptionBudget.maxUnavailable'],
    arb: () => fc.tuple(fc.integer({ min: 1, max: 5 }), budgetArb(true))
      .map(([replicaCount, podDisruptionBudget]) => ({ agent: { replicaCount, podDisruptionBudget } })),
  },
  {
    name: 'agent image',
    keys: ['agent.image.repository', 'agent.image.tag', 'agent.image.pullPolicy'],
    arb: () => fc.record({ repository: fc.constantFrom('scalr/agent', 'registry.example.com/scalr/agent'), tag: fc.constantFrom('', '0.55.2', '1.4.0'), pullPolicy }, { requiredKeys: [] })
      .map((image) => nest('agent.image', image)),
  },
  { name: 'debug', keys: ['agent.debug'], arb: () => fc.constantFrom<unknown>('0', '1', 0, 1, true, false).map((debug) => nest('agent.debug', debug)) },
  { name: 'log format', keys: ['agent.logFormat'], arb: () => fc.constantFrom('json', 'plain', 'dev').map((f) => nest('agent.logFormat', f)) },
  { name: 'agent extraEnv', keys: ['agent.extraEnv'], arb: () => envMapArb('PROP_A_').map((env) => nest('agent.extraEnv', env)) },
  { name: 'worker extraEnv', keys: ['task.worker.extraEnv'], arb: () => envMapArb('PROP_W_').map((env) => nest('task.worker.extraEnv', env)) },
  { name: 'runner extraEnv', keys: ['task.runner.extraEnv'], arb: () => envMapArb('PROP_R_').map((env) => nest('task.runner.extraEnv', env)) },
  { name: 'node selectors', keys: ['agent.nodeSelector', 'task.nodeSelector'], arb: () => fc.tuple(labelsArb(2), labelsArb(2)).map(([a, t]) => ({ agent: { nodeSelector: a }, task: { nodeSelector: t } })) },
  {
    name: 'tolerations',
    keys: ['agent.tolerations', 'task.tolerations'],
    arb: () => fc.tuple(fc.array(tolerationArb, { maxLength: 3 }), fc.array(tolerationArb, { maxLength: 3 }))
      .map(([a, t]) => ({ agent: { tolerations: a }, task: { tolerations: t } })),
  },
  { name: 'affinity', keys: ['agent.affinity', 'task.affinity'], arb: () => fc.tuple(fc.option(affinityArb, { nil: {} }), fc.option(affinityArb, { nil: {} })).map(([a, t]) => ({ agent: { affinity: a }, task: { affinity: t } })) },
  { name: 'topology spread', keys: ['agent.topologySpreadConstraints'], arb: () => fc.array(topologySpreadArb, { maxLength: 2 }).map((c) => nest('agent.topologySpreadConstraints', c)) },
  { name: 'agent resources', keys: ['agent.resources.requests.cpu'], arb: () => resourcesArb(AGENT_RESOURCES).map((r) => nest('agent.resources', r)) },
  { name: 'worker resources', keys: ['task.worker.resources.requests.cpu'], arb: () => resourcesArb(WORKER_RESOURCES).map((r) => nest('task.worker.resources', r)) },
  { name: 'runner resources', keys: ['task.runner.resources.requests.cpu'], arb: () => resourcesArb(RUNNER_RESOURCES).map((r) => nest('task.runner.resources', r)) },
  {
    name: 'pod labels and annotations',
    keys: ['agent.podLabels', 'agent.podAnnotations', 'task.podLabels', 'task.podAnnotations', 'global.podLabels', 'global.podAnnotations'],
    arb: () => fc.record({
      agent: fc.record({ podLabels: labelsArb(), podAnnotations: annotationsArb() }, { requiredKeys: [] }),
      task: fc.record({ podLabels: labelsArb(), podAnnotations: annotationsArb() }, { requiredKeys: [] }),
      global: fc.record({ podLabels: labelsArb(), podAnnotations: annotationsArb() }, { requiredKeys: [] }),
    }, { requiredKeys: [] }),
  },
  {
    name: 'object labels and annotations',
    keys: ['global.labels', 'global.annotations', 'agent.labels', 'agent.annotations', 'task.jobLabels', 'task.jobAnnotations'],
    arb: () => fc.record({
      global: fc.record({ labels: labelsArb(), annotations: annotationsArb() }, { requiredKeys: [] }),
      agent: fc.record({ labels: labelsArb(), annotations: annotationsArb() }, { requiredKeys: [] }),
      task: fc.record({ jobLabels: labelsArb(), jobAnnotations: annotationsArb() }, { requiredKeys: [] }),
    }, { requiredKeys: [] }),
  },
  {
    name: 'pod security contexts',
    keys: ['agent.podSecurityContext', 'task.podSecurityContext', 'global.podSecurityContext'],
    arb: () => fc.record({
      agent: fc.record({ podSecurityContext: podSecurityContext }),
      task: fc.record({ podSecurityContext: podSecurityContext }),
      global: fc.record({ podSecurityContext: podSecurityContext }),
    }, { requiredKeys: [] }),
  },
  {
    name: 'controller',
    keys: ['agent.controller.extraEnv', 'agent.controller.extraEnvFrom', 'agent.controller.securityContext'],
    arb: () => fc.record({
      extraEnv: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z0-9_]{1,8}$/), fc.oneof(
        textArb.map((value) => ({ value })),
        fc.constantFrom('metadata.name', 'metadata.namespace', 'status.podIP').map((fieldPath) => ({ valueFrom: { fieldRef: { fieldPath } } })),
      )), { maxLength: 3, selector: (e) => e[0] }).map((list) => list.map(([name, v]) => ({ name: `PROP_C_${name}`, ...v }))),
      extraEnvFrom: fc.array(fc.constantFrom<Json>({ secretRef: { name: 'prop-env' } }, { configMapRef: { name: 'prop-env', optional: true } }, { prefix: 'PROP_F_', configMapRef: { name: 'prop-cm' } }), { maxLength: 2 }),
      securityContext: restrictedContainerContext,
    }, { requiredKeys: [] }).map((controller) => nest('agent.controller', controller)),
  },
  {
    name: 'controller command',
    keys: ['agent.controller.command', 'agent.controller.args'],
    arb: () => fc.record({ command: fc.constantFrom([], ['/usr/local/bin/scalr-agent']), args: fc.array(textArb, { maxLength: 3 }) }, { requiredKeys: [] })
      .map((c) => nest('agent.controller', c)),
  },
  {
    name: 'directories',
    keys: ['agent.dataDir', 'agent.cacheDir'],
    arb: () => fc.record({ dataDir: fc.constantFrom('/var/lib/scalr-agent/data', '/data/agent', '/srv/prop/data/'), cacheDir: fc.constantFrom('/var/lib/scalr-agent/cache', '/cache/agent', '/srv/prop/cache') }, { requiredKeys: [] })
      .map((d) => ({ agent: d })),
  },
  { name: 'provider cache', keys: ['agent.providerCache.enabled', 'agent.providerCache.sizeLimit'], arb: () => fc.record({ enabled: fc.boolean(), sizeLimit: sizeArb }, { requiredKeys: [] }).map((p) => nest('agent.providerCache', p)) },
  {
    name: 'provider cache (agent 1)',
    keys: ['agent.providerCache.concurrency', 'agent.providerCache.dropKernelPages'],
    arb: () => fc.record({ concurrency: fc.integer({ min: 1, max: 1000 }), dropKernelPages: fc.boolean() }, { requiredKeys: [] }).map((p) => nest('agent.providerCache', p)),
  },
  {
    name: 'module cache',
    keys: ['agent.moduleCache.enabled', 'agent.moduleCache.sizeLimit', 'agent.moduleCache.concurrency'],
    arb: () => fc.record({ enabled: fc.boolean(), sizeLimit: sizeArb, concurrency: fc.integer({ min: 1, max: 1000 }) }, { requiredKeys: [] }).map((m) => nest('agent.moduleCache', m)),
  },
  {
    name: 'binary cache',
    keys: ['agent.binaryCache.sizeLimit', 'agent.binaryCache.thresholdDays'],
    arb: () => fc.record({ sizeLimit: sizeArb, thresholdDays: fc.integer({ min: 1, max: 365 }) }, { requiredKeys: [] }).map((b) => nest('agent.binaryCache', b)),
  },
  {
    name: 'provider network mirrors',
    keys: ['agent.providerNetworkMirrors'],
    arb: () => fc.array(fc.record({
      hostname: fc.constantFrom('*', 'registry.terraform.io', 'registry.opentofu.org', 'registry.example.com:8443'),
      url: fc.constantFrom('https://mirror.example.com/providers/', 'https://mirror.example.com', 'https://m.example.com:8443/a/b/'),
    }), { maxLength: 2 }).map((m) => nest('agent.providerNetworkMirrors', m)),
  },
  { name: 'sentry', keys: ['agent.sentryDsn'], arb: () => fc.constantFrom('', 'https://prop-dsn-key@sentry.example.com/42').map((dsn) => nest('agent.sentryDsn', dsn)) },
  {
    name: 'grace periods',
    keys: ['agent.terminationGracePeriodSeconds', 'task.terminationGracePeriodSeconds'],
    arb: () => fc.record({
      agent: fc.integer({ min: 0, max: 3600 }).map((t) => ({ terminationGracePeriodSeconds: t })),
      task: fc.integer({ min: 0, max: 3600 }).map((t) => ({ terminationGracePeriodSeconds: t })),
    }, { requiredKeys: [] }),
  },
  {
    name: 'service account',
    keys: ['serviceAccount.create', 'serviceAccount.name', 'serviceAccount.automountToken', 'serviceAccount.tokenTTL', 'serviceAccount.annotations', 'serviceAccount.labels'],
    arb: () => fc.record({
      create: fc.boolean(),
      name: fc.constantFrom('', 'prop-sa'),
      automountToken: fc.boolean(),
      tokenTTL: fc.integer({ min: 600, max: 86400 }),
      annotations: annotationsArb(2),
      labels: labelsArb(2),
    }, { requiredKeys: [] }).map((sa) => ({ serviceAccount: sa })),
  },
  { name: 'rbac', keys: ['rbac.create'], arb: () => fc.boolean().map((create) => nest('rbac.create', create)) },
  {
    name: 'task job',
    keys: ['task.job.backoffLimit', 'task.job.ttlSecondsAfterFinished'],
    arb: () => fc.record({ backoffLimit: fc.integer({ min: 0, max: 6 }), ttlSecondsAfterFinished: fc.integer({ min: 0, max: 86400 }) }, { requiredKeys: [] }).map((j) => nest('task.job', j)),
  },
  { name: 'job basename', keys: ['task.job.basename'], arb: () => fc.constantFrom('', 'prop-run', 'tf').map((b) => nest('task.job.basename', b)) },
  { name: 'startup timeout', keys: ['task.startupTimeoutSeconds'], arb: () => fc.integer({ min: 1, max: 3600 }).map((t) => nest('task.startupTimeoutSeconds', t)) },
  {
    name: 'task budget',
    keys: ['task.podDisruptionBudget.enabled', 'task.podDisruptionBudget.minAvailable', 'task.podDisruptionBudget.maxUnavailable'],
    arb: () => budgetArb(false).map((b) => nest('task.podDisruptionBudget', b)),
  },
  { name: 'metadata service', keys: ['task.allowMetadataService'], arb: () => fc.boolean().map((b) => nest('task.allowMetadataService', b)) },
  { name: 'volumes', keys: ['task.extraVolumes', 'task.worker.extraVolumeMounts', 'task.runner.extraVolumeMounts'], arb: () => volumesArb },
  { name: 'sidecars', keys: ['task.sidecars'], arb: (v) => sidecarsArb(v) },
  {
    name: 'worker image',
    keys: ['task.worker.image.repository', 'task.worker.image.tag', 'task.worker.image.pullPolicy'],
    arb: () => fc.record({ repository: fc.constantFrom('', 'scalr/agent-worker'), tag: fc.constantFrom('', '0.55.2'), pullPolicy: fc.constantFrom('', 'Always', 'IfNotPresent') }, { requiredKeys: [] })
      .map((image) => nest('task.worker.image', image)),
  },
  {
    name: 'worker command',
    keys: ['task.worker.command', 'task.worker.args'],
    arb: () => fc.record({ command: fc.constantFrom([], ['/usr/local/bin/scalr-agent']), args: fc.array(textArb, { maxLength: 2 }) }, { requiredKeys: [] }).map((w) => nest('task.worker', w)),
  },
  { name: 'worker security context', keys: ['task.worker.securityContext'], arb: () => restrictedContainerContext.map((s) => nest('task.worker.securityContext', s)) },
  {
    name: 'runner',
    keys: ['task.runner.image.repository', 'task.runner.image.tag', 'task.runner.image.pullPolicy', 'task.runner.securityContext.readOnlyRootFilesystem'],
    arb: (v) => fc.record({
      image: fc.record({
        repository: fc.constantFrom(v === '0.5.62' ? 'scalr/agent-runner' : 'scalr/runner', 'registry.example.com/prop/runner'),
        tag: fc.constantFrom(...(v === '0.5.62' ? ['', '0.55.2'] : ['0.2.0', '0.2.1'])),
        pullPolicy,
      }, { requiredKeys: [] }),
      securityContext: fc.record({ readOnlyRootFilesystem: fc.boolean(), runAsUser: uid, seccompProfile: fc.constant({ type: 'RuntimeDefault' }) }, { requiredKeys: [] }),
    }, { requiredKeys: [] }).map((r) => nest('task.runner', r)),
  },
  {
    name: 'runner memory',
    keys: ['task.runner.memorySoftLimitPercent', 'task.runner.memoryWarnPercent'],
    arb: () => fc.record({ memorySoftLimitPercent: fc.integer({ min: 1, max: 100 }), memoryWarnPercent: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }).map((r) => nest('task.runner', r)),
  },
  { name: 'data persistence', keys: ['persistence.data.enabled'], arb: () => persistenceArb('data') },
  { name: 'cache persistence', keys: ['persistence.cache.enabled'], arb: () => persistenceArb('cache') },
  {
    name: 'otel',
    keys: ['otel.enabled', 'otel.endpoint', 'otel.metricsEnabled', 'otel.tracesEnabled'],
    arb: () => fc.record({
      enabled: fc.boolean(),
      endpoint: fc.constantFrom('http://otel-collector:4317', 'https://otel.example.com:4318', 'otel-collector.observability:4317'),
      metricsEnabled: fc.boolean(),
      tracesEnabled: fc.boolean(),
    }, { requiredKeys: [] }).map((otel) => ({ otel })),
  },
  {
    name: 'name overrides',
    keys: ['nameOverride', 'fullnameOverride'],
    arb: () => fc.record({ nameOverride: fc.constantFrom('', 'prop-name'), fullnameOverride: fc.constantFrom('', 'prop-full') }, { requiredKeys: [] }),
  },
  {
    name: 'images',
    keys: ['global.imageRegistry', 'global.imagePullSecrets'],
    arb: () => fc.record({
      imageRegistry: fc.constantFrom('', 'registry.example.com', 'registry.example.com:5000'),
      imagePullSecrets: fc.uniqueArray(fc.constantFrom('regcred', 'prop-pull'), { maxLength: 2 }).map((names) => names.map((name) => ({ name }))),
    }, { requiredKeys: [] }).map((global) => ({ global })),
  },
  { name: 'image namespace', keys: ['global.imageNamespace'], arb: () => fc.constantFrom('', 'prop-mirror').map((ns) => nest('global.imageNamespace', ns)) },
  {
    name: 'proxy',
    keys: ['global.proxy.enabled', 'global.proxy.httpProxy', 'global.proxy.httpsProxy', 'global.proxy.noProxy'],
    arb: () => fc.oneof(
      fc.constant({ enabled: false }),
      fc.record({
        httpProxy: fc.constantFrom('http://proxy.internal:3128', 'https://proxy.example.com'),
        httpsProxy: fc.constantFrom('', 'http://proxy.internal:3128'),
        noProxy: fc.constantFrom('', 'localhost,.svc,10.0.0.0/8', ' .cluster.local , 127.0.0.1 '),
      }).map((p) => ({ enabled: true, ...p })),
    ).map((proxy) => nest('global.proxy', proxy)),
  },
  {
    name: 'tls secrets',
    keys: ['global.tls.caBundleSecret.name', 'global.tls.caBundleSecret.key', 'global.tls.clientCertSecret.name'],
    arb: () => fc.record({
      caBundleSecret: fc.record({ name: fc.constantFrom('', 'prop-ca'), key: fc.constantFrom('ca-bundle.crt', 'ca.crt') }),
      clientCertSecret: fc.record({ name: fc.constantFrom('', 'prop-client-cert'), certKey: fc.constant('tls.crt'), keyKey: fc.constant('tls.key') }),
    }, { requiredKeys: [] }).map((tls) => nest('global.tls', tls)),
  },
  {
    name: 'token secret key',
    keys: ['agent.tokenExistingSecret.name', 'agent.tokenExistingSecret.key'],
    arb: () => fc.record({ name: fc.constantFrom('', '', '', 'prop-existing-token'), key: fc.constantFrom('token', 'agent-token', 'TOKEN_KEY') }, { requiredKeys: [] })
      .map((s) => nest('agent.tokenExistingSecret', s)),
  },
];

/** The value groups a chart version has (all their keys in its schema). */
export function groupsOf(version: VersionName): Group[] {
  return GROUPS.filter((g) => g.keys.every((k) => SCHEMA_KEYS[version].has(k)));
}

/** A case: the inputs of one `fromHelmValues` call (or one run of the command). */
export interface ValuesCase {
  readonly version: VersionName;
  readonly token: string;
  readonly release: string;
  readonly namespace: string;
  readonly includeCrd: boolean;
  readonly values: Json;
  /** What the case did to the values (for reports). */
  readonly notes: string[];
}

/**
 * Whether cdk8s's YAML writer leaves this string unquoted although YAML 1.1 readers (kubectl)
 * read it as something else (`0X1F`, `0o17`, `08`): the library refuses such strings in what it
 * renders (AgentJobChart.toJson), the command's own writer quotes them.
 */
export function writtenPlainByCdk8s(text: string, asKey = false): boolean {
  if (!isAmbiguousYaml11(text)) return false;
  const rendered = asKey ? Yaml.stringify({ [text]: 0 }) : Yaml.stringify(text);
  return !/^["']/.test(rendered);
}

/** The values with every string (and key) that cdk8s would write plain and kubectl misread given a suffix. */
export function cdk8sSafe(value: unknown): unknown {
  if (typeof value === 'string') return writtenPlainByCdk8s(value) ? `${value}-x` : value;
  if (Array.isArray(value)) return value.map(cdk8sSafe);
  if (isMap(value)) return mapOf(Object.keys(value).map((k) => [writtenPlainByCdk8s(k, true) ? `${k}-x` : k, cdk8sSafe(value[k])]));
  return value;
}

/**
 * Valid values of one chart version: the token, and a few feature groups. With `forLibrary`
 * (the default), strings that the library refuses to render because cdk8s would write them
 * plain (see writtenPlainByCdk8s) are changed; the command accepts them.
 */
export function validValues(version: VersionName, maxGroups = 8, forLibrary = true): fc.Arbitrary<{ token: string; values: Json; notes: string[] }> {
  const groups = groupsOf(version);
  return fc.tuple(
    tokenArb,
    fc.array(fc.oneof(...groups.map((g) => g.arb(version).map((fragment) => ({ name: g.name, fragment })))), { maxLength: maxGroups }),
  ).map(([token, parts]) => {
    let values: Json = { agent: { token } };
    for (const p of parts) values = merge(values, p.fragment) as Json;
    return { token, values: forLibrary ? cdk8sSafe(values) as Json : values, notes: parts.map((p) => p.name) };
  });
}

export function validCase(version: VersionName, maxGroups = 8, forLibrary = true): fc.Arbitrary<ValuesCase> {
  return fc.record({ v: validValues(version, maxGroups, forLibrary), release: releaseArb, namespace: namespaceArb, includeCrd: fc.boolean() })
    .map(({ v, release, namespace, includeCrd }) => ({ version, token: v.token, release, namespace, includeCrd, values: v.values, notes: v.notes }));
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Numbers that break int32, float and JSON assumptions. */
export const HOSTILE_NUMBERS = [
  2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 32, 2 ** 32 - 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER,
  1e308, -1e308, 1.5, 0.1, -1, -0, 0, 5e-324, 1e21, NaN, Infinity, -Infinity,
];

/** Strings that break parsers: numbers as text, control characters, lone surrogates, invalid quantities, templates. */
export const HOSTILE_STRINGS = [
  'NaN', '-0', '1e400', '-1', '0x10', '1e3', '2147483648', '99999999999999999999', '', ' ', '\t', '\n', 'a\nb', 'a\r\nb', '\u0000', 'x\u0000y',
  '\uD800', 'a\uDC00b', '\uDBFF\uDFFF', '\u001b[31mred', '\u202e', '\u2028', '12Zi', '-1Gi', '1..5', ' 5Gi', '5Gi ', '5 Gi', '1e', 'Gi', '0.0000001m',
  '1E9999Gi', '∞', '١٢٣', 'true', 'null', '~', '{{ .Values.agent.token }}', '${HOME}', '$(id)', "'; rm -rf /", '../../etc/passwd', '/', '//',
  'http://', 'https://', 'file:///etc/passwd', 'javascript:alert(1)', 'UPPER', '-leading-dash', 'trailing-dash-', 'a'.repeat(64), 'a'.repeat(254),
];

/** Keys that break maps, paths and prototypes. */
export const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '', ' ', '.', 'a.b', 'a[0]', '[0]', '0', '-1',
  'x\ny', 'x\r', '\u0000', 'k\u0000k', '\uD800', '\u001b[2J', '\u2028', 'é', 'UPPER', 'with space', 'a/b', '/', 'a'.repeat(300), 'k'.repeat(5000),
];

/** Any hostile scalar, list or map (JSON-representable apart from NaN, Infinity and -0). */
export const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 3 },
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(true, false, null, [], {}, [1, 2], { a: 1 }, [null], [[]], [{}], { '': '' }, JSON.parse('{"__proto__": {"polluted": 1}}')), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);

const hostileKeyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
);

/** The fixed maps of a version (where an unknown key is an error), and the open ones. */
function mapPaths(version: VersionName): { fixed: string[]; open: string[]; lists: string[]; leaves: string[] } {
  const defaults = defaultValues(version);
  const profile = ChartVersion.of(version)._profile;
  const fixed = [''];
  const open: string[] = [];
  const lists: string[] = [];
  const leaves: string[] = [];
  const walk = (node: Json, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (Array.isArray(v)) {lists.push(p);} else if (isMap(v) && profile.openMaps.includes(p)) {open.push(p);} else if (isMap(v)) {
        fixed.push(p);
        walk(v, p);
      } else {leaves.push(p);}
    }
  };
  walk(defaults, '');
  return { fixed, open, lists, leaves };
}

const MAP_PATHS: Record<VersionName, ReturnType<typeof mapPaths>> = { '0.5.62': mapPaths('0.5.62'), '0.6.5': mapPaths('0.6.5') };

/** An edit of the values: a path (segments) and the value written there. */
export interface Edit {
  readonly what: string;
  readonly path: Segment[];
  readonly value: unknown;
}

const split = (p: string): Segment[] => (p === '' ? [] : p.split('.'));

/** Deeply nested maps or lists. */
const deepArb = fc.tuple(fc.integer({ min: 90, max: 320 }), fc.boolean()).map(([depth, lists]) => {
  let node: unknown = 'leaf';
  for (let i = 0; i < depth; i++) node = lists ? [node] : { a: node };
  return node;
});

/**
 * Edge values: what the library may well accept (its checks are types, shapes and names; the
 * API server validates more), at the limits of ranges, in free-form Kubernetes structures,
 * duplicates and collisions. `[path, value]`, the path dotted (an entry whose first key the
 * version lacks is left out).
 */
const EDGE_EDITS: [string, unknown][] = [
  ['agent.replicaCount', 0], ['agent.replicaCount', 2147483647],
  ['agent.terminationGracePeriodSeconds', 0], ['agent.terminationGracePeriodSeconds', 2147483647], ['task.terminationGracePeriodSeconds', 2147483647],
  ['task.job.backoffLimit', 2147483647], ['task.job.ttlSecondsAfterFinished', 2147483647], ['task.startupTimeoutSeconds', 2147483647],
  ['serviceAccount.tokenTTL', 0], ['serviceAccount.tokenTTL', 599], ['serviceAccount.tokenTTL', 4294967295],
  ['agent.podDisruptionBudget', { enabled: true, minAvailable: '100%', maxUnavailable: null }],
  ['agent.podDisruptionBudget', { enabled: true, minAvailable: 2147483647, maxUnavailable: null }],
  ['agent.resources.requests.cpu', '0'], ['agent.resources.requests.cpu', '0.001'], ['agent.resources.requests.cpu', 1e3],
  ['agent.resources.requests.memory', '64Gi'], ['agent.resources.requests.memory', 1073741824], ['agent.resources.requests.memory', '1e9'],
  ['task.worker.resources.requests.memory', '16Gi'], ['task.runner.resources.requests.cpu', '64'], ['task.runner.resources.limits.memory', '1Mi'],
  ['task.runner.resources.limits.cpu', '1m'], ['agent.providerCache.sizeLimit', '1Ei'], ['agent.providerCache.sizeLimit', '0'],
  ['persistence.data.emptyDir.sizeLimit', '0'], ['persistence.cache.emptyDir.sizeLimit', '1Ei'],
  ['persistence.data', { enabled: true, persistentVolumeClaim: { claimName: '', storage: '0' } }],
  ['persistence.cache', { enabled: true, persistentVolumeClaim: { claimName: '', accessMode: 'ReadOnlyMany', storage: '1Ei' } }],
  ['agent.dataDir', '/var/lib/scalr-agent/cache'], ['agent.cacheDir', '/var/lib/scalr-agent/data'], ['agent.dataDir', '/tmp'], ['agent.cacheDir', '/opt/binary-cache'],
  ['agent.image.tag', 'a'.repeat(128)], ['agent.url', 'http://[::1]:8080'], ['agent.url', 'https://a.b/c?d=e#f'],
  ['agent.podAnnotations', { [`example.com/${'a'.repeat(63)}`]: 'x', big: 'v\n'.repeat(1000) }],
  ['agent.podAnnotations', { nul: 'a\u0000b', ctl: '\u001b[31m', bidi: '\u202e', ls: '\u2028' }],
  ['task.podAnnotations', { [`${'a'.repeat(240)}.com/x`]: 'y' }],
  ['agent.podLabels', { ['a'.repeat(63)]: 'b'.repeat(63), empty: '' }],
  ['agent.nodeSelector', { 'kubernetes.io/os': '' }],
  ['agent.extraEnv', { 'A.B-C': 'x', '_': '', 'PROP_NUL': 'a\u0000b', 'PROP_BIG': 'x'.repeat(100000) }],
  ['agent.extraEnv', { SCALR_URL: 'https://override.example.com' }],
  ['agent.controller.securityContext', { privileged: true }],
  ['agent.controller.securityContext', { runAsUser: -1 }],
  ['agent.controller.securityContext', { runAsUser: 2147483648 }],
  ['agent.controller.securityContext', { capabilities: { add: ['NET_ADMIN'] } }],
  ['task.worker.securityContext', { seLinuxOptions: { level: 's0:c123,c456' }, procMount: 'Unmasked' }],
  ['agent.podSecurityContext', { runAsUser: 0, runAsNonRoot: false }],
  ['agent.podSecurityContext', { fsGroup: -1 }],
  ['task.podSecurityContext', { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] }],
  ['task.podSecurityContext', { supplementalGroups: [2147483648] }],
  ['agent.affinity', { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }],
  ['task.affinity', { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Foo', values: ['v'] }] }] } } }],
  ['task.affinity', { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } }],
  ['agent.tolerations', [{ key: 'k', operator: 'Equal', value: 'v\n' }]],
  ['agent.tolerations', [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 ** 53 }]],
  ['task.tolerations', [{ key: '', operator: 'Equal', value: 'x' }]],
  ['task.tolerations', [{ key: 'UPPER KEY', operator: 'Exists' }]],
  ['task.tolerations', Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, operator: 'Exists' }))],
  ['task.extraVolumes', [{ name: 'UPPER', emptyDir: {} }]],
  ['task.extraVolumes', [{ name: 'prop-dup', emptyDir: {} }, { name: 'prop-dup', emptyDir: {} }]],
  ['task.extraVolumes', [{ name: 'data-dir', emptyDir: {} }]],
  ['task.extraVolumes', [{ name: 'prop-host', hostPath: { path: '/' } }]],
  ['task.worker.extraVolumeMounts', [{ name: 'prop-missing', mountPath: '/mnt/missing' }]],
  ['task.runner.extraVolumeMounts', [{ name: 'prop-missing', mountPath: 'relative/path' }]],
  ['task.sidecars', [{ name: 'worker', image: 'busybox:1.36' }]],
  ['task.sidecars', [{ name: 'UPPER', image: 'busybox:1.36' }]],
  ['task.sidecars', [{ name: 'prop-noimage' }]],
  ['task.sidecars', [{ name: 'prop-port', image: 'busybox:1.36', ports: [{ containerPort: 70000 }] }]],
  ['agent.controller.extraEnv', [{ name: 'SCALR_URL', value: 'https://override.example.com' }]],
  ['agent.controller.extraEnv', [{ name: '' }]],
  ['agent.controller.extraEnv', [{ name: 'PROP_A', valueFrom: {} }]],
  ['agent.controller.extraEnvFrom', [{}]],
  ['agent.topologySpreadConstraints', [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }]],
  ['agent.topologySpreadConstraints', [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Foo' }]],
  ['rbac.rules', [{ apiGroups: [''], resources: ['pods'], verbs: [] }]],
  ['rbac.clusterRules', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]],
  ['global.imagePullSecrets', [{ name: 'regcred' }, { name: 'regcred' }]],
  ['agent.providerNetworkMirrors', Array.from({ length: 100 }, (_, i) => ({ hostname: `h${i}.example.com`, url: `https://m.example.com/${i}/` }))],
  ['global.labels', { 'app.kubernetes.io/managed-by': 'someone-else' }],
  ['agent.labels', { 'app.kubernetes.io/version': 'x' }],
  ['task.jobLabels', { 'batch.kubernetes.io/job-name': 'x' }],
  ['nameOverride', 'a'.repeat(63)], ['fullnameOverride', 'a'.repeat(63)], ['fullnameOverride', 'a'.repeat(253)],
  ['serviceAccount.name', 'a'.repeat(253)],
  ['task.job.basename', 'a'.repeat(60)],
];

/** The edge edits a version can take (its schema has the path, or the open map or list above it). */
export function edgeEdits(version: VersionName): Edit[] {
  const keys = SCHEMA_KEYS[version];
  return EDGE_EDITS.filter(([p]) => keys.has(p) || [...keys].some((k) => k.startsWith(`${p}.`)))
    .map(([p, value]) => ({ what: `edge value at ${p}`, path: split(p), value }));
}

/** Valid values with 1-2 edge edits (see EDGE_EDITS): mostly accepted by the library. */
export function edgeCase(version: VersionName): fc.Arbitrary<ValuesCase> {
  return fc.record({ base: validCase(version, 4), edits: fc.subarray(edgeEdits(version), { minLength: 1, maxLength: 2 }) }).map(({ base, edits }) => {
    const values = copy(base.values);
    for (const e of edits) setPath(values, e.path, copy(e.value));
    return { ...base, values, notes: [...base.notes, ...edits.map((e) => `${e.what} = ${JSON.stringify(e.value).slice(0, 60)}`)] };
  });
}

function mutationArb(version: VersionName): fc.Arbitrary<Edit> {
  const { fixed, open, lists, leaves } = MAP_PATHS[version];
  const other: VersionName = version === '0.5.62' ? '0.6.5' : '0.5.62';
  const otherOnly = [...SCHEMA_KEYS[other]].filter((k) => !SCHEMA_KEYS[version].has(k));
  const known = [...SCHEMA_KEYS[version]];
  return fc.oneof(
    // An edge value (what the library may accept and the API server may not).
    { arbitrary: fc.constantFrom(...edgeEdits(version)), weight: 4 },
    // An unknown key in a fixed map: a typo, a key of the other version, or something hostile.
    fc.tuple(fc.constantFrom(...fixed), fc.oneof(hostileKeyArb, fc.constantFrom(...leaves).map((l) => `${l.split('.').pop()}x`)), hostileValueArb)
      .map(([parent, key, value]) => ({ what: 'unknown key', path: [...split(parent), key], value })),
    ...(otherOnly.length > 0 ? [fc.tuple(fc.constantFrom(...otherOnly), hostileValueArb).map(([key, value]) => ({ what: 'key of the other version', path: split(key), value }))] : []),
    // A wrong type (or a hostile value of the right type) at a known key.
    fc.tuple(fc.constantFrom(...known), hostileValueArb).map(([key, value]) => ({ what: 'hostile value', path: split(key), value })),
    // null at a known key: removes the chart's default.
    fc.constantFrom(...known).map((key) => ({ what: 'null', path: split(key), value: null })),
    // A hostile entry of an open map (labels, environment, Kubernetes structures).
    fc.tuple(fc.constantFrom(...open), hostileKeyArb, hostileValueArb).map(([parent, key, value]) => ({ what: 'open map entry', path: [...split(parent), key], value })),
    fc.tuple(fc.constantFrom(...open), hostileKeyArb, fc.constantFrom('x', 'yes', '1')).map(([parent, key, value]) => ({ what: 'open map key', path: [...split(parent), key], value })),
    // A hostile item of a list.
    fc.tuple(fc.constantFrom(...lists), fc.integer({ min: 0, max: 3 }), hostileValueArb).map(([list, i, value]) => ({ what: 'list item', path: [...split(list), i], value })),
    // Deep nesting in an open map or a list.
    fc.tuple(fc.constantFrom(...open, ...lists), deepArb).map(([p, value]) => ({ what: 'deep nesting', path: split(p), value })),
    // A big list of valid-looking or hostile items.
    fc.tuple(fc.constantFrom(...lists), fc.integer({ min: 100, max: 1500 }), fc.oneof(fc.constant<unknown>({ key: 'k', operator: 'Exists' }), fc.constant<unknown>('x'), hostileValueArb))
      .map(([p, n, item]) => ({ what: 'big list', path: split(p), value: Array.from({ length: n }, () => item) })),
    // A big map.
    fc.tuple(fc.constantFrom(...open), fc.integer({ min: 100, max: 2000 })).map(([p, n]) => ({ what: 'big map', path: split(p), value: mapOf(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`])) })),
    // The top level of a section replaced.
    fc.tuple(fc.constantFrom('agent', 'task', 'global', 'persistence', 'rbac', 'serviceAccount', 'otel'), hostileValueArb).map(([k, value]) => ({ what: 'section replaced', path: [k], value })),
  );
}

/** The token at agent.token in a wrong type: a list or a map holding it (registered as a secret all the same). */
const tokenMangleArb = (token: string) => fc.constantFrom<unknown>([token], { value: token }, [[token]], { a: { b: token } });

/**
 * The token with whitespace around it, as a values file may hold it: a block scalar (`token: |`)
 * ends with a newline, a file from Windows with CRLF, a pasted value has spaces.
 */
export const wrapToken = (token: string) => fc.constantFrom(`${token}\n`, `${token}\r\n`, ` ${token}`, `${token} `, `\t${token}`, `\n${token}\n`);

/**
 * Valid values whose agent.token holds the token with whitespace around it, and the
 * bare token where a message shows it: as an unknown key, a key of an open map, the namespace.
 */
export function wrappedTokenCase(version: VersionName): fc.Arbitrary<ValuesCase> {
  const { fixed, open } = MAP_PATHS[version];
  return validCase(version, 2).chain((base) => fc.record({
    wrapped: wrapToken(base.token),
    where: fc.oneof(fc.constantFrom(...fixed, ...open).map((p) => ({ key: p })), fc.constant({ namespace: true })),
  }).map(({ wrapped, where }) => {
    const values = copy(base.values);
    setPath(values, ['agent', 'token'], wrapped);
    const notes = [...base.notes, `agent.token ${JSON.stringify(wrapped.replace(base.token, 'TOKEN'))}`];
    let namespace = base.namespace;
    if ('key' in where) {
      setPath(values, [...split(where.key), base.token], 'x');
      notes.push(`the bare token as a key of ${where.key || 'the top level'}`);
    } else {
      namespace = base.token;
      notes.push('the bare token as the namespace');
    }
    return { ...base, values, namespace, notes };
  }));
}

/** Hostile release names and namespaces. */
const hostileNameArb = (token: string) => fc.constantFrom(
  token, `${token}-x`, 'UPPER', '-x', 'x-', 'a'.repeat(54), 'a'.repeat(64), 'a_b', 'a.b', 'ü', ' ', 'x y', 'x\ny', '\u0000',
  '\uD800', 'default', 'kube-system', '0', '0x1', 'yes', 'null', '../x', 'x/y',
);

export function hostileCase(version: VersionName): fc.Arbitrary<ValuesCase> {
  return fc.record({
    base: validCase(version, 4),
    edits: fc.array(mutationArb(version), { minLength: 1, maxLength: 3 }),
    mangle: fc.option(fc.nat(), { nil: undefined, freq: 8 }),
    names: fc.option(fc.tuple(fc.boolean(), fc.nat()), { nil: undefined, freq: 6 }),
    // The token as a key (an unknown key, a label, a variable name): its path is in messages.
    tokenKey: fc.option(fc.constantFrom(...MAP_PATHS[version].fixed, ...MAP_PATHS[version].open), { nil: undefined, freq: 8 }),
  }).chain(({ base, edits, mangle, names, tokenKey }) => fc.record({
    tokenValue: mangle === undefined ? fc.constant<unknown>(base.token) : tokenMangleArb(base.token),
    name: names === undefined ? fc.constant(undefined) : hostileNameArb(base.token),
  }).map(({ tokenValue, name }) => {
    const values = copy(base.values);
    const notes = [...base.notes];
    if (tokenValue !== base.token) {
      setPath(values, ['agent', 'token'], tokenValue);
      notes.push('token mangled');
    }
    for (const e of edits) {
      // The token stays where it is: a hostile value for agent.token is the mangling above.
      if (e.path.length === 2 && e.path[0] === 'agent' && e.path[1] === 'token') continue;
      setPath(values, e.path, copy(e.value));
      notes.push(`${e.what} at ${e.path.map(String).join('.').slice(0, 60)}`);
    }
    // The token stays a secret: whatever replaced the agent section, agent.token holds it.
    setPath(values, ['agent', 'token'], copy(tokenValue));
    if (tokenKey !== undefined) {
      setPath(values, [...split(tokenKey), base.token], 'x');
      notes.push(`the token as a key of ${tokenKey || 'the top level'}`);
    }
    let { release, namespace } = base;
    if (names !== undefined && name !== undefined) {
      if (names[0]) release = name;
      else namespace = name;
      notes.push(`hostile ${names[0] ? 'release' : 'namespace'}`);
    }
    return { ...base, release, namespace, values, notes };
  }));
}

// ---------------------------------------------------------------------------------------------
// The token copied into fields that are not secret.

/** Where a token can be copied: a values path (or the release or namespace), and how it is written. */
export function tokenCopyEdits(version: VersionName, token: string): fc.Arbitrary<Edit> {
  const forms = fc.constantFrom(token, `${token}\n`, Buffer.from(token).toString('base64'), `x-${token}`);
  const targets: [string, (t: string) => unknown][] = [
    ['agent.url', (t) => `https://${t}@scalr.example.com`],
    ['agent.url', (t) => `https://scalr.example.com/?token=${t}`],
    ['agent.url', (t) => t],
    ['agent.podLabels.prop', (t) => t],
    ['agent.podAnnotations.prop', (t) => t],
    ['task.podAnnotations.prop', (t) => t],
    ['agent.extraEnv.PROP_TOKEN', (t) => t],
    ['task.worker.extraEnv.PROP_TOKEN', (t) => t],
    ['agent.nodeSelector.prop', (t) => t],
    ['serviceAccount.name', (t) => t],
    ['serviceAccount.annotations.prop', (t) => t],
    ['fullnameOverride', (t) => t],
    ['nameOverride', (t) => t],
    ['agent.image.tag', (t) => t],
    ['agent.image.repository', (t) => `registry.example.com/${t}`],
    ['agent.dataDir', (t) => `/data/${t}`],
    ['agent.tokenExistingSecret.key', (t) => t],
    ['persistence.cache.persistentVolumeClaim.subPath', (t) => t],
    ['otel.endpoint', (t) => `https://${t}.example.com:4317`],
    ['agent.controller.extraEnv', (t) => [{ name: 'PROP_TOKEN', value: t }]],
    ['task.tolerations', (t) => [{ key: 'prop', operator: 'Equal', value: t }]],
    ...(version === '0.6.5' ? [
      ['agent.providerNetworkMirrors', (t: string) => [{ hostname: '*', url: `https://mirror.example.com/${t}/` }]],
      ['global.proxy', (t: string) => ({ enabled: true, httpProxy: `http://user:${t}@proxy.internal:3128` })],
      ['global.labels.prop', (t: string) => t],
      ['task.job.basename', (t: string) => t],
      ['agent.controller.args', (t: string) => ['--token', t]],
    ] as [string, (t: string) => unknown][] : []),
  ];
  const keyTargets = ['agent.extraEnv', 'task.runner.extraEnv', 'agent.podLabels', 'agent.podAnnotations', 'task.nodeSelector', 'serviceAccount.labels',
    ...(version === '0.6.5' ? ['task.jobAnnotations'] : [])];
  return fc.oneof(
    fc.tuple(fc.constantFrom(...targets), forms).map(([[path, write], form]) => ({ what: `token copied to ${path}`, path: split(path), value: write(form) })),
    fc.tuple(fc.constantFrom(...keyTargets), forms).map(([path, form]) => ({ what: `token copied to a key of ${path}`, path: [...split(path), form], value: 'x' })),
  );
}

/** Whether the values hold the token (in any form) anywhere but at agent.token: a key, another value. */
export function valuesCopyToken(values: unknown, token: string): boolean {
  const forms = tokenForms(token);
  const holds = (text: string) => forms.some((f) => text.includes(f));
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: string): boolean => {
    if (path === 'agent.token') return false;
    if (typeof node === 'string') return holds(node);
    if (node === null || typeof node !== 'object' || seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.some((item, i) => walk(item, `${path}[${i}]`));
    return Object.keys(node).some((k) => holds(k) || walk((node as Json)[k], path ? `${path}.${k}` : k));
  };
  return walk(values, '');
}

export function tokenCopyCase(version: VersionName): fc.Arbitrary<ValuesCase> {
  return validCase(version, 3).chain((base) => fc.record({
    edits: fc.array(tokenCopyEdits(version, base.token), { minLength: 1, maxLength: 2 }),
    where: fc.constantFrom('values', 'values', 'values', 'release', 'namespace'),
  }).map(({ edits, where }) => {
    const values = copy(base.values);
    const notes = [...base.notes];
    let { release, namespace } = base;
    if (where === 'release') release = base.token;
    if (where === 'namespace') namespace = base.token;
    for (const e of edits) {
      setPath(values, e.path, copy(e.value));
      notes.push(e.what);
    }
    if (where !== 'values') notes.push(`token as ${where}`);
    return { ...base, release, namespace, values, notes };
  }));
}

// ---------------------------------------------------------------------------------------------
// JavaScript values only the library API can receive.

class Holder {
  public readonly x = 1;
}

/** Values a JSON or YAML file cannot hold. */
export function jsHostileValues(): fc.Arbitrary<unknown> {
  return fc.constantFrom<() => unknown>(
    () => undefined,
  () => BigInt(10),
  () => Symbol('prop'),
  () => () => 1,
  () => new Date(0),
  () => new Map([['a', 1]]),
  () => new Set([1]),
  () => /x/,
  () => new Holder(),
  () => Object.create(null),
  () => Object.assign(Object.create(null), { a: 'b' }),
  () => new Number(1),
  () => new String('x'),
  () => Buffer.from('x'),
  () => new Uint8Array(2),
  () => Object.freeze({ a: 1 }),
  // eslint-disable-next-line no-sparse-arrays
  () => [1, , 3],
  () => Object.assign([1, 2], { extra: 'x' }),
  () => {
    const cyclic: Json = { a: 1 };
    cyclic.self = cyclic;
    return cyclic;
  },
  () => {
    const list: unknown[] = [];
    list.push(list);
    return list;
  },
  () => Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }),
  () => new Proxy({}, {}),
  () => new Error('not a value'),
  () => Promise.resolve(1),
  ).map((make) => make());
}

/** The options of fromHelmValues, with some JavaScript-only values. */
export interface JsCase {
  readonly version: VersionName;
  readonly token: string;
  readonly options: Json;
  readonly notes: string[];
}

export function jsHostileCase(version: VersionName): fc.Arbitrary<JsCase> {
  const { open, lists, fixed } = MAP_PATHS[version];
  const known = [...SCHEMA_KEYS[version]];
  const securityContexts = open.filter((p) => /ecurityContext$/.test(p));
  const placeArb = fc.oneof(
    fc.constantFrom(...known, ...open, ...lists, ...fixed.filter((f) => f !== '')).map(split),
    fc.constantFrom(...open).map((p) => [...split(p), 'prop']),
    // Inside a security context (a structure whose default fields the library merges in).
    fc.tuple(fc.constantFrom(...securityContexts), fc.constantFrom('seLinuxOptions', 'seccompProfile', 'capabilities', 'runAsUser')).map(([p, k]) => [...split(p), k]),
  );
  return fc.record({
    base: validCase(version, 3),
    edits: fc.array(fc.tuple(placeArb, jsHostileValues()), { minLength: 1, maxLength: 2 }),
    option: fc.option(fc.tuple(fc.constantFrom('values', 'version', 'releaseName', 'namespace', 'includeCrd'), fc.oneof(jsHostileValues(), hostileValueArb)), { nil: undefined, freq: 4 }),
  }).map(({ base, edits, option }) => {
    const values = copy(base.values);
    const notes = [...base.notes];
    for (const [path, value] of edits) {
      if (path.length === 2 && path[0] === 'agent' && path[1] === 'token') continue;
      setPath(values, path, value);
      notes.push(`${describeJs(value)} at ${path.join('.')}`);
    }
    const options: Json = {
      values, version: ChartVersion.of(version), releaseName: base.release, namespace: base.namespace, includeCrd: base.includeCrd,
    };
    if (option) {
      setOwn(options, option[0], option[1]);
      notes.push(`options.${option[0]} = ${describeJs(option[1])}`);
    }
    return { version, token: base.token, options, notes };
  });
}

/** A short description of any JavaScript value, for reports. */
export function describeJs(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return String(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  const name = Object.getPrototypeOf(value)?.constructor?.name ?? 'null-prototype object';
  return name;
}

// ---------------------------------------------------------------------------------------------
// --set expressions

/** Escapes a --set value: commas and backslashes (helm's strvals). */
export function escapeSetValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,');
}

export interface SetArg {
  readonly option: '--set' | '--set-string';
  readonly expression: string;
}

/** Valid --set and --set-string arguments of a version (they may still be refused by type: --set 5 is a number). */
export function validSetArb(version: VersionName): fc.Arbitrary<SetArg> {
  const simple = (option: SetArg['option'], expression: string): SetArg => ({ option, expression });
  return fc.oneof(
    fc.integer({ min: 1, max: 5 }).map((n) => simple('--set', `agent.replicaCount=${n}`)),
    fc.tuple(fc.stringMatching(/^[A-Z0-9_]{1,6}$/), textArb.filter((t) => !t.includes('\u0000'))).map(([n, v]) => simple('--set-string', `agent.extraEnv.PROP_S_${n}=${escapeSetValue(v)}`)),
    fc.tuple(fc.stringMatching(/^[A-Z0-9_]{1,6}$/), fc.constantFrom('yes', 'true', 'false', 'null', '0755', '1e3', '42', '-7', '')).map(([n, v]) => simple('--set', `agent.extraEnv.PROP_S_${n}=${v}`)),
    fc.tuple(labelKeyArb, labelValueArb).map(([k, v]) => simple('--set-string', `agent.podLabels.${k.replace(/\./g, '\\.')}=${v}`)),
    fc.tuple(labelKeyArb, textArb.filter((t) => !t.includes('\u0000'))).map(([k, v]) => simple('--set-string', `task.podAnnotations.${k.replace(/\./g, '\\.')}=${escapeSetValue(v)}`)),
    fc.constantFrom(
      simple('--set', 'task.tolerations[0].key=dedicated,task.tolerations[0].operator=Exists'),
      simple('--set', 'agent.podAnnotations.prometheus\\.io/port=x9090'),
      simple('--set', 'agent.url=https://set.scalr.io'),
      simple('--set', 'agent.resources.requests.cpu=250m'),
      simple('--set', 'task.allowMetadataService=true'),
      simple('--set', 'agent.podDisruptionBudget.minAvailable=null,agent.podDisruptionBudget.maxUnavailable=1'),
      simple('--set', 'agent.extraEnv.PROP_LIST=a\\,b\\,c'),
      simple('--set-string', 'agent.image.tag=0755'),
      simple('--set', 'global.imagePullSecrets[0].name=regcred'),
      simple('--set', 'rbac.clusterRules[0].apiGroups={scalr.io},rbac.clusterRules[0].resources={atasks},rbac.clusterRules[0].verbs={get,list}'),
      ...(version === '0.6.5' ? [simple('--set', 'agent.moduleCache.enabled=true,agent.moduleCache.concurrency=4'), simple('--set-string', 'global.labels.team=platform')] : []),
    ),
  );
}

/** Malformed or hostile --set expressions (some hold the token). */
export function hostileSetArb(token: string): fc.Arbitrary<SetArg> {
  const fixedExpressions = [
    'a.b=', '=x', '=', 'a[99999999]=x', 'a[70000]=1', 'a[-1]=1', 'a[', 'a]=1', 'a[0', 'a={x,y', 'a={x,y}}', 'a.b', 'a..b=1', ',=', ',', '\\', 'a=\\',
    'a\\', 'a.=1', '.a=1', 'a[0]b=1', 'a[0]=1,a.b=2', '{}=1', 'a[x]=1', 'a[1.5]=1', 'a[0x1]=1', 'a[ 0]=1', 'agent.replicaCount=1e3',
    `agent.replicaCount=${'9'.repeat(400)}`, 'agent.replicaCount=-0', 'agent.replicaCount=0x10', 'agent.replicaCount=2147483648',
    `a${'[0]'.repeat(300)}=1`, `${'a.'.repeat(500)}b=1`, 'agent.token.x=1', 'agent=1', 'agent.extraEnv=x', '__proto__.polluted=yes',
    'constructor.prototype.polluted=yes', 'agent.__proto__.x=1', 'agent.podLabels.__proto__=x', 'agent.podLabels.constructor=x',
    'agent.extraEnv.A=\n', 'agent.extraEnv.A=\u2028', 'agent.extraEnv.A=\uD800', 'agent.podLabels.k=a\\', 'agent.url=\\,\\,',
    `agent.token=${token},${token}`, `agent.url=${token},oops`, token, `${token}=x`, `agent.podLabels.${token}`, `agent.token=${token},x[y]=1`,
    `agent.token=${token.slice(0, 10)},${token.slice(10)}`, `agent.token=${token}\\`, `agent.tokenExistingSecret.name=${token}`,
    `agent.token={${token}}`, `agent.token[0]=${token}`, `agent.token.x=${token}`, `agent.replicaCount=${token}`,
  ];
  const pieces = ['agent', '.', 'token', '=', '[', '0', ']', ',', '\\', '{', '}', 'x', token, 'replicaCount', 'extraEnv', 'PROP_A', 'null', 'true', '__proto__', '99999', ' '];
  return fc.oneof(
    fc.tuple(fc.constantFrom<SetArg['option']>('--set', '--set-string'), fc.constantFrom(...fixedExpressions)).map(([option, expression]) => ({ option, expression })),
    fc.tuple(fc.constantFrom<SetArg['option']>('--set', '--set-string'), fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join('')))
      .map(([option, expression]) => ({ option, expression })),
  );
}

/** --set arguments of a case: mostly valid ones, some hostile. */
export function setArgsArb(version: VersionName, token: string): fc.Arbitrary<SetArg[]> {
  return fc.array(fc.oneof({ arbitrary: validSetArb(version), weight: 2 }, { arbitrary: hostileSetArb(token), weight: 1 }), { maxLength: 4 });
}

/** Whether --set arguments hold the token anywhere but as agent.token's whole value. */
export function setArgsCopyToken(args: SetArg[], token: string): boolean {
  return args.some((a) => a.expression.includes(token) && a.expression !== `agent.token=${token}`);
}

// ---------------------------------------------------------------------------------------------
// Values as YAML text

export type Rendering = 'json' | 'yaml' | 'plain';

/** A plain scalar that a flow collection can hold as it is (whatever type YAML 1.1 reads it as). */
const FLOW_PLAIN = /^(?:[A-Za-z0-9~.+]|-[0-9.])[A-Za-z0-9~._+-]*$/;

/**
 * The values as a values file:
 * - `json`: JSON (every string quoted: read back exactly, NaN and Infinity become null);
 * - `yaml`: the yaml package's YAML 1.1 (what a tool may write: strings that go-yaml v2 reads
 *   differently, such as 0o17, may be written plain);
 * - `plain`: flow YAML with every string that can be plain written plain (yes, 0o17, 0X1F, ~
 *   and 1e3 then become booleans, numbers and nulls, as Helm would read them).
 */
export function renderValues(values: unknown, rendering: Rendering): string {
  if (rendering === 'json') return `${JSON.stringify(values, null, 2)}\n`;
  if (rendering === 'yaml') return yamlStringify(values, { version: '1.1' });
  return `${flow(values)}\n`;
}

function flow(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (value === Infinity) return '.inf';
    if (value === -Infinity) return '-.inf';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return FLOW_PLAIN.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.keys(value as Json).map((k) => `${FLOW_PLAIN.test(k) ? k : JSON.stringify(k)}: ${flow((value as Json)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(String(value));
}
