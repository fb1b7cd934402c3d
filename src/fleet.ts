import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AgentJobChart, AgentJobChartProps } from './chart';
import { AgentTaskCrd } from './crd';
import { collisionHints, findCollisionPairs } from './internal/collisions';
import { invalid } from './internal/errors';
import { checkDnsLabel } from './internal/names';
import { ResourceNaming } from './release';

/** One agent pool of an {@link AgentPoolFleet}. */
export interface FleetPool {
  /** The release name of the pool (unique per namespace). */
  readonly releaseName: string;

  /**
   * The pool's namespace.
   * @default - the fleet's `defaultNamespace`
   */
  readonly namespace?: string;

  /**
   * The pool's settings. `releaseName` and `namespace` in them must be unset (or equal to the
   * pool's), and `includeCrd` must not be true: the fleet creates the CRD once.
   */
  readonly props: AgentJobChartProps;
}

/** Props of {@link AgentPoolFleet}. */
export interface AgentPoolFleetProps {
  /** The pools, each rendered into a chart of its own. */
  readonly pools: FleetPool[];

  /**
   * The namespace of pools that do not name one.
   * @default "default"
   */
  readonly defaultNamespace?: string;

  /**
   * The naming of pools whose props do not set `resourceNames`.
   * @default ResourceNaming.CHART_0_5 (two pools in one namespace then collide: use PER_RELEASE)
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * Create the AgentTask CRD in a chart of its own (apply it first).
   * @default true
   */
  readonly includeCrd?: boolean;
}

/**
 * Many agent pools from one list, in one app: one {@link AgentJobChart} per pool (chart id
 * `<namespace>-<releaseName>`) and the CRD once in a chart `crd`. Pools whose objects would
 * collide (same kind, namespace and name) are an error that names both pools.
 */
export class AgentPoolFleet extends Construct {
  /** The chart with the CRD, when included. */
  public readonly crdChart?: Chart;
  /** The pools' charts, in the order given. */
  public readonly pools: AgentJobChart[];

  constructor(scope: Construct, id: string, props: AgentPoolFleetProps) {
    super(scope, id);
    if (!props || !Array.isArray(props.pools) || props.pools.length === 0) {
      invalid('fleet.pools', props?.pools, 'a non-empty list of pools');
    }
    const defaultNamespace = checkDnsLabel('fleet.defaultNamespace', props.defaultNamespace ?? 'default');
    if (props.includeCrd ?? true) {
      this.crdChart = new Chart(this, 'crd');
      new AgentTaskCrd(this.crdChart, 'Crd');
    }

    const seen = new Map<string, number>();
    const describePool = (i: number) => {
      const pool = props.pools[i];
      return `fleet.pools[${i}] (release "${pool.releaseName}" in namespace "${pool.namespace ?? defaultNamespace}")`;
    };
    this.pools = props.pools.map((pool, i) => {
      const path = `fleet.pools[${i}]`;
      checkDnsLabel(`${path}.releaseName`, pool?.releaseName, 53);
      const namespace = checkDnsLabel(`${path}.namespace`, pool.namespace ?? defaultNamespace);
      const given = pool.props;
      if (!given) invalid(`${path}.props`, given, 'the pool\'s AgentJobChartProps (at least its token)');
      if (given.releaseName !== undefined && given.releaseName !== pool.releaseName) {
        invalid(`${path}.props.releaseName`, given.releaseName, `nothing or "${pool.releaseName}" (the pool's releaseName)`);
      }
      if (given.namespace !== undefined && given.namespace !== namespace) {
        invalid(`${path}.props.namespace`, given.namespace, `nothing or "${namespace}" (the pool's namespace)`);
      }
      if (given.includeCrd === true) invalid(`${path}.props.includeCrd`, true, 'nothing or false: the fleet creates the CRD once');
      const key = `${namespace}/${pool.releaseName}`;
      if (seen.has(key)) {
        invalid(`${path}.releaseName`, pool.releaseName, `a release name not used yet in namespace "${namespace}" (${describePool(seen.get(key)!)} has it)`);
      }
      seen.set(key, i);
      const chart = new AgentJobChart(this, `${namespace}-${pool.releaseName}`, {
        ...given,
        releaseName: pool.releaseName,
        namespace,
        includeCrd: false,
        resourceNames: given.resourceNames ?? props.resourceNames,
      });
      // The AgentTasks need their CRD: cdk8s then writes the CRD's chart first.
      if (this.crdChart) chart.addDependency(this.crdChart);
      return chart;
    });

    // Checked now, with both pools named, rather than when the app is synthesized.
    const [collision] = findCollisionPairs(this, (c) => this.pools.includes(c as AgentJobChart));
    if (collision) {
      const first = this.pools.indexOf(collision.first as AgentJobChart);
      const second = this.pools.indexOf(collision.second as AgentJobChart);
      invalid(describePool(second), collision.ids.join(', '),
        `objects that ${describePool(first)} does not also define: applied together, one pool would overwrite the other. `
        + 'Use different namespaces or release names.'
        + collisionHints(collision.ids));
    }
  }
}
