import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct, IConstruct } from 'constructs';
import { BufferPods, BufferPodsOptions } from './buffer-pods';
import { CachePersistence } from './cache-persistence';
import { ChartVersion, resolveVersion } from './chart-version';
import { AgentController } from './controller';
import { invalid, problem } from './core/errors';
import { checkTree } from './core/json';
import { checkDnsLabel } from './core/names';
import { registerSecret } from './core/redact';
import { AgentTaskCrd } from './crd';
import { DataPersistence } from './data-persistence';
import { poolCollisions, registerPool } from './internal/collisions';
import { commonLayer, extraMetadata } from './internal/metadata';
import { guardSecret, yaml11Validation } from './internal/render';
import { MetadataEgressPolicy } from './metadata-egress-policy';
import { AgentOptions } from './options/agent';
import { CommonOptions } from './options/common';
import { PersistenceOptions, RbacOptions, ServiceAccountOptions, TelemetryOptions } from './options/pool';
import { ResourceNaming, TaskTemplateResource } from './options/structure';
import { TaskOptions } from './options/task';
import { AgentRelease } from './release';
import { AgentTaskTemplate } from './task-template';
import { AgentToken } from './token';

const MARKER = Symbol.for('cdk8s-scalr-agent-job.AgentPool');

/** Props of one agent pool: the chart's values, typed. */
export interface AgentPoolProps {
  /** The agent pool token (the chart's `agent.token` or `agent.tokenExistingSecret`). */
  readonly token: AgentToken;

  /**
   * The chart version to reproduce: its defaults, names, custom resource, environment and pod
   * layout. Pin it: the default follows the library's latest supported version.
   * @default ChartVersion.LATEST (0.6.5)
   */
  readonly version?: ChartVersion;

  /**
   * The release name (`helm install RELEASE`).
   * @default "scalr-agent"
   */
  readonly releaseName?: string;

  /**
   * The namespace of every namespaced object.
   * @default - the chart's namespace, else "default" (as `helm template` without `--namespace`)
   */
  readonly namespace?: string;

  /**
   * Replaces the chart's name in names and labels.
   * @default - the chart version's name: `agent-job` (0.5.62) or `scalr-agent` (0.6.5)
   */
  readonly nameOverride?: string;

  /**
   * Replaces the name stem (`<release>-<name>`).
   * @default - derived from the release name
   */
  readonly fullnameOverride?: string;

  /**
   * Include the task template's CRD, as `helm install` does. Turn it off when several pools share
   * a cluster, and create one {@link AgentTaskCrd} in a chart of its own.
   * @default true
   */
  readonly includeCrd?: boolean;

  /**
   * How the objects are named.
   * @default - the chart version's: CHART_0_5 (0.5.62) or CHART_0_6 (0.6.5)
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * The custom resource that holds the task template.
   * @default - the chart version's: AGENT_TASK (0.5.62) or AGENT_TASK_TEMPLATE (0.6.5)
   */
  readonly taskTemplateResource?: TaskTemplateResource;

  /** Settings shared by all pods. @default - see CommonOptions */
  readonly common?: CommonOptions;

  /** The agent and its controller Deployment. @default - see AgentOptions */
  readonly agent?: AgentOptions;

  /** The task pods. @default - see TaskOptions */
  readonly task?: TaskOptions;

  /** The ServiceAccount. @default - created, named after the release */
  readonly serviceAccount?: ServiceAccountOptions;

  /** The RBAC objects. @default - created with the chart's rules */
  readonly rbac?: RbacOptions;

  /** The task pods' data and cache volumes. @default - emptyDirs of the chart version's sizes */
  readonly persistence?: PersistenceOptions;

  /** OpenTelemetry export (the chart's `otel`). @default - disabled */
  readonly telemetry?: TelemetryOptions;

  /**
   * Placeholder pods that keep nodes warm and images pulled for the task pods (see
   * {@link BufferPods}).
   * @default - none
   */
  readonly bufferPods?: BufferPodsOptions;
}

/** What one agent pool is made of: the parts `AgentPool` and `AgentJobChart` expose. */
export interface IAgentPool extends IConstruct {
  /** The release's names and labels. */
  readonly release: AgentRelease;
  /** The chart version the pool reproduces. */
  readonly version: ChartVersion;
  /** The task template's CRD, when included. */
  readonly crd?: AgentTaskCrd;
  /** The controller, its ServiceAccount, Secrets, RBAC and PodDisruptionBudget. */
  readonly controller: AgentController;
  /** The task template (the Job of each run). */
  readonly taskTemplate: AgentTaskTemplate;
  /** The task pods' cache volume. */
  readonly cache: CachePersistence;
  /** The task pods' data volume. */
  readonly data: DataPersistence;
  /** The NetworkPolicy that blocks the metadata service, unless it is allowed. */
  readonly metadataPolicy?: MetadataEgressPolicy;
  /** The placeholder pods, when `bufferPods` is given. */
  readonly bufferPods?: BufferPods;
  /** The Secret that holds the token. */
  readonly tokenSecret: kplus.ISecret;
  /** The ServiceAccount of the controller and task pods. */
  readonly serviceAccount: kplus.IServiceAccount;
  /** The task pods, as a cdk8s-plus selector (an IPodSelector and a NetworkPolicy peer). */
  readonly taskPods: kplus.Pods;
}

/** The parts of a pool, as composePool creates them (the handles are created on first use). */
export type PoolParts = Omit<IAgentPool, 'tokenSecret' | 'serviceAccount' | 'taskPods' | 'node'> & { readonly namespace: string };

/**
 * Creates the constructs of one pool directly under `scope` (the construct ids are those of
 * chart 0.5.62's AgentJobChart, so paths stay stable): the CRD, the metadata NetworkPolicy, the
 * controller, the volumes, the task template and the buffer pods.
 */
export function composePool(scope: Construct, props: AgentPoolProps, namespace: string): PoolParts {
  if (!props || typeof props !== 'object') invalid('props', props, 'AgentPoolProps with at least a token');
  checkTree('', props, problem);
  // Before anything is checked: a secret typed into another field must not show in its message.
  registerSecret(props.agent?.sentryDsn);
  const version = resolveVersion('version', props.version);
  const profile = version._profile;
  const release = new AgentRelease({
    releaseName: props.releaseName,
    nameOverride: props.nameOverride,
    fullnameOverride: props.fullnameOverride,
    version,
  });
  const agent = props.agent ?? {};
  const task = props.task ?? {};
  const resourceNames = props.resourceNames ?? profile.resourceNames;
  const taskTemplateResource = props.taskTemplateResource ?? profile.taskTemplateResource;

  const crd = (props.includeCrd ?? true) ? new AgentTaskCrd(scope, 'Crd', { resource: taskTemplateResource }) : undefined;

  // Validated here so that errors name common.labels / common.annotations.
  extraMetadata(commonLayer(props.common));
  const commonMetadata = { labels: props.common?.labels, annotations: props.common?.annotations };
  let metadataPolicy: MetadataEgressPolicy | undefined;
  if (!(task.allowMetadataService ?? false)) {
    metadataPolicy = new MetadataEgressPolicy(scope, 'MetadataEgressPolicy', {
      release, namespace, resourceNames, ...commonMetadata, ...task.metadataPolicy,
    });
  } else if (task.metadataPolicy !== undefined) {
    invalid('task.metadataPolicy', task.metadataPolicy, 'nothing, because task.allowMetadataService is true and no policy is created');
  }
  const persistence = props.persistence ?? {};
  const controller = new AgentController(scope, 'Controller', {
    release,
    namespace,
    token: props.token,
    common: props.common,
    agent,
    task,
    serviceAccount: props.serviceAccount,
    rbac: props.rbac,
    telemetry: props.telemetry,
    resourceNames,
    taskTemplateResource,
  });
  const data = new DataPersistence(scope, 'Data', { release, namespace, storage: persistence.data, ...commonMetadata });
  const cache = new CachePersistence(scope, 'Cache', { release, namespace, ...commonMetadata, storage: persistence.cache, subPath: persistence.cacheSubPath });
  controller._useCache(cache, persistence.controllerCache);
  const taskTemplate = new AgentTaskTemplate(scope, 'TaskTemplate', {
    release,
    namespace,
    token: props.token,
    common: props.common,
    agent,
    task,
    telemetry: props.telemetry,
    cache,
    data,
    serviceAccountName: controller.serviceAccountName,
    tokenTtl: props.serviceAccount?.tokenTtl,
    resourceNames,
    taskTemplateResource,
  });
  const bufferPods = props.bufferPods ? new BufferPods(scope, 'BufferPods', { ...props.bufferPods, taskTemplate }) : undefined;

  registerPool(scope);
  guardSecret(scope, AgentToken.isAgentToken(props.token) ? props.token._guardedValue() : undefined);
  // Needs the whole app: other pools may be added after this one.
  scope.node.addValidation({ validate: () => poolCollisions(scope) });
  scope.node.addValidation({ validate: yaml11Validation(scope) });
  return { release, version, namespace, crd, controller, taskTemplate, cache, data, metadataPolicy, bufferPods };
}

/**
 * One Scalr agent pool, to put into a chart of your own (or many into one chart, as
 * {@link AgentPoolFleet} does): everything the `agent-job` Helm chart installs, from one props
 * object whose defaults are those of the chosen chart version.
 */
export class AgentPool extends Construct implements IAgentPool {
  /**
   * Whether a value is an AgentPool, from any copy of this package.
   * @param x anything
   */
  public static isAgentPool(x: any): x is AgentPool {
    return x !== null && typeof x === 'object' && x[MARKER] === true;
  }

  public readonly release: AgentRelease;
  public readonly version: ChartVersion;
  public readonly namespace: string;
  public readonly crd?: AgentTaskCrd;
  public readonly controller: AgentController;
  public readonly taskTemplate: AgentTaskTemplate;
  public readonly cache: CachePersistence;
  public readonly data: DataPersistence;
  public readonly metadataPolicy?: MetadataEgressPolicy;
  public readonly bufferPods?: BufferPods;

  constructor(scope: Construct, id: string, props: AgentPoolProps) {
    super(scope, id);
    Object.defineProperty(this, MARKER, { value: true });
    const namespace = checkDnsLabel('namespace', props?.namespace ?? chartNamespace(this) ?? 'default');
    const parts = composePool(this, props, namespace);
    this.release = parts.release;
    this.version = parts.version;
    this.namespace = parts.namespace;
    this.crd = parts.crd;
    this.controller = parts.controller;
    this.taskTemplate = parts.taskTemplate;
    this.cache = parts.cache;
    this.data = parts.data;
    this.metadataPolicy = parts.metadataPolicy;
    this.bufferPods = parts.bufferPods;
  }

  public get tokenSecret(): kplus.ISecret {
    return this.controller.tokenSecret;
  }

  public get serviceAccount(): kplus.IServiceAccount {
    return this.controller.serviceAccount;
  }

  public get taskPods(): kplus.Pods {
    return this.taskTemplate.taskPods;
  }
}

function chartNamespace(scope: Construct): string | undefined {
  try {
    return Chart.of(scope).namespace;
  } catch {
    return undefined;
  }
}
