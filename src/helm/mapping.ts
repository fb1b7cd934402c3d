import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Values } from './values';
import { AgentPoolProps } from '../agent-pool';
import { ChartVersion } from '../chart-version';
import { AgentJobConfigError, REDACTED, invalid, problem } from '../core/errors';
import { Json } from '../core/json';
import { ACCESS_MODES, DIRECTORY, DIRECTORY_OR_CREATE, EMPTY_DIR_MEDIUMS, INT32_MAX } from '../core/k8s-enums';
import { isDnsSubdomain, isSecretKey } from '../core/names';
import { secretByName } from '../internal/refs';
import { AgentOptions, ProviderNetworkMirror } from '../options/agent';
import { CommonOptions, LogFormat, PodDisruptionBudgetOptions, ProxyOptions } from '../options/common';
import { PersistenceOptions, RbacOptions, ServiceAccountOptions, TelemetryOptions } from '../options/pool';
import { TaskDisruptionBudgetOptions, TaskOptions, WorkerOptions } from '../options/task';
import { VolumeStorage } from '../storage';
import { CaBundle, ClientCertificate } from '../tls';
import { AgentToken } from '../token';

// The mapping of a chart version's coalesced values onto the typed props, key by key. A key
// the chart version does not have (v.has) maps to nothing, and the version's typed defaults apply.

/** Runs a library call whose messages name its own argument, and puts the values path in front. */
function at<T>(prefix: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (AgentJobConfigError.isAgentJobConfigError(error)) throw error._withPaths((p) => `${prefix}${p}`);
    throw error;
  }
}

function token(v: Values): AgentToken {
  const secretName = v.string('agent.tokenExistingSecret.name');
  const key = v.string('agent.tokenExistingSecret.key');
  // A token pasted into the wrong key is never shown.
  if (secretName !== '' && !isDnsSubdomain(secretName)) {
    invalid('agent.tokenExistingSecret.name', REDACTED,
      "the name of an existing Secret: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
  }
  if (!isSecretKey(key)) {
    invalid('agent.tokenExistingSecret.key', REDACTED, "the Secret key that holds the token: letters, digits, '-', '_' and '.', such as \"token\"");
  }
  const value = v.get('agent.token') ?? '';
  if (typeof value !== 'string') invalid('agent.token', REDACTED, 'a string (quote it, or use --set-string)');
  if (secretName !== '') return AgentToken.fromSecretName(secretName, key)._withUnusedValue(value);
  if (value === '') {
    problem('agent.token', 'got nothing; expected the agent pool token, or the name of an existing Secret '
      + 'in agent.tokenExistingSecret.name (the chart fails the same way: "agent.token must be provided")');
  }
  // Unlike the chart (which always writes the key "token"), the Secret the library creates uses
  // agent.tokenExistingSecret.key, so that the reference to it holds.
  const fromValue = AgentToken.fromValue(value);
  return key === 'token' ? fromValue : fromValue.withKey(key);
}

function debug(v: Values): boolean {
  const value = v.get('agent.debug');
  if (value === '1' || value === 1 || value === true) return true;
  if (value === '0' || value === 0 || value === false) return false;
  return invalid('agent.debug', value, '"0" or "1" (or 0, 1, true, false)');
}

/** A PodDisruptionBudget field: null (or absent) means unset; a number or a percentage. */
function budgetValue(v: Values, path: string, percentAllowed: boolean): number | string | undefined {
  const value = v.getOrNull(path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= INT32_MAX) return value;
  if (percentAllowed && typeof value === 'string' && /^\d+%$/.test(value)) return value;
  return invalid(path, value, percentAllowed ? 'a whole number of at least 0, a percentage such as "50%", or null' : 'a whole number of at least 0, or null');
}

/** Both fields of a budget given: an error that says which one to drop. */
function bothBudgetFields(path: string, minDefault: unknown): never {
  return problem(`${path}.minAvailable`, 'is set together with {0}; expected only one of them: a PodDisruptionBudget takes '
    + `minAvailable or maxUnavailable, not both; set one of them to null${minDefault === null ? '' : ` (minAvailable defaults to ${minDefault})`}`,
  [`${path}.maxUnavailable`]);
}

function disruptionBudget(v: Values): PodDisruptionBudgetOptions {
  const path = 'agent.podDisruptionBudget';
  const enabled = v.bool(`${path}.enabled`);
  const min = budgetValue(v, `${path}.minAvailable`, true);
  const max = budgetValue(v, `${path}.maxUnavailable`, true);
  if (enabled && min !== undefined && max !== undefined) bothBudgetFields(path, 1);
  if (enabled && min === undefined && max === undefined) {
    problem(path, 'got neither minAvailable nor maxUnavailable; expected one of them (or enabled: false for no PodDisruptionBudget)');
  }
  return {
    enabled,
    minAvailable: typeof min === 'number' ? min : undefined,
    minAvailablePercent: typeof min === 'string' ? min : undefined,
    maxUnavailable: typeof max === 'number' ? max : undefined,
    maxUnavailablePercent: typeof max === 'string' ? max : undefined,
  };
}

function taskDisruptionBudget(v: Values): TaskDisruptionBudgetOptions | undefined {
  const path = 'task.podDisruptionBudget';
  if (!v.has(path)) return undefined;
  const enabled = v.bool(`${path}.enabled`);
  const min = budgetValue(v, `${path}.minAvailable`, false) as number | undefined;
  const max = budgetValue(v, `${path}.maxUnavailable`, false) as number | undefined;
  if (!enabled) return { enabled: false };
  if (min !== undefined && max !== undefined) bothBudgetFields(path, null);
  if (min === undefined && max === undefined) {
    problem(path, 'got neither minAvailable nor maxUnavailable; expected one of them (or enabled: false for no PodDisruptionBudget)');
  }
  return { enabled, minAvailable: min, maxUnavailable: max };
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

function proxy(v: Values): ProxyOptions | undefined {
  if (!v.has('global.proxy') || !v.bool('global.proxy.enabled')) return undefined;
  const noProxy = v.string('global.proxy.noProxy');
  return {
    httpProxy: v.optionalString('global.proxy.httpProxy'),
    httpsProxy: v.optionalString('global.proxy.httpsProxy'),
    noProxy: noProxy === '' ? undefined : noProxy.split(',').map((e) => e.trim()).filter((e) => e !== ''),
  };
}

function caBundle(v: Values): CaBundle | undefined {
  if (!v.has('global.tls')) return undefined;
  const name = v.string('global.tls.caBundleSecret.name');
  const key = v.string('global.tls.caBundleSecret.key');
  const pem = v.string('global.tls.caBundle');
  // As the chart: a Secret name wins over an inline bundle.
  if (name !== '') return CaBundle.fromSecretName(name, key);
  if (pem !== '') return CaBundle.fromPem(pem, key);
  return undefined;
}

function clientCertificate(v: Values): ClientCertificate | undefined {
  if (!v.has('global.tls')) return undefined;
  const name = v.string('global.tls.clientCertSecret.name');
  const certKey = v.string('global.tls.clientCertSecret.certKey');
  const keyKey = v.string('global.tls.clientCertSecret.keyKey');
  const cert = v.string('global.tls.clientCert');
  const key = v.string('global.tls.clientKey');
  if (name !== '') return ClientCertificate.fromSecretName(name, certKey, keyKey);
  if (cert === '' && key === '') return undefined;
  if (cert === '' || key === '') {
    problem(cert === '' ? 'global.tls.clientCert' : 'global.tls.clientKey',
      'got nothing; expected it too: an inline client certificate needs both global.tls.clientCert and global.tls.clientKey');
  }
  return ClientCertificate.fromPem(cert, key, certKey, keyKey);
}

function common(v: Values): CommonOptions {
  const secrets = v.rawList<Json>('global.imagePullSecrets', 'an image pull secret such as {name: regcred}') ?? [];
  return {
    labels: v.has('global.labels') ? v.stringMap('global.labels') : undefined,
    annotations: v.has('global.annotations') ? v.stringMap('global.annotations') : undefined,
    imageRegistry: v.optionalString('global.imageRegistry'),
    imageNamespace: v.has('global.imageNamespace') ? v.optionalString('global.imageNamespace') : undefined,
    imagePullSecrets: secrets.map((secret, i) => {
      const extra = Object.keys(secret).find((k) => k !== 'name');
      if (extra !== undefined) problem(`global.imagePullSecrets[${i}].${extra}`, 'unknown key; expected only name');
      if (typeof secret.name !== 'string' || !isDnsSubdomain(secret.name)) {
        invalid(`global.imagePullSecrets[${i}].name`, secret.name, 'the name of a Secret in the release namespace');
      }
      return secretByName(secret.name);
    }),
    podAnnotations: v.stringMap('global.podAnnotations'),
    podLabels: v.stringMap('global.podLabels'),
    podSecurityContext: v.securityContext<kplus.k8s.PodSecurityContext>('global.podSecurityContext'),
    proxy: proxy(v),
    caBundle: caBundle(v),
    clientCertificate: clientCertificate(v),
  };
}

function mirrors(v: Values): ProviderNetworkMirror[] | undefined {
  if (!v.has('agent.providerNetworkMirrors')) return undefined;
  const list = v.rawList<Json>('agent.providerNetworkMirrors', 'a mirror: { url, hostname?, include?, token? }') ?? [];
  const fields = ['url', 'hostname', 'include', 'token'];
  return list.map((m, i) => {
    const extra = Object.keys(m).find((k) => !fields.includes(k));
    if (extra !== undefined) problem(`agent.providerNetworkMirrors[${i}].${extra}`, `unknown key; expected only ${fields.join(', ')}`);
    return { url: m.url, hostname: m.hostname ?? undefined, include: m.include ?? undefined, token: m.token ?? undefined };
  });
}

function agent(v: Values): AgentOptions {
  const has = (path: string) => v.has(path);
  return {
    ...podOptions(v, 'agent'),
    labels: has('agent.labels') ? v.stringMap('agent.labels') : undefined,
    annotations: has('agent.annotations') ? v.stringMap('agent.annotations') : undefined,
    topologySpreadConstraints: has('agent.topologySpreadConstraints')
      ? v.rawList<kplus.k8s.TopologySpreadConstraint>('agent.topologySpreadConstraints', 'a Kubernetes TopologySpreadConstraint') : undefined,
    url: v.string('agent.url'),
    image: v.image('agent.image'),
    debug: debug(v),
    logFormat: v.oneOf('agent.logFormat', Object.values(LogFormat)),
    sentryDsn: has('agent.sentryDsn') ? v.optionalString('agent.sentryDsn') : undefined,
    extraEnv: v.envMap('agent.extraEnv'),
    allowEnvOverrides: v.getOrNull('agent.allowEnvOverrides') === undefined ? undefined : v.bool('agent.allowEnvOverrides'),
    replicas: v.integer('agent.replicaCount'),
    podDisruptionBudget: disruptionBudget(v),
    resources: v.resources('agent.resources'),
    controller: {
      command: has('agent.controller.command') ? v.stringList('agent.controller.command') : undefined,
      args: has('agent.controller.args') ? v.stringList('agent.controller.args') : undefined,
      extraEnvVars: v.rawList<kplus.k8s.EnvVar>('agent.controller.extraEnv', 'a Kubernetes EnvVar'),
      extraEnvFrom: v.rawList<kplus.k8s.EnvFromSource>('agent.controller.extraEnvFrom', 'a Kubernetes EnvFromSource'),
      securityContext: v.rawMap<kplus.k8s.SecurityContext>('agent.controller.securityContext'),
    },
    dataDir: v.string('agent.dataDir'),
    cacheDir: v.string('agent.cacheDir'),
    providerCache: {
      enabled: v.bool('agent.providerCache.enabled'),
      sizeLimit: v.megabyteSize('agent.providerCache.sizeLimit'),
      concurrency: has('agent.providerCache.concurrency') ? v.integer('agent.providerCache.concurrency', 1, 1000) : undefined,
      dropKernelPages: has('agent.providerCache.dropKernelPages') ? v.bool('agent.providerCache.dropKernelPages') : undefined,
    },
    moduleCache: has('agent.moduleCache') ? {
      enabled: v.bool('agent.moduleCache.enabled'),
      sizeLimit: v.megabyteSize('agent.moduleCache.sizeLimit'),
      concurrency: v.integer('agent.moduleCache.concurrency', 1, 1000),
    } : undefined,
    binaryCache: has('agent.binaryCache') ? {
      sizeLimit: v.megabyteSize('agent.binaryCache.sizeLimit'),
      threshold: Duration.days(v.integer('agent.binaryCache.thresholdDays', 1, 36500)),
    } : undefined,
    providerNetworkMirrors: mirrors(v),
  };
}

function worker(v: Values): WorkerOptions {
  const path = 'task.worker';
  return {
    image: v.has(`${path}.image`) ? v.image(`${path}.image`) : undefined,
    command: v.has(`${path}.command`) ? v.stringList(`${path}.command`) : undefined,
    args: v.has(`${path}.args`) ? v.stringList(`${path}.args`) : undefined,
    resources: v.resources(`${path}.resources`),
    extraEnv: v.envMap(`${path}.extraEnv`),
    extraVolumeMounts: v.rawList<kplus.k8s.VolumeMount>(`${path}.extraVolumeMounts`, 'a Kubernetes VolumeMount'),
    securityContext: v.rawMap<kplus.k8s.SecurityContext>(`${path}.securityContext`),
  };
}

function task(v: Values): TaskOptions {
  const path = 'task.runner';
  return {
    ...podOptions(v, 'task'),
    job: {
      backoffLimit: v.integer('task.job.backoffLimit'),
      ttlAfterFinished: Duration.seconds(v.integer('task.job.ttlSecondsAfterFinished')),
      basename: v.has('task.job.basename') ? v.optionalString('task.job.basename') : undefined,
    },
    jobLabels: v.has('task.jobLabels') ? v.stringMap('task.jobLabels') : undefined,
    jobAnnotations: v.has('task.jobAnnotations') ? v.stringMap('task.jobAnnotations') : undefined,
    startupTimeout: v.has('task.startupTimeoutSeconds') ? Duration.seconds(v.integer('task.startupTimeoutSeconds', 1)) : undefined,
    podDisruptionBudget: taskDisruptionBudget(v),
    allowMetadataService: v.bool('task.allowMetadataService'),
    extraVolumes: v.rawList<kplus.k8s.Volume>('task.extraVolumes', 'a Kubernetes Volume'),
    sidecars: v.rawList<kplus.k8s.Container>('task.sidecars', 'a Kubernetes Container'),
    worker: worker(v),
    runner: {
      image: v.image(`${path}.image`),
      resources: v.resources(`${path}.resources`),
      extraEnv: v.envMap(`${path}.extraEnv`),
      extraVolumeMounts: v.rawList<kplus.k8s.VolumeMount>(`${path}.extraVolumeMounts`, 'a Kubernetes VolumeMount'),
      securityContext: v.securityContext<kplus.k8s.SecurityContext>(`${path}.securityContext`),
      memorySoftLimitPercent: v.has(`${path}.memorySoftLimitPercent`) ? v.integer(`${path}.memorySoftLimitPercent`, 1, 100) : undefined,
      memoryWarnPercent: v.has(`${path}.memoryWarnPercent`) ? v.integer(`${path}.memoryWarnPercent`, 1, 100) : undefined,
    },
  };
}

function serviceAccount(v: Values): ServiceAccountOptions {
  return {
    create: v.bool('serviceAccount.create'),
    name: v.optionalString('serviceAccount.name'),
    automountToken: v.bool('serviceAccount.automountToken'),
    // The API server's range of a projected token's expirationSeconds.
    tokenTtl: Duration.seconds(v.integer('serviceAccount.tokenTTL', 600, 2 ** 32 - 1)),
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
  const medium = v.oneOf(`${path}.emptyDir.medium`, EMPTY_DIR_MEDIUMS.filter((m) => m !== ''), true) as kplus.EmptyDirMedium | undefined;
  const claimName = v.string(`${claim}.claimName`);
  const storageClassName = v.string(`${claim}.storageClassName`);
  const size = v.size(`${claim}.storage`);
  const accessMode = v.oneOf(`${claim}.accessMode`, ACCESS_MODES) as kplus.PersistentVolumeAccessMode;
  // persistence.data.persistentVolumeClaim.subPath is accepted and, as in the chart, unused.
  const subPath = v.string(`${claim}.subPath`);
  const hostPath = v.has(`${path}.hostPath`) ? v.string(`${path}.hostPath.path`) : '';
  const hostPathType = v.has(`${path}.hostPath`) ? v.oneOf(`${path}.hostPath.type`, [DIRECTORY_OR_CREATE, DIRECTORY]) : undefined;

  let storage: VolumeStorage;
  if (!enabled) {
    storage = at(`${path}.emptyDir.`, () => VolumeStorage.emptyDir({ sizeLimit, medium }));
  } else if (hostPath !== '') {
    // As chart 0.6.5: a node directory wins over a claim, and no claim is created.
    storage = at(`${path}.`, () => VolumeStorage.hostPath(hostPath, hostPathType));
  } else if (claimName !== '') {
    storage = at(`${claim}.`, () => VolumeStorage.fromClaimName(claimName));
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

/** The typed props of a release of the chart version installed with these (coalesced) values. */
export function mapValues(v: Values, version: ChartVersion): AgentPoolProps {
  return {
    token: token(v),
    version,
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
