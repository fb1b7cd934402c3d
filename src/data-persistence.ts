import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from './internal/errors';
import { READ_WRITE_ONCE } from './internal/k8s-json';
import { extraMetadata } from './internal/metadata';
import { namespaceOf, taskVolume } from './internal/task-volume';
import { AgentRelease } from './release';
import { TaskVolumeProps, VolumeStorage, VolumeStorageType } from './storage';

/** Props of {@link DataPersistence}. */
export interface DataPersistenceProps extends TaskVolumeProps {
  /**
   * What backs the task pods' data volume.
   * @default VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(5) })
   */
  readonly storage?: VolumeStorage;
}

/**
 * The data volume of task pods (`data-dir`): the run's configuration, working directory and
 * temporary files. An emptyDir by default; a claim keeps it across pod restarts.
 */
export class DataPersistence extends Construct {
  /** The PersistentVolumeClaim this construct created, for `VolumeStorage.newClaim` and `VolumeStorage.nfs`. */
  public readonly claim?: ApiObject;
  /** The name of the claim used, if any. */
  public readonly claimName?: string;
  /** The PersistentVolume this construct created, for `VolumeStorage.nfs`. */
  public readonly persistentVolume?: ApiObject;
  /** What backs the volume. */
  public readonly storage: VolumeStorage;

  private readonly volumeJson: any;

  constructor(scope: Construct, id: string, props: DataPersistenceProps = {}) {
    super(scope, id);
    const release = props.release ?? new AgentRelease();
    this.storage = props.storage ?? VolumeStorage.emptyDir();
    if (this.storage.storageType === VolumeStorageType.HOST_PATH) {
      invalid('persistence.data', 'VolumeStorage.hostPath(...)',
        'an emptyDir or a claim: a node directory would be shared by every run on the node (hostPath is for the cache only)');
    }
    const result = taskVolume(this, release, namespaceOf(this, props.namespace), this.storage, {
      volumeName: 'data-dir',
      component: 'data',
      path: 'persistence.data',
      defaultEmptyDirSize: Size.gibibytes(5),
      defaultClaimSize: Size.gibibytes(5),
      defaultAccessMode: READ_WRITE_ONCE,
    }, extraMetadata({ labelsPath: 'labels', labels: props.labels, annotationsPath: 'annotations', annotations: props.annotations }));
    this.claim = result.claim;
    this.claimName = result.claimName;
    this.persistentVolume = result.persistentVolume;
    this.volumeJson = result.volume;
  }

  /** The task pod volume (`data-dir`), as Kubernetes JSON. */
  public toVolume(): any {
    return JSON.parse(JSON.stringify(this.volumeJson));
  }
}
