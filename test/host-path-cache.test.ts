import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentJobChart, AgentToken, VolumeStorage } from '../src';

process.env.CDK8S_SCALR_SILENCE_WARNINGS = '1';
const token = AgentToken.fromValue('example-agent-pool-token');
function synth(persistence: any) {
  const chart = new AgentJobChart(Testing.app(), 'pool', { token, persistence });
  const objects = Testing.synth(chart);
  const task = objects.find((o) => o.kind === 'AgentTask').spec.jobTemplate.spec.template.spec;
  const controller = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
  return { chart, objects, task, controller };
}

describe('VolumeStorage.hostPath (node-local cache)', () => {
  test('makes the task cache volume a DirectoryOrCreate hostPath and creates no claim', () => {
    const { task, objects } = synth({ cache: VolumeStorage.hostPath('/mnt/nvme/scalr-cache/') });
    expect(task.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({
      name: 'cache-dir', hostPath: { path: '/mnt/nvme/scalr-cache', type: 'DirectoryOrCreate' },
    });
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  test('uses the same subPaths as a claim for worker and runner, and the controller keeps an emptyDir', () => {
    const { task, controller } = synth({ cache: VolumeStorage.hostPath('/mnt/cache', kplus.HostPathVolumeType.DIRECTORY), cacheSubPath: 'team-a' });
    expect(task.initContainers[0].volumeMounts.find((m: any) => m.name === 'cache-dir').subPath).toBe('team-a/cache');
    expect(task.containers[0].volumeMounts.filter((m: any) => m.name === 'cache-dir').map((m: any) => m.subPath))
      .toEqual(['team-a/cache/bin', 'team-a/cache/providers']);
    expect(task.volumes.find((v: any) => v.name === 'cache-dir').hostPath.type).toBe('Directory');
    expect(controller.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({ name: 'cache-dir', emptyDir: {} });
  });

  test('records a warning that names the Pod Security level it needs', () => {
    const { chart } = synth({ cache: VolumeStorage.hostPath('/mnt/cache') });
    const warnings = chart.cache.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/"baseline" and "restricted" forbid hostPath.*"privileged" level/);
    expect(warnings[0]).toMatch(/writable by the task pods' user \(1000/);
  });

  test.each([
    ['a relative path', 'cache'],
    ['the root', '/'],
    ['a path with ..', '/mnt/../etc'],
  ])('rejects %s', (_what, path) => {
    expect(() => VolumeStorage.hostPath(path)).toThrow(/^hostPath\.path: got .*; expected an absolute directory on the node/);
  });

  test('rejects a file type and the data volume', () => {
    expect(() => VolumeStorage.hostPath('/mnt/c', kplus.HostPathVolumeType.FILE)).toThrow(/^hostPath\.pathType: got "File"; expected DIRECTORY_OR_CREATE or DIRECTORY/);
    expect(() => synth({ data: VolumeStorage.hostPath('/mnt/data') })).toThrow(/^persistence\.data: got .*hostPath is for the cache only/);
  });
});
