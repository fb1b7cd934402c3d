import { Size } from 'cdk8s';
import { ChartVersion, NfsStorageOptions, PersistenceOptions, VolumeStorage } from '../src';
import { PoolProps, V0_5_62, V0_6_5, configErrorOf, containerOf, controllerPodOf, find, objectsOf, pool, taskPodOf } from './support/builders';

const nfs = (extra: Partial<NfsStorageOptions> = {}) => VolumeStorage.nfs({ server: 'nfs.internal', path: '/exports/scalr', storage: Size.gibibytes(200), ...extra });
function synth(persistence: PersistenceOptions, props: PoolProps = {}) {
  const chart = pool({ namespace: 'agents', persistence, ...props });
  return { chart, objects: objectsOf(chart) };
}

describe('VolumeStorage.nfs (static RWX volume)', () => {
  // The fullname of release scalr-agent: scalr-agent-agent-job (0.5.62), scalr-agent (0.6.5).
  test.each([['0.5.62', 'scalr-agent-agent-job', V0_5_62], ['0.6.5', 'scalr-agent', V0_6_5]])(
    '%s: creates a Retain PersistentVolume <namespace>-%s-cache pre-bound to the claim, and a claim bound to it', (_v, fullname, version) => {
      const { objects, chart } = synth({ cache: nfs({ mountOptions: ['nfsvers=4.1', 'hard'] }) }, { version: version as ChartVersion });
      const pv = find(objects, 'PersistentVolume');
      const pvc = find(objects, 'PersistentVolumeClaim');
      expect(pv.metadata.name).toBe(`agents-${fullname}-cache`);
      expect(pv.metadata.namespace).toBeUndefined();
      expect(pv.spec).toEqual({
        capacity: { storage: '200Gi' },
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        mountOptions: ['nfsvers=4.1', 'hard'],
        claimRef: { namespace: 'agents', name: `${fullname}-cache` },
        nfs: { server: 'nfs.internal', path: '/exports/scalr' },
      });
      expect(pvc.metadata.name).toBe(`${fullname}-cache`);
      expect(pvc.spec).toEqual({
        accessModes: ['ReadWriteMany'], resources: { requests: { storage: '200Gi' } }, storageClassName: '', volumeName: `agents-${fullname}-cache`,
      });
      expect(chart.cache.persistentVolume?.name).toBe(`agents-${fullname}-cache`);
    });

  test('the task pod mounts the claim with the claim subPaths', () => {
    const pod = taskPodOf(synth({ cache: nfs(), cacheSubPath: 'team-a' }).objects);
    expect(pod.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({ name: 'cache-dir', persistentVolumeClaim: { claimName: 'scalr-agent-cache' } });
    expect(containerOf(pod, 'worker').volumeMounts.find((m: any) => m.name === 'cache-dir').subPath).toBe('team-a/cache');
  });

  test('the 0.6.5 controller mounts the NFS claim too, as it mounts any cache claim; the 0.5.62 one does not', () => {
    const cacheOf = (version: ChartVersion) => {
      const pod = controllerPodOf(synth({ cache: nfs(), cacheSubPath: 'team-a' }, { version }).objects);
      return [pod.volumes.find((v: any) => v.name === 'cache-dir'), containerOf(pod, 'controller').volumeMounts.find((m: any) => m.name === 'cache-dir').subPath];
    };
    expect(cacheOf(V0_6_5)).toEqual([{ name: 'cache-dir', persistentVolumeClaim: { claimName: 'scalr-agent-cache' } }, 'team-a/cache']);
    expect(cacheOf(V0_5_62)).toEqual([{ name: 'cache-dir', emptyDir: {} }, undefined]);
  });

  test('carries the common labels and annotations on both objects', () => {
    const { objects } = synth({ data: nfs() }, { common: { labels: { team: 'a' }, annotations: { note: 'x' } } });
    for (const kind of ['PersistentVolume', 'PersistentVolumeClaim']) {
      expect(find(objects, kind).metadata).toMatchObject({ labels: { team: 'a' }, annotations: { note: 'x' } });
    }
  });

  test.each([
    ['nfs.server', { server: 'nfs server' }, /^nfs\.server: got "nfs server"; expected a host name or IPv4 address/],
    ['nfs.path', { path: 'exports' }, /^nfs\.path: got "exports"; expected an absolute exported directory/],
    ['nfs.storage', { storage: Size.gibibytes(0) }, /^nfs\.storage: got "0 bytes"; expected a size greater than zero/],
    ['nfs.mountOptions', { mountOptions: ['hard,intr'] }, /^nfs\.mountOptions\[0\]: got "hard,intr"/],
  ])('rejects a wrong %s', (path, given, expected) => {
    const error = configErrorOf(() => nfs(given));
    expect(error.path).toBe(path === 'nfs.mountOptions' ? 'nfs.mountOptions[0]' : path);
    expect(error.message).toMatch(expected);
  });

  test('requires the capacity', () => {
    expect(configErrorOf(() => VolumeStorage.nfs({ server: 'a', path: '/b' } as any)).message).toMatch(/^nfs\.storage: got nothing; expected the capacity/);
  });
});
