import { createHash } from 'crypto';
import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { agentRuntime, controllerEnv } from './internal/agent-env';
import { connectionVolumes } from './internal/connection';
import { invalid } from './internal/errors';
import { k8sJson } from './internal/k8s-json';
import { commonLayer, extraMetadata, withExtraMetadata } from './internal/metadata';
import { checkAnnotations, checkDnsSubdomain, checkLabels } from './internal/names';
import { apiObject, clusterObject } from './internal/objects';
import {
  DEFAULT_CONTAINER_SECURITY_CONTEXT, Json, checkRegistry, compact, containerResources, integer, podSecurityContext,
  pullSecrets, resolveImage, securityContext, seconds, toK8s, toK8sList, tolerations,
} from './internal/pod';
import { DEFAULT_CLUSTER_RULES, DEFAULT_RULES } from './internal/rbac';
import { namespaceOf } from './internal/task-volume';
import { AgentOptions, CommonOptions, PodDisruptionBudgetOptions, RbacOptions, ServiceAccountOptions, TelemetryOptions } from './options';
import { AgentRelease, ChartInfo, ResourceNaming } from './release';
import { AgentToken } from './token';

/** The Deployment name the chart hard-codes. */
export const DEFAULT_CONTROLLER_NAME = 'scalr-agent';
/** The AgentTask name the chart hard-codes. */
export const DEFAULT_TASK_TEMPLATE_NAME = 'scalr-agent-task';


/** Props of {@link AgentController}. */
export interface AgentControllerProps {
  /** The agent pool token. */
  readonly token: AgentToken;

  /**
   * The release whose names and labels to use.
   * @default - release `scalr-agent`
   */
  readonly release?: AgentRelease;

  /**
   * The namespace of the objects.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;

  /** Settings shared by all pods. @default - see CommonOptions */
  readonly common?: CommonOptions;

  /** The agent and its Deployment. @default - see AgentOptions */
  readonly agent?: AgentOptions;

  /** The ServiceAccount. @default - created, named after the release */
  readonly serviceAccount?: ServiceAccountOptions;

  /** The RBAC objects. @default - created with the chart's rules */
  readonly rbac?: RbacOptions;

  /** OpenTelemetry export. @default - disabled */
  readonly telemetry?: TelemetryOptions;

  /**
   * How the Deployment, the AgentTask it refers to and the ClusterRole are named.
   * @default ResourceNaming.CHART_0_5 (fixed names, as the chart 0.5.62)
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * The Deployment's name.
   * @default - "scalr-agent" (hard-coded in the chart), or `<fullname>` with ResourceNaming.PER_RELEASE
   */
  readonly deploymentName?: string;

  /**
   * The name of the AgentTask the controller creates Jobs from.
   * @default - "scalr-agent-task" (hard-coded in the chart), or `<fullname>-task` with ResourceNaming.PER_RELEASE
   */
  readonly taskTemplateName?: string;
}

/**
 * The agent controller: a Deployment that polls Scalr for runs and creates one Job per run from
 * the AgentTask, with its ServiceAccount, token Secret, RBAC and PodDisruptionBudget.
 */
export class AgentController extends Construct {
  /** The controller Deployment. */
  public readonly deployment: ApiObject;
  /** The token Secret, when the token was given as a value. */
  public readonly secret?: ApiObject;
  /** The ServiceAccount, when created. */
  public readonly serviceAccount?: ApiObject;
  /** The namespaced Role, when RBAC is created. */
  public readonly role?: ApiObject;
  /** The RoleBinding of the Role. */
  public readonly roleBinding?: ApiObject;
  /** The ClusterRole, when RBAC is created. */
  public readonly clusterRole?: ApiObject;
  /** The RoleBinding that grants the ClusterRole in the release namespace. */
  public readonly clusterRoleBinding?: ApiObject;
  /** The PodDisruptionBudget, when there is more than one replica. */
  public readonly podDisruptionBudget?: ApiObject;
  /** The Secret holding the CA bundle, for `CaBundle.fromPem`. */
  public readonly caBundleSecret?: ApiObject;
  /** The name of the ServiceAccount the pods use. */
  public readonly serviceAccountName: string;
  /** The name of the Secret that holds the token. */
  public readonly tokenSecretName: string;

  constructor(scope: Construct, id: string, props: AgentControllerProps) {
    super(scope, id);
    if (!props || !(props.token instanceof AgentToken)) {
      invalid('token', props?.token === undefined ? undefined : '(not an AgentToken)', 'AgentToken.fromValue(...) or AgentToken.fromSecretName(...)');
    }
    const release = props.release ?? new AgentRelease();
    const namespace = namespaceOf(this, props.namespace);
    const global = props.common ?? {};
    const agent = props.agent ?? {};
    const sa = props.serviceAccount ?? {};
    const naming = props.resourceNames ?? ResourceNaming.CHART_0_5;
    const deploymentName = checkDnsSubdomain('deploymentName', props.deploymentName ?? release.deploymentName(naming));
    const taskTemplateName = checkDnsSubdomain('taskTemplateName', props.taskTemplateName ?? release.taskTemplateName(naming));
    const runtime = agentRuntime(agent, props.token, release.fullname, props.telemetry, global);
    const common = extraMetadata(commonLayer(global));
    const deploymentMetadata = extraMetadata(commonLayer(global),
      { labelsPath: 'agent.labels', labels: agent.labels, annotationsPath: 'agent.annotations', annotations: agent.annotations });
    const connection = connectionVolumes(global, release.fullname);
    this.tokenSecretName = runtime.tokenSecretName;
    this.serviceAccountName = serviceAccountName(release, sa);

    // --- token Secret
    let checksum: string | undefined;
    const tokenValue = props.token._secretValue();
    if (tokenValue !== undefined) {
      const data = { [props.token.key]: Buffer.from(tokenValue, 'utf8').toString('base64') };
      this.secret = apiObject(this, 'Secret', 'v1', 'Secret',
        withExtraMetadata({ name: release.fullname, namespace, labels: release.labels() }, common), { type: 'Opaque', data });
      // Rolls the controller when the token changes, like the chart's checksum/secrets.
      checksum = createHash('sha256').update(JSON.stringify({ name: release.fullname, data })).digest('hex');
    }

    // --- CA bundle Secret
    if (global.caBundle?.pem !== undefined) {
      this.caBundleSecret = apiObject(this, 'CaBundleSecret', 'v1', 'Secret',
        withExtraMetadata({ name: global.caBundle.secretName(release.fullname), namespace, labels: release.labels() }, common),
        { type: 'Opaque', data: { [global.caBundle.key]: Buffer.from(global.caBundle.pem, 'utf8').toString('base64') } });
    }

    // --- ServiceAccount
    if (sa.create ?? true) {
      checkLabels('serviceAccount.labels', sa.labels);
      checkAnnotations('serviceAccount.annotations', sa.annotations);
      this.serviceAccount = apiObject(this, 'ServiceAccount', 'v1', 'ServiceAccount', compact({
        name: this.serviceAccountName,
        namespace,
        labels: { ...release.labels(), ...common.labels, ...sa.labels },
        annotations: { ...common.annotations, ...sa.annotations },
      }), {});
    }

    // --- RBAC
    const rbac = props.rbac ?? {};
    if (rbac.create ?? true) {
      const rules = rbac.rules ? toK8sList(rbac.rules, k8sJson.PolicyRule) : DEFAULT_RULES;
      const clusterRules = rbac.clusterRules ? toK8sList(rbac.clusterRules, k8sJson.PolicyRule) : DEFAULT_CLUSTER_RULES;
      checkRules('rbac.rules', rules);
      checkRules('rbac.clusterRules', clusterRules);
      const subjects = [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace }];
      const roleName = `${release.fullname}-role`;
      const clusterRoleName = release.clusterRoleName(naming, namespace);
      this.clusterRole = clusterObject(this, 'ClusterRole', 'rbac.authorization.k8s.io/v1', 'ClusterRole',
        withExtraMetadata({ name: clusterRoleName }, common), { rules: clusterRules });
      this.role = apiObject(this, 'Role', 'rbac.authorization.k8s.io/v1', 'Role', withExtraMetadata({ name: roleName, namespace }, common), { rules });
      this.roleBinding = apiObject(this, 'RoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding',
        withExtraMetadata({ name: `${release.fullname}-role-binding`, namespace }, common),
        { subjects, roleRef: { kind: 'Role', name: roleName, apiGroup: 'rbac.authorization.k8s.io' } });
      // A RoleBinding (not a ClusterRoleBinding), as the chart: the ClusterRole's rights apply
      // in the release namespace only.
      this.clusterRoleBinding = apiObject(this, 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding',
        withExtraMetadata({ name: `${clusterRoleName}-binding`, namespace }, common),
        { subjects, roleRef: { kind: 'ClusterRole', name: clusterRoleName, apiGroup: 'rbac.authorization.k8s.io' } });
    }

    // --- Deployment
    const replicas = integer('agent.replicas', agent.replicas, 1);
    checkRegistry('common.imageRegistry', global.imageRegistry);
    const image = resolveImage('agent.image', global.imageRegistry,
      { repository: 'scalr/agent', ...definedFields(agent.image) }, ChartInfo.APP_VERSION);
    const selector = release.selectorLabels('agent');
    const podLabels = { ...global.podLabels, ...agent.podLabels };
    checkLabels('common.podLabels', global.podLabels);
    checkAnnotations('common.podAnnotations', global.podAnnotations);
    checkLabels('agent.podLabels', podLabels);
    const podAnnotations = { ...global.podAnnotations, ...agent.podAnnotations };
    checkAnnotations('agent.podAnnotations', podAnnotations);
    if (checksum) podAnnotations['checksum/secrets'] = checksum;

    const container = compact({
      name: 'controller',
      image: image.image,
      imagePullPolicy: image.pullPolicy,
      command: ['python', '-m', 'tacoagent.cmd'],
      securityContext: securityContext('agent.controller.securityContext', agent.controller?.securityContext) ?? DEFAULT_CONTAINER_SECURITY_CONTEXT,
      env: controllerEnv(runtime, taskTemplateName, agent.controller?.extraEnv),
      envFrom: toK8sList(agent.controller?.extraEnvFrom, k8sJson.EnvFromSource),
      resources: containerResources('agent.resources', {
        cpuRequest: '100m', cpuLimit: '500m', memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(256),
      }, agent.resources),
      volumeMounts: [
        { name: 'data-dir', mountPath: runtime.dataDir },
        { name: 'cache-dir', mountPath: runtime.cacheDir },
        { name: 'tmp-dir', mountPath: '/tmp' },
        ...connection.commonMounts,
        ...connection.agentMounts,
      ],
    });

    this.deployment = apiObject(this, 'Deployment', 'apps/v1', 'Deployment',
      withExtraMetadata({ name: deploymentName, namespace, labels: release.labels('agent') }, deploymentMetadata), {
        spec: {
          replicas,
          selector: { matchLabels: selector },
          template: {
            metadata: compact({ annotations: podAnnotations, labels: { ...podLabels, ...selector } }),
            spec: compact({
              imagePullSecrets: pullSecrets('common.imagePullSecrets', global.imagePullSecrets),
              serviceAccountName: this.serviceAccountName,
              automountServiceAccountToken: sa.automountToken ?? true,
              securityContext: podSecurityContext('agent.podSecurityContext', global.podSecurityContext, agent.podSecurityContext),
              containers: [container],
              // The controller runs no workloads: its data and cache directories are scratch space.
              volumes: [
                { name: 'data-dir', emptyDir: {} },
                { name: 'cache-dir', emptyDir: {} },
                { name: 'tmp-dir', emptyDir: {} },
                ...connection.volumes,
              ],
              terminationGracePeriodSeconds: seconds('agent.terminationGracePeriod', agent.terminationGracePeriod, 360),
              nodeSelector: agent.nodeSelector,
              tolerations: tolerations('agent.tolerations', agent.tolerations),
              affinity: toK8s(agent.affinity, k8sJson.Affinity),
              topologySpreadConstraints: topologySpreadConstraints(agent.topologySpreadConstraints, selector),
            }),
          },
        },
      });
    checkLabels('agent.nodeSelector', agent.nodeSelector);

    // --- PodDisruptionBudget
    const pdb = podDisruptionBudgetSpec(agent.podDisruptionBudget ?? {});
    if (replicas > 1 && pdb) {
      this.podDisruptionBudget = apiObject(this, 'PodDisruptionBudget', 'policy/v1', 'PodDisruptionBudget',
        withExtraMetadata({ name: `${release.fullname}-agent`, namespace, labels: release.labels('agent') }, common),
        { spec: { ...pdb, selector: { matchLabels: selector } } });
    }
  }
}

/** The ServiceAccount name, as the chart's `agent-job.serviceAccountName` helper. */
export function serviceAccountName(release: AgentRelease, sa: ServiceAccountOptions): string {
  const name = sa.name || ((sa.create ?? true) ? release.fullname : 'default');
  return checkDnsSubdomain('serviceAccount.name', name);
}

/** Only the fields that are set, so that spreading over defaults keeps the defaults. */
export function definedFields<T extends object>(obj: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(obj ?? {}).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];

/** The controller's topology spread constraints; a missing labelSelector selects the controller pods. */
function topologySpreadConstraints(given: kplus.k8s.TopologySpreadConstraint[] | undefined, selector: { [key: string]: string }): Json[] {
  return toK8sList(given, k8sJson.TopologySpreadConstraint).map((c, i) => {
    const path = `agent.topologySpreadConstraints[${i}]`;
    if (typeof c.maxSkew !== 'number' || !Number.isInteger(c.maxSkew) || c.maxSkew < 1) invalid(`${path}.maxSkew`, c.maxSkew, 'a whole number of at least 1');
    if (typeof c.topologyKey !== 'string' || c.topologyKey === '') {
      invalid(`${path}.topologyKey`, c.topologyKey, 'a node label key such as "topology.kubernetes.io/zone" or "kubernetes.io/hostname"');
    }
    if (!WHEN_UNSATISFIABLE.includes(c.whenUnsatisfiable)) invalid(`${path}.whenUnsatisfiable`, c.whenUnsatisfiable, WHEN_UNSATISFIABLE.join(' or '));
    if (c.minDomains !== undefined) {
      if (!Number.isInteger(c.minDomains) || c.minDomains < 1) invalid(`${path}.minDomains`, c.minDomains, 'a whole number of at least 1');
      if (c.whenUnsatisfiable !== 'DoNotSchedule') invalid(`${path}.minDomains`, c.minDomains, 'nothing unless whenUnsatisfiable is DoNotSchedule');
    }
    return c.labelSelector === undefined ? { ...c, labelSelector: { matchLabels: selector } } : c;
  });
}

const PERCENT = /^(100|[1-9]?[0-9])%$/;

function podDisruptionBudgetSpec(options: PodDisruptionBudgetOptions): Json | undefined {
  if (options.enabled === false) return undefined;
  const given: [string, string, unknown][] = [
    ['minAvailable', 'minAvailable', options.minAvailable],
    ['maxUnavailable', 'maxUnavailable', options.maxUnavailable],
    ['minAvailablePercent', 'minAvailable', options.minAvailablePercent],
    ['maxUnavailablePercent', 'maxUnavailable', options.maxUnavailablePercent],
  ].filter(([, , v]) => v !== undefined) as [string, string, unknown][];
  if (given.length > 1) {
    invalid(`agent.podDisruptionBudget.${given[1][0]}`, given[1][2],
      `nothing, because agent.podDisruptionBudget.${given[0][0]} is set: a PodDisruptionBudget takes minAvailable or maxUnavailable, not both`);
  }
  if (given.length === 0) return { minAvailable: 1 };
  const [prop, field, value] = given[0];
  if (prop.endsWith('Percent')) {
    if (typeof value !== 'string' || !PERCENT.test(value)) invalid(`agent.podDisruptionBudget.${prop}`, value, 'a percentage from "0%" to "100%"');
  } else {
    integer(`agent.podDisruptionBudget.${prop}`, value as number, 0);
  }
  return { [field]: value };
}

function checkRules(path: string, rules: Json[]): void {
  rules.forEach((rule, i) => {
    if (!Array.isArray(rule.verbs) || rule.verbs.length === 0) invalid(`${path}[${i}].verbs`, rule.verbs, 'a non-empty list of verbs');
    const hasResources = Array.isArray(rule.resources) && rule.resources.length > 0;
    const hasUrls = Array.isArray(rule.nonResourceURLs) && rule.nonResourceURLs.length > 0;
    if (!hasResources && !hasUrls) invalid(`${path}[${i}].resources`, rule.resources, 'a non-empty list of resources (or nonResourceURLs in cluster rules)');
    if (hasUrls && !path.endsWith('clusterRules')) invalid(`${path}[${i}].nonResourceURLs`, rule.nonResourceURLs, 'nothing: a namespaced Role cannot grant nonResourceURLs');
  });
}
