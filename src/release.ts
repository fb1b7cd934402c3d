import { invalid } from './internal/errors';
import { checkDnsLabel, checkDnsSubdomain, truncateName } from './internal/names';

/** The chart this library re-implements, and the agent version it deploys by default. */
export class ChartInfo {
  /** The Helm chart's name, used in names and the `app.kubernetes.io/name` label. */
  public static readonly CHART_NAME = 'agent-job';
  /** The chart version whose output this library reproduces. */
  public static readonly CHART_VERSION = '0.5.62';
  /** The agent version of that chart: the default tag of the agent and runner images. */
  public static readonly APP_VERSION = '0.55.2';

  private constructor() {}
}

/** How the objects that the chart 0.5 names with fixed names are named. */
export enum ResourceNaming {
  /**
   * As chart 0.5.62: the Deployment is `scalr-agent`, the AgentTask `scalr-agent-task` and the
   * ClusterRole `<fullname>-clusterrole`, whatever the release. Two pools in one namespace
   * collide, and so do ClusterRoles of equal releases in two namespaces.
   */
  CHART_0_5 = 'chart-0.5',
  /**
   * Per release: the Deployment is `<fullname>`, the AgentTask `<fullname>-task` (the
   * controller's `SCALR_AGENT_KUBERNETES_JOB_TEMPLATE` follows), and the ClusterRole and its
   * binding `<namespace>-<fullname>-clusterrole[-binding]`, as chart 0.6 names them. Changing an
   * installed pool to it replaces the Deployment and the AgentTask.
   */
  PER_RELEASE = 'per-release',
}

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
   * Replaces the chart name (`agent-job`) in object names and the `app.kubernetes.io/name` label.
   * @default - the chart name, `agent-job`
   */
  readonly nameOverride?: string;

  /**
   * Replaces the whole name stem (normally `<release>-agent-job`). Like the chart, it does not
   * change the Deployment (`scalr-agent`) or the AgentTask (`scalr-agent-task`).
   * @default - derived from the release name and `nameOverride`
   */
  readonly fullnameOverride?: string;
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

  constructor(props: AgentReleaseProps = {}) {
    // Helm limits release names to 53 characters so that suffixed names stay valid.
    this.releaseName = checkDnsLabel('releaseName', props.releaseName ?? 'scalr-agent', 53);
    if (props.nameOverride !== undefined && props.nameOverride !== '') {
      checkDnsLabel('nameOverride', props.nameOverride);
    }
    this.name = truncateName(props.nameOverride || ChartInfo.CHART_NAME);

    if (props.fullnameOverride) {
      checkDnsSubdomain('fullnameOverride', props.fullnameOverride);
      this.fullname = truncateName(props.fullnameOverride);
    } else {
      const name = props.nameOverride || ChartInfo.CHART_NAME;
      this.fullname = truncateName(this.releaseName.includes(name) ? this.releaseName : `${this.releaseName}-${name}`);
    }
    // Truncation can leave a trailing '.', which no object name may end with.
    checkDnsSubdomain('fullnameOverride (after truncation to 63 characters)', this.fullname);
  }

  /**
   * The controller Deployment's name.
   * @param naming the naming scheme
   */
  public deploymentName(naming: ResourceNaming = ResourceNaming.CHART_0_5): string {
    return checkNaming(naming) === ResourceNaming.PER_RELEASE ? this.fullname : 'scalr-agent';
  }

  /**
   * The AgentTask's name (the controller's `SCALR_AGENT_KUBERNETES_JOB_TEMPLATE`).
   * @param naming the naming scheme
   */
  public taskTemplateName(naming: ResourceNaming = ResourceNaming.CHART_0_5): string {
    return checkNaming(naming) === ResourceNaming.PER_RELEASE ? truncateName(`${this.fullname}-task`) : 'scalr-agent-task';
  }

  /**
   * The ClusterRole's name.
   * @param naming the naming scheme
   * @param namespaceName the release namespace (a prefix with PER_RELEASE)
   */
  public clusterRoleName(naming: ResourceNaming, namespaceName: string): string {
    return checkNaming(naming) === ResourceNaming.PER_RELEASE ? `${namespaceName}-${this.fullname}-clusterrole` : `${this.fullname}-clusterrole`;
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
      'app.kubernetes.io/version': ChartInfo.APP_VERSION,
      'app.kubernetes.io/managed-by': 'cdk8s',
      ...(component ? { 'app.kubernetes.io/component': component } : {}),
    };
  }
}

function checkNaming(naming: ResourceNaming): ResourceNaming {
  if (!Object.values(ResourceNaming).includes(naming)) {
    invalid('resourceNames', naming, `one of ${Object.values(ResourceNaming).join(', ')}`);
  }
  return naming;
}
