// One Scalr agent pool before and after its move from chart 0.5.62 to chart 0.6.5, as
// docs/upgrade-0.5-to-0.6.md describes it. Only `version` changes between the states, and
// `nameOverride` in the state that keeps the old names.
import { App, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import {
  AgentJobChart, AgentJobChartProps, AgentToken, ChartVersion, ClusterRoleScope, ResourceNaming, VolumeStorage,
} from 'cdk8s-scalr-agent-job';

/** The pool as it runs today, without its chart version. */
export function poolProps(releaseName: string = 'scalr-agent'): AgentJobChartProps {
  return {
    releaseName,
    namespace: 'scalr',
    token: AgentToken.fromSecretName('scalr-agent-token'),
    agent: { url: 'https://example.scalr.io', replicas: 2 },
    persistence: {
      // The size is given: a claim left to the chart's default would grow from 50Gi to 90Gi.
      cache: VolumeStorage.newClaim({ storage: Size.gibibytes(50), accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY }),
    },
  };
}

/**
 * The states: what runs today, chart 0.6.5, chart 0.6.5 with the old name stem, and chart 0.6.5
 * with every name of chart 0.5 (an update in place).
 */
export const STATES: { [state: string]: Partial<AgentJobChartProps> } = {
  'before': { version: ChartVersion.V0_5_62 },
  'after': { version: ChartVersion.V0_6_5 },
  'after-keep-names': { version: ChartVersion.V0_6_5, nameOverride: 'agent-job' },
  'after-in-place': {
    version: ChartVersion.V0_6_5,
    nameOverride: 'agent-job',
    resourceNames: ResourceNaming.CHART_0_5,
    rbac: { clusterRoleScope: ClusterRoleScope.NAMESPACE },
  },
};

/**
 * An app with the pool in one state. Each state needs an app of its own: the states define
 * objects of the same names, which one app refuses.
 */
export function stateApp(state: string, releaseName?: string, outdir?: string): App {
  const app = new App({ outdir });
  new AgentJobChart(app, 'pool', { ...poolProps(releaseName), ...STATES[state] });
  return app;
}
