// An example cdk8s app with two Scalr agent pools: a current one (chart 0.6.5, agent 1.4.0) with a
// token from an existing Secret, a persistent provider and module cache on a ReadWriteMany claim
// and two controller replicas, and a legacy pool that stays on chart 0.5.62 (agent 0.55.2).
// `npx cdk8s synth` writes the manifests to dist/.
import { App, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentJobChart, AgentToken, ChartVersion, VolumeStorage } from 'cdk8s-scalr-agent-job';

const app = new App();

new AgentJobChart(app, 'scalr-agent', {
  version: ChartVersion.V0_6_5, // pin it: the default follows the library's latest chart version
  releaseName: 'scalr-agent',
  namespace: 'scalr',
  token: AgentToken.fromSecretName('scalr-agent-token', 'token'),
  agent: {
    url: 'https://example.scalr.io',
    replicas: 2,
    providerCache: { enabled: true, sizeLimit: Size.gibibytes(20) },
    moduleCache: { enabled: true, sizeLimit: Size.gibibytes(10) },
  },
  persistence: {
    cache: VolumeStorage.newClaim({
      storage: Size.gibibytes(50),
      accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY,
    }),
  },
});

new AgentJobChart(app, 'legacy-agent', {
  version: ChartVersion.V0_5_62,
  releaseName: 'legacy-agent',
  namespace: 'scalr-legacy',
  token: AgentToken.fromSecretName('legacy-agent-token'),
  agent: { url: 'https://example.scalr.io' },
});

app.synth();
