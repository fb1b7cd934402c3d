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
