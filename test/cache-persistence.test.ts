import { Chart, Size, Testing } from 'cdk8s';
import { AgentRelease, CachePersistence, VolumeStorage } from '../src';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'agents' });

describe('CachePersistence', () => {
  test('is an emptyDir of 5Gi mounted at the volume root by default', () => {
    const c = new CachePersistence(chart(), 'cache');
    expect(c.toVolume()).toEqual({ name: 'cache-dir', emptyDir: { sizeLimit: '5Gi' } });
    expect(c.workerSubPath).toBeUndefined();
    expect(c.runnerSubPath('bin')).toBe('bin');
    expect(c.claim).toBeUndefined();
  });

  test('creates a ReadWriteMany claim of 50Gi named after the release', () => {
    const scope = chart();
    const c = new CachePersistence(scope, 'cache', { release: new AgentRelease({ releaseName: 'team-a' }), storage: VolumeStorage.newClaim() });
    const [pvc] = Testing.synth(scope);
    expect(pvc.metadata.name).toBe('team-a-agent-job-cache');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '50Gi' } } });
    expect(c.toVolume()).toEqual({ name: 'cache-dir', persistentVolumeClaim: { claimName: 'team-a-agent-job-cache' } });
    expect(c.workerSubPath).toBe('cache');
  });

  test('turns the storage class "-" into "" (no dynamic provisioning)', () => {
    const scope = chart();
    new CachePersistence(scope, 'cache', { storage: VolumeStorage.newClaim({ storageClassName: '-' }) });
    expect(Testing.synth(scope)[0].spec.storageClassName).toBe('');
  });

  test('uses an existing claim without creating one', () => {
    const scope = chart();
    const c = new CachePersistence(scope, 'cache', { storage: VolumeStorage.existingClaim('shared'), subPath: 'team-a/' });
    expect(Testing.synth(scope)).toHaveLength(0);
    expect(c.claimName).toBe('shared');
    expect(c.runnerSubPath('providers')).toBe('team-a/cache/providers');
  });

  test('keeps the provider cache size', () => {
    const c = new CachePersistence(chart(), 'cache', { providerCache: { enabled: true, sizeLimit: Size.gibibytes(1.5) } });
    expect(c.providerCacheEnabled).toBe(true);
    expect(c.providerCacheSizeLimit.toMebibytes()).toBe(1536);
  });

  test('fails with a subPath that escapes the volume', () => {
    expect(() => new CachePersistence(chart(), 'cache', { storage: VolumeStorage.existingClaim('c'), subPath: 'a/../../b' }))
      .toThrow(/persistence.cacheSubPath: got "a\/..\/..\/b"; expected a relative path/);
  });
});
