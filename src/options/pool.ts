import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { VolumeStorage } from '../storage';
import { ClusterRoleScope } from './structure';

/** The ServiceAccount of the controller and task pods. */
export interface ServiceAccountOptions {
  /**
   * Whether to create the ServiceAccount.
   * @default true, unless `existing` is given
   */
  readonly create?: boolean;

  /**
   * Its name.
   * @default - the release fullname when created, else `default`
   */
  readonly name?: string;

  /**
   * A ServiceAccount that already exists (or that the app defines elsewhere) in the release
   * namespace: none is created. Cannot be set with `create: true` or `name`.
   * @default - see `create` and `name`
   */
  readonly existing?: kplus.IServiceAccount;

  /**
   * Mount its API token into the controller pod.
   * @default true
   */
  readonly automountToken?: boolean;

  /**
   * Lifetime of the projected token in task pods (at least 10 minutes, the API server's minimum).
   * @default Duration.seconds(3600)
   */
  readonly tokenTtl?: Duration;

  /**
   * Annotations of the ServiceAccount (e.g. `eks.amazonaws.com/role-arn`).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Extra labels of the ServiceAccount.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** The RBAC objects that let the controller manage Jobs and read its task template. */
export interface RbacOptions {
  /**
   * Whether to create the Role, ClusterRole and their bindings.
   * @default true
   */
  readonly create?: boolean;

  /**
   * Rules of the namespaced Role.
   * @default - the chart version's: pods, pods/log, pods/exec, pods/status, deployments (read),
   * jobs and jobs/status; chart 0.6.5 also lists events
   */
  readonly rules?: kplus.k8s.PolicyRule[];

  /**
   * Rules of the ClusterRole.
   * @default - get, list and watch on the task template resource (scalr.io atasks or agenttasktemplates)
   */
  readonly clusterRules?: kplus.k8s.PolicyRule[];

  /**
   * Where the ClusterRole applies.
   * @default - the chart version's: NAMESPACE (0.5.62) or CLUSTER (0.6.5)
   */
  readonly clusterRoleScope?: ClusterRoleScope;
}

/** OpenTelemetry export of the agent's metrics and traces (the chart's `otel` values). */
export interface TelemetryOptions {
  /**
   * Whether to export telemetry.
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * The OTLP endpoint: a URL or `host:port`.
   * @default "http://otel-collector:4317"
   */
  readonly endpoint?: string;

  /**
   * Export metrics.
   * @default true
   */
  readonly metrics?: boolean;

  /**
   * Export traces.
   * @default false
   */
  readonly traces?: boolean;
}

/** Where task pods keep their data and cache directories. */
export interface PersistenceOptions {
  /**
   * The data volume of task pods (the run's working directory).
   * @default - an emptyDir of the chart version's size: 5Gi (0.5.62) or 4Gi (0.6.5)
   */
  readonly data?: VolumeStorage;

  /**
   * The cache volume of task pods (binaries and providers).
   * @default - an emptyDir of the chart version's size: 5Gi (0.5.62) or 1Gi (0.6.5)
   */
  readonly cache?: VolumeStorage;

  /**
   * A directory inside a persistent cache volume for this pool, so that pools can share one
   * volume (`team-a` gives `team-a/cache`). A leading `/` is dropped, as the chart does.
   * @default - the volume's root
   */
  readonly cacheSubPath?: string;

  /**
   * Whether the controller mounts the cache volume too, when it is a claim (the agent 1
   * controller cleans the cache up); otherwise the controller has an emptyDir.
   * @default - the chart version's: false (0.5.62) or true (0.6.5)
   */
  readonly controllerCache?: boolean;
}
