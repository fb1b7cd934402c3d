import { Size, Testing } from 'cdk8s';
import { AgentJobChart, AgentToken, VolumeStorage } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');
const nfs = (extra: any = {}) => VolumeStorage.nfs({ server: 'nfs.internal', path: '/exports/scalr', storage: Size.gibibytes(200), ...extra });
function synth(persistence: any, props: any = {}) {
  const chart = new AgentJobChart(Testing.app(), 'pool', { token, namespace: 'agents', persistence, ...props });
  return { chart, objects: Testing.synth(chart) };
}

describe('VolumeStorage.nfs (static RWX volume)', () => {
  test('creates a Retain PersistentVolume pre-bound to the claim, and a claim bound to it', () => {
    const { objects, chart } = synth({ cache: nfs({ mountOptions: ['nfsvers=4.1', 'hard'] }) });
    const pv = objects.find((o) => o.kind === 'PersistentVolume');
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(pv.metadata.name).toBe('agents-scalr-agent-agent-job-cache');
    expect(pv.metadata.namespace).toBeUndefined();
    expect(pv.spec).toEqual({
      capacity: { storage: '200Gi' },
      accessModes: ['ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      mountOptions: ['nfsvers=4.1', 'hard'],
      claimRef: { namespace: 'agents', name: 'scalr-agent-agent-job-cache' },
      nfs: { server: 'nfs.internal', path: '/exports/scalr' },
    });
    expect(pvc.metadata.name).toBe('scalr-agent-agent-job-cache');
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteMany'], resources: { requests: { storage: '200Gi' } }, storageClassName: '', volumeName: 'agents-scalr-agent-agent-job-cache',
    });
    expect(chart.cache.persistentVolume?.name).toBe('agents-scalr-agent-agent-job-cache');
  });

  test('the task pod mounts the claim with the claim subPaths', () => {
    const { objects } = synth({ cache: nfs(), cacheSubPath: 'team-a' });
    const pod = objects.find((o) => o.kind === 'AgentTask').spec.jobTemplate.spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({ name: 'cache-dir', persistentVolumeClaim: { claimName: 'scalr-agent-agent-job-cache' } });
    expect(pod.initContainers[0].volumeMounts.find((m: any) => m.name === 'cache-dir').subPath).toBe('team-a/cache');
  });

  test('carries the common labels and annotations on both objects', () => {
    const { objects } = synth({ data: nfs() }, { common: { labels: { team: 'a' }, annotations: { note: 'x' } } });
    for (const kind of ['PersistentVolume', 'PersistentVolumeClaim']) {
      expect(objects.find((o) => o.kind === kind).metadata).toMatchObject({ labels: { team: 'a' }, annotations: { note: 'x' } });
    }
  });

  test.each([
    ['nfs.server', { server: 'nfs server' }, /^nfs\.server: got "nfs server"; expected a host name or IPv4 address/],
    ['nfs.path', { path: 'exports' }, /^nfs\.path: got "exports"; expected an absolute exported directory/],
    ['nfs.storage', { storage: Size.gibibytes(0) }, /^nfs\.storage: got "0 bytes"; expected a size greater than zero/],
    ['nfs.mountOptions', { mountOptions: ['hard,intr'] }, /^nfs\.mountOptions\[0\]: got "hard,intr"/],
  ])('rejects a wrong %s', (_p, given, expected) => {
    expect(() => nfs(given)).toThrow(expected);
  });

  test('requires the capacity', () => {
    expect(() => VolumeStorage.nfs({ server: 'a', path: '/b' } as any)).toThrow(/^nfs\.storage: got nothing; expected the capacity/);
  });
});
