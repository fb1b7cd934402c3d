import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { invalid } from './internal/errors';
import { checkDnsSubdomain } from './internal/names';
import { sizeToBytes } from './internal/quantity';

/** Options of an emptyDir volume. */
export interface EmptyDirStorageOptions {
  /**
   * The most the volume may hold before the pod is evicted.
   * @default - the component's default (5Gi for the task data and cache volumes)
   */
  readonly sizeLimit?: Size;

  /**
   * The storage medium; `MEMORY` gives a tmpfs that counts against the pod's memory.
   * @default kplus.EmptyDirMedium.DEFAULT (the node's disk)
   */
  readonly medium?: kplus.EmptyDirMedium;
}

/** Options of a PersistentVolumeClaim the library creates. */
export interface NewClaimStorageOptions {
  /**
   * The StorageClass. An empty string, or the chart's `"-"`, asks for no dynamic provisioning
   * (the claim binds to a pre-created PersistentVolume).
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;

  /**
   * The requested size.
   * @default - 5Gi for data, 50Gi for the cache
   */
  readonly storage?: Size;

  /**
   * The access mode. Several task pods use the volume at once, so a cache shared across nodes
   * needs `READ_WRITE_MANY`.
   * @default - READ_WRITE_ONCE for data, READ_WRITE_MANY for the cache
   */
  readonly accessMode?: kplus.PersistentVolumeAccessMode;
}

/** The kinds of storage a task volume can use. */
export enum VolumeStorageType {
  /** A per-pod emptyDir. */
  EMPTY_DIR = 'emptyDir',
  /** A PersistentVolumeClaim that the library creates. */
  NEW_CLAIM = 'newClaim',
  /** A PersistentVolumeClaim that already exists. */
  EXISTING_CLAIM = 'existingClaim',
}

/**
 * What backs a task pod's data or cache volume: an emptyDir, a new PersistentVolumeClaim, or an
 * existing one.
 */
export class VolumeStorage {
  /**
   * A per-pod emptyDir (lost when the pod ends).
   * @param options size limit and medium
   */
  public static emptyDir(options: EmptyDirStorageOptions = {}): VolumeStorage {
    if (options.sizeLimit !== undefined) checkSize('sizeLimit', options.sizeLimit);
    if (options.medium !== undefined && !Object.values(kplus.EmptyDirMedium).includes(options.medium)) {
      invalid('medium', options.medium, `one of ${Object.values(kplus.EmptyDirMedium).map((m) => JSON.stringify(m)).join(', ')}`);
    }
    return new VolumeStorage(VolumeStorageType.EMPTY_DIR, options, {}, undefined);
  }

  /**
   * A PersistentVolumeClaim created with the release (`<fullname>-data` or `<fullname>-cache`).
   * @param options storage class, size and access mode
   */
  public static newClaim(options: NewClaimStorageOptions = {}): VolumeStorage {
    if (options.storage !== undefined) checkSize('storage', options.storage);
    if (options.storageClassName !== undefined && options.storageClassName !== '' && options.storageClassName !== '-') {
      checkDnsSubdomain('storageClassName', options.storageClassName);
    }
    if (options.accessMode !== undefined && !Object.values(kplus.PersistentVolumeAccessMode).includes(options.accessMode)) {
      invalid('accessMode', options.accessMode,
        `one of ${Object.values(kplus.PersistentVolumeAccessMode).join(', ')}`);
    }
    return new VolumeStorage(VolumeStorageType.NEW_CLAIM, {}, options, undefined);
  }

  /**
   * A PersistentVolumeClaim that already exists in the namespace.
   * @param claimName the claim's name
   */
  public static existingClaim(claimName: string): VolumeStorage {
    checkDnsSubdomain('claimName', claimName);
    return new VolumeStorage(VolumeStorageType.EXISTING_CLAIM, {}, {}, claimName);
  }

  /** The kind of storage. */
  public readonly storageType: VolumeStorageType;
  /** emptyDir options (for EMPTY_DIR). */
  public readonly emptyDirOptions: EmptyDirStorageOptions;
  /** Claim options (for NEW_CLAIM). */
  public readonly claimOptions: NewClaimStorageOptions;
  /** The claim name (for EXISTING_CLAIM). */
  public readonly existingClaimName?: string;

  private constructor(type: VolumeStorageType, emptyDir: EmptyDirStorageOptions, claim: NewClaimStorageOptions, claimName?: string) {
    this.storageType = type;
    this.emptyDirOptions = emptyDir;
    this.claimOptions = claim;
    this.existingClaimName = claimName;
  }

  /** Whether the volume outlives the pod (a claim). */
  public get persistent(): boolean {
    return this.storageType !== VolumeStorageType.EMPTY_DIR;
  }
}

function checkSize(path: string, size: Size): void {
  const bytes = sizeToBytes(size);
  if (!Number.isFinite(bytes) || bytes <= 0) invalid(path, `${bytes} bytes`, 'a size greater than zero');
}
