import { Chart, Size, Testing } from 'cdk8s';
import { AgentRelease, CachePersistence, ChartVersion, VolumeStorage } from '../src';
import {
  V0_5_62, V0_6_5, VERSIONS, configErrorOf, containerOf, controllerPodOf, envOf, objectsOf, poolObjects, taskPodOf,
} from './support/builders';
import { referenceObjects } from './support/reference-objects';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'agents' });
const release = (version: ChartVersion, releaseName?: string) => new AgentRelease({ version, releaseName });
const eachVersion = test.each(VERSIONS.map((v) => [v.version, v] as const));

describe('CachePersistence', () => {
  // persistence.cache.emptyDir.sizeLimit: 5Gi in 0.5.62, 1Gi in 0.6.5 (spec B.3).
  test.each([['0.5.62', '5Gi', V0_5_62], ['0.6.5', '1Gi', V0_6_5]])('%s: is an emptyDir of %s mounted at the volume root by default', (_v, size, version) => {
    const c = new CachePersistence(chart(), 'cache', { release: release(version as ChartVersion) });
    expect(c.toVolume()).toEqual({ name: 'cache-dir', emptyDir: { sizeLimit: size } });
    expect(c.workerSubPath).toBeUndefined();
    expect(c.runnerSubPath('bin')).toBe('bin');
    expect(c.claim).toBeUndefined();
  });

  // persistence.cache.persistentVolumeClaim.storage: 50Gi in 0.5.62, 90Gi in 0.6.5 (spec B.3).
  test.each([
    ['0.5.62', 'team-a-agent-job-cache', '50Gi', V0_5_62],
    ['0.6.5', 'team-a-scalr-agent-cache', '90Gi', V0_6_5],
  ])('%s: creates a ReadWriteMany claim named %s of %s', (_v, name, size, version) => {
    const scope = chart();
    const c = new CachePersistence(scope, 'cache', { release: release(version as ChartVersion, 'team-a'), storage: VolumeStorage.newClaim() });
    const [pvc] = objectsOf(scope);
    expect(pvc.metadata.name).toBe(name);
    expect(pvc.metadata.labels['app.kubernetes.io/component']).toBe('cache');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: size } } });
    expect(c.toVolume()).toEqual({ name: 'cache-dir', persistentVolumeClaim: { claimName: name } });
    expect(c.workerSubPath).toBe('cache');
  });

  test('turns the storage class "-" into "" (no dynamic provisioning)', () => {
    const scope = chart();
    new CachePersistence(scope, 'cache', { storage: VolumeStorage.newClaim({ storageClassName: '-' }) });
    expect(objectsOf(scope)[0].spec.storageClassName).toBe('');
  });

  test('uses an existing claim without creating one, under <subPath>/cache', () => {
    const scope = chart();
    const c = new CachePersistence(scope, 'cache', { storage: VolumeStorage.fromClaimName('shared'), subPath: 'team-a/' });
    expect(objectsOf(scope)).toHaveLength(0);
    expect(c.claimName).toBe('shared');
    expect(c.workerSubPath).toBe('team-a/cache');
    expect(c.runnerSubPath('providers')).toBe('team-a/cache/providers');
  });

  test('existingClaim is the same as fromClaimName', () => {
    expect(new CachePersistence(chart(), 'cache', { storage: VolumeStorage.existingClaim('shared') }).toVolume())
      .toEqual(new CachePersistence(chart(), 'cache', { storage: VolumeStorage.fromClaimName('shared') }).toVolume());
  });

  test('drops a leading "/" of the subPath, as both charts do', () => {
    expect(new CachePersistence(chart(), 'cache', { storage: VolumeStorage.fromClaimName('c'), subPath: '/team-a' }).workerSubPath).toBe('team-a/cache');
  });

  test('fails with a subPath that escapes the volume', () => {
    const error = configErrorOf(() => new CachePersistence(chart(), 'cache', { storage: VolumeStorage.fromClaimName('c'), subPath: 'a/../../b' }));
    expect(error.message).toMatch(/^persistence\.cacheSubPath: got "a\/\.\.\/\.\.\/b"; expected a relative path/);
  });

  test('fails with a subPath on an emptyDir, which belongs to one pod anyway', () => {
    expect(configErrorOf(() => new CachePersistence(chart(), 'cache', { subPath: 'team-a' })).path).toBe('persistence.cacheSubPath');
  });

  test('gives the controller an emptyDir unless it shares the cache, and the claim under <subPath>/cache when it does', () => {
    const c = new CachePersistence(chart(), 'cache', { storage: VolumeStorage.fromClaimName('shared'), subPath: 'team-a' });
    expect(c.controllerVolume(false)).toEqual({ volume: { name: 'cache-dir', emptyDir: {} } });
    expect(c.controllerVolume(true)).toEqual({ volume: { name: 'cache-dir', persistentVolumeClaim: { claimName: 'shared' } }, subPath: 'team-a/cache' });
  });
});

describe('the controller and the cache of a pool', () => {
  eachVersion('chart %s: the controller mounts the cache as the reference 04-existing-claims does', (_v, version) => {
    const reference = referenceObjects(version, '04-existing-claims');
    // The scenario's cache: the existing claim shared-cache with a subPath (values.yaml of each version).
    const subPath = version === V0_6_5 ? 'pools/blue' : 'team-a';
    const objects = poolObjects({
      version,
      persistence: { cache: VolumeStorage.fromClaimName('shared-cache'), cacheSubPath: subPath },
    });
    const cacheOf = (pod: any) => ({
      volume: pod.volumes.find((v: any) => v.name === 'cache-dir'),
      mount: containerOf(pod, 'controller').volumeMounts.find((m: any) => m.name === 'cache-dir'),
    });
    expect(cacheOf(controllerPodOf(objects))).toEqual(cacheOf(controllerPodOf(reference)));
    // and the task pod's worker and runner mount it as the reference does
    for (const name of ['worker', 'runner']) {
      const mounts = (pod: any) => containerOf(pod, name).volumeMounts.filter((m: any) => m.name === 'cache-dir');
      expect(mounts(taskPodOf(objects))).toEqual(mounts(taskPodOf(reference)));
    }
  });

  test('persistence.controllerCache false keeps the 0.6.5 controller on an emptyDir', () => {
    const pod = controllerPodOf(poolObjects({ persistence: { cache: VolumeStorage.fromClaimName('shared-cache'), controllerCache: false } }));
    expect(pod.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({ name: 'cache-dir', emptyDir: {} });
    expect(containerOf(pod, 'controller').volumeMounts.find((m: any) => m.name === 'cache-dir').subPath).toBeUndefined();
  });

  eachVersion('chart %s: agent.providerCache.sizeLimit reaches the worker in megabytes', (_v, version) => {
    const objects = poolObjects({ version, agent: { providerCache: { enabled: true, sizeLimit: Size.gibibytes(1.5) } } });
    expect(envOf(containerOf(taskPodOf(objects), 'worker'))).toMatchObject({
      SCALR_AGENT_PROVIDER_CACHE_ENABLED: 'true', SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB: '1536',
    });
  });
});
