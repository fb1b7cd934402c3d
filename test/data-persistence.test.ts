import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { DataPersistence, VolumeStorage } from '../src';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'agents' });

describe('DataPersistence', () => {
  test('creates a ReadWriteOnce claim of 5Gi by default', () => {
    const scope = chart();
    new DataPersistence(scope, 'data', { storage: VolumeStorage.newClaim({ accessMode: undefined }) });
    const [pvc] = Testing.synth(scope);
    expect(pvc.metadata.labels['app.kubernetes.io/component']).toBe('data');
    expect(pvc.spec.accessModes).toEqual([kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE]);
    expect(pvc.spec.resources.requests.storage).toBe('5Gi');
  });

  test('renders a memory-backed emptyDir with its medium', () => {
    const d = new DataPersistence(chart(), 'data', { storage: VolumeStorage.emptyDir({ medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1536) }) });
    expect(d.toVolume()).toEqual({ name: 'data-dir', emptyDir: { medium: 'Memory', sizeLimit: '1536Mi' } });
  });
});
