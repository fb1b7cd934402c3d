import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from './core/errors';
import { clone, Json } from './core/json';
import { READ_WRITE_MANY } from './core/k8s-enums';
import { sizeToQuantity } from './core/quantity';
import { TaskVolumeProps } from './data-persistence';
import { Defaults } from './internal/defaults';
import { addWarning, extraMetadata } from './internal/metadata';
import { namespaceOf, taskVolume } from './internal/task-volume';
import { AgentRelease } from './release';
import { VolumeStorage, VolumeStorageType } from './storage';

/** Props of {@link CachePersistence}. */
export interface CachePersistenceProps extends TaskVolumeProps {
  /**
   * What backs the task pods' cache volume.
   * @default - an emptyDir of the chart version's size (5Gi for 0.5.62, 1Gi for 0.6.5)
   */
  readonly storage?: VolumeStorage;

  /**
   * A directory inside a persistent volume for this pool (relative, without `..`; a leading `/`
   * is dropped as the chart drops it). Only for claims and node directories: an emptyDir belongs
   * to one pod anyway.
   * @default - the volume's root
   */
  readonly subPath?: string;
}

/**
 * The cache volume of task pods (`cache-dir`): Terraform/OpenTofu binaries, providers and
 * modules. A claim (ReadWriteMany for several nodes) shares it between runs.
 */
export class CachePersistence extends Construct {
  /** The PersistentVolumeClaim this construct created, for `VolumeStorage.newClaim` and `VolumeStorage.nfs`. */
  public readonly claim?: ApiObject;
  /** The name of the claim used, if any. */
  public readonly claimName?: string;
  /** The PersistentVolume this construct created, for `VolumeStorage.nfs`. */
  public readonly persistentVolume?: ApiObject;
  /** What backs the volume. */
  public readonly storage: VolumeStorage;
  /** The directory of this pool inside the volume ("" for the root). */
  public readonly subPath: string;

  private readonly volumeJson: Json;
  private readonly defaultEmptyDirSize: string;

  constructor(scope: Construct, id: string, props: CachePersistenceProps = {}) {
    super(scope, id);
    const release = props.release ?? new AgentRelease();
    const d = Defaults.of(release.version._profile);
    this.storage = props.storage ?? VolumeStorage.emptyDir();
    if (!VolumeStorage.isVolumeStorage(this.storage)) invalid('persistence.cache', this.storage, 'a VolumeStorage');
    const subPath = props.subPath ?? '';
    if (typeof subPath !== 'string') invalid('persistence.cacheSubPath', subPath, 'a relative path such as "team-a"');
    // Both chart versions drop a leading '/' (`trimPrefix "/"`).
    const relative = subPath.replace(/^\/+/, '').replace(/\/+$/, '');
    if (relative !== '') {
      if (!this.storage.persistent) {
        invalid('persistence.cacheSubPath', subPath, 'no subPath with an emptyDir cache (use a claim, or drop the subPath)');
      }
      if (relative.split('/').some((s) => s === '..' || s === '.' || s === '') || /[\s\\]/.test(relative)) {
        invalid('persistence.cacheSubPath', subPath, "a relative path without '..', '.' or empty segments, such as \"team-a\"");
      }
    }
    this.subPath = relative;
    this.defaultEmptyDirSize = sizeToQuantity(d.size('persistence.cache.emptyDir.sizeLimit'));

    const result = taskVolume(this, release, namespaceOf(this, props.namespace), this.storage, {
      volumeName: 'cache-dir',
      component: 'cache',
      path: 'persistence.cache',
      defaultEmptyDirSize: d.size('persistence.cache.emptyDir.sizeLimit'),
      defaultClaimSize: d.size('persistence.cache.persistentVolumeClaim.storage'),
      defaultAccessMode: READ_WRITE_MANY,
    }, extraMetadata({ labelsPath: 'labels', labels: props.labels, annotationsPath: 'annotations', annotations: props.annotations }));
    if (this.storage.storageType === VolumeStorageType.HOST_PATH) {
      addWarning(this, `the task pods' cache is the node directory ${this.storage.hostDirectory} (hostPath). `
        + 'Pod Security Standards "baseline" and "restricted" forbid hostPath volumes: the namespace needs the "privileged" level '
        + '(pod-security.kubernetes.io/enforce: privileged). fsGroup does not apply to hostPath: the directory must be writable '
        + 'by the task pods\' user (1000 by default) on every node.');
    }
    this.claim = result.claim;
    this.claimName = result.claimName;
    this.persistentVolume = result.persistentVolume;
    this.volumeJson = result.volume;
  }

  /**
   * Where the worker mounts the volume: `<subPath>/cache` on a persistent volume, the root of an emptyDir.
   * @returns the subPath, or undefined for the volume root
   */
  public get workerSubPath(): string | undefined {
    if (!this.storage.persistent) return undefined;
    return this.subPath ? `${this.subPath}/cache` : 'cache';
  }

  /**
   * The subPath of one cache directory for the runner (`bin`, `binaries` or `providers`), under
   * the worker's (reference correction F8).
   * @param dir the directory inside the cache
   */
  public runnerSubPath(dir: string): string {
    const base = this.workerSubPath;
    return base ? `${base}/${dir}` : dir;
  }

  /** The task pod volume (`cache-dir`), as Kubernetes JSON. */
  public toVolume(): any {
    return clone(this.volumeJson);
  }

  /**
   * The controller's `cache-dir` volume and the subPath it mounts.
   * @param shared whether the controller shares the cache (claims only; otherwise an emptyDir
   * like the task pods' cache emptyDir)
   */
  public controllerVolume(shared: boolean): ControllerCacheVolume {
    if (!shared) return { volume: { name: 'cache-dir', emptyDir: {} } };
    if (this.storage.storageType === VolumeStorageType.EMPTY_DIR) return { volume: this.toVolume() };
    if (this.storage.storageType === VolumeStorageType.HOST_PATH) {
      // The controller never mounts a node directory: it gets an emptyDir of the default size.
      return { volume: { name: 'cache-dir', emptyDir: { sizeLimit: this.defaultEmptyDirSize } } };
    }
    return { volume: this.toVolume(), subPath: this.workerSubPath };
  }
}

/** The controller's view of the cache volume. */
export interface ControllerCacheVolume {
  /** The volume, as Kubernetes JSON. */
  readonly volume: any;
  /**
   * The subPath the controller mounts.
   * @default - the volume's root
   */
  readonly subPath?: string;
}
