// One table of the typed props whose values keys are spelled differently, used in both
// directions: a library error names a prop path and is shown with the values key; a values key
// written with a prop's name is suggested its values spelling.

/** [prop path, values key]: a prefix of a prop path and the prefix of the values key it comes from. */
const PAIRS: [string, string][] = [
  ['token.secretName', 'agent.tokenExistingSecret.name'],
  ['token.key', 'agent.tokenExistingSecret.key'],
  ['token', 'agent.token'],
  ['common.caBundle.secretName', 'global.tls.caBundleSecret.name'],
  ['common.caBundle.key', 'global.tls.caBundleSecret.key'],
  ['common.caBundle', 'global.tls.caBundle'],
  ['common.clientCertificate.secretName', 'global.tls.clientCertSecret.name'],
  ['common.clientCertificate.certKey', 'global.tls.clientCertSecret.certKey'],
  ['common.clientCertificate.keyKey', 'global.tls.clientCertSecret.keyKey'],
  ['common.clientCertificate.certificate', 'global.tls.clientCert'],
  ['common.clientCertificate.privateKey', 'global.tls.clientKey'],
  ['common.clientCertificate', 'global.tls'],
  ['common', 'global'],
  ['telemetry.metrics', 'otel.metricsEnabled'],
  ['telemetry.traces', 'otel.tracesEnabled'],
  ['telemetry', 'otel'],
  ['agent.replicas', 'agent.replicaCount'],
  ['agent.terminationGracePeriod', 'agent.terminationGracePeriodSeconds'],
  ['agent.controller.extraEnvVars', 'agent.controller.extraEnv'],
  ['agent.binaryCache.threshold', 'agent.binaryCache.thresholdDays'],
  ['agent.podDisruptionBudget.minAvailablePercent', 'agent.podDisruptionBudget.minAvailable'],
  ['agent.podDisruptionBudget.maxUnavailablePercent', 'agent.podDisruptionBudget.maxUnavailable'],
  ['task.terminationGracePeriod', 'task.terminationGracePeriodSeconds'],
  ['task.startupTimeout', 'task.startupTimeoutSeconds'],
  ['task.job.ttlAfterFinished', 'task.job.ttlSecondsAfterFinished'],
  ['serviceAccount.tokenTtl', 'serviceAccount.tokenTTL'],
  ['persistence.cacheSubPath', 'persistence.cache.persistentVolumeClaim.subPath'],
  ['persistence.data.claim', 'persistence.data.persistentVolumeClaim.claimName'],
  ['persistence.cache.claim', 'persistence.cache.persistentVolumeClaim.claimName'],
];
// kplus.ContainerResources (`cpu.request`) against Kubernetes resources (`requests.cpu`).
for (const container of ['agent', 'task.worker', 'task.runner']) {
  for (const [resource, key] of [['cpu', 'cpu'], ['memory', 'memory'], ['ephemeralStorage', 'ephemeral-storage']]) {
    PAIRS.unshift([`${container}.resources.${resource}.request`, `${container}.resources.requests.${key}`]);
    PAIRS.unshift([`${container}.resources.${resource}.limit`, `${container}.resources.limits.${key}`]);
  }
}

/** Replaces the longest matching prefix (whole segments) of `path` by its counterpart. */
function translate(path: string, from: 0 | 1): string {
  const to = from === 0 ? 1 : 0;
  let best: [string, string] | undefined;
  for (const pair of PAIRS) {
    const prefix = pair[from];
    const matches = path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`) || path.startsWith(`${prefix} `);
    if (matches && (best === undefined || prefix.length > best[from].length)) best = pair;
  }
  return best ? best[to] + path.slice(best[from].length) : path;
}

/** The values key a prop path comes from (`agent.replicas` → `agent.replicaCount`). */
export function keyForProp(propPath: string): string {
  return translate(propPath, 0);
}

/** The prop path a values key maps to (`agent.replicaCount` → `agent.replicas`). */
export function propForKey(valuesKey: string): string {
  return translate(valuesKey, 1);
}

/** Whether the prop path is spelled differently as a values key. */
export function isRenamedProp(propPath: string): boolean {
  return keyForProp(propPath) !== propPath;
}
