import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from './internal/errors';
import { READ_WRITE_MANY } from './internal/k8s-json';
import { addWarning, extraMetadata } from './internal/metadata';
import { namespaceOf, taskVolume } from './internal/task-volume';
import { ProviderCacheOptions } from './options';
import { AgentRelease } from './release';
import { TaskVolumeProps, VolumeStorage, VolumeStorageType } from './storage';

/** Props of {@link CachePersistence}. */
export interface CachePersistenceProps extends TaskVolumeProps {
  /**
   * What backs the task pods' cache volume.
   * @default VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(5) })
   */
  readonly storage?: VolumeStorage;

  /**
   * A directory inside a persistent volume for this pool (relative, without `..`). Only for
   * claims: an emptyDir belongs to one pod anyway.
   * @default - the volume's root
   */
  readonly subPath?: string;

  /**
   * The agent's provider cache, kept in this volume.
   * @default - disabled
   */
  readonly providerCache?: ProviderCacheOptions;
}

/**
 * The cache volume of task pods (`cache-dir`): Terraform/OpenTofu binaries and, with the
 * provider cache, providers. A claim (ReadWriteMany for several nodes) shares it between runs.
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
  /** Whether the provider cache is on. */
  public readonly providerCacheEnabled: boolean;
  /** The provider cache size limit. */
  public readonly providerCacheSizeLimit: Size;

  private readonly volumeJson: any;

  constructor(scope: Construct, id: string, props: CachePersistenceProps = {}) {
    super(scope, id);
    const release = props.release ?? new AgentRelease();
    this.storage = props.storage ?? VolumeStorage.emptyDir();
    const subPath = props.subPath ?? '';
    if (subPath !== '') {
      if (!this.storage.persistent) {
        invalid('persistence.cacheSubPath', subPath, 'no subPath with an emptyDir cache (use a claim, or drop the subPath)');
      }
      if (subPath.startsWith('/') || subPath.split('/').includes('..') || /[\s\\]/.test(subPath)) {
        invalid('persistence.cacheSubPath', subPath, "a relative path without '..', such as \"team-a\"");
      }
    }
    this.subPath = subPath.replace(/\/+$/, '');
    this.providerCacheEnabled = props.providerCache?.enabled ?? false;
    this.providerCacheSizeLimit = props.providerCache?.sizeLimit ?? Size.gibibytes(40);

    const result = taskVolume(this, release, namespaceOf(this, props.namespace), this.storage, {
      volumeName: 'cache-dir',
      component: 'cache',
      path: 'persistence.cache',
      defaultEmptyDirSize: Size.gibibytes(5),
      defaultClaimSize: Size.gibibytes(50),
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
   * Where the worker mounts the volume: `<subPath>/cache` on a claim, the root of an emptyDir.
   * @returns the subPath, or undefined for the volume root
   */
  public get workerSubPath(): string | undefined {
    if (!this.storage.persistent) return undefined;
    return this.subPath ? `${this.subPath}/cache` : 'cache';
  }

  /**
   * The subPath of one cache directory for the runner (`bin` or `providers`), under the
   * worker's (reference correction F8).
   * @param dir the directory inside the cache
   */
  public runnerSubPath(dir: string): string {
    const base = this.workerSubPath;
    return base ? `${base}/${dir}` : dir;
  }

  /** The task pod volume (`cache-dir`), as Kubernetes JSON. */
  public toVolume(): any {
    return JSON.parse(JSON.stringify(this.volumeJson));
  }
}
