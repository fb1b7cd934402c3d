import { ChartVersion, resolveVersion } from './chart-version';
import { invalid } from './core/errors';
import { checkDnsLabel, checkDnsSubdomain, truncateName } from './core/names';
import { ResourceNaming } from './options/structure';

/** Names of objects that depend on the naming scheme, for one release. */
interface SchemeNames {
  readonly deployment: (r: AgentRelease) => string;
  readonly taskTemplate: (r: AgentRelease) => string;
  readonly clusterRole: (r: AgentRelease, namespace: string) => string;
  readonly networkPolicy: (r: AgentRelease) => string;
  readonly controllerBudget: (r: AgentRelease) => string;
  /** Whether the RBAC objects carry the release's labels and common metadata. */
  readonly rbacMetadata: boolean;
}

// One table of the naming schemes: each chart generation's names, and the library's per-release one.
const SCHEMES: { [naming: string]: SchemeNames } = {
  [ResourceNaming.CHART_0_5]: {
    deployment: () => 'scalr-agent',
    taskTemplate: () => 'scalr-agent-task',
    clusterRole: (r) => `${r.fullname}-clusterrole`,
    networkPolicy: (r) => `${r.fullname}-task-network-policy`,
    controllerBudget: (r) => `${r.fullname}-agent`,
    rbacMetadata: false,
  },
  [ResourceNaming.PER_RELEASE]: {
    deployment: (r) => r.fullname,
    taskTemplate: (r) => truncateName(`${r.fullname}-task`),
    clusterRole: (r, ns) => `${ns}-${r.fullname}-clusterrole`,
    networkPolicy: (r) => `${r.fullname}-task-network-policy`,
    controllerBudget: (r) => `${r.fullname}-agent`,
    rbacMetadata: false,
  },
  [ResourceNaming.CHART_0_6]: {
    deployment: (r) => r.fullname,
    taskTemplate: (r) => `${r.fullname}-task-template`,
    clusterRole: (r, ns) => `${ns}-${r.fullname}-clusterrole`,
    networkPolicy: (r) => `${r.fullname}-network-policy`,
    controllerBudget: (r) => r.fullname,
    rbacMetadata: true,
  },
};

/**
 * Naming inputs of a release, as `helm install RELEASE` and the chart's `nameOverride` /
 * `fullnameOverride` values give them.
 */
export interface AgentReleaseProps {
  /**
   * The release name: the `app.kubernetes.io/instance` label and the stem of most object names.
   * @default "scalr-agent" (the name the chart's installation instructions use)
   */
  readonly releaseName?: string;

  /**
   * Replaces the chart's name in object names and the `app.kubernetes.io/name` label.
   * @default - the chart version's name: `agent-job` (0.5.62) or `scalr-agent` (0.6.5)
   */
  readonly nameOverride?: string;

  /**
   * Replaces the whole name stem (normally `<release>-<name>`, or the release name when it
   * contains the name).
   * @default - derived from the release name and `nameOverride`
   */
  readonly fullnameOverride?: string;

  /**
   * The chart version whose names and labels to use.
   * @default ChartVersion.LATEST
   */
  readonly version?: ChartVersion;
}

/**
 * The names and labels of one agent pool, computed exactly as the chart's helpers do.
 */
export class AgentRelease {
  /** The release name. */
  public readonly releaseName: string;
  /** The chart name or its override: the `app.kubernetes.io/name` label. */
  public readonly name: string;
  /** The stem of object names (Secret, ServiceAccount, RBAC, PVCs, policies). */
  public readonly fullname: string;
  /** The chart version. */
  public readonly version: ChartVersion;

  constructor(props: AgentReleaseProps = {}) {
    this.version = resolveVersion('version', props.version);
    // Helm limits release names to 53 characters so that suffixed names stay valid.
    this.releaseName = checkDnsLabel('releaseName', props.releaseName ?? 'scalr-agent', 53);
    if (props.nameOverride !== undefined && props.nameOverride !== '') {
      checkDnsLabel('nameOverride', props.nameOverride);
    }
    const name = props.nameOverride || this.version.defaultName;
    this.name = truncateName(name);

    if (props.fullnameOverride) {
      checkDnsSubdomain('fullnameOverride', props.fullnameOverride);
      this.fullname = truncateName(props.fullnameOverride);
    } else {
      this.fullname = truncateName(this.releaseName.includes(name) ? this.releaseName : `${this.releaseName}-${name}`);
    }
    // Truncation can leave a trailing '.', which no object name may end with.
    checkDnsSubdomain('fullnameOverride (after truncation to 63 characters)', this.fullname);
  }

  /**
   * The controller Deployment's name.
   * @param naming the naming scheme
   */
  public deploymentName(naming: ResourceNaming): string {
    return scheme(naming).deployment(this);
  }

  /**
   * The task template's name (the controller's `SCALR_AGENT_KUBERNETES_*_TEMPLATE`).
   * @param naming the naming scheme
   */
  public taskTemplateName(naming: ResourceNaming): string {
    return scheme(naming).taskTemplate(this);
  }

  /**
   * The ClusterRole's name.
   * @param naming the naming scheme
   * @param namespaceName the release namespace (a prefix in the per-release schemes)
   */
  public clusterRoleName(naming: ResourceNaming, namespaceName: string): string {
    return scheme(naming).clusterRole(this, namespaceName);
  }

  /**
   * The metadata NetworkPolicy's name.
   * @param naming the naming scheme
   */
  public networkPolicyName(naming: ResourceNaming): string {
    return scheme(naming).networkPolicy(this);
  }

  /**
   * The controller PodDisruptionBudget's name.
   * @param naming the naming scheme
   */
  public controllerDisruptionBudgetName(naming: ResourceNaming): string {
    return scheme(naming).controllerBudget(this);
  }

  /**
   * Whether the RBAC objects carry the release's labels (chart 0.6 does, 0.5 does not).
   * @param naming the naming scheme
   */
  public labelsRbac(naming: ResourceNaming): boolean {
    return scheme(naming).rbacMetadata;
  }

  /**
   * The labels that select this release's pods of one component.
   * @param component `agent` or `task`; omitted for the release as a whole
   */
  public selectorLabels(component?: string): { [key: string]: string } {
    return {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': this.releaseName,
      ...(component ? { 'app.kubernetes.io/component': component } : {}),
    };
  }

  /**
   * The labels every object of the release carries (the chart's common labels, with
   * `app.kubernetes.io/managed-by: cdk8s` instead of `Helm`).
   * @param component the `app.kubernetes.io/component` label, if any
   */
  public labels(component?: string): { [key: string]: string } {
    return {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': this.releaseName,
      'app.kubernetes.io/version': this.version.appVersion,
      'app.kubernetes.io/managed-by': 'cdk8s',
      ...(component ? { 'app.kubernetes.io/component': component } : {}),
    };
  }
}

function scheme(naming: ResourceNaming): SchemeNames {
  const found = SCHEMES[naming];
  if (!found) invalid('resourceNames', naming, `one of ${Object.values(ResourceNaming).join(', ')}`);
  return found;
}
