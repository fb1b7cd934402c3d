import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { ImageOptions, PodOptions } from './common';
import { TaskPodLayout } from './structure';

/** The Job the controller creates per run (the chart's `task.job`). */
export interface JobOptions {
  /**
   * How many times a failed run's pod is retried.
   * @default - the chart version's: 0 (0.5.62) or 1 (0.6.5, with the pod failure policy only
   * pods that never ran are retried)
   */
  readonly backoffLimit?: number;

  /**
   * How long a finished Job is kept before Kubernetes deletes it.
   * @default Duration.seconds(60)
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * Add a podFailurePolicy: the Job fails at once when a container exits with a non-zero code
   * (no retry of a failed Terraform run), while a pod lost to a disruption (preemption, node
   * drain, eviction) is not counted against `backoffLimit` and is started again.
   * @default - the chart version's: false (0.5.62) or true (0.6.5)
   */
  readonly podFailurePolicy?: boolean;

  /**
   * The prefix of the Jobs' names (`spec.basename` of an AgentTaskTemplate): Jobs are named
   * `<basename>-<run>-<stage>`. Only for TaskTemplateResource.AGENT_TASK_TEMPLATE.
   * @default - the release fullname
   */
  readonly basename?: string;
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
   * @default - worker: the agent image; runner: scalr/agent-runner at the agent version (chart
   * 0.5.62) or scalr/runner:0.2.0 (chart 0.6.5)
   */
  readonly image?: ImageOptions;

  /**
   * Resources of the container. Each field not given keeps its default.
   * @default - the chart version's (see the chart comparison in the docs)
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Environment variables of the container, rendered in key order.
   * @default - none
   */
  readonly extraEnv?: { [name: string]: string };

  /**
   * Extra volume mounts, as raw Kubernetes structs (of `task.extraVolumes` or the standard volumes).
   * @default - none
   */
  readonly extraVolumeMounts?: kplus.k8s.VolumeMount[];

  /**
   * Extra volume mounts of cdk8s-plus volumes; each volume is added to the task pod.
   * @default - none
   */
  readonly volumeMounts?: kplus.VolumeMount[];

  /**
   * The container's security context.
   * @default - worker: allowPrivilegeEscalation false and all capabilities dropped; runner: also
   * runAsNonRoot, privileged false and a read-only root filesystem
   */
  readonly securityContext?: kplus.k8s.SecurityContext;
}

/** Options of the worker container (the agent in the task pod). */
export interface WorkerOptions extends TaskContainerOptions {
  /**
   * The worker's command.
   * @default - chart 0.5.62: `python -m tacoagent.cmd`; chart 0.6.5: the image's entrypoint
   */
  readonly command?: string[];

  /**
   * The worker's arguments.
   * @default - none
   */
  readonly args?: string[];
}

/** Options of the runner container (Terraform/OpenTofu). */
export interface RunnerOptions extends TaskContainerOptions {
  /**
   * The share of the runner's memory limit at which the agent warns
   * (`SCALR_AGENT_MEMORY_MONITOR_WARN_PERCENT`, agent 1 environment).
   * @default 90
   */
  readonly memoryWarnPercent?: number;

  /**
   * The share of the runner's memory limit at which the agent asks the run to stop
   * (`SCALR_AGENT_MEMORY_MONITOR_SOFT_LIMIT_PERCENT`, agent 1 environment).
   * @default 80
   */
  readonly memorySoftLimitPercent?: number;
}

/** The task pods that run Terraform/OpenTofu (the chart's `task` values). */
export interface TaskOptions extends PodOptions {
  /** Job settings. @default - see JobOptions */
  readonly job?: JobOptions;

  /**
   * How the task pod runs the worker and the runner.
   * @default - the chart version's: WORKER_SIDECAR (0.5.62) or IMAGE_VOLUME (0.6.5)
   */
  readonly podLayout?: TaskPodLayout;

  /**
   * How long the agent waits for a task pod to start (`SCALR_AGENT_KUBERNETES_TASK_STARTUP_TIMEOUT_SECONDS`,
   * agent 1 environment).
   * @default Duration.seconds(180)
   */
  readonly startupTimeout?: Duration;

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
   * @default - the chart version's: none (0.5.62) or maxUnavailable 0 (0.6.5)
   */
  readonly podDisruptionBudget?: TaskDisruptionBudgetOptions;

  /**
   * Ask node autoscalers not to evict or disrupt running task pods, with the pod annotations of
   * the chart version (`cluster-autoscaler.kubernetes.io/safe-to-evict: "false"`,
   * `karpenter.sh/do-not-disrupt: "true"`; chart 0.6.5 also `karpenter.sh/do-not-evict` and
   * `autopilot.gke.io/priority`).
   * @default - the chart version's: false (0.5.62) or true (0.6.5)
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
   * Extra volumes of the task pod, as raw Kubernetes structs.
   * @default - none
   */
  readonly extraVolumes?: kplus.k8s.Volume[];

  /**
   * Extra volumes of the task pod, as cdk8s-plus volumes (`kplus.Volume.fromConfigMap(...)` ...).
   * @default - none
   */
  readonly volumes?: kplus.Volume[];

  /**
   * Extra containers of the task pod, as raw Kubernetes structs. With the WORKER_SIDECAR layout
   * they are init containers after the worker (give them `restartPolicy: Always` to make them
   * native sidecars); with IMAGE_VOLUME they are regular containers after the worker.
   * @default - none
   */
  readonly sidecars?: kplus.k8s.Container[];

  /**
   * Extra containers of the task pod, as cdk8s-plus container props, rendered as cdk8s-plus
   * renders them (with its secure defaults); the volumes they mount are added to the pod. Placed
   * as `sidecars` are.
   * @default - none
   */
  readonly sidecarContainers?: kplus.ContainerProps[];

  /** The worker container (the agent). @default - see WorkerOptions */
  readonly worker?: WorkerOptions;

  /** The runner container (Terraform/OpenTofu). @default - see RunnerOptions */
  readonly runner?: RunnerOptions;
}

/** What the metadata NetworkPolicy allows besides DNS and the internet. */
export interface MetadataPolicyOptions {
  /**
   * Also block the IPv6 metadata endpoint `fd00:ec2::254` (EC2 Nitro instances in IPv6 or
   * dual-stack clusters). Adds `::/0 except fd00:ec2::254/128` to the allowed ipBlocks, so
   * IPv6 traffic elsewhere stays allowed.
   * @default false (IPv6 is not allowed by the policy at all, except to in-cluster DNS)
   */
  readonly blockIpv6Metadata?: boolean;

  /**
   * Allow egress to every pod in every namespace, on all ports. On CNIs where an ipBlock does
   * not match cluster addresses (Cilium, GKE Dataplane V2), task pods otherwise reach only DNS
   * inside the cluster. Pods with `hostNetwork` (and the node's own addresses) are not pods to
   * a namespaceSelector: reaching them still depends on the ipBlock.
   * @default false
   */
  readonly allowClusterTraffic?: boolean;
}
