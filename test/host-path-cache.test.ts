import * as kplus from 'cdk8s-plus-30';
import { ChartVersion, PersistenceOptions, VolumeStorage } from '../src';
import { V0_5_62, V0_6_5, VERSIONS, configErrorOf, containerOf, controllerPodOf, findAll, objectsOf, pool, taskPodOf } from './support/builders';

process.env.CDK8S_SCALR_SILENCE_WARNINGS = '1';

function synth(persistence: PersistenceOptions, version: ChartVersion = V0_6_5) {
  const chart = pool({ version, persistence });
  const objects = objectsOf(chart);
  return { chart, objects, task: taskPodOf(objects), controller: controllerPodOf(objects) };
}
const cacheMounts = (pod: any, name: string) => containerOf(pod, name).volumeMounts.filter((m: any) => m.name === 'cache-dir');

describe('VolumeStorage.hostPath (node-local cache)', () => {
  test.each(VERSIONS.map((v) => [v.version, v] as const))('chart %s: makes the task cache volume a DirectoryOrCreate hostPath and creates no claim', (_v, version) => {
    const { task, objects } = synth({ cache: VolumeStorage.hostPath('/mnt/nvme/scalr-cache/') }, version);
    expect(task.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({
      name: 'cache-dir', hostPath: { path: '/mnt/nvme/scalr-cache', type: 'DirectoryOrCreate' },
    });
    expect(findAll(objects, 'PersistentVolumeClaim')).toEqual([]);
  });

  test.each([
    ['0.5.62', '/opt/bin', 'bin', V0_5_62],
    ['0.6.5', '/opt/binary-cache', 'binaries', V0_6_5],
  ])('%s: uses the same subPaths as a claim for worker and runner', (_v, binaryPath, binaryDir, version) => {
    const { task } = synth({ cache: VolumeStorage.hostPath('/mnt/cache', kplus.HostPathVolumeType.DIRECTORY), cacheSubPath: 'team-a' }, version);
    expect(cacheMounts(task, 'worker').map((m: any) => m.subPath)).toEqual(['team-a/cache']);
    expect(cacheMounts(task, 'runner').map((m: any) => [m.mountPath, m.subPath]))
      .toEqual([[binaryPath, `team-a/cache/${binaryDir}`], ['/opt/plugin-cache', 'team-a/cache/providers']]);
    expect(task.volumes.find((v: any) => v.name === 'cache-dir').hostPath.type).toBe('Directory');
  });

  // The controller never mounts the node directory: 0.5.62's controller always has an emptyDir, and 0.6.5
  // falls back to the emptyDir of persistence.cache.emptyDir (1Gi by default; spec B.5).
  test.each([['0.5.62', {}, V0_5_62], ['0.6.5', { sizeLimit: '1Gi' }, V0_6_5]])('%s: the controller keeps an emptyDir %j', (_v, emptyDir, version) => {
    const { controller } = synth({ cache: VolumeStorage.hostPath('/mnt/cache'), cacheSubPath: 'team-a' }, version);
    expect(controller.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({ name: 'cache-dir', emptyDir });
    expect(cacheMounts(controller, 'controller').map((m: any) => m.subPath)).toEqual([undefined]);
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
    const error = configErrorOf(() => VolumeStorage.hostPath(path));
    expect(error.path).toBe('hostPath.path');
    expect(error.expected).toMatch(/^an absolute directory on the node/);
  });

  test('rejects a file type and the data volume', () => {
    expect(configErrorOf(() => VolumeStorage.hostPath('/mnt/c', kplus.HostPathVolumeType.FILE)).message)
      .toMatch(/^hostPath\.pathType: got "File"; expected DIRECTORY_OR_CREATE or DIRECTORY/);
    expect(configErrorOf(() => synth({ data: VolumeStorage.hostPath('/mnt/data') })).message).toMatch(/^persistence\.data: got .*hostPath is for the cache only/);
  });
});
