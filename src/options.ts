import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import type { MetadataPolicyOptions } from './metadata-egress-policy';
import { VolumeStorage } from './storage';
import { CaBundle, ClientCertificate } from './tls';

/** The log format of the agent (`SCALR_AGENT_LOG_FORMAT`). */
export enum LogFormat {
  /** One JSON object per line, for log collectors. */
  JSON = 'json',
  /** Plain text. */
  PLAIN = 'plain',
  /** Coloured, human-friendly output for development. */
  DEV = 'dev',
}

/** A container image, as the chart's `image` values describe it. */
export interface ImageOptions {
  /**
   * The repository, without registry prefix when `common.imageRegistry` is used.
   * @default - the component's image (`scalr/agent` for the controller and worker, `scalr/agent-runner` for the runner)
   */
  readonly repository?: string;

  /**
   * The tag.
   * @default - the chart's agent version, 0.55.2
   */
  readonly tag?: string;

  /**
   * When the kubelet pulls the image.
   * @default kplus.ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: kplus.ImagePullPolicy;
}

/**
 * An HTTP(S) proxy for outgoing connections of the controller, worker and runner (the standard
 * `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` variables).
 */
export interface ProxyOptions {
  /**
   * The proxy for `http://` URLs (`HTTP_PROXY`), such as `http://proxy.internal:3128`.
   * @default - not set
   */
  readonly httpProxy?: string;

  /**
   * The proxy for `https://` URLs (`HTTPS_PROXY`), such as `http://proxy.internal:3128`.
   * @default - not set
   */
  readonly httpsProxy?: string;

  /**
   * Hosts, domains (`.example.com`), IP addresses and CIDRs reached directly (`NO_PROXY`,
   * comma-separated). Include the Kubernetes API (`kubernetes.default.svc`, the service CIDR) and
   * in-cluster services such as the OTLP collector.
   * @default - not set
   */
  readonly noProxy?: string[];
}

/** Settings shared by every pod of the release (the chart's `global` values). */
export interface CommonOptions {
  /**
   * Labels added to the metadata of every object of the release (not the shared CRD), and to
   * the Job of each run. The selector keys `app.kubernetes.io/name`, `instance` and `component`
   * cannot be set. Component labels (`agent.labels`, `task.jobLabels`) win on the same key.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the metadata of every object of the release (not the shared CRD), and
   * to the Job of each run. Component annotations win on the same key.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * An HTTP(S) proxy for the controller, worker and runner.
   * @default - no proxy variables are set
   */
  readonly proxy?: ProxyOptions;

  /**
   * Certificate authorities trusted by the controller, worker and runner instead of the system's.
   * @default - the images' system CAs
   */
  readonly caBundle?: CaBundle;

  /**
   * A client certificate for mutual TLS between the agent (controller and worker) and Scalr.
   * @default - none
   */
  readonly clientCertificate?: ClientCertificate;

  /**
   * A registry (and optional path) put in front of every image: `registry.example.com/mirror`.
   * @default - images are pulled from Docker Hub as named
   */
  readonly imageRegistry?: string;

  /**
   * Secrets used to pull the images, on the controller and task pods.
   * @default - none
   */
  readonly imagePullSecrets?: string[];

  /**
   * Annotations for the controller and task pods. A component's own annotation with the same
   * key wins.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Labels for the controller and task pods. A component's own label with the same key wins.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Pod security context for the controller and task pods, merged field by field under the
   * component's own (the component wins).
   * @default - runAsNonRoot, user, group and fsGroup 1000, fsGroupChangePolicy OnRootMismatch,
   * seccomp RuntimeDefault
   */
  readonly podSecurityContext?: kplus.k8s.PodSecurityContext;
}

/** A PodDisruptionBudget for the controller (only rendered with more than one replica). */
export interface PodDisruptionBudgetOptions {
  /**
   * Whether to create the budget when there is more than one replica.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The number of controller pods that must stay available. Cannot be set with `maxUnavailable`.
   * @default 1, unless `maxUnavailable` is set
   */
  readonly minAvailable?: number;

  /**
   * The number of controller pods that may be unavailable. Cannot be set with `minAvailable`.
   * @default - not set
   */
  readonly maxUnavailable?: number;

  /**
   * `minAvailable` as a percentage of replicas, such as "50%". Cannot be set with the other fields.
   * @default - not set
   */
  readonly minAvailablePercent?: string;

  /**
   * `maxUnavailable` as a percentage of replicas, such as "25%". Cannot be set with the other fields.
   * @default - not set
   */
  readonly maxUnavailablePercent?: string;
}

/** The agent's provider cache (Terraform/OpenTofu providers shared between runs). */
export interface ProviderCacheOptions {
  /**
   * Whether the agent caches providers in the cache volume.
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * The most the provider cache may hold (`SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB`).
   * @default Size.gibibytes(40)
   */
  readonly sizeLimit?: Size;
}

/** Options of the controller container itself (the chart's `agent.controller`). */
export interface ControllerContainerOptions {
  /**
   * Environment variables appended to the controller's, after the agent's and `agent.extraEnv`.
   * @default - none
   */
  readonly extraEnv?: kplus.k8s.EnvVar[];

  /**
   * Sources of environment variables (ConfigMaps, Secrets) for the controller.
   * @default - none
   */
  readonly extraEnvFrom?: kplus.k8s.EnvFromSource[];

  /**
   * The controller container's security context.
   * @default - allowPrivilegeEscalation false and all capabilities dropped
   */
  readonly securityContext?: kplus.k8s.SecurityContext;
}

/** Where the controller and task pods may run. */
export interface SchedulingOptions {
  /**
   * Node labels the pods require.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Taints the pods tolerate.
   * @default - none
   */
  readonly tolerations?: kplus.k8s.Toleration[];

  /**
   * Node and pod affinity of the pods.
   * @default - none
   */
  readonly affinity?: kplus.k8s.Affinity;
}

/** Pod-level options of a component (controller or task pod). */
export interface PodOptions extends SchedulingOptions {
  /**
   * Annotations of the component's pods; they win over `common.podAnnotations`.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Labels of the component's pods; they win over `common.podLabels`.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Pod security context fields that win over `common.podSecurityContext`.
   * @default - the common pod security context
   */
  readonly podSecurityContext?: kplus.k8s.PodSecurityContext;

  /**
   * How long the pod may take to stop gracefully.
   * @default Duration.seconds(360)
   */
  readonly terminationGracePeriod?: Duration;
}

/** The agent and its controller Deployment (the chart's `agent` values). */
export interface AgentOptions extends PodOptions {
  /**
   * Labels of the controller Deployment object (not its pods: see `podLabels`). They win over
   * `common.labels`; selector keys cannot be set.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the controller Deployment object (not its pods: see `podAnnotations`). They
   * win over `common.annotations`.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * How controller replicas spread over zones or nodes. A constraint without `labelSelector`
   * selects the controller pods of this release.
   * @default - none (the scheduler's defaults)
   */
  readonly topologySpreadConstraints?: kplus.k8s.TopologySpreadConstraint[];

  /**
   * The Scalr URL (`SCALR_URL`), such as `https://example.scalr.io`.
   * @default "" (the agent's own default)
   */
  readonly url?: string;

  /**
   * The agent image, for the controller and (field by field) the worker.
   * @default scalr/agent:0.55.2, IfNotPresent
   */
  readonly image?: ImageOptions;

  /**
   * Debug logging (`SCALR_AGENT_DEBUG`).
   * @default false
   */
  readonly debug?: boolean;

  /**
   * The log format.
   * @default LogFormat.JSON
   */
  readonly logFormat?: LogFormat;

  /**
   * Environment variables for the controller and the worker, rendered in key order after the
   * agent's own. They may not redefine a variable the library sets unless `allowEnvOverrides`.
   * @default - none
   */
  readonly extraEnv?: { [name: string]: string };

  /**
   * Allow `extraEnv` to redefine variables the library sets (`SCALR_URL`, `SCALR_AGENT_*`).
   * The later definition wins in Kubernetes.
   * @default false
   */
  readonly allowEnvOverrides?: boolean;

  /**
   * The number of controller replicas.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * The controller's PodDisruptionBudget.
   * @default - enabled with minAvailable 1 (rendered only with more than one replica)
   */
  readonly podDisruptionBudget?: PodDisruptionBudgetOptions;

  /**
   * Resources of the controller container. Each field not given keeps its default.
   * @default - requests 100m CPU and 128Mi memory; limits 500m CPU and 256Mi memory
   */
  readonly resources?: kplus.ContainerResources;

  /** Options of the controller container. @default - see ControllerContainerOptions */
  readonly controller?: ControllerContainerOptions;

  /**
   * The agent's data directory (`SCALR_AGENT_DATA_DIR`).
   * @default "/var/lib/scalr-agent/data"
   */
  readonly dataDir?: string;

  /**
   * The agent's cache directory (`SCALR_AGENT_CACHE_DIR`).
   * @default "/var/lib/scalr-agent/cache"
   */
  readonly cacheDir?: string;

  /**
   * The provider cache, kept in the cache volume.
   * @default - disabled
   */
  readonly providerCache?: ProviderCacheOptions;
}

/** The Job the controller creates per run (the chart's `task.job`). */
export interface JobOptions {
  /**
   * How many times a failed run's pod is retried.
   * @default 0
   */
  readonly backoffLimit?: number;

  /**
   * How long a finished Job is kept before Kubernetes deletes it.
   * @default Duration.seconds(60)
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * Add a podFailurePolicy: the Job fails at once when the runner exits with a non-zero code
   * (no retry of a failed Terraform run), while a pod lost to a disruption (preemption, node
   * drain, eviction) is not counted against `backoffLimit` and is started again.
   * @default false (no policy; every pod failure counts against backoffLimit)
   */
  readonly podFailurePolicy?: boolean;
}

/**
 * A PodDisruptionBudget for the task pods (`<fullname>-task`), so that voluntary disruptions
 * (node drains, autoscaler consolidation) do not kill runs in progress.
 */
export interface TaskDisruptionBudgetOptions {
  /**
   * Whether to create the budget. Giving these options turns it on; `false` turns it off again.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How many task pods may be evicted at once. Cannot be set with `minAvailable`.
   * @default 0 (no running task pod is evicted), unless `minAvailable` is set
   */
  readonly maxUnavailable?: number;

  /**
   * How many task pods must stay running. Cannot be set with `maxUnavailable`.
   * @default - not set
   */
  readonly minAvailable?: number;
}

/** Options of the `worker` (the agent in the task pod) or the `runner` container. */
export interface TaskContainerOptions {
  /**
   * The container image. The worker inherits each field not given from `agent.image`.
   * @default - worker: the agent image; runner: scalr/agent-runner:0.55.2
   */
  readonly image?: ImageOptions;

  /**
   * Resources of the container. Each field not given keeps its default.
   * @default - worker: requests 250m/256Mi, limits 2000m/1024Mi; runner: requests 500m/512Mi, limits 4000m/2048Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Environment variables of the container, rendered in key order.
   * @default - none
   */
  readonly extraEnv?: { [name: string]: string };

  /**
   * Extra volume mounts (of `task.extraVolumes` or the standard volumes).
   * @default - none
   */
  readonly extraVolumeMounts?: kplus.k8s.VolumeMount[];

  /**
   * The container's security context.
   * @default - worker: allowPrivilegeEscalation false and all capabilities dropped; runner: also
   * runAsNonRoot, privileged false and a read-only root filesystem
   */
  readonly securityContext?: kplus.k8s.SecurityContext;
}

/** The task pods that run Terraform/OpenTofu (the chart's `task` values). */
export interface TaskOptions extends PodOptions {
  /** Job settings. @default - backoffLimit 0, ttlAfterFinished 60 seconds */
  readonly job?: JobOptions;

  /**
   * Labels of the Job of each run (`spec.jobTemplate.metadata`). They win over `common.labels`;
   * selector keys cannot be set.
   * @default - none
   */
  readonly jobLabels?: { [key: string]: string };

  /**
   * Annotations of the Job of each run. They win over `common.annotations`.
   * @default - none
   */
  readonly jobAnnotations?: { [key: string]: string };

  /**
   * A PodDisruptionBudget that protects running task pods from voluntary evictions.
   * @default - none
   */
  readonly podDisruptionBudget?: TaskDisruptionBudgetOptions;

  /**
   * Ask node autoscalers not to evict or disrupt running task pods: adds the pod annotations
   * `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"` and
   * `karpenter.sh/do-not-disrupt: "true"`.
   * @default false
   */
  readonly doNotEvict?: boolean;

  /**
   * Options of the NetworkPolicy that blocks the metadata service (when
   * `allowMetadataService` is false).
   * @default - IPv4 metadata endpoint blocked, DNS allowed, everything else through the IPv4 ipBlock
   */
  readonly metadataPolicy?: MetadataPolicyOptions;

  /**
   * Let task pods reach the cloud metadata service (169.254.169.254). When false, a
   * NetworkPolicy blocks it.
   * @default false
   */
  readonly allowMetadataService?: boolean;

  /**
   * Extra volumes of the task pod.
   * @default - none
   */
  readonly extraVolumes?: kplus.k8s.Volume[];

  /**
   * Extra containers of the task pod, added as init containers after the worker, as the chart
   * does: give them `restartPolicy: Always` to make them native sidecars.
   * @default - none
   */
  readonly sidecars?: kplus.k8s.Container[];

  /** The worker container (the agent). @default - see TaskContainerOptions */
  readonly worker?: TaskContainerOptions;

  /** The runner container (Terraform/OpenTofu). @default - see TaskContainerOptions */
  readonly runner?: TaskContainerOptions;
}

/** The ServiceAccount of the controller and task pods. */
export interface ServiceAccountOptions {
  /**
   * Whether to create the ServiceAccount.
   * @default true
   */
  readonly create?: boolean;

  /**
   * Its name.
   * @default - the release fullname when created, else `default`
   */
  readonly name?: string;

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

/** The RBAC objects that let the controller manage Jobs and read AgentTasks. */
export interface RbacOptions {
  /**
   * Whether to create the Role, ClusterRole and their bindings.
   * @default true
   */
  readonly create?: boolean;

  /**
   * Rules of the namespaced Role.
   * @default - pods, pods/log, pods/exec, pods/status, deployments (read), jobs and jobs/status, as the chart
   */
  readonly rules?: kplus.k8s.PolicyRule[];

  /**
   * Rules of the ClusterRole, bound in the release namespace only.
   * @default - get, list and watch on scalr.io atasks
   */
  readonly clusterRules?: kplus.k8s.PolicyRule[];
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
   * @default VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(5) })
   */
  readonly data?: VolumeStorage;

  /**
   * The cache volume of task pods (binaries and providers).
   * @default VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(5) })
   */
  readonly cache?: VolumeStorage;

  /**
   * A directory inside a persistent cache volume for this pool, so that pools can share one
   * volume (`team-a` gives `team-a/cache`).
   * @default - the volume's root
   */
  readonly cacheSubPath?: string;
}
