import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { AgentPoolProps, IAgentPool, composePool } from './agent-pool';
import { BufferPods } from './buffer-pods';
import { CachePersistence } from './cache-persistence';
import { ChartVersion } from './chart-version';
import { AgentController } from './controller';
import { checkDnsLabel } from './core/names';
import { AgentTaskCrd } from './crd';
import { DataPersistence } from './data-persistence';
import { HelmValuesOptions, helmValuesToProps, toValuesError } from './helm/index';
import { renderChart, renderedByOwnChart } from './internal/render';
import { MetadataEgressPolicy } from './metadata-egress-policy';
import { AgentRelease } from './release';
import { AgentTaskTemplate } from './task-template';

const MARKER = Symbol.for('cdk8s-scalr-agent-job.AgentJobChart');

/** Props of {@link AgentJobChart}: the chart's values, typed. */
export interface AgentJobChartProps extends AgentPoolProps {}

/**
 * One Scalr agent pool in a chart of its own: everything the `agent-job` Helm chart installs,
 * from one props object whose defaults are those of the chosen chart version (0.6.5 or 0.5.62).
 */
export class AgentJobChart extends Chart implements IAgentPool {
  /**
   * The chart that `helm install` of the `agent-job` chart gives with these values: the chart's
   * defaults are applied as Helm applies them (maps merged, lists replaced, `null` removes a
   * key), then every key is validated and mapped onto the typed props. Unknown keys and values
   * of the wrong type fail with the key's path. See docs/migration.md.
   * @param scope the parent (usually the App)
   * @param id the chart's id
   * @param options the values, chart version, release name and namespace
   */
  public static fromHelmValues(scope: Construct, id: string, options: HelmValuesOptions): AgentJobChart {
    const props = helmValuesToProps(options);
    try {
      return new AgentJobChart(scope, id, props);
    } catch (error) {
      throw toValuesError(error);
    }
  }

  /**
   * Whether a value is an AgentJobChart, from any copy of this package.
   * @param x anything
   */
  public static isAgentJobChart(x: any): x is AgentJobChart {
    return x !== null && typeof x === 'object' && x[MARKER] === true;
  }

  public readonly release: AgentRelease;
  public readonly version: ChartVersion;
  public readonly crd?: AgentTaskCrd;
  public readonly controller: AgentController;
  public readonly taskTemplate: AgentTaskTemplate;
  public readonly cache: CachePersistence;
  public readonly data: DataPersistence;
  public readonly metadataPolicy?: MetadataEgressPolicy;
  public readonly bufferPods?: BufferPods;

  constructor(scope: Construct, id: string, props: AgentJobChartProps) {
    const namespace = checkDnsLabel('namespace', props?.namespace ?? 'default');
    super(scope, id, { namespace });
    Object.defineProperty(this, MARKER, { value: true });
    const parts = composePool(this, props, namespace);
    renderedByOwnChart(this);
    this.release = parts.release;
    this.version = parts.version;
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

  /**
   * The chart's manifests, in cdk8s's order. Only this chart's constructs are validated and
   * its own dependencies resolved (cdk8s's `Chart.toJson` repeats both for the whole app for
   * every chart), so that many pools synthesize in linear time.
   */
  public toJson(): any[] {
    return renderChart(this);
  }
}
