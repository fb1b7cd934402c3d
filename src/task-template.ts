import { ApiObject, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { CachePersistence } from './cache-persistence';
import { resolveVersion } from './chart-version';
import { invalid } from './core/errors';
import { compact, deepMerge, Json, sortedEntries } from './core/json';
import { checkAnnotations, checkDnsLabel, checkDnsSubdomain, checkLabels } from './core/names';
import { DataPersistence } from './data-persistence';
import * as crds from './imports/scalr.io';
import { AgentRuntime, PODINFO_MOUNT, PODINFO_VOLUME, agentCommand, agentRuntime, runnerEnv, workerEnv } from './internal/agent-env';
import { connectionVolumes } from './internal/connection';
import { Defaults } from './internal/defaults';
import { disruptionBudgetSpec } from './internal/disruption-budget';
import { commonLayer, ExtraMetadata, extraMetadata, withExtraMetadata } from './internal/metadata';
import { apiObject, checkRenderable } from './internal/objects';
import {
  DEFAULT_CONTAINER_SECURITY_CONTEXT, checkMountPaths, checkTaskMount, containerResources, definedFields, flag, imageSource, integer,
  plusContainer, plusMount, plusVolume, podSecurityContext, pullSecrets, resolveImage, securityContext, seconds, stringList, struct,
  structList, tolerations,
} from './internal/pod';
import { AGENT_IMAGE_MOUNT, fileProbes, podLayout } from './internal/pod-layout';
import { selectPods, tokenSource } from './internal/refs';
import { namespaceOf } from './internal/task-volume';
import { AgentOptions } from './options/agent';
import { CommonOptions } from './options/common';
import { TelemetryOptions } from './options/pool';
import { ResourceNaming, TaskPodLayout, TaskTemplateResource } from './options/structure';
import { TaskDisruptionBudgetOptions, TaskOptions } from './options/task';
import { AgentRelease } from './release';
import { AgentToken } from './token';
import { taskTemplateCrd } from './versions/crds';
import { VersionProfile } from './versions/profile';

const RESERVED_CONTAINERS = ['worker', 'runner'];
const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Props of {@link AgentTaskTemplate}. */
export interface AgentTaskTemplateProps {
  /** The agent pool token, for the worker. */
  readonly token: AgentToken;

  /**
   * The release whose names, labels and chart version to use.
   * @default - release `scalr-agent` of the latest chart version
   */
  readonly release?: AgentRelease;

  /**
   * The namespace of the task template (and of the Jobs the controller creates).
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
   * @default - an emptyDir of the chart version's size
   */
  readonly cache?: CachePersistence;

  /**
   * The data volume.
   * @default - an emptyDir of the chart version's size
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
   * How the task template is named when `name` is not given.
   * @default - the chart version's naming
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * The custom resource that holds the Job template.
   * @default - the chart version's: AGENT_TASK (0.5.62) or AGENT_TASK_TEMPLATE (0.6.5)
   */
  readonly taskTemplateResource?: TaskTemplateResource;

  /**
   * The task template's name: the controller's `SCALR_AGENT_KUBERNETES_*_TEMPLATE`.
   * @default - as `resourceNames` names it
   */
  readonly name?: string;
}

/**
 * The custom resource (an `AgentTaskTemplate`, or an `AgentTask` for agents before 0.61.3)
 * whose `spec.jobTemplate` is the Job the controller creates for each run: a pod with the
 * `worker` (the agent, which alone sees the Kubernetes API token) and the `runner`
 * (Terraform/OpenTofu, read-only root filesystem), sharing the data and cache volumes.
 */
export class AgentTaskTemplate extends Construct {
  /** The custom resource object (kind AgentTaskTemplate or AgentTask). */
  public readonly apiObject: ApiObject;
  /** The custom resource it is. */
  public readonly resource: TaskTemplateResource;
  /** The cache volume. */
  public readonly cache: CachePersistence;
  /** The data volume. */
  public readonly data: DataPersistence;
  /** The release whose names and labels the template uses. */
  public readonly release: AgentRelease;
  /** The namespace of the template (and of the Jobs the controller creates). */
  public readonly namespace: string;
  /** The task template's name. */
  public readonly name: string;
  /** The PodDisruptionBudget of the task pods, when enabled. */
  public readonly podDisruptionBudget?: ApiObject;

  private readonly jobMetadata: Json;
  private readonly jobSpec: Json;
  private readonly podSpec: Json;
  private readonly worker: Json;
  private readonly runner: Json;
  /** Where added containers go: after the worker in initContainers (sidecar layout) or in containers. */
  private readonly sidecarSlot: Json[];
  private readonly extraVolumes: Json[] = [];
  private readonly podinfo: boolean;
  private readonly sidecarsAreInitContainers: boolean;
  private pods?: kplus.Pods;

  constructor(scope: Construct, id: string, props: AgentTaskTemplateProps) {
    super(scope, id);
    if (!props || !AgentToken.isAgentToken(props.token)) {
      invalid('token', props?.token === undefined ? undefined : '(not an AgentToken)', 'AgentToken.fromValue(...), fromSecretName(...) or fromSecret(...)');
    }
    const release = props.release ?? new AgentRelease();
    const profile = resolveVersion('version', release.version)._profile;
    const d = Defaults.of(profile);
    const namespace = namespaceOf(this, props.namespace);
    this.release = release;
    this.namespace = namespace;
    const global = props.common ?? {};
    const agent = props.agent ?? {};
    const task = props.task ?? {};
    const naming = props.resourceNames ?? profile.resourceNames;
    this.resource = props.taskTemplateResource ?? profile.taskTemplateResource;
    taskTemplateCrd(this.resource);
    this.name = checkDnsSubdomain('taskTemplateName', props.name ?? release.taskTemplateName(naming));
    const layoutName = task.podLayout ?? profile.podLayout;
    const layout = podLayout(layoutName);
    if (!layout) invalid('task.podLayout', layoutName, `one of ${Object.values(TaskPodLayout).join(', ')}`);
    const common = extraMetadata(commonLayer(global));
    const jobMetadata = extraMetadata(commonLayer(global),
      { labelsPath: 'task.jobLabels', labels: task.jobLabels, annotationsPath: 'task.jobAnnotations', annotations: task.jobAnnotations });
    this.jobMetadata = compact({ labels: jobMetadata.labels, annotations: jobMetadata.annotations });
    const connection = connectionVolumes(global, release.fullname, namespace);
    this.cache = props.cache ?? new CachePersistence(this, 'Cache', { release, namespace });
    this.data = props.data ?? new DataPersistence(this, 'Data', { release, namespace });
    const token = tokenSource(props.token, release.fullname, namespace);
    const runtime: AgentRuntime = agentRuntime({
      agent, task, tokenSecretName: token.secretName, tokenKey: token.key, telemetry: props.telemetry, common: global, defaults: d,
    });
    this.podinfo = runtime.podinfo;
    const tokenTtl = seconds('serviceAccount.tokenTtl', props.tokenTtl, d.number('serviceAccount.tokenTTL'), 600, 2 ** 32 - 1);
    const serviceAccountName = checkDnsSubdomain('serviceAccount.name', props.serviceAccountName ?? release.fullname);

    const source = imageSource(global.imageRegistry, global.imageNamespace);
    const agentImage = { ...d.json('agent.image'), ...definedFields(agent.image) };
    const resolvedAgentImage = resolveImage('agent.image', source, agentImage, profile.appVersion);
    // Each field of the worker image falls back to the agent image's on its own (F9).
    const workerImage = resolveImage('task.worker.image', source, { ...agentImage, ...definedFields(task.worker?.image) }, profile.appVersion);
    const runnerDefaults = d.json('task.runner.image');
    const runnerImage = resolveImage('task.runner.image', source, { ...runnerDefaults, ...definedFields(task.runner?.image) },
      runnerDefaults.tag || profile.appVersion);

    this.worker = compact({
      name: 'worker',
      image: workerImage.image,
      imagePullPolicy: workerImage.pullPolicy,
      command: stringList('task.worker.command', task.worker?.command) ?? agentCommand(runtime.contract),
      args: stringList('task.worker.args', task.worker?.args),
      // An init container that restarts always is a native sidecar: it runs beside the runner
      // and does not keep the Job from completing.
      restartPolicy: layout.workerIsSidecar ? 'Always' : undefined,
      securityContext: securityContext('task.worker.securityContext', task.worker?.securityContext) ?? DEFAULT_CONTAINER_SECURITY_CONTEXT,
      env: workerEnv(runtime, sortedEntries(task.worker?.extraEnv)),
      resources: containerResources('task.worker.resources', d.resources('task.worker.resources'), task.worker?.resources),
      volumeMounts: [
        { name: 'sa-token', mountPath: SERVICE_ACCOUNT_TOKEN_PATH, readOnly: true },
        ...(this.podinfo ? [PODINFO_MOUNT] : []),
        { name: 'data-dir', mountPath: runtime.dataDir },
        compact({ name: 'cache-dir', mountPath: runtime.cacheDir, subPath: this.cache.workerSubPath }),
        { name: 'tmp-dir', mountPath: '/tmp' },
        ...connection.commonMounts,
        ...connection.agentMounts,
      ],
      ...(layout.probes ? fileProbes(`${runtime.dataDir}/${layout.probes.workerFiles.started}`, `${runtime.dataDir}/${layout.probes.workerFiles.healthy}`) : {}),
    });

    this.runner = compact({
      name: 'runner',
      image: runnerImage.image,
      imagePullPolicy: runnerImage.pullPolicy,
      command: layout.runnerCommand,
      workingDir: '/opt/workdir',
      securityContext: deepMerge(d.json('task.runner.securityContext'), securityContext('task.runner.securityContext', task.runner?.securityContext)),
      env: runnerEnv(runtime, sortedEntries(task.runner?.extraEnv)),
      resources: containerResources('task.runner.resources', d.resources('task.runner.resources'), task.runner?.resources),
      volumeMounts: [
        ...(layout.agentImageVolume ? [{ name: 'worker', mountPath: AGENT_IMAGE_MOUNT, readOnly: true }] : []),
        { name: 'data-dir', mountPath: '/opt/workdir', subPath: 'run/config' },
        { name: 'data-dir', mountPath: '/opt/data', subPath: 'run/data' },
        { name: 'data-dir', mountPath: '/opt/providers', subPath: 'run/providers' },
        { name: 'data-dir', mountPath: '/tmp', subPath: 'run/tmp' },
        { name: 'cache-dir', readOnly: true, mountPath: layout.binaryCache.mountPath, subPath: this.cache.runnerSubPath(layout.binaryCache.dir) },
        { name: 'cache-dir', readOnly: true, mountPath: '/opt/plugin-cache', subPath: this.cache.runnerSubPath('providers') },
        ...connection.commonMounts,
      ],
      ...(layout.probes ? fileProbes(layout.probes.runner.started, layout.probes.runner.healthy) : {}),
    });
    checkMountPaths('task.worker', 'worker', this.worker.volumeMounts);
    checkMountPaths('task.runner', 'runner', this.runner.volumeMounts);

    const selector = release.selectorLabels('task');
    const podLabels = { ...(global.labelPods ?? profile.labelPods ? common.labels : {}), ...global.podLabels, ...task.podLabels };
    checkLabels('task.podLabels', podLabels);
    const podAnnotations = this.podAnnotations(profile, global, task);
    checkLabels('task.nodeSelector', task.nodeSelector);

    this.sidecarSlot = layout.workerIsSidecar ? [this.worker] : [this.runner, this.worker];
    this.sidecarsAreInitContainers = layout.workerIsSidecar;
    this.podSpec = {
      restartPolicy: 'Never',
      imagePullSecrets: pullSecrets('common.imagePullSecrets', global.imagePullSecrets, namespace),
      serviceAccountName,
      // Only the worker gets an API token, through the projected volume below.
      automountServiceAccountToken: false,
      securityContext: podSecurityContext('task.podSecurityContext', d.json('global.podSecurityContext'), global.podSecurityContext, task.podSecurityContext),
      initContainers: layout.workerIsSidecar ? this.sidecarSlot : [],
      containers: layout.workerIsSidecar ? [this.runner] : this.sidecarSlot,
      volumes: [
        ...(layout.agentImageVolume ? [{ name: 'worker', image: { reference: resolvedAgentImage.image, pullPolicy: resolvedAgentImage.pullPolicy } }] : []),
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
      terminationGracePeriodSeconds: runtime.workerGrace,
      nodeSelector: task.nodeSelector,
      tolerations: tolerations('task.tolerations', task.tolerations),
      affinity: struct('task.affinity', 'Affinity', task.affinity),
    };
    const failurePolicy = flag('task.job.podFailurePolicy', task.job?.podFailurePolicy, profile.podFailurePolicy);
    this.jobSpec = {
      backoffLimit: integer('task.job.backoffLimit', task.job?.backoffLimit, d.number('task.job.backoffLimit')),
      ttlSecondsAfterFinished: seconds('task.job.ttlAfterFinished', task.job?.ttlAfterFinished, d.number('task.job.ttlSecondsAfterFinished')),
      ...(failurePolicy ? { podFailurePolicy: layout.podFailurePolicy } : {}),
      template: { metadata: { annotations: podAnnotations, labels: { ...podLabels, ...selector } }, spec: this.podSpec },
    };

    structList('task.extraVolumes', 'Volume', task.extraVolumes).forEach((v, i) => this.addVolumeJson(`task.extraVolumes[${i}]`, v));
    (task.volumes ?? []).forEach((v, i) => this.addVolumeJson(`task.volumes[${i}]`, plusVolume(v)));
    structList('task.sidecars', 'Container', task.sidecars).forEach((c, i) => this.addSidecarJson(`task.sidecars[${i}]`, c));
    (task.sidecarContainers ?? []).forEach((c, i) => this.addPlusSidecar(`task.sidecarContainers[${i}]`, c));
    for (const [name, container] of [['worker', this.worker], ['runner', this.runner]] as const) {
      const options = task[name];
      structList(`task.${name}.extraVolumeMounts`, 'VolumeMount', options?.extraVolumeMounts)
        .forEach((m, i) => this.addMountJson(container, `task.${name}.extraVolumeMounts[${i}]`, m));
      (options?.volumeMounts ?? []).forEach((m, i) => this.addPlusMount(container, `task.${name}.volumeMounts[${i}]`, m));
    }

    const basename = task.job?.basename;
    if (basename !== undefined && this.resource !== TaskTemplateResource.AGENT_TASK_TEMPLATE) {
      invalid('task.job.basename', basename, 'nothing with an AgentTask (only an AgentTaskTemplate names its Jobs)');
    }
    const metadata = withExtraMetadata({ name: this.name, namespace, labels: release.labels('task') }, common);
    checkRenderable(`${this.resource} ${this.name}`, { metadata });
    const jobTemplate = Lazy.any({ produce: () => this.renderJobTemplate() }) as unknown as { [key: string]: any };
    this.apiObject = this.resource === TaskTemplateResource.AGENT_TASK
      ? new crds.AgentTask(this, 'Resource', { metadata, spec: { jobTemplate } })
      : new crds.AgentTaskTemplate(this, 'Resource', {
        metadata,
        spec: { basename: checkDnsSubdomain('task.job.basename', basename || release.fullname), jobTemplate },
      });
    this.podDisruptionBudget = this.taskDisruptionBudget(task.podDisruptionBudget, d, common);
    // Mount references are checked once the template is complete, so volumes may be added later.
    this.node.addValidation({ validate: () => this.validateMounts() });
  }

  /**
   * Adds a cdk8s-plus volume to the task pod.
   * @param volume the volume (its name must be new)
   */
  public addVolume(volume: kplus.Volume): void {
    this.addVolumeJson(`volume "${volume?.name}"`, plusVolume(volume));
  }

  /**
   * Adds a volume, as a raw Kubernetes struct, to the task pod.
   * @param volume the volume (its name must be new)
   */
  public addRawVolume(volume: kplus.k8s.Volume): void {
    this.addVolumeJson(`volume "${volume?.name}"`, struct(`volume "${volume?.name}"`, 'Volume', volume)!);
  }

  /**
   * Adds a container to the task pod, rendered as cdk8s-plus renders it; the volumes it mounts
   * are added too. With the WORKER_SIDECAR layout it goes after the worker in `initContainers`
   * (give it `restartPolicy: ContainerRestartPolicy.ALWAYS` to make it a native sidecar), with
   * IMAGE_VOLUME after the worker in `containers`.
   * @param container the container's props
   */
  public addSidecar(container: kplus.ContainerProps): void {
    this.addPlusSidecar(`sidecar "${container?.name}"`, container);
  }

  /**
   * Adds a container, as a raw Kubernetes struct, to the task pod (placed as `addSidecar` places it).
   * @param container the container
   */
  public addRawSidecar(container: kplus.k8s.Container): void {
    this.addSidecarJson(`sidecar "${container?.name}"`, struct(`sidecar "${container?.name}"`, 'Container', container)!);
  }

  /**
   * Mounts a cdk8s-plus volume into the worker (adding the volume to the pod if needed).
   * @param mount the mount
   */
  public addWorkerVolumeMount(mount: kplus.VolumeMount): void {
    this.addPlusMount(this.worker, 'worker volume mount', mount);
  }

  /**
   * Mounts a cdk8s-plus volume into the runner (adding the volume to the pod if needed).
   * @param mount the mount
   */
  public addRunnerVolumeMount(mount: kplus.VolumeMount): void {
    this.addPlusMount(this.runner, 'runner volume mount', mount);
  }

  /**
   * The Job spec the controller uses for each run (`spec.jobTemplate`), as Kubernetes JSON. A copy:
   * change the template through this construct's methods.
   */
  public jobTemplate(): any {
    return JSON.parse(JSON.stringify(this.renderJobTemplate()));
  }

  /** The task pods, as a selector for NetworkPolicy peers and other cdk8s-plus constructs. */
  public get taskPods(): kplus.Pods {
    this.pods ??= selectPods(this, 'TaskPods', this.release.selectorLabels('task'), this.namespace);
    return this.pods;
  }

  // The synthesized object needs no copy: cdk8s resolves it into new objects.
  private renderJobTemplate(): Json {
    const spec = compact({
      ...this.podSpec,
      // The chart puts podinfo after every other volume, extra volumes included.
      volumes: [...this.podSpec.volumes, ...this.extraVolumes, ...(this.podinfo ? [PODINFO_VOLUME] : [])],
    });
    const template = { metadata: compact(this.jobSpec.template.metadata), spec };
    const jobTemplate = compact({ metadata: this.jobMetadata, spec: { ...this.jobSpec, template } });
    checkRenderable(`${this.resource} ${this.name} spec.jobTemplate`, jobTemplate);
    return jobTemplate;
  }

  private podAnnotations(profile: VersionProfile, global: CommonOptions, task: TaskOptions): { [key: string]: string } {
    checkAnnotations('common.podAnnotations', global.podAnnotations);
    const user = { ...global.podAnnotations, ...task.podAnnotations };
    checkAnnotations('task.podAnnotations', user);
    if (!flag('task.doNotEvict', task.doNotEvict, profile.doNotEvict)) return user;
    for (const [key, value] of Object.entries(profile.doNotEvictAnnotations)) {
      // Asked for explicitly, the protection must not be undone by an annotation; by default the user's value wins.
      if (task.doNotEvict === true && user[key] !== undefined && user[key] !== value) {
        invalid(`task.podAnnotations.${key}`, user[key], `"${value}" or nothing, because task.doNotEvict sets it`);
      }
    }
    return { ...profile.doNotEvictAnnotations, ...user };
  }

  private taskDisruptionBudget(options: TaskDisruptionBudgetOptions | undefined, d: Defaults, common: ExtraMetadata): ApiObject | undefined {
    const path = 'task.podDisruptionBudget';
    const defaults = d.value(path) as Json;
    const enabled = options === undefined ? d.has(`${path}.enabled`) && d.boolean(`${path}.enabled`) : options.enabled !== false;
    if (!enabled) return undefined;
    // maxUnavailable first: with both set, the error names minAvailable
    const spec = disruptionBudgetSpec(path, [
      { prop: 'maxUnavailable', field: 'maxUnavailable', value: options?.maxUnavailable },
      { prop: 'minAvailable', field: 'minAvailable', value: options?.minAvailable },
    ], { maxUnavailable: defaults.maxUnavailable ?? 0 });
    return apiObject(this, 'PodDisruptionBudget', 'policy/v1', 'PodDisruptionBudget',
      withExtraMetadata({ name: `${this.release.fullname}-task`, namespace: this.namespace, labels: this.release.labels('task') }, common),
      { spec: { ...spec, selector: { matchLabels: this.release.selectorLabels('task') } } });
  }

  private volumeNames(): string[] {
    return [...this.podSpec.volumes, ...this.extraVolumes].map((v: Json) => v.name).concat(this.podinfo ? ['podinfo'] : []);
  }

  private addVolumeJson(path: string, volume: Json): void {
    if (volume === null || typeof volume !== 'object') invalid(path, volume, 'a Volume');
    checkDnsLabel(`${path}.name`, volume.name);
    const taken = this.volumeNames();
    if (taken.includes(volume.name)) {
      invalid(`${path}.name`, volume.name, `a volume name not used yet (taken: ${taken.join(', ')})`);
    }
    this.extraVolumes.push(volume);
  }

  /** Adds the volume of a cdk8s-plus mount unless the pod has it already (the same volume). */
  private ensureVolume(path: string, volume: kplus.Volume): void {
    const json = plusVolume(volume);
    const existing = [...this.podSpec.volumes, ...this.extraVolumes].find((v: Json) => v.name === json.name);
    if (existing === undefined) {
      this.addVolumeJson(path, json);
    } else if (JSON.stringify(existing) !== JSON.stringify(json)) {
      invalid(`${path}.name`, json.name, 'a volume name not used by another volume of the task pod');
    }
  }

  private addPlusSidecar(path: string, props: kplus.ContainerProps): void {
    if (props === null || typeof props !== 'object') invalid(path, props, 'cdk8s-plus ContainerProps');
    const { container, volumes } = plusContainer(props);
    // cdk8s-plus's secure defaults keep the capabilities: drop them all unless the props name some,
    // so that task pods meet the "restricted" Pod Security Standard like the library's own containers.
    if (container.securityContext && container.securityContext.capabilities === undefined) {
      container.securityContext = { ...container.securityContext, capabilities: { drop: ['ALL'] } };
    }
    volumes.forEach((v, i) => this.ensureVolume(`${path}.volumeMounts[${i}].volume`, v));
    this.addSidecarJson(path, container);
  }

  private addSidecarJson(path: string, container: Json): void {
    if (container === null || typeof container !== 'object') invalid(path, container, 'a Container');
    checkDnsLabel(`${path}.name`, container.name);
    const taken = [...this.podSpec.initContainers, ...this.podSpec.containers].map((c: Json) => c.name);
    if (RESERVED_CONTAINERS.includes(container.name) || taken.includes(container.name)) {
      invalid(`${path}.name`, container.name, `a container name not used yet (taken: ${taken.join(', ')})`);
    }
    if (typeof container.image !== 'string' || container.image === '') invalid(`${path}.image`, container.image, 'an image');
    if (!this.sidecarsAreInitContainers && container.restartPolicy !== undefined) {
      invalid(`${path}.restartPolicy`, container.restartPolicy, 'nothing with TaskPodLayout.IMAGE_VOLUME: sidecars are regular containers '
        + 'that run beside the runner and the worker (restartPolicy "Always" made an init container a native sidecar in the WORKER_SIDECAR layout)');
    }
    (container.volumeMounts ?? []).forEach((m: Json, i: number) => checkTaskMount(`${path}.volumeMounts[${i}]`, m));
    checkMountPaths(path, container.name, container.volumeMounts ?? []);
    this.sidecarSlot.push(container);
  }

  private addPlusMount(container: Json, path: string, mount: kplus.VolumeMount): void {
    if (mount === null || typeof mount !== 'object' || !mount.volume) invalid(path, mount, 'a cdk8s-plus VolumeMount ({ volume, path })');
    const { mount: json, volume } = plusMount(mount);
    this.ensureVolume(`${path}.volume`, volume);
    this.addMountJson(container, path, json);
  }

  private addMountJson(container: Json, path: string, mount: Json): void {
    checkTaskMount(path, mount);
    container.volumeMounts.push(mount);
    try {
      checkMountPaths(path, container.name, container.volumeMounts);
    } catch (error) {
      container.volumeMounts.pop();
      throw error;
    }
  }

  private validateMounts(): string[] {
    const volumes = new Set(this.volumeNames());
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
