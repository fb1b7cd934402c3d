import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { ImageOptions, LogFormat, PodDisruptionBudgetOptions, PodOptions } from './common';
import { AgentEnvContract, StopAction } from './structure';

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

  /**
   * How many providers the agent downloads at once (`SCALR_AGENT_PROVIDER_CACHE_CONCURRENCY`).
   * Agent 1 environment only.
   * @default 10
   */
  readonly concurrency?: number;

  /**
   * Drop the page cache of provider files after use, so that cached providers do not count
   * against the pod's memory (`SCALR_AGENT_PROVIDER_CACHE_DROP_KERNEL_PAGES`). Agent 1 environment only.
   * @default true
   */
  readonly dropKernelPages?: boolean;
}

/** The agent's module cache (Terraform modules shared between runs). Agent 1 environment only. */
export interface ModuleCacheOptions {
  /**
   * Whether the agent caches modules in the cache volume.
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * The most the module cache may hold (`SCALR_AGENT_MODULE_CACHE_SIZE_LIMIT_MB`).
   * @default Size.gibibytes(40)
   */
  readonly sizeLimit?: Size;

  /**
   * How many modules the agent downloads at once (`SCALR_AGENT_MODULE_CACHE_CONCURRENCY`).
   * @default 10
   */
  readonly concurrency?: number;
}

/** The agent's cache of Terraform/OpenTofu binaries. Agent 1 environment only. */
export interface BinaryCacheOptions {
  /**
   * The most the binary cache may hold (`SCALR_AGENT_BINARY_CACHE_SIZE_LIMIT_MB`).
   * @default Size.gibibytes(5)
   */
  readonly sizeLimit?: Size;

  /**
   * Binaries unused for this long are removed (`SCALR_AGENT_BINARY_CACHE_THRESHOLD_DAYS`, whole days).
   * @default Duration.days(10)
   */
  readonly threshold?: Duration;
}

/** A network mirror the agent fetches providers from (an item of `SCALR_AGENT_PROVIDER_NETWORK_MIRRORS`). */
export interface ProviderNetworkMirror {
  /** The mirror's URL, such as `https://mirror.example.com/providers/`. */
  readonly url: string;

  /**
   * The provider registry host it stands in for, such as `registry.terraform.io`, or `*` for all.
   * @default - the agent's default (every host)
   */
  readonly hostname?: string;

  /**
   * Provider addresses (`registry.terraform.io/hashicorp/*`) fetched from this mirror only.
   * @default - every provider
   */
  readonly include?: string[];

  /**
   * A token the agent sends to the mirror. It is written into the pods' environment in plain
   * text (as the chart writes it) and never shown in a message; prefer a mirror that needs none.
   * @default - none
   */
  readonly token?: string;
}

/** What the controller and the worker do when they are asked to stop. Agent 1 environment only. */
export interface StopOptions {
  /**
   * The controller's action (`SCALR_AGENT_WORKER_ON_STOP_ACTION` of the controller).
   * @default StopAction.DRAIN
   */
  readonly controllerAction?: StopAction;

  /**
   * How long a draining controller waits for runs in progress (`SCALR_AGENT_WORKER_DRAIN_TIMEOUT`).
   * @default Duration.seconds(180)
   */
  readonly drainTimeout?: Duration;

  /**
   * The worker's action in the task pod.
   * @default StopAction.GRACE_SHUTDOWN
   */
  readonly workerAction?: StopAction;
}

/** Options of the controller container itself (the chart's `agent.controller`). */
export interface ControllerContainerOptions {
  /**
   * Kubernetes environment variables (with `valueFrom` if needed) appended to the controller's,
   * after the agent's and `agent.extraEnv` (the chart's `agent.controller.extraEnv`).
   * @default - none
   */
  readonly extraEnvVars?: kplus.k8s.EnvVar[];

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

  /**
   * The container's command.
   * @default - chart 0.5.62: `python -m tacoagent.cmd`; chart 0.6.5: the image's entrypoint
   */
  readonly command?: string[];

  /**
   * The container's arguments.
   * @default - none
   */
  readonly args?: string[];
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
   * @default - scalr/agent at the chart version's agent version, IfNotPresent
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
   * The variables the agent reads: chosen by the chart version; agent 1.x images need `AGENT_1`.
   * @default - the chart version's: AGENT_0_55 for 0.5.62, AGENT_1 for 0.6.5
   */
  readonly envContract?: AgentEnvContract;

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
   * @default - chart 0.5.62: requests 100m CPU and 128Mi memory, limits 500m and 256Mi; chart
   * 0.6.5: requests 100m and 256Mi, no limits
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

  /**
   * The module cache, kept in the cache volume (agent 1 environment).
   * @default - disabled
   */
  readonly moduleCache?: ModuleCacheOptions;

  /**
   * The binary cache (agent 1 environment).
   * @default - 5 GiB, binaries unused for 10 days removed
   */
  readonly binaryCache?: BinaryCacheOptions;

  /**
   * Network mirrors for providers (`SCALR_AGENT_PROVIDER_NETWORK_MIRRORS`, agent 1 environment).
   * @default - none
   */
  readonly providerNetworkMirrors?: ProviderNetworkMirror[];

  /**
   * A Sentry DSN the agent reports errors to (`SCALR_AGENT_SENTRY_DSN`, agent 1 environment).
   * Treated as a secret: never shown in messages.
   * @default - none
   */
  readonly sentryDsn?: string;

  /**
   * What the controller and worker do when asked to stop (agent 1 environment).
   * @default - the controller drains for up to 180 s, the worker shuts down gracefully
   */
  readonly stop?: StopOptions;
}
