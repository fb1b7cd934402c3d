import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from './core/errors';
import { clone, Json } from './core/json';
import { READ_WRITE_ONCE } from './core/k8s-enums';
import { Defaults } from './internal/defaults';
import { extraMetadata } from './internal/metadata';
import { namespaceOf, taskVolume } from './internal/task-volume';
import { AgentRelease } from './release';
import { VolumeStorage, VolumeStorageType } from './storage';

/** Props shared by the task volume constructs (DataPersistence, CachePersistence). */
export interface TaskVolumeProps {
  /**
   * The release whose names, labels and chart version (for the default sizes) to use.
   * @default - release `scalr-agent` of the latest chart version
   */
  readonly release?: AgentRelease;

  /**
   * The namespace of the claim.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;

  /**
   * Labels added to the metadata of the claim the construct creates.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the claim the construct creates.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Props of {@link DataPersistence}. */
export interface DataPersistenceProps extends TaskVolumeProps {
  /**
   * What backs the task pods' data volume.
   * @default - an emptyDir of the chart version's size (5Gi for 0.5.62, 4Gi for 0.6.5)
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

  private readonly volumeJson: Json;

  constructor(scope: Construct, id: string, props: DataPersistenceProps = {}) {
    super(scope, id);
    const release = props.release ?? new AgentRelease();
    const d = Defaults.of(release.version._profile);
    this.storage = props.storage ?? VolumeStorage.emptyDir();
    if (!VolumeStorage.isVolumeStorage(this.storage)) invalid('persistence.data', this.storage, 'a VolumeStorage');
    if (this.storage.storageType === VolumeStorageType.HOST_PATH) {
      invalid('persistence.data', 'VolumeStorage.hostPath(...)',
        'an emptyDir or a claim: a node directory would be shared by every run on the node (hostPath is for the cache only)');
    }
    const result = taskVolume(this, release, namespaceOf(this, props.namespace), this.storage, {
      volumeName: 'data-dir',
      component: 'data',
      path: 'persistence.data',
      defaultEmptyDirSize: d.size('persistence.data.emptyDir.sizeLimit'),
      defaultClaimSize: d.size('persistence.data.persistentVolumeClaim.storage'),
      defaultAccessMode: READ_WRITE_ONCE,
    }, extraMetadata({ labelsPath: 'labels', labels: props.labels, annotationsPath: 'annotations', annotations: props.annotations }));
    this.claim = result.claim;
    this.claimName = result.claimName;
    this.persistentVolume = result.persistentVolume;
    this.volumeJson = result.volume;
  }

  /** The task pod volume (`data-dir`), as Kubernetes JSON. */
  public toVolume(): any {
    return clone(this.volumeJson);
  }
}
