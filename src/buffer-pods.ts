import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from './core/errors';
import { compact, Json } from './core/json';
import { checkDnsSubdomain, checkLabels } from './core/names';
import { addWarning } from './internal/metadata';
import { apiObject, clusterObject } from './internal/objects';
import { integer, struct, tolerations } from './internal/pod';
import { SchedulingOptions } from './options/common';
import { AgentTaskTemplate } from './task-template';

/** The cluster autoscaler ignores pending pods below this priority (its `--expendable-pods-priority-cutoff`). */
const AUTOSCALER_CUTOFF = -10;

/** Placeholders exit at once on SIGTERM, so that preemption frees the node quickly. */
const SLEEP_COMMAND = ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while true; do sleep 3600 & wait $!; done'];

const RESTRICTED_CONTAINER_SECURITY_CONTEXT: Json = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};

/** Options of {@link BufferPods}, as `AgentJobChartProps.bufferPods` takes them. */
export interface BufferPodsOptions {
  /**
   * How many placeholder pods to keep: the number of runs that can start without waiting for
   * a new node.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * The priority of the placeholders: negative, so that task pods (priority 0 without a
   * PriorityClass) preempt them. Below -10 the cluster autoscaler no longer adds nodes for
   * pending placeholders, so the buffer would not be refilled.
   * @default -10
   */
  readonly priority?: number;

  /**
   * Scheduling that replaces the task template's, field by field (a field given here wins).
   * @default - the task pods' nodeSelector, tolerations and affinity
   */
  readonly scheduling?: SchedulingOptions;
}

/** Props of {@link BufferPods}. */
export interface BufferPodsProps extends BufferPodsOptions {
  /**
   * The task template whose pods the placeholders stand in for: they copy its images, pull
   * secrets, pod security context, nodeSelector, tolerations, affinity and the worker's and
   * runner's resources, so that they fit (and warm) exactly the nodes a run would use.
   */
  readonly taskTemplate: AgentTaskTemplate;
}

/**
 * Placeholder pods that keep capacity for task pods warm: a Deployment of low-priority pods that
 * request what a task pod requests and run the agent and runner images (so both are pulled),
 * with a PriorityClass (`preemptionPolicy: Never`) whose negative value lets every real pod
 * preempt them. When a run starts, the scheduler evicts a placeholder instead of waiting for a
 * node; the pending placeholder then makes the cluster autoscaler (or Karpenter) add a node in
 * the background.
 *
 * The pods comply with the `restricted` Pod Security Standard and have no ServiceAccount token.
 */
export class BufferPods extends Construct {
  /** The PriorityClass (cluster-scoped, `<namespace>-<fullname>-buffer`). */
  public readonly priorityClass: ApiObject;
  /** The Deployment of placeholder pods (`<fullname>-buffer`). */
  public readonly deployment: ApiObject;

  constructor(scope: Construct, id: string, props: BufferPodsProps) {
    super(scope, id);
    if (!props || !(props.taskTemplate instanceof AgentTaskTemplate)) {
      invalid('bufferPods.taskTemplate', props?.taskTemplate === undefined ? undefined : '(not an AgentTaskTemplate)', 'an AgentTaskTemplate');
    }
    const template = props.taskTemplate;
    const release = template.release;
    const namespace = template.namespace;
    const replicas = integer('bufferPods.replicas', props.replicas, 1, 0);
    const priority = props.priority ?? AUTOSCALER_CUTOFF;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority >= 0 || priority < -1_000_000_000) {
      invalid('bufferPods.priority', priority, 'a whole number from -1000000000 to -1, so that task pods (priority 0) preempt the placeholders');
    }
    if (priority < AUTOSCALER_CUTOFF) {
      addWarning(this, `bufferPods.priority is ${priority}: the cluster autoscaler does not add nodes for pods below ${AUTOSCALER_CUTOFF} `
        + '(--expendable-pods-priority-cutoff), so preempted placeholders are not replaced on new nodes.');
    }
    checkLabels('bufferPods.scheduling.nodeSelector', props.scheduling?.nodeSelector);

    const priorityClassName = checkDnsSubdomain('bufferPods (PriorityClass name)', `${namespace}-${release.fullname}-buffer`);
    this.priorityClass = clusterObject(this, 'PriorityClass', 'scheduling.k8s.io/v1', 'PriorityClass',
      { name: priorityClassName, labels: release.labels('buffer') }, {
        value: priority,
        preemptionPolicy: 'Never',
        globalDefault: false,
        description: `Placeholder pods that keep nodes warm for the Scalr agent pool ${release.releaseName} in ${namespace}; any pod preempts them.`,
      });

    const selector = release.selectorLabels('buffer');
    this.deployment = apiObject(this, 'Deployment', 'apps/v1', 'Deployment',
      { name: `${release.fullname}-buffer`, namespace, labels: release.labels('buffer') }, {
        spec: {
          replicas,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: selector },
            spec: Lazy.any({ produce: () => this.podSpec(template, priorityClassName, props.scheduling) }),
          },
        },
      });
  }

  private podSpec(template: AgentTaskTemplate, priorityClassName: string, scheduling: SchedulingOptions | undefined): Json {
    const task = template.jobTemplate().spec.template.spec;
    const containers: Json[] = [...(task.initContainers ?? []), ...task.containers];
    const worker = containers.find((c) => c.name === 'worker');
    const runner = containers.find((c) => c.name === 'runner');
    const placeholder = (name: string, source: Json | undefined) => compact({
      name,
      image: source?.image,
      imagePullPolicy: source?.imagePullPolicy,
      command: SLEEP_COMMAND,
      securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
      resources: source?.resources,
    });
    return compact({
      priorityClassName,
      imagePullSecrets: task.imagePullSecrets,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: compact({
        ...task.securityContext,
        runAsNonRoot: true,
        seccompProfile: task.securityContext?.seccompProfile ?? { type: 'RuntimeDefault' },
      }),
      containers: [placeholder('agent', worker), placeholder('runner', runner)],
      terminationGracePeriodSeconds: 1,
      nodeSelector: scheduling?.nodeSelector ?? task.nodeSelector,
      tolerations: scheduling?.tolerations ? tolerations('scheduling.tolerations', scheduling.tolerations) : task.tolerations,
      affinity: scheduling?.affinity ? struct('bufferPods.scheduling.affinity', 'Affinity', scheduling.affinity) : task.affinity,
    });
  }
}
