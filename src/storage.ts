import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { invalid } from './core/errors';
import { ACCESS_MODES, DIRECTORY, DIRECTORY_OR_CREATE, EMPTY_DIR_MEDIUMS } from './core/k8s-enums';
import { checkDnsSubdomain, isDnsSubdomain } from './core/names';
import { checkBytes, sizeToBytes } from './core/quantity';

const MARKER = Symbol.for('cdk8s-scalr-agent-job.VolumeStorage');

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

/** A static NFS volume: a PersistentVolume and a claim bound to it. */
export interface NfsStorageOptions {
  /** The NFS server: a host name or IPv4 address. */
  readonly server: string;

  /** The exported directory, such as "/exports/scalr-cache". */
  readonly path: string;

  /** The capacity recorded on the PersistentVolume and requested by the claim. */
  readonly storage: Size;

  /**
   * NFS mount options, such as `["nfsvers=4.1", "hard"]`.
   * @default - the node's defaults
   */
  readonly mountOptions?: string[];
}

/** The kinds of storage a task volume can use. */
export enum VolumeStorageType {
  /** A per-pod emptyDir. */
  EMPTY_DIR = 'emptyDir',
  /** A PersistentVolumeClaim that the library creates. */
  NEW_CLAIM = 'newClaim',
  /** A PersistentVolumeClaim that already exists. */
  EXISTING_CLAIM = 'existingClaim',
  /** A directory on the node (cache only). */
  HOST_PATH = 'hostPath',
  /** A static NFS PersistentVolume with a claim bound to it. */
  NFS = 'nfs',
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
    if (options.medium !== undefined && !EMPTY_DIR_MEDIUMS.includes(options.medium)) {
      invalid('medium', options.medium, `one of ${EMPTY_DIR_MEDIUMS.map((m) => JSON.stringify(m)).join(', ')}`);
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
    if (options.accessMode !== undefined && !ACCESS_MODES.includes(options.accessMode)) {
      invalid('accessMode', options.accessMode,
        `one of ${ACCESS_MODES.join(', ')}`);
    }
    return new VolumeStorage(VolumeStorageType.NEW_CLAIM, {}, options, undefined);
  }

  /**
   * A PersistentVolumeClaim that already exists in the namespace, by name.
   * @param claimName the claim's name
   */
  public static fromClaimName(claimName: string): VolumeStorage {
    checkDnsSubdomain('claimName', claimName);
    return new VolumeStorage(VolumeStorageType.EXISTING_CLAIM, {}, {}, claimName);
  }

  /**
   * A PersistentVolumeClaim that already exists in the namespace, by name (the same as `fromClaimName`).
   * @param claimName the claim's name
   */
  public static existingClaim(claimName: string): VolumeStorage {
    return VolumeStorage.fromClaimName(claimName);
  }

  /**
   * A cdk8s-plus PersistentVolumeClaim (imported with `PersistentVolumeClaim.fromClaimName` or
   * defined in the app) in the pool's namespace.
   * @param claim the claim
   */
  public static fromClaim(claim: kplus.IPersistentVolumeClaim): VolumeStorage {
    if (!claim || typeof claim !== 'object') invalid('claim', claim, 'a cdk8s-plus IPersistentVolumeClaim');
    checkDnsSubdomain('claim.name', claim.name);
    return new VolumeStorage(VolumeStorageType.EXISTING_CLAIM, {}, {}, claim.name, undefined, undefined, claim);
  }

  /**
   * Whether a value is a VolumeStorage, from any copy of this package.
   * @param x anything
   */
  public static isVolumeStorage(x: any): x is VolumeStorage {
    return x !== null && typeof x === 'object' && x[MARKER] === true;
  }

  /**
   * A directory on each node (`hostPath`), for a node-local cache on fast local disks: runs on
   * the same node share binaries and providers without network storage. Only for the cache
   * volume; the controller keeps an emptyDir.
   *
   * Caution: Pod Security Standards `baseline` and `restricted` forbid hostPath volumes, so the
   * task pods need a namespace at the `privileged` level. fsGroup does not apply to hostPath:
   * the directory must be writable by the pods' user (1000 by default), for example prepared by
   * a DaemonSet or the node's bootstrap script. The library records a warning when it is used.
   * @param path the absolute directory on the node, such as "/mnt/nvme/scalr-cache"
   * @param pathType what must exist at the path
   * @default pathType kplus.HostPathVolumeType.DIRECTORY_OR_CREATE
   */
  public static hostPath(path: string, pathType?: kplus.HostPathVolumeType): VolumeStorage {
    if (typeof path !== 'string' || !path.startsWith('/') || path === '/' || path.split('/').includes('..') || /[\s]/.test(path)) {
      invalid('hostPath.path', path, "an absolute directory on the node other than '/', without '..' or spaces");
    }
    const hostType = pathType ?? DIRECTORY_OR_CREATE;
    const directoryTypes: string[] = [DIRECTORY_OR_CREATE, DIRECTORY];
    if (!directoryTypes.includes(hostType)) {
      invalid('hostPath.pathType', hostType, 'DIRECTORY_OR_CREATE or DIRECTORY: the cache is a directory');
    }
    return new VolumeStorage(VolumeStorageType.HOST_PATH, {}, {}, undefined, { directory: path.replace(/\/+$/, ''), type: hostType });
  }

  /**
   * A static ReadWriteMany volume on an NFS export, without a provisioner: the library creates a
   * PersistentVolume `<namespace>-<fullname>-<data|cache>` (reclaim policy Retain, pre-bound to
   * the claim) and the claim `<fullname>-<data|cache>` (storageClassName "", volumeName set).
   *
   * Ownership: Kubernetes does not apply fsGroup (1000 by default) to NFS volumes. The export
   * must be writable by the pods' user and group (1000:1000 by default), for example owned by
   * 1000:1000 or exported with `all_squash,anonuid=1000,anongid=1000`.
   * @param options server, path, capacity and mount options
   */
  public static nfs(options: NfsStorageOptions): VolumeStorage {
    const server = options?.server;
    if (!isDnsSubdomain(server)) {
      invalid('nfs.server', server, 'a host name or IPv4 address such as "nfs.internal" or "10.0.0.5"');
    }
    const path = options.path;
    if (typeof path !== 'string' || !path.startsWith('/') || path.split('/').includes('..') || /\s/.test(path)) {
      invalid('nfs.path', path, "an absolute exported directory without '..' or spaces, such as \"/exports/scalr\"");
    }
    if (options.storage === undefined) invalid('nfs.storage', undefined, 'the capacity, such as Size.gibibytes(100)');
    checkSize('nfs.storage', options.storage);
    (options.mountOptions ?? []).forEach((o, i) => {
      if (typeof o !== 'string' || o === '' || /[\s,]/.test(o)) invalid(`nfs.mountOptions[${i}]`, o, 'one option without spaces or commas, such as "nfsvers=4.1"');
    });
    return new VolumeStorage(VolumeStorageType.NFS, {}, {}, undefined, undefined, { ...options, mountOptions: [...(options.mountOptions ?? [])] });
  }

  /** The kind of storage. */
  public readonly storageType: VolumeStorageType;
  /** The NFS volume (for NFS). */
  public readonly nfsOptions?: NfsStorageOptions;
  /** The directory on the node (for HOST_PATH). */
  public readonly hostDirectory?: string;
  /** What must exist at the directory (for HOST_PATH). */
  public readonly hostPathType?: kplus.HostPathVolumeType;
  /** emptyDir options (for EMPTY_DIR). */
  public readonly emptyDirOptions: EmptyDirStorageOptions;
  /** Claim options (for NEW_CLAIM). */
  public readonly claimOptions: NewClaimStorageOptions;
  /** The claim name (for EXISTING_CLAIM). */
  public readonly existingClaimName?: string;
  /** The cdk8s-plus claim, when given as an object (for EXISTING_CLAIM). */
  public readonly claim?: kplus.IPersistentVolumeClaim;

  private constructor(type: VolumeStorageType, emptyDir: EmptyDirStorageOptions, claim: NewClaimStorageOptions, claimName?: string,
    host?: { directory: string; type: kplus.HostPathVolumeType }, nfs?: NfsStorageOptions, existing?: kplus.IPersistentVolumeClaim) {
    Object.defineProperty(this, MARKER, { value: true });
    this.claim = existing;
    this.storageType = type;
    this.nfsOptions = nfs;
    this.hostDirectory = host?.directory;
    this.hostPathType = host?.type;
    this.emptyDirOptions = emptyDir;
    this.claimOptions = claim;
    this.existingClaimName = claimName;
  }

  /** Whether the volume outlives the pod (a claim or a node directory). */
  public get persistent(): boolean {
    return this.storageType !== VolumeStorageType.EMPTY_DIR;
  }
}

function checkSize(path: string, size: Size): void {
  checkBytes(path, sizeToBytes(size), true);
}
