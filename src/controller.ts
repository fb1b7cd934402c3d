import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { CachePersistence } from './cache-persistence';
import { resolveVersion } from './chart-version';
import { invalid } from './core/errors';
import { compact, Json } from './core/json';
import { checkAnnotations, checkDnsSubdomain, checkLabels } from './core/names';
import { PODINFO_MOUNT, PODINFO_VOLUME, agentCommand, agentRuntime, controllerEnv } from './internal/agent-env';
import { connectionVolumes } from './internal/connection';
import { Defaults } from './internal/defaults';
import { disruptionBudgetSpec } from './internal/disruption-budget';
import { cdk8sPlus } from './internal/k8s-json';
import { commonLayer, extraMetadata, withExtraMetadata } from './internal/metadata';
import { apiObject, clusterObject } from './internal/objects';
import {
  DEFAULT_CONTAINER_SECURITY_CONTEXT, checkMountPaths, containerResources, definedFields, flag, imageSource, integer, podSecurityContext, pullSecrets,
  resolveImage, securityContext, stringList, struct, structList, tolerations,
} from './internal/pod';
import { refName, selectPods, tokenSource } from './internal/refs';
import { namespaceOf } from './internal/task-volume';
import { AgentOptions } from './options/agent';
import { CommonOptions, PodDisruptionBudgetOptions } from './options/common';
import { RbacOptions, ServiceAccountOptions, TelemetryOptions } from './options/pool';
import { ClusterRoleScope, ResourceNaming, TaskTemplateResource } from './options/structure';
import { TaskOptions } from './options/task';
import { AgentRelease } from './release';
import { AgentToken } from './token';
import { clusterRulesFor } from './versions/crds';

/** Props of {@link AgentController}. */
export interface AgentControllerProps {
  /** The agent pool token. */
  readonly token: AgentToken;

  /**
   * The release whose names, labels and chart version to use.
   * @default - release `scalr-agent` of the latest chart version
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

  /**
   * Task settings the controller passes to the agent (startup timeout, memory monitor).
   * @default - see TaskOptions
   */
  readonly task?: TaskOptions;

  /** The ServiceAccount. @default - created, named after the release */
  readonly serviceAccount?: ServiceAccountOptions;

  /** The RBAC objects. @default - created with the chart's rules */
  readonly rbac?: RbacOptions;

  /** OpenTelemetry export. @default - disabled */
  readonly telemetry?: TelemetryOptions;

  /**
   * How the Deployment, the task template it refers to and the ClusterRole are named.
   * @default - the chart version's naming
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * The custom resource of the task template the controller reads.
   * @default - the chart version's
   */
  readonly taskTemplateResource?: TaskTemplateResource;

  /**
   * The Deployment's name.
   * @default - as `resourceNames` names it
   */
  readonly deploymentName?: string;

  /**
   * The name of the task template the controller creates Jobs from.
   * @default - as `resourceNames` names it
   */
  readonly taskTemplateName?: string;

  /**
   * The task pods' cache volume, which the controller mounts when `shareCache` is true.
   * @default - the controller has an emptyDir cache
   */
  readonly cache?: CachePersistence;

  /**
   * Mount the cache claim in the controller (the agent 1 controller cleans the cache up).
   * @default - the chart version's: false (0.5.62) or true (0.6.5)
   */
  readonly shareCache?: boolean;
}

/**
 * The agent controller: a Deployment that polls Scalr for runs and creates one Job per run from
 * the task template, with its ServiceAccount, token Secret, RBAC and PodDisruptionBudget.
 */
export class AgentController extends Construct {
  /** The controller Deployment. */
  public readonly deployment: ApiObject;
  /** The token Secret object, when the token was given as a value. */
  public readonly tokenSecretObject?: ApiObject;
  /** The ServiceAccount object, when created. */
  public readonly serviceAccountObject?: ApiObject;
  /** The namespaced Role, when RBAC is created. */
  public readonly role?: ApiObject;
  /** The RoleBinding of the Role. */
  public readonly roleBinding?: ApiObject;
  /** The ClusterRole, when RBAC is created. */
  public readonly clusterRole?: ApiObject;
  /** The binding of the ClusterRole (a RoleBinding or a ClusterRoleBinding, see `rbac.clusterRoleScope`). */
  public readonly clusterRoleBinding?: ApiObject;
  /** The PodDisruptionBudget, when there is more than one replica. */
  public readonly podDisruptionBudget?: ApiObject;
  /** The Secret holding the CA bundle, for `CaBundle.fromPem`. */
  public readonly caBundleSecret?: ApiObject;
  /** The Secret holding the client certificate and key, for `ClientCertificate.fromPem`. */
  public readonly clientCertificateSecret?: ApiObject;
  /** The name of the ServiceAccount the pods use. */
  public readonly serviceAccountName: string;
  /** The name of the Secret that holds the token. */
  public readonly tokenSecretName: string;
  /** The namespace of the objects. */
  public readonly namespace: string;

  private readonly token: AgentToken;
  private readonly volumes: Json[];
  private readonly cacheMount: Json;
  private readonly defaultShareCache: boolean;
  private readonly existingServiceAccount?: kplus.IServiceAccount;
  private readonly podSelector: { [key: string]: string };
  private handles: { secret?: kplus.ISecret; serviceAccount?: kplus.IServiceAccount; pods?: kplus.Pods } = {};

  constructor(scope: Construct, id: string, props: AgentControllerProps) {
    super(scope, id);
    if (!props || !AgentToken.isAgentToken(props.token)) {
      invalid('token', props?.token === undefined ? undefined : '(not an AgentToken)', 'AgentToken.fromValue(...), fromSecretName(...) or fromSecret(...)');
    }
    const release = props.release ?? new AgentRelease();
    const profile = resolveVersion('version', release.version)._profile;
    const d = Defaults.of(profile);
    const namespace = namespaceOf(this, props.namespace);
    this.namespace = namespace;
    this.token = props.token;
    const global = props.common ?? {};
    const agent = props.agent ?? {};
    const sa = props.serviceAccount ?? {};
    const naming = props.resourceNames ?? profile.resourceNames;
    const resource = props.taskTemplateResource ?? profile.taskTemplateResource;
    const deploymentName = checkDnsSubdomain('deploymentName', props.deploymentName ?? release.deploymentName(naming));
    const taskTemplateName = checkDnsSubdomain('taskTemplateName', props.taskTemplateName ?? release.taskTemplateName(naming));
    const token = tokenSource(props.token, release.fullname, namespace);
    const runtime = agentRuntime({
      agent, task: props.task ?? {}, tokenSecretName: token.secretName, tokenKey: token.key, telemetry: props.telemetry, common: global, defaults: d,
    });
    const common = extraMetadata(commonLayer(global));
    const deploymentMetadata = extraMetadata(commonLayer(global),
      { labelsPath: 'agent.labels', labels: agent.labels, annotationsPath: 'agent.annotations', annotations: agent.annotations });
    const connection = connectionVolumes(global, release.fullname, namespace);
    this.tokenSecretName = token.secretName;
    this.existingServiceAccount = sa.existing;
    this.serviceAccountName = serviceAccountName(release, sa, namespace);

    // --- Secrets the library creates: token, CA bundle, client certificate
    const secretData: Json = {};
    if (token.value !== undefined) {
      const data = { [props.token.key]: Buffer.from(token.value, 'utf8').toString('base64') };
      secretData.token = data;
      this.tokenSecretObject = apiObject(this, 'Secret', 'v1', 'Secret',
        withExtraMetadata({ name: release.fullname, namespace, labels: release.labels() }, common), { type: 'Opaque', data });
    }
    if (global.caBundle?.pem !== undefined) {
      this.caBundleSecret = apiObject(this, 'CaBundleSecret', 'v1', 'Secret',
        withExtraMetadata({ name: global.caBundle.secretName(release.fullname), namespace, labels: release.labels() }, common),
        { type: 'Opaque', data: { [global.caBundle.key]: Buffer.from(global.caBundle.pem, 'utf8').toString('base64') } });
    }
    const certificate = global.clientCertificate;
    if (certificate?.certificatePem !== undefined) {
      this.clientCertificateSecret = apiObject(this, 'ClientCertificateSecret', 'v1', 'Secret',
        withExtraMetadata({ name: certificate.secretName(release.fullname), namespace, labels: release.labels() }, common), {
          type: 'Opaque',
          data: {
            [certificate.certKey]: Buffer.from(certificate.certificatePem, 'utf8').toString('base64'),
            [certificate.keyKey]: Buffer.from(certificate._privateKeyPem()!, 'utf8').toString('base64'),
          },
        });
    }

    // --- ServiceAccount
    if (serviceAccountCreated(sa)) {
      checkLabels('serviceAccount.labels', sa.labels);
      checkAnnotations('serviceAccount.annotations', sa.annotations);
      this.serviceAccountObject = apiObject(this, 'ServiceAccount', 'v1', 'ServiceAccount', compact({
        name: this.serviceAccountName,
        namespace,
        labels: { ...release.labels(), ...common.labels, ...sa.labels },
        annotations: { ...common.annotations, ...sa.annotations },
      }), {});
    }

    // --- RBAC
    const rbac = props.rbac ?? {};
    if (rbac.create ?? true) {
      const rules = rbac.rules ? structList('rbac.rules', 'PolicyRule', rbac.rules) : d.list('rbac.rules');
      const clusterRules = rbac.clusterRules ? structList('rbac.clusterRules', 'PolicyRule', rbac.clusterRules) : clusterRulesFor(resource);
      checkRules('rbac.rules', rules);
      checkRules('rbac.clusterRules', clusterRules);
      const scope_ = rbac.clusterRoleScope ?? profile.clusterRoleScope;
      if (!Object.values(ClusterRoleScope).includes(scope_)) invalid('rbac.clusterRoleScope', scope_, `one of ${Object.values(ClusterRoleScope).join(', ')}`);
      const metadata = (meta: Json) => withExtraMetadata(release.labelsRbac(naming) ? { ...meta, labels: release.labels() } : meta, common);
      const subjects = [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace }];
      const roleName = `${release.fullname}-role`;
      const clusterRoleName = checkDnsSubdomain('rbac (ClusterRole name)', release.clusterRoleName(naming, namespace));
      this.clusterRole = clusterObject(this, 'ClusterRole', 'rbac.authorization.k8s.io/v1', 'ClusterRole',
        metadata({ name: clusterRoleName }), { rules: clusterRules });
      this.role = apiObject(this, 'Role', 'rbac.authorization.k8s.io/v1', 'Role', metadata({ name: roleName, namespace }), { rules });
      this.roleBinding = apiObject(this, 'RoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding',
        metadata({ name: `${release.fullname}-role-binding`, namespace }),
        { subjects, roleRef: { kind: 'Role', name: roleName, apiGroup: 'rbac.authorization.k8s.io' } });
      const clusterBinding = { subjects, roleRef: { kind: 'ClusterRole', name: clusterRoleName, apiGroup: 'rbac.authorization.k8s.io' } };
      this.clusterRoleBinding = scope_ === ClusterRoleScope.CLUSTER
        ? clusterObject(this, 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding',
          metadata({ name: `${clusterRoleName}-binding` }), clusterBinding)
        // A RoleBinding: the ClusterRole's rights apply in the release namespace only.
        : apiObject(this, 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding',
          metadata({ name: `${clusterRoleName}-binding`, namespace }), clusterBinding);
    }

    // --- Deployment
    const replicas = integer('agent.replicas', agent.replicas, d.number('agent.replicaCount'));
    const source = imageSource(global.imageRegistry, global.imageNamespace);
    const image = resolveImage('agent.image', source, { ...d.json('agent.image'), ...definedFields(agent.image) }, profile.appVersion);
    const selector = release.selectorLabels('agent');
    this.podSelector = selector;
    checkLabels('common.podLabels', global.podLabels);
    checkAnnotations('common.podAnnotations', global.podAnnotations);
    const podLabels = { ...(global.labelPods ?? profile.labelPods ? common.labels : {}), ...global.podLabels, ...agent.podLabels };
    checkLabels('agent.podLabels', podLabels);
    const podAnnotations = { ...global.podAnnotations, ...agent.podAnnotations };
    checkAnnotations('agent.podAnnotations', podAnnotations);
    if (Object.keys(secretData).length > 0) {
      // Rolls the controller when the token changes, like the chart's checksum/secrets.
      podAnnotations['checksum/secrets'] = createHash('sha256').update(JSON.stringify({ name: release.fullname, ...secretData })).digest('hex');
    }

    const podinfo = runtime.podinfo;
    this.cacheMount = { name: 'cache-dir', mountPath: runtime.cacheDir };
    this.volumes = [
      { name: 'data-dir', emptyDir: {} },
      // Without the pool's cache: an emptyDir, sized like the task pods' cache when the version shares it.
      (props.shareCache ?? profile.controllerCache) ? { name: 'cache-dir', emptyDir: { sizeLimit: d.string('persistence.cache.emptyDir.sizeLimit') } } : { name: 'cache-dir', emptyDir: {} },
      { name: 'tmp-dir', emptyDir: {} },
      ...(podinfo ? [PODINFO_VOLUME] : []),
      ...connection.volumes,
    ];
    const container = compact({
      name: 'controller',
      image: image.image,
      imagePullPolicy: image.pullPolicy,
      command: stringList('agent.controller.command', agent.controller?.command) ?? agentCommand(runtime.contract),
      args: stringList('agent.controller.args', agent.controller?.args),
      securityContext: securityContext('agent.controller.securityContext', agent.controller?.securityContext) ?? DEFAULT_CONTAINER_SECURITY_CONTEXT,
      env: controllerEnv(runtime, { resource, name: taskTemplateName }, agent.controller?.extraEnvVars),
      envFrom: structList('agent.controller.extraEnvFrom', 'EnvFromSource', agent.controller?.extraEnvFrom),
      resources: containerResources('agent.resources', d.resources('agent.resources'), agent.resources),
      volumeMounts: [
        ...(podinfo ? [PODINFO_MOUNT] : []),
        { name: 'data-dir', mountPath: runtime.dataDir },
        this.cacheMount,
        { name: 'tmp-dir', mountPath: '/tmp' },
        ...connection.commonMounts,
        ...connection.agentMounts,
      ],
    });

    checkMountPaths('agent', 'controller', container.volumeMounts);
    this.deployment = apiObject(this, 'Deployment', 'apps/v1', 'Deployment',
      withExtraMetadata({ name: deploymentName, namespace, labels: release.labels('agent') }, deploymentMetadata), {
        spec: {
          replicas,
          selector: { matchLabels: selector },
          template: {
            metadata: compact({ annotations: podAnnotations, labels: { ...podLabels, ...selector } }),
            spec: compact({
              imagePullSecrets: pullSecrets('common.imagePullSecrets', global.imagePullSecrets, namespace),
              serviceAccountName: this.serviceAccountName,
              automountServiceAccountToken: sa.automountToken ?? d.boolean('serviceAccount.automountToken'),
              securityContext: podSecurityContext('agent.podSecurityContext', d.json('global.podSecurityContext'), global.podSecurityContext,
                agent.podSecurityContext),
              containers: [container],
              // The controller runs no workloads: its data directory is scratch space.
              volumes: this.volumes,
              terminationGracePeriodSeconds: runtime.controllerGrace,
              nodeSelector: agent.nodeSelector,
              tolerations: tolerations('agent.tolerations', agent.tolerations),
              affinity: struct('agent.affinity', 'Affinity', agent.affinity),
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
        withExtraMetadata({ name: release.controllerDisruptionBudgetName(naming), namespace, labels: release.labels('agent') }, common),
        { spec: { ...pdb, selector: { matchLabels: selector } } });
    }
    this.defaultShareCache = profile.controllerCache;
    if (props.cache) this._useCache(props.cache, props.shareCache);
  }

  /**
   * @internal gives the controller the pool's cache volume (mounted when shared, else an emptyDir
   * like it); the pool creates the cache after the controller, as chart 0.5.62's order of objects has it.
   */
  public _useCache(cache: CachePersistence, shared: boolean | undefined): void {
    const { volume, subPath } = cache.controllerVolume(flag('persistence.controllerCache', shared, this.defaultShareCache));
    this.volumes[1] = volume;
    if (subPath !== undefined) this.cacheMount.subPath = subPath;
    else delete this.cacheMount.subPath;
  }

  /** The Secret that holds the token, for the app's own constructs (a reference by name). */
  public get tokenSecret(): kplus.ISecret {
    this.handles.secret ??= this.token.secret ?? cdk8sPlus().Secret.fromSecretName(this, 'TokenSecretHandle', this.tokenSecretName);
    return this.handles.secret;
  }

  /** The ServiceAccount of the controller and task pods, for the app's own constructs. */
  public get serviceAccount(): kplus.IServiceAccount {
    this.handles.serviceAccount ??= this.existingServiceAccount
      ?? cdk8sPlus().ServiceAccount.fromServiceAccountName(this, 'ServiceAccountHandle', this.serviceAccountName);
    return this.handles.serviceAccount;
  }

  /** The controller pods, as a selector for NetworkPolicy peers and other cdk8s-plus constructs. */
  public get pods(): kplus.Pods {
    this.handles.pods ??= selectPods(this, 'PodsHandle', this.podSelector, this.namespace);
    return this.handles.pods;
  }
}

function serviceAccountCreated(sa: ServiceAccountOptions): boolean {
  if (sa.existing !== undefined) {
    if (sa.create === true) invalid('serviceAccount.create', true, 'nothing or false: serviceAccount.existing is given, so none is created');
    if (sa.name !== undefined) invalid('serviceAccount.name', sa.name, 'nothing: serviceAccount.existing names the ServiceAccount');
    return false;
  }
  return sa.create ?? true;
}

/** The ServiceAccount name, as the chart's `serviceAccountName` helper. */
export function serviceAccountName(release: AgentRelease, sa: ServiceAccountOptions, namespace: string): string {
  if (sa.existing !== undefined) return refName('serviceAccount.existing', sa.existing, namespace);
  const name = sa.name || ((sa.create ?? true) ? release.fullname : 'default');
  return checkDnsSubdomain('serviceAccount.name', name);
}

const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];

/** The controller's topology spread constraints; a missing labelSelector selects the controller pods. */
function topologySpreadConstraints(given: kplus.k8s.TopologySpreadConstraint[] | undefined, selector: { [key: string]: string }): Json[] {
  return structList('agent.topologySpreadConstraints', 'TopologySpreadConstraint', given).map((c, i) => {
    const path = `agent.topologySpreadConstraints[${i}]`;
    if (c === null || typeof c !== 'object') invalid(path, c, 'a TopologySpreadConstraint (a map)');
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

/** The controller's budget: one of four ways to set it, or `minAvailable: 1` (the chart's). */
function podDisruptionBudgetSpec(options: PodDisruptionBudgetOptions): Json | undefined {
  if (options.enabled === false) return undefined;
  return disruptionBudgetSpec('agent.podDisruptionBudget', [
    { prop: 'minAvailable', field: 'minAvailable', value: options.minAvailable },
    { prop: 'maxUnavailable', field: 'maxUnavailable', value: options.maxUnavailable },
    { prop: 'minAvailablePercent', field: 'minAvailable', value: options.minAvailablePercent, percent: true },
    { prop: 'maxUnavailablePercent', field: 'maxUnavailable', value: options.maxUnavailablePercent, percent: true },
  ], { minAvailable: 1 });
}

function checkRules(path: string, rules: Json[]): void {
  rules.forEach((rule, i) => {
    if (rule === null || typeof rule !== 'object') invalid(`${path}[${i}]`, rule, 'a PolicyRule (a map)');
    if (!Array.isArray(rule.verbs) || rule.verbs.length === 0) invalid(`${path}[${i}].verbs`, rule.verbs, 'a non-empty list of verbs');
    const hasResources = Array.isArray(rule.resources) && rule.resources.length > 0;
    const hasUrls = Array.isArray(rule.nonResourceURLs) && rule.nonResourceURLs.length > 0;
    if (!hasResources && !hasUrls) invalid(`${path}[${i}].resources`, rule.resources, 'a non-empty list of resources (or nonResourceURLs in cluster rules)');
    if (hasUrls && !path.endsWith('clusterRules')) invalid(`${path}[${i}].nonResourceURLs`, rule.nonResourceURLs, 'nothing: a namespaced Role cannot grant nonResourceURLs');
  });
}
