import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentRelease, ChartVersion, DataPersistence, VolumeStorage } from '../src';
import { V0_5_62, V0_6_5, configErrorOf, objectsOf } from './support/builders';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'agents' });
const release = (version: ChartVersion) => new AgentRelease({ version });

describe('DataPersistence', () => {
  // persistence.data.persistentVolumeClaim.storage: 5Gi in 0.5.62, 4Gi in 0.6.5 (spec B.3); ReadWriteOnce in both.
  test.each([['0.5.62', 'scalr-agent-agent-job-data', '5Gi', V0_5_62], ['0.6.5', 'scalr-agent-data', '4Gi', V0_6_5]])(
    '%s: creates a ReadWriteOnce claim %s of %s by default', (_v, name, size, version) => {
      const scope = chart();
      const d = new DataPersistence(scope, 'data', { release: release(version as ChartVersion), storage: VolumeStorage.newClaim({ accessMode: undefined }) });
      const [pvc] = objectsOf(scope);
      expect(pvc.metadata.name).toBe(name);
      expect(pvc.metadata.labels['app.kubernetes.io/component']).toBe('data');
      expect(pvc.spec.accessModes).toEqual([kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE]);
      expect(pvc.spec.resources.requests.storage).toBe(size);
      expect(d.toVolume()).toEqual({ name: 'data-dir', persistentVolumeClaim: { claimName: name } });
    });

  // persistence.data.emptyDir.sizeLimit: 5Gi in 0.5.62, 4Gi in 0.6.5.
  test.each([['0.5.62', '5Gi', V0_5_62], ['0.6.5', '4Gi', V0_6_5]])('%s: is an emptyDir of %s by default', (_v, size, version) => {
    expect(new DataPersistence(chart(), 'data', { release: release(version as ChartVersion) }).toVolume())
      .toEqual({ name: 'data-dir', emptyDir: { sizeLimit: size } });
  });

  test('renders a memory-backed emptyDir with its medium', () => {
    const d = new DataPersistence(chart(), 'data', { storage: VolumeStorage.emptyDir({ medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1536) }) });
    expect(d.toVolume()).toEqual({ name: 'data-dir', emptyDir: { medium: 'Memory', sizeLimit: '1536Mi' } });
  });

  test('uses an existing claim without creating one', () => {
    const scope = chart();
    const d = new DataPersistence(scope, 'data', { storage: VolumeStorage.fromClaimName('team-a-data') });
    expect(objectsOf(scope)).toEqual([]);
    expect(d.claimName).toBe('team-a-data');
  });

  test('fails with a node directory, which every run on the node would share', () => {
    const error = configErrorOf(() => new DataPersistence(chart(), 'data', { storage: VolumeStorage.hostPath('/mnt/data') }));
    expect(error.path).toBe('persistence.data');
    expect(error.expected).toMatch(/hostPath is for the cache only/);
  });
});
