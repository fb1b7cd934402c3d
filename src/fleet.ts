import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AgentPool, AgentPoolProps } from './agent-pool';
import { ChartVersion, resolveVersion } from './chart-version';
import { invalid } from './core/errors';
import { checkDnsLabel } from './core/names';
import { AgentTaskCrd } from './crd';
import { collisionHints, findCollisionPairs } from './internal/collisions';
import { renderChart, renderedByOwnChart } from './internal/render';
import { ResourceNaming, TaskTemplateResource } from './options/structure';

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
   * pool's), and `includeCrd` must not be true: the fleet creates the CRDs once.
   */
  readonly props: AgentPoolProps;
}

/** Props of {@link AgentPoolFleet}. */
export interface AgentPoolFleetProps {
  /** The pools, each an {@link AgentPool} in this chart. */
  readonly pools: FleetPool[];

  /**
   * The namespace of pools that do not name one.
   * @default "default"
   */
  readonly defaultNamespace?: string;

  /**
   * The chart version of pools whose props do not set `version`.
   * @default ChartVersion.LATEST
   */
  readonly version?: ChartVersion;

  /**
   * The naming of pools whose props do not set `resourceNames`.
   * @default - each pool's chart version's naming (CHART_0_5 pools in one namespace collide: use PER_RELEASE)
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * Create the CRD of each task template resource the pools use, once, before the pools.
   * @default true
   */
  readonly includeCrd?: boolean;
}

/**
 * Many agent pools from one list, in one chart (so one file with `cdk8s synth`): one
 * {@link AgentPool} per pool (construct id `<namespace>-<releaseName>`), and before them the CRD
 * of each custom resource the pools use (under `crd`). Pools may use different chart versions.
 * Pools whose objects would collide (same kind, namespace and name) are an error that names both.
 */
export class AgentPoolFleet extends Chart {
  /** The CRDs the fleet created, in the order of the chart versions that need them. */
  public readonly crds: AgentTaskCrd[];
  /** The pools, in the order given. */
  public readonly pools: AgentPool[];

  constructor(scope: Construct, id: string, props: AgentPoolFleetProps) {
    super(scope, id);
    if (!props || !Array.isArray(props.pools) || props.pools.length === 0) {
      invalid('fleet.pools', props?.pools, 'a non-empty list of pools');
    }
    const defaultNamespace = checkDnsLabel('fleet.defaultNamespace', props.defaultNamespace ?? 'default');
    const versionOf = (pool: FleetPool, i: number) => pool?.props?.version !== undefined
      ? resolveVersion(`fleet.pools[${i}].props.version`, pool.props.version)
      : resolveVersion('fleet.version', props.version);
    const resourceOf = (pool: FleetPool, i: number) => pool?.props?.taskTemplateResource ?? versionOf(pool, i)._profile.taskTemplateResource;

    // The CRDs first: cdk8s writes a chart's objects in construct order (without dependencies,
    // which would move a CRD to just before its first custom resource).
    this.crds = [];
    if (props.includeCrd ?? true) {
      const crdScope = new Construct(this, 'crd');
      const resources = [...new Set(props.pools.map(resourceOf))];
      for (const resource of Object.values(TaskTemplateResource).filter((r) => resources.includes(r))) {
        this.crds.push(new AgentTaskCrd(crdScope, resource === TaskTemplateResource.AGENT_TASK ? 'Crd' : 'TemplateCrd', { resource }));
      }
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
      if (!given) invalid(`${path}.props`, given, 'the pool\'s AgentPoolProps (at least its token)');
      if (given.releaseName !== undefined && given.releaseName !== pool.releaseName) {
        invalid(`${path}.props.releaseName`, given.releaseName, `nothing or "${pool.releaseName}" (the pool's releaseName)`);
      }
      if (given.namespace !== undefined && given.namespace !== namespace) {
        invalid(`${path}.props.namespace`, given.namespace, `nothing or "${namespace}" (the pool's namespace)`);
      }
      if (given.includeCrd === true) invalid(`${path}.props.includeCrd`, true, 'nothing or false: the fleet creates the CRDs once');
      const key = `${namespace}/${pool.releaseName}`;
      if (seen.has(key)) {
        invalid(`${path}.releaseName`, pool.releaseName, `a release name not used yet in namespace "${namespace}" (${describePool(seen.get(key)!)} has it)`);
      }
      seen.set(key, i);
      const agentPool = new AgentPool(this, `${namespace}-${pool.releaseName}`, {
        ...given,
        releaseName: pool.releaseName,
        namespace,
        version: versionOf(pool, i),
        includeCrd: false,
        resourceNames: given.resourceNames ?? props.resourceNames,
      });
      renderedByOwnChart(agentPool);
      return agentPool;
    });

    // Checked now, with both pools named, rather than when the app is synthesized.
    const [collision] = findCollisionPairs(this.pools);
    if (collision) {
      const first = this.pools.indexOf(collision.first as AgentPool);
      const second = this.pools.indexOf(collision.second as AgentPool);
      invalid(describePool(second), collision.ids.join(', '),
        `objects that ${describePool(first)} does not also define: applied together, one pool would overwrite the other. `
        + 'Use different namespaces or release names.'
        + collisionHints(collision.ids));
    }
  }

  /** The fleet's manifests, in cdk8s's order: only this chart is validated and resolved (see AgentJobChart.toJson). */
  public toJson(): any[] {
    return renderChart(this);
  }
}
