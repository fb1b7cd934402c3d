// The typed options in which chart generations differ structurally. A ChartVersion picks a value
// for each; a pool may set any of them itself.

/** How the objects are named (the names the chart version gives them). */
export enum ResourceNaming {
  /**
   * As chart 0.5.62: the Deployment is `scalr-agent`, the task template `scalr-agent-task`, the
   * ClusterRole `<fullname>-clusterrole`, the controller PodDisruptionBudget `<fullname>-agent`
   * and the NetworkPolicy `<fullname>-task-network-policy`, whatever the release; the RBAC objects
   * carry no labels. Two pools in one namespace collide.
   */
  CHART_0_5 = 'chart-0.5',
  /**
   * Per release, on top of the 0.5 names: the Deployment is `<fullname>`, the task template
   * `<fullname>-task`, the ClusterRole and its binding `<namespace>-<fullname>-clusterrole[-binding]`.
   */
  PER_RELEASE = 'per-release',
  /**
   * As chart 0.6.5: the Deployment `<fullname>`, the task template `<fullname>-task-template`,
   * the controller PodDisruptionBudget `<fullname>`, the NetworkPolicy `<fullname>-network-policy`,
   * the ClusterRole and its binding `<namespace>-<fullname>-clusterrole[-binding]`, and labels on
   * the RBAC objects.
   */
  CHART_0_6 = 'chart-0.6',
}

/** The custom resource that holds the Job template the controller reads. */
export enum TaskTemplateResource {
  /**
   * `AgentTask` (CRD `atasks.scalr.io`), read by agents before 0.61.3 through
   * `SCALR_AGENT_KUBERNETES_JOB_TEMPLATE`.
   */
  AGENT_TASK = 'AgentTask',
  /**
   * `AgentTaskTemplate` (CRD `agenttasktemplates.scalr.io`, with `spec.basename`), read by agents
   * 0.61.3 and later through `SCALR_AGENT_KUBERNETES_TASK_TEMPLATE`.
   */
  AGENT_TASK_TEMPLATE = 'AgentTaskTemplate',
}

/** How the task pod runs the agent (`worker`) beside Terraform/OpenTofu (`runner`). */
export enum TaskPodLayout {
  /**
   * As chart 0.5.62: the worker is a native sidecar (an init container that restarts always),
   * extra sidecars are init containers after it, and the runner runs
   * `/opt/scalr-agent/tacoagent/driver/exec_loop.sh` from its own image (`scalr/agent-runner`),
   * with the binary cache at `/opt/bin`.
   */
  WORKER_SIDECAR = 'worker-sidecar',
  /**
   * As chart 0.6.5: the runner and the worker are regular containers with startup and liveness
   * probes, extra sidecars follow them in `containers`, the runner runs `exec-loop` from the agent
   * image mounted as an `image` volume at `/usr/bin/runner` (so any runner image works; needs
   * Kubernetes 1.35 or later), and the binary cache is at `/opt/binary-cache`.
   */
  IMAGE_VOLUME = 'image-volume',
}

/** The environment variables the agent understands: its settings contract. */
export enum AgentEnvContract {
  /** Agent 0.55 (chart 0.5.62): URL, token, debug, log format, directories, provider cache, telemetry. */
  AGENT_0_55 = 'agent-0.55',
  /**
   * Agent 1.x (chart 0.6.5): also the controller/worker mode, stop actions, startup timeout,
   * module and binary caches, provider network mirrors, the memory monitor, Sentry, and pod
   * metadata under `/etc/podinfo`.
   */
  AGENT_1 = 'agent-1',
}

/** Where the ClusterRole (read access to the task template) applies. */
export enum ClusterRoleScope {
  /** Bound with a RoleBinding in the release namespace, as chart 0.5.62. */
  NAMESPACE = 'namespace',
  /** Bound with a ClusterRoleBinding, as chart 0.6.5. */
  CLUSTER = 'cluster',
}

/** What an agent process does when it is asked to stop. */
export enum StopAction {
  /** Stop taking runs and wait for the runs in progress (up to the drain timeout). */
  DRAIN = 'drain',
  /** Stop within the grace period, ending the run in progress gracefully. */
  GRACE_SHUTDOWN = 'grace-shutdown',
}
