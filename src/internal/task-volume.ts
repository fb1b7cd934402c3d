import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { Json, compact } from './pod';
import { sizeToQuantity } from './quantity';
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
  readonly volume: Json;
}

/** The namespace of objects in `scope`: the given one, the chart's, or "default". */
export function namespaceOf(scope: Construct, namespace?: string): string {
  return namespace ?? Chart.of(scope).namespace ?? 'default';
}

/** Builds the task pod volume and, for a new claim, the PersistentVolumeClaim. */
export function taskVolume(scope: Construct, release: AgentRelease, namespace: string, storage: VolumeStorage, spec: TaskVolumeSpec): TaskVolumeResult {
  switch (storage.storageType) {
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
    case VolumeStorageType.EXISTING_CLAIM:
      return {
        claimName: storage.existingClaimName,
        volume: { name: spec.volumeName, persistentVolumeClaim: { claimName: storage.existingClaimName } },
      };
    default: {
      const options = storage.claimOptions;
      const claimName = `${release.fullname}-${spec.component}`;
      const storageClass = options.storageClassName === '-' ? '' : options.storageClassName;
      const claim = new ApiObject(scope, 'Claim', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claimName, namespace, labels: release.labels(spec.component) },
        spec: {
          accessModes: [options.accessMode ?? spec.defaultAccessMode],
          resources: { requests: { storage: sizeToQuantity(options.storage ?? spec.defaultClaimSize) } },
          ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
        },
      });
      return { claim, claimName, volume: { name: spec.volumeName, persistentVolumeClaim: { claimName } } };
    }
  }
}
