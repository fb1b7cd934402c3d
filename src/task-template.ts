import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { CachePersistence } from './cache-persistence';
import { definedFields } from './controller';
import { DataPersistence } from './data-persistence';
import { AgentTask } from './imports/scalr.io';
import { agentRuntime, runnerEnv, workerEnv } from './internal/agent-env';
import { connectionVolumes } from './internal/connection';
import { invalid } from './internal/errors';
import { k8sJson } from './internal/k8s-json';
import { commonLayer, ExtraMetadata, extraMetadata, withExtraMetadata } from './internal/metadata';
import { checkAnnotations, checkDnsLabel, checkDnsSubdomain, checkLabels } from './internal/names';
import { apiObject } from './internal/objects';
import {
  DEFAULT_CONTAINER_SECURITY_CONTEXT, Json, checkRegistry, compact, containerResources, deepMerge, integer,
  podSecurityContext, pullSecrets, resolveImage, securityContext, seconds, sortedEntries, toK8s, toK8sList, tolerations,
} from './internal/pod';
import { namespaceOf } from './internal/task-volume';
import { AgentOptions, CommonOptions, TaskDisruptionBudgetOptions, TaskOptions, TelemetryOptions } from './options';
import { AgentRelease, ChartInfo, ResourceNaming } from './release';
import { AgentToken } from './token';

const RUNNER_SECURITY_CONTEXT: Json = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};
const RESERVED_CONTAINERS = ['worker', 'runner'];

/** The pod annotations `task.doNotEvict` adds. */
export const DO_NOT_EVICT_ANNOTATIONS: { [key: string]: string } = {
  'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
  'karpenter.sh/do-not-disrupt': 'true',
};

/** Props of {@link AgentTaskTemplate}. */
export interface AgentTaskTemplateProps {
  /** The agent pool token, for the worker. */
  readonly token: AgentToken;

  /**
   * The release whose names and labels to use.
   * @default - release `scalr-agent`
   */
  readonly release?: AgentRelease;

  /**
   * The namespace of the AgentTask.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;

  /** Settings shared by all pods. @default - see CommonOptions */
  readonly common?: CommonOptions;

  /** Agent settings the worker shares with the controller. @default - see AgentOptions */
  readonly agent?: AgentOptions;

  /** The task pod and its containers. @default - see TaskOptions */
  readonly task?: TaskOptions;

  /** OpenTelemetry export. @default - disabled */
  readonly telemetry?: TelemetryOptions;

  /**
   * The cache volume.
   * @default - an emptyDir of 5Gi, without provider cache
   */
  readonly cache?: CachePersistence;

  /**
   * The data volume.
   * @default - an emptyDir of 5Gi
   */
  readonly data?: DataPersistence;

  /**
   * The ServiceAccount of task pods (only the worker gets its token).
   * @default - the release fullname
   */
  readonly serviceAccountName?: string;

  /**
   * Lifetime of the worker's projected ServiceAccount token (at least 10 minutes).
   * @default Duration.seconds(3600)
   */
  readonly tokenTtl?: Duration;

  /**
   * How the AgentTask is named when `name` is not given.
   * @default ResourceNaming.CHART_0_5 (`scalr-agent-task`, as the chart 0.5.62)
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * The AgentTask's name: the controller's `SCALR_AGENT_KUBERNETES_JOB_TEMPLATE`.
   * @default - "scalr-agent-task" (hard-coded in the chart), or `<fullname>-task` with ResourceNaming.PER_RELEASE
   */
  readonly name?: string;
}

/**
 * The AgentTask whose `spec.jobTemplate` is the Job the controller creates for each run: a pod
 * with the `worker` (the agent, a native sidecar that alone sees the Kubernetes API token) and
 * the `runner` (Terraform/OpenTofu, read-only root filesystem), sharing the data and cache volumes.
 */
export class AgentTaskTemplate extends Construct {
  /** The AgentTask object. */
  public readonly agentTask: AgentTask;
  /** The cache volume. */
  public readonly cache: CachePersistence;
  /** The data volume. */
  public readonly data: DataPersistence;
  /** The release whose names and labels the template uses. */
  public readonly release: AgentRelease;
  /** The namespace of the AgentTask (and of the Jobs the controller creates). */
  public readonly namespaceName: string;
  /** The PodDisruptionBudget of the task pods, when `task.podDisruptionBudget` is given. */
  public readonly podDisruptionBudget?: ApiObject;

  private readonly jobMetadata: Json;
  private readonly jobSpec: Json;
  private readonly podSpec: Json;
  private readonly worker: Json;
  private readonly runner: Json;

  constructor(scope: Construct, id: string, props: AgentTaskTemplateProps) {
    super(scope, id);
    if (!props || !(props.token instanceof AgentToken)) {
      invalid('token', props?.token === undefined ? undefined : '(not an AgentToken)', 'AgentToken.fromValue(...) or AgentToken.fromSecretName(...)');
    }
    const release = props.release ?? new AgentRelease();
    const namespace = namespaceOf(this, props.namespace);
    this.release = release;
    this.namespaceName = namespace;
    const global = props.common ?? {};
    const agent = props.agent ?? {};
    const task = props.task ?? {};
    const name = checkDnsSubdomain('taskTemplateName', props.name ?? release.taskTemplateName(props.resourceNames));
    const common = extraMetadata(commonLayer(global));
    const jobMetadata = extraMetadata(commonLayer(global),
      { labelsPath: 'task.jobLabels', labels: task.jobLabels, annotationsPath: 'task.jobAnnotations', annotations: task.jobAnnotations });
    this.jobMetadata = compact({ labels: jobMetadata.labels, annotations: jobMetadata.annotations });
    const connection = connectionVolumes(global, release.fullname);
    this.cache = props.cache ?? new CachePersistence(this, 'Cache', { release, namespace });
    this.data = props.data ?? new DataPersistence(this, 'Data', { release, namespace });
    const runtime = agentRuntime(agent, props.token, release.fullname, props.telemetry, global);
    const tokenTtl = seconds('serviceAccount.tokenTtl', props.tokenTtl, 3600, 600);
    const serviceAccountName = checkDnsSubdomain('serviceAccount.name', props.serviceAccountName ?? release.fullname);

    checkRegistry('common.imageRegistry', global.imageRegistry);
    const agentImage = { repository: 'scalr/agent', ...definedFields(agent.image) };
    // Each field of the worker image falls back to the agent image's on its own (F9).
    const workerImage = resolveImage('task.worker.image', global.imageRegistry,
      { ...agentImage, ...definedFields(task.worker?.image) }, ChartInfo.APP_VERSION);
    const runnerImage = resolveImage('task.runner.image', global.imageRegistry,
      { repository: 'scalr/agent-runner', ...definedFields(task.runner?.image) }, ChartInfo.APP_VERSION);

    const workerExtraEnv = sortedEntries(task.worker?.extraEnv);
    const runnerExtraEnv = sortedEntries(task.runner?.extraEnv);

    this.worker = compact({
      name: 'worker',
      image: workerImage.image,
      imagePullPolicy: workerImage.pullPolicy,
      command: ['python', '-m', 'tacoagent.cmd'],
      // An init container that restarts always is a native sidecar: it runs beside the runner
      // and does not keep the Job from completing.
      restartPolicy: 'Always',
      securityContext: securityContext('task.worker.securityContext', task.worker?.securityContext) ?? DEFAULT_CONTAINER_SECURITY_CONTEXT,
      env: workerEnv(runtime, { enabled: this.cache.providerCacheEnabled, sizeLimit: this.cache.providerCacheSizeLimit }, workerExtraEnv),
      resources: containerResources('task.worker.resources', {
        cpuRequest: '250m', cpuLimit: '2000m', memoryRequest: Size.mebibytes(256), memoryLimit: Size.mebibytes(1024),
      }, task.worker?.resources),
      volumeMounts: [
        { name: 'sa-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
        { name: 'data-dir', mountPath: runtime.dataDir },
        compact({ name: 'cache-dir', mountPath: runtime.cacheDir, subPath: this.cache.workerSubPath }),
        { name: 'tmp-dir', mountPath: '/tmp' },
        ...connection.commonMounts,
        ...connection.agentMounts,
      ],
    });

    this.runner = compact({
      name: 'runner',
      image: runnerImage.image,
      imagePullPolicy: runnerImage.pullPolicy,
      command: ['/bin/sh', '/opt/scalr-agent/tacoagent/driver/exec_loop.sh'],
      workingDir: '/opt/workdir',
      securityContext: deepMerge(RUNNER_SECURITY_CONTEXT, securityContext('task.runner.securityContext', task.runner?.securityContext)),
      env: runnerEnv(runtime, runnerExtraEnv),
      resources: containerResources('task.runner.resources', {
        cpuRequest: '500m', cpuLimit: '4000m', memoryRequest: Size.mebibytes(512), memoryLimit: Size.mebibytes(2048),
      }, task.runner?.resources),
      volumeMounts: [
        { name: 'data-dir', mountPath: '/opt/workdir', subPath: 'run/config' },
        { name: 'data-dir', mountPath: '/opt/data', subPath: 'run/data' },
        { name: 'data-dir', mountPath: '/opt/providers', subPath: 'run/providers' },
        { name: 'data-dir', mountPath: '/tmp', subPath: 'run/tmp' },
        { name: 'cache-dir', readOnly: true, mountPath: '/opt/bin', subPath: this.cache.runnerSubPath('bin') },
        { name: 'cache-dir', readOnly: true, mountPath: '/opt/plugin-cache', subPath: this.cache.runnerSubPath('providers') },
        ...connection.commonMounts,
      ],
    });

    const selector = release.selectorLabels('task');
    const podLabels = { ...global.podLabels, ...task.podLabels };
    checkLabels('task.podLabels', podLabels);
    const podAnnotations = { ...global.podAnnotations, ...task.podAnnotations };
    checkAnnotations('task.podAnnotations', podAnnotations);
    if (task.doNotEvict !== undefined && typeof task.doNotEvict !== 'boolean') invalid('task.doNotEvict', task.doNotEvict, 'true or false');
    if (task.doNotEvict) {
      for (const [key, value] of Object.entries(DO_NOT_EVICT_ANNOTATIONS)) {
        if (podAnnotations[key] !== undefined && podAnnotations[key] !== value) {
          invalid(`task.podAnnotations.${key}`, podAnnotations[key], `"${value}" or nothing, because task.doNotEvict sets it`);
        }
        podAnnotations[key] = value;
      }
    }
    checkLabels('task.nodeSelector', task.nodeSelector);

    this.podSpec = {
      restartPolicy: 'Never',
      imagePullSecrets: pullSecrets('common.imagePullSecrets', global.imagePullSecrets),
      serviceAccountName,
      // Only the worker gets an API token, through the projected volume below.
      automountServiceAccountToken: false,
      securityContext: podSecurityContext('task.podSecurityContext', global.podSecurityContext, task.podSecurityContext),
      initContainers: [this.worker],
      containers: [this.runner],
      volumes: [
        {
          name: 'sa-token',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token', expirationSeconds: tokenTtl } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
        this.data.toVolume(),
        this.cache.toVolume(),
        { name: 'tmp-dir', emptyDir: {} },
        ...connection.volumes,
      ],
      terminationGracePeriodSeconds: seconds('task.terminationGracePeriod', task.terminationGracePeriod, 360),
      nodeSelector: task.nodeSelector,
      tolerations: tolerations('task.tolerations', task.tolerations),
      affinity: toK8s(task.affinity, k8sJson.Affinity),
    };
    this.jobSpec = {
      backoffLimit: integer('task.job.backoffLimit', task.job?.backoffLimit, 0),
      ttlSecondsAfterFinished: seconds('task.job.ttlAfterFinished', task.job?.ttlAfterFinished, 60),
      ...podFailurePolicy(task.job?.podFailurePolicy),
      template: { metadata: { annotations: podAnnotations, labels: { ...podLabels, ...selector } }, spec: this.podSpec },
    };

    toK8sList(task.extraVolumes, k8sJson.Volume).forEach((v, i) => this.addVolumeJson(`task.extraVolumes[${i}]`, v));
    toK8sList(task.sidecars, k8sJson.Container).forEach((c, i) => this.addSidecarJson(`task.sidecars[${i}]`, c));
    toK8sList(task.worker?.extraVolumeMounts, k8sJson.VolumeMount)
      .forEach((m, i) => this.addMountJson(this.worker, `task.worker.extraVolumeMounts[${i}]`, m));
    toK8sList(task.runner?.extraVolumeMounts, k8sJson.VolumeMount)
      .forEach((m, i) => this.addMountJson(this.runner, `task.runner.extraVolumeMounts[${i}]`, m));

    this.agentTask = new AgentTask(this, 'Resource', {
      metadata: withExtraMetadata({ name, namespace, labels: release.labels('task') }, common),
      spec: { jobTemplate: Lazy.any({ produce: () => this.renderJobTemplate() }) as unknown as { [key: string]: any } },
    });
    this.podDisruptionBudget = this.taskDisruptionBudget(task.podDisruptionBudget, common);
    // Mount references are checked once the template is complete, so volumes may be added later.
    this.node.addValidation({ validate: () => this.validateMounts() });
  }

  /**
   * Adds a volume to the task pod.
   * @param volume the volume (its name must be new)
   */
  public addVolume(volume: kplus.k8s.Volume): void {
    this.addVolumeJson(`volume "${volume.name}"`, toK8s(volume, k8sJson.Volume)!);
  }

  /**
   * Adds a container to the task pod, after the worker in `initContainers`. Give it
   * `restartPolicy: "Always"` to make it a native sidecar that runs beside the runner.
   * @param container the container
   */
  public addSidecar(container: kplus.k8s.Container): void {
    this.addSidecarJson(`sidecar "${container.name}"`, toK8s(container, k8sJson.Container)!);
  }

  /**
   * Mounts a volume into the worker.
   * @param mount the mount
   */
  public addWorkerVolumeMount(mount: kplus.k8s.VolumeMount): void {
    this.addMountJson(this.worker, 'worker volume mount', toK8s(mount, k8sJson.VolumeMount)!);
  }

  /**
   * Mounts a volume into the runner.
   * @param mount the mount
   */
  public addRunnerVolumeMount(mount: kplus.k8s.VolumeMount): void {
    this.addMountJson(this.runner, 'runner volume mount', toK8s(mount, k8sJson.VolumeMount)!);
  }

  /**
   * The Job spec the controller uses for each run (`spec.jobTemplate`), as Kubernetes JSON. A copy:
   * change the template through this construct's methods.
   */
  public jobTemplate(): any {
    return JSON.parse(JSON.stringify(this.renderJobTemplate()));
  }

  // The synthesized AgentTask needs no copy: cdk8s resolves it into new objects.
  private renderJobTemplate(): Json {
    const template = { metadata: compact(this.jobSpec.template.metadata), spec: compact(this.podSpec) };
    return compact({ metadata: this.jobMetadata, spec: { ...this.jobSpec, template } });
  }

  private taskDisruptionBudget(options: TaskDisruptionBudgetOptions | undefined, common: ExtraMetadata): ApiObject | undefined {
    if (options === undefined || options.enabled === false) return undefined;
    const path = 'task.podDisruptionBudget';
    if (options.minAvailable !== undefined && options.maxUnavailable !== undefined) {
      invalid(`${path}.minAvailable`, options.minAvailable,
        `nothing, because ${path}.maxUnavailable is set: a PodDisruptionBudget takes minAvailable or maxUnavailable, not both`);
    }
    const spec: Json = options.minAvailable !== undefined
      ? { minAvailable: integer(`${path}.minAvailable`, options.minAvailable, 0) }
      : { maxUnavailable: integer(`${path}.maxUnavailable`, options.maxUnavailable, 0) };
    return apiObject(this, 'PodDisruptionBudget', 'policy/v1', 'PodDisruptionBudget',
      withExtraMetadata({ name: `${this.release.fullname}-task`, namespace: this.namespaceName, labels: this.release.labels('task') }, common),
      { spec: { ...spec, selector: { matchLabels: this.release.selectorLabels('task') } } });
  }

  private addVolumeJson(path: string, volume: Json): void {
    checkDnsLabel(`${path}.name`, volume.name);
    if (this.podSpec.volumes.some((v: Json) => v.name === volume.name)) {
      invalid(`${path}.name`, volume.name, `a volume name not used yet (taken: ${this.podSpec.volumes.map((v: Json) => v.name).join(', ')})`);
    }
    this.podSpec.volumes.push(volume);
  }

  private addSidecarJson(path: string, container: Json): void {
    checkDnsLabel(`${path}.name`, container.name);
    const taken = [...this.podSpec.initContainers, ...this.podSpec.containers].map((c: Json) => c.name);
    if (RESERVED_CONTAINERS.includes(container.name) || taken.includes(container.name)) {
      invalid(`${path}.name`, container.name, `a container name not used yet (taken: ${taken.join(', ')})`);
    }
    if (typeof container.image !== 'string' || container.image === '') invalid(`${path}.image`, container.image, 'an image');
    (container.volumeMounts ?? []).forEach((m: Json, i: number) => checkMount(`${path}.volumeMounts[${i}]`, m));
    this.podSpec.initContainers.push(container);
  }

  private addMountJson(container: Json, path: string, mount: Json): void {
    checkMount(path, mount);
    if (container.volumeMounts.some((m: Json) => m.mountPath === mount.mountPath)) {
      invalid(`${path}.mountPath`, mount.mountPath, `a path not mounted yet in the ${container.name} container`);
    }
    container.volumeMounts.push(mount);
  }

  private validateMounts(): string[] {
    const volumes = new Set(this.podSpec.volumes.map((v: Json) => v.name));
    const errors: string[] = [];
    for (const container of [...this.podSpec.initContainers, ...this.podSpec.containers]) {
      for (const mount of container.volumeMounts ?? []) {
        if (!volumes.has(mount.name)) {
          errors.push(`${container.name} container: volume mount at ${mount.mountPath}: got volume ${JSON.stringify(mount.name)}; expected one of the task pod's volumes (${[...volumes].join(', ')}); add it with task.extraVolumes`);
        }
      }
    }
    return errors;
  }
}

function podFailurePolicy(enabled: boolean | undefined): Json {
  if (enabled === undefined || enabled === false) return {};
  if (enabled !== true) invalid('task.job.podFailurePolicy', enabled, 'true or false');
  // Valid because the task pod's restartPolicy is Never.
  return {
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'runner', operator: 'NotIn', values: [0] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    },
  };
}

function checkMount(path: string, mount: Json): void {
  checkDnsLabel(`${path}.name`, mount.name);
  if (typeof mount.mountPath !== 'string' || !mount.mountPath.startsWith('/')) {
    invalid(`${path}.mountPath`, mount.mountPath, 'an absolute path');
  }
  if (mount.subPath !== undefined && (typeof mount.subPath !== 'string' || mount.subPath.startsWith('/') || mount.subPath.split('/').includes('..'))) {
    invalid(`${path}.subPath`, mount.subPath, "a relative path without '..'");
  }
  if (mount.name === 'sa-token') {
    invalid(`${path}.name`, mount.name, 'a volume other than sa-token: only the worker may see the Kubernetes API token');
  }
}
