import { ChartVersion } from '../src';
import { isRenamedProp, keyForProp, propForKey } from '../src/helm/keymap';
import { allKnownPaths, chartValueKeys } from '../src/helm/schema';

/** [typed prop path, values key]: the props whose values key is spelled differently (src/helm/keymap.ts). */
const PAIRS: [string, string][] = [
  ['token', 'agent.token'],
  ['token.secretName', 'agent.tokenExistingSecret.name'],
  ['token.key', 'agent.tokenExistingSecret.key'],
  ['common', 'global'],
  ['common.caBundle', 'global.tls.caBundle'],
  ['common.caBundle.secretName', 'global.tls.caBundleSecret.name'],
  ['common.caBundle.key', 'global.tls.caBundleSecret.key'],
  ['common.clientCertificate', 'global.tls'],
  ['common.clientCertificate.secretName', 'global.tls.clientCertSecret.name'],
  ['common.clientCertificate.certKey', 'global.tls.clientCertSecret.certKey'],
  ['common.clientCertificate.keyKey', 'global.tls.clientCertSecret.keyKey'],
  ['common.clientCertificate.certificate', 'global.tls.clientCert'],
  ['common.clientCertificate.privateKey', 'global.tls.clientKey'],
  ['telemetry', 'otel'],
  ['telemetry.metrics', 'otel.metricsEnabled'],
  ['telemetry.traces', 'otel.tracesEnabled'],
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
    PAIRS.push([`${container}.resources.${resource}.request`, `${container}.resources.requests.${key}`]);
    PAIRS.push([`${container}.resources.${resource}.limit`, `${container}.resources.limits.${key}`]);
  }
}

describe('the keymap of typed props and values keys', () => {
  test.each(PAIRS)('%s <-> %s', (prop, key) => {
    expect(keyForProp(prop)).toBe(key);
    expect(propForKey(key)).toBe(prop);
    expect(propForKey(keyForProp(prop))).toBe(prop);
    expect(keyForProp(propForKey(key))).toBe(key);
    expect(isRenamedProp(prop)).toBe(true);
  });

  test.each(PAIRS)('%s: paths below a renamed prefix are renamed with it', (prop, key) => {
    expect(keyForProp(`${prop}[0].name`)).toBe(`${key}[0].name`);
    expect(keyForProp(`${prop} (label key)`)).toBe(`${key} (label key)`);
    expect(propForKey(`${key}[1]`)).toBe(`${prop}[1]`);
  });

  test('the longest prefix wins, and only whole segments match', () => {
    expect(keyForProp('common.podLabels.team')).toBe('global.podLabels.team');
    expect(keyForProp('common.caBundle.secretName')).toBe('global.tls.caBundleSecret.name');
    expect(keyForProp('agent.replicasX')).toBe('agent.replicasX');
    expect(keyForProp('tokenTtl')).toBe('tokenTtl');
    expect(propForKey('global.tls.caBundleSecret.name')).toBe('common.caBundle.secretName');
    expect(propForKey('otelX')).toBe('otelX');
  });

  test('props and keys spelled alike are left alone', () => {
    for (const path of ['agent.url', 'agent.image.tag', 'task.job.backoffLimit', 'rbac.rules[0].verbs', 'nameOverride']) {
      expect(keyForProp(path)).toBe(path);
      expect(propForKey(path)).toBe(path);
      expect(isRenamedProp(path)).toBe(false);
    }
  });

  test.each(ChartVersion.all().map((v) => [v.version, v] as const))('chart %s: every values key survives the round trip through its prop path', (_v, version) => {
    const keys = [...new Set([...chartValueKeys(version._profile), ...allKnownPaths(version._profile)])];
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((key) => keyForProp(propForKey(key)) !== key)).toEqual([]);
  });

  test('every values key of the pairs is a key of some chart version', () => {
    const all = ChartVersion.all().flatMap((v) => allKnownPaths(v._profile));
    expect(PAIRS.map(([, key]) => key).filter((key) => !all.includes(key))).toEqual([]);
  });
});
