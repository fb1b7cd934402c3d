import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { ExtraMetadata, withExtraMetadata } from './metadata';
import { apiObject, clusterObject } from './objects';
import { refName } from './refs';
import { Json, compact } from '../core/json';
import { sizeToQuantity } from '../core/quantity';
import { AgentRelease } from '../release';
import { VolumeStorage, VolumeStorageType } from '../storage';

export interface TaskVolumeSpec {
  readonly volumeName: string;
  readonly component: string;
  readonly path: string;
  readonly defaultEmptyDirSize: Size;
  readonly defaultClaimSize: Size;
  readonly defaultAccessMode: kplus.PersistentVolumeAccessMode;
}

export interface TaskVolumeResult {
  readonly claim?: ApiObject;
  readonly claimName?: string;
  readonly persistentVolume?: ApiObject;
  readonly volume: Json;
}

/** The namespace of objects in `scope`: the given one, the chart's, or "default". */
export function namespaceOf(scope: Construct, namespace?: string): string {
  return namespace ?? Chart.of(scope).namespace ?? 'default';
}

/** Builds the task pod volume and, for a new claim, the PersistentVolumeClaim. */
export function taskVolume(scope: Construct, release: AgentRelease, namespace: string, storage: VolumeStorage, spec: TaskVolumeSpec,
  extra?: ExtraMetadata): TaskVolumeResult {
  // The claim a new or NFS volume needs: `<fullname>-<component>`, checked as every object is.
  const ownClaimName = `${release.fullname}-${spec.component}`;
  const claimObject = (claimSpec: Json) => apiObject(scope, 'Claim', 'v1', 'PersistentVolumeClaim',
    withExtraMetadata({ name: ownClaimName, namespace, labels: release.labels(spec.component) }, extra), { spec: claimSpec });
  switch (storage.storageType) {
    case VolumeStorageType.HOST_PATH:
      return {
        volume: { name: spec.volumeName, hostPath: { path: storage.hostDirectory, type: storage.hostPathType } },
      };
    case VolumeStorageType.EMPTY_DIR:
      return {
        volume: {
          name: spec.volumeName,
          emptyDir: compact({
            medium: storage.emptyDirOptions.medium || undefined,
            sizeLimit: sizeToQuantity(storage.emptyDirOptions.sizeLimit ?? spec.defaultEmptyDirSize),
          }),
        },
      };
    case VolumeStorageType.EXISTING_CLAIM: {
      const claimName = storage.claim ? refName(`${spec.path}.claim`, storage.claim, namespace) : storage.existingClaimName;
      return { claimName, volume: { name: spec.volumeName, persistentVolumeClaim: { claimName } } };
    }
    case VolumeStorageType.NFS: {
      const nfs = storage.nfsOptions!;
      const volumeName = `${namespace}-${release.fullname}-${spec.component}`;
      const persistentVolume = clusterObject(scope, 'PersistentVolume', 'v1', 'PersistentVolume',
        withExtraMetadata({ name: volumeName, labels: release.labels(spec.component) }, extra), {
          spec: compact({
            capacity: { storage: sizeToQuantity(nfs.storage) },
            accessModes: ['ReadWriteMany'],
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: '',
            mountOptions: nfs.mountOptions,
            // Pre-bound: no other claim can take this volume.
            claimRef: { namespace, name: ownClaimName },
            nfs: { server: nfs.server, path: nfs.path },
          }),
        });
      const claim = claimObject({
        accessModes: ['ReadWriteMany'],
        resources: { requests: { storage: sizeToQuantity(nfs.storage) } },
        storageClassName: '',
        volumeName,
      });
      return {
        claim, claimName: ownClaimName, persistentVolume, volume: { name: spec.volumeName, persistentVolumeClaim: { claimName: ownClaimName } },
      };
    }
    default: {
      const options = storage.claimOptions;
      const storageClass = options.storageClassName === '-' ? '' : options.storageClassName;
      const claim = claimObject({
        accessModes: [options.accessMode ?? spec.defaultAccessMode],
        resources: { requests: { storage: sizeToQuantity(options.storage ?? spec.defaultClaimSize) } },
        ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
      });
      return { claim, claimName: ownClaimName, volume: { name: spec.volumeName, persistentVolumeClaim: { claimName: ownClaimName } } };
    }
  }
}
