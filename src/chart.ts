import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BufferPods, BufferPodsOptions } from './buffer-pods';
import { CachePersistence } from './cache-persistence';
import { AgentController } from './controller';
import { AgentTaskCrd } from './crd';
import { DataPersistence } from './data-persistence';
import { HelmValuesOptions, helmValuesToProps, toValuesError } from './helm-values';
import { findCollisions } from './internal/collisions';
import { invalid } from './internal/errors';
import { commonLayer, extraMetadata } from './internal/metadata';
import { checkDnsLabel } from './internal/names';
import { renderDuringSynthesis, synthesisGeneration, trackSynthesis } from './internal/synthesis';
import { MetadataEgressPolicy } from './metadata-egress-policy';
import {
  AgentOptions, CommonOptions, PersistenceOptions, RbacOptions, ServiceAccountOptions, TaskOptions, TelemetryOptions,
} from './options';
import { AgentRelease, ResourceNaming } from './release';
import { AgentTaskTemplate } from './task-template';
import { AgentToken } from './token';

/** Props of {@link AgentJobChart}: the chart's values, typed. */
export interface AgentJobChartProps {
  /** The agent pool token (the chart's `agent.token` or `agent.tokenExistingSecret`). */
  readonly token: AgentToken;

  /**
   * The release name (`helm install RELEASE`).
   * @default "scalr-agent"
   */
  readonly releaseName?: string;

  /**
   * The namespace of every namespaced object.
   * @default "default" (as `helm template` without `--namespace`)
   */
  readonly namespace?: string;

  /**
   * Replaces the chart name (`agent-job`) in names and labels.
   * @default - `agent-job`
   */
  readonly nameOverride?: string;

  /**
   * Replaces the name stem `<release>-agent-job`.
   * @default - derived from the release name
   */
  readonly fullnameOverride?: string;

  /**
   * Include the AgentTask CRD, as `helm install` does. Turn it off when several pools share a
   * cluster, and create one {@link AgentTaskCrd} in a chart of its own.
   * @default true
   */
  readonly includeCrd?: boolean;

  /**
   * How the controller Deployment, the AgentTask and the ClusterRole are named. Use
   * `PER_RELEASE` to run several pools in one namespace (see {@link AgentPoolFleet}).
   * @default ResourceNaming.CHART_0_5 (`scalr-agent` and `scalr-agent-task`, as the chart 0.5.62)
   */
  readonly resourceNames?: ResourceNaming;

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

  /** The task pods' data and cache volumes. @default - emptyDirs of 5Gi */
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

/**
 * One Scalr agent pool: everything the `agent-job` Helm chart 0.5.62 installs, from one props
 * object whose defaults are the chart's.
 */
export class AgentJobChart extends Chart {
  /**
   * The chart that `helm install` of the `agent-job` chart 0.5.62 gives with these values: the
   * chart's defaults are applied as Helm applies them (maps merged, lists replaced, `null` removes a
   * key), then every key is validated and mapped onto the typed props. Unknown keys and values of
   * the wrong type fail with the key's path. See docs/migration.md for the differences from the chart.
   * @param scope the parent (usually the App)
   * @param id the chart's id
   * @param options the values, release name and namespace
   */
  public static fromHelmValues(scope: Construct, id: string, options: HelmValuesOptions): AgentJobChart {
    const props = helmValuesToProps(options);
    try {
      return new AgentJobChart(scope, id, props);
    } catch (error) {
      throw toValuesError(error);
    }
  }

  /** The release's names and labels. */
  public readonly release: AgentRelease;
  /** The AgentTask CRD, when included. */
  public readonly crd?: AgentTaskCrd;
  /** The controller, its ServiceAccount, Secret, RBAC and PodDisruptionBudget. */
  public readonly controller: AgentController;
  /** The AgentTask (Job template of each run). */
  public readonly taskTemplate: AgentTaskTemplate;
  /** The task pods' cache volume. */
  public readonly cache: CachePersistence;
  /** The task pods' data volume. */
  public readonly data: DataPersistence;
  /** The NetworkPolicy that blocks the metadata service, unless it is allowed. */
  public readonly metadataPolicy?: MetadataEgressPolicy;
  /** The placeholder pods, when `bufferPods` is given. */
  public readonly bufferPods?: BufferPods;

  constructor(scope: Construct, id: string, props: AgentJobChartProps) {
    const namespace = checkDnsLabel('namespace', props?.namespace ?? 'default');
    super(scope, id, { namespace });
    trackSynthesis(this.node.root);
    poolCounts.set(this.node.root, (poolCounts.get(this.node.root) ?? 0) + 1);
    this.release = new AgentRelease({
      releaseName: props.releaseName,
      nameOverride: props.nameOverride,
      fullnameOverride: props.fullnameOverride,
    });
    const release = this.release;
    const agent = props.agent ?? {};
    const task = props.task ?? {};

    if (props.includeCrd ?? true) this.crd = new AgentTaskCrd(this, 'Crd');

    // Validated here so that errors name common.labels / common.annotations.
    extraMetadata(commonLayer(props.common));
    const commonMetadata = { labels: props.common?.labels, annotations: props.common?.annotations };
    if (!(task.allowMetadataService ?? false)) {
      this.metadataPolicy = new MetadataEgressPolicy(this, 'MetadataEgressPolicy', {
        release, namespace, ...commonMetadata, ...task.metadataPolicy,
      });
    } else if (task.metadataPolicy !== undefined) {
      invalid('task.metadataPolicy', task.metadataPolicy, 'nothing, because task.allowMetadataService is true and no policy is created');
    }
    this.controller = new AgentController(this, 'Controller', {
      release,
      namespace,
      token: props.token,
      common: props.common,
      agent,
      serviceAccount: props.serviceAccount,
      rbac: props.rbac,
      telemetry: props.telemetry,
      resourceNames: props.resourceNames,
    });
    this.data = new DataPersistence(this, 'Data', { release, namespace, storage: props.persistence?.data, ...commonMetadata });
    this.cache = new CachePersistence(this, 'Cache', {
      release,
      namespace,
      ...commonMetadata,
      storage: props.persistence?.cache,
      subPath: props.persistence?.cacheSubPath,
      providerCache: agent.providerCache,
    });
    this.taskTemplate = new AgentTaskTemplate(this, 'TaskTemplate', {
      release,
      namespace,
      token: props.token,
      common: props.common,
      agent,
      task,
      telemetry: props.telemetry,
      cache: this.cache,
      data: this.data,
      serviceAccountName: this.controller.serviceAccountName,
      tokenTtl: props.serviceAccount?.tokenTtl,
      resourceNames: props.resourceNames,
    });

    if (props.bufferPods) {
      this.bufferPods = new BufferPods(this, 'BufferPods', { ...props.bufferPods, taskTemplate: this.taskTemplate });
    }

    // Needs the whole app: other pools may be added after this one.
    this.node.addValidation({
      validate: () => poolCollisions(this.node.root).get(this) ?? [],
    });
  }

  /**
   * The chart's manifests. During `app.synth()` this skips the app-wide passes cdk8s repeats for
   * every chart (they were done once for the app), so that large fleets synthesize in linear time.
   */
  public toJson(): any[] {
    return renderDuringSynthesis(this) ?? super.toJson();
  }
}

// One scan per synthesis, not one per pool: the app is only rescanned when charts were added.
// The cache is dropped when the app starts a new synthesis or gains a pool.
const collisionCache = new WeakMap<IConstruct, { key: string; result: Map<Chart, string[]> }>();
const poolCounts = new WeakMap<IConstruct, number>();

function poolCollisions(root: IConstruct): Map<Chart, string[]> {
  const key = `${synthesisGeneration(root)}/${poolCounts.get(root) ?? 0}`;
  const cached = collisionCache.get(root);
  if (cached && cached.key === key) return cached.result;
  const result = findCollisions(root, (c) => c instanceof AgentJobChart);
  collisionCache.set(root, { key, result });
  return result;
}
