// An example cdk8s app: one Scalr agent pool with a token from an existing Secret, a persistent
// provider cache on a ReadWriteMany claim and two controller replicas.
// `npx cdk8s synth` writes the manifests to dist/.
import { App, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentJobChart, AgentToken, VolumeStorage } from 'cdk8s-scalr-agent-job';

const app = new App();

new AgentJobChart(app, 'scalr-agent', {
  releaseName: 'scalr-agent',
  namespace: 'scalr',
  token: AgentToken.fromSecretName('scalr-agent-token', 'token'),
  agent: {
    url: 'https://example.scalr.io',
    replicas: 2,
    providerCache: { enabled: true, sizeLimit: Size.gibibytes(20) },
  },
  persistence: {
    cache: VolumeStorage.newClaim({
      storage: Size.gibibytes(50),
      accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY,
    }),
  },
});

app.synth();
