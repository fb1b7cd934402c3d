import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { token } from './builders';
import { ScenarioProps, TypedScenario } from './typed-scenarios';
import { AgentToken, CaBundle, ChartVersion, ClientCertificate, LogFormat, VolumeStorage } from '../../src';

const url = 'https://example.scalr.io';

// The PEM blocks of scenario 15, as its values.yaml writes them.
const CA_BUNDLE = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUExampleCaBundleForTestsOnly0wCgYIKoZIzj0EAwIw
-----END CERTIFICATE-----
`;
const CLIENT_CERT = `-----BEGIN CERTIFICATE-----
MIIBexampleClientCertificateForTestsOnly
-----END CERTIFICATE-----
`;
const CLIENT_KEY = `-----BEGIN PRIVATE KEY-----
MIGexampleClientKeyForTestsOnly
-----END PRIVATE KEY-----
`;

/**
 * Chart 0.6.5 reference scenarios written with the typed API, as a user would write them from
 * each scenario's values.yaml (test/fixtures/agent-job-0.6.5/scenarios/NAME/values.yaml). The
 * version is pinned, as the docs ask, although 0.6.5 is the default.
 */
const SCENARIOS: Record<string, Omit<ScenarioProps, 'version'> | TypedScenario> = {
  '01-default': { token },
  '02-existing-secret': {
    token: AgentToken.fromSecretName('scalr-agent-token', 'agent-token'),
    agent: { url },
  },
  '03-cache-pvc': {
    token,
    agent: {
      url,
      providerCache: { enabled: true, sizeLimit: Size.gibibytes(20), concurrency: 4, dropKernelPages: false },
      moduleCache: { enabled: true, sizeLimit: Size.gibibytes(10), concurrency: 8 },
    },
    persistence: {
      cache: VolumeStorage.newClaim({ storageClassName: 'efs-sc', storage: Size.gibibytes(200) }),
      cacheSubPath: 'team-a',
    },
  },
  '04-existing-claims': {
    token,
    agent: { url },
    persistence: {
      data: VolumeStorage.fromClaimName('shared-data'),
      cache: VolumeStorage.fromClaimName('shared-cache'),
      cacheSubPath: 'pools/blue',
    },
  },
  '05-new-data-pvc': {
    token,
    agent: { url },
    persistence: {
      data: VolumeStorage.newClaim({
        storageClassName: '', storage: Size.gibibytes(20), accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD,
      }),
      cache: VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(3) }),
    },
  },
  '06-ha-controller': {
    token,
    agent: {
      url,
      replicas: 3,
      podDisruptionBudget: { minAvailable: 2 },
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/component': 'agent' } },
      }],
    },
  },
  '07-ha-max-unavailable': {
    token,
    agent: { url, replicas: 2, podDisruptionBudget: { maxUnavailable: 1 } },
    task: { podDisruptionBudget: { enabled: false } },
  },
  '08-allow-metadata': { token, agent: { url }, task: { allowMetadataService: true } },
  '09-custom-images': (scope: Construct) => ({
    token,
    common: {
      imageRegistry: 'registry.example.com',
      imageNamespace: 'mirror/scalr',
      imagePullSecrets: [kplus.Secret.fromSecretName(scope, 'registry-creds', 'registry-creds')],
    },
    agent: { url, image: { repository: 'scalr/agent', tag: '1.4.1', pullPolicy: kplus.ImagePullPolicy.ALWAYS } },
    task: { runner: { image: { repository: 'scalr/runner', tag: '0.2.1', pullPolicy: kplus.ImagePullPolicy.ALWAYS } } },
  }),
  '10-scheduling': {
    token,
    common: {
      podAnnotations: { 'shared': 'from-global', 'cost-center': '1234' },
      podLabels: { org: 'acme' },
    },
    agent: {
      url,
      nodeSelector: { 'node-role': 'agents' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
          },
        },
      },
      podAnnotations: { team: 'platform', shared: 'from-agent' },
      podLabels: { tier: 'control' },
    },
    task: {
      nodeSelector: { 'node-role': 'runs' },
      tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }],
      podAnnotations: { shared: 'from-task' },
      podLabels: { tier: 'runs' },
    },
  },
  '11-extras': {
    token,
    agent: {
      url,
      extraEnv: { ZZ_LAST: 'z', AA_FIRST: 'a' },
      controller: {
        extraEnvVars: [
          { name: 'CONTROLLER_ONLY', value: 'enabled' },
          { name: 'FROM_FIELD', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
        extraEnvFrom: [{ configMapRef: { name: 'agent-settings' } }],
      },
    },
    task: {
      extraVolumes: [
        { name: 'terraformrc', configMap: { name: 'terraformrc' } },
        { name: 'scratch', emptyDir: {} },
      ],
      sidecars: [{
        name: 'log-shipper',
        image: 'busybox:1.36',
        command: ['sh', '-c', 'sleep infinity'],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true },
      }],
      worker: {
        extraEnv: { WORKER_FLAG: '1' },
        extraVolumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
      },
      runner: {
        extraEnv: { TF_CLI_CONFIG_FILE: '/etc/terraformrc/config.tfrc', TF_LOG: '' },
        extraVolumeMounts: [{ name: 'terraformrc', mountPath: '/etc/terraformrc', readOnly: true }],
      },
    },
  },
  '12-otel-and-agent-tuning': {
    token,
    agent: {
      url,
      sentryDsn: 'https://key@sentry.example.com/42',
      providerNetworkMirrors: [
        { hostname: 'registry.terraform.io', url: 'https://mirror.example.com/providers/' },
        { hostname: '*', url: 'https://mirror.example.com/all/' },
      ],
      // 2G: 2,000,000,000 bytes (Size has binary units only).
      binaryCache: { sizeLimit: Size.kibibytes(2e9 / 1024), threshold: Duration.days(3) },
    },
    task: {
      startupTimeout: Duration.minutes(5),
      runner: { memorySoftLimitPercent: 70, memoryWarnPercent: 85 },
    },
    telemetry: { enabled: true, endpoint: 'http://otel-collector.monitoring:4317', metrics: true, traces: true },
  },
  '13-no-rbac-custom-sa': {
    token,
    agent: { url },
    rbac: { create: false },
    serviceAccount: { create: false, name: 'scalr-runner', automountToken: false },
  },
  '14-labels-annotations': {
    token,
    common: {
      labels: { org: 'acme', env: 'prod' },
      annotations: { shared: 'from-global', contact: 'platform@example.com' },
    },
    agent: {
      url,
      labels: { 'component-owner': 'agent-team' },
      annotations: { note: 'from-agent', shared: 'from-agent' },
    },
    serviceAccount: {
      labels: { 'sa-label': 'present' },
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/scalr-agent' },
    },
    task: {
      jobLabels: { 'job-kind': 'scalr-run' },
      jobAnnotations: { shared: 'from-job' },
    },
  },
  '15-proxy-inline-tls': {
    token,
    agent: { url },
    common: {
      proxy: {
        httpProxy: 'http://proxy.example.com:3128',
        httpsProxy: 'http://proxy.example.com:3128',
        noProxy: ['localhost', '127.0.0.1', '.svc', '.cluster.local', '10.0.0.0/8'],
      },
      caBundle: CaBundle.fromPem(CA_BUNDLE),
      clientCertificate: ClientCertificate.fromPem(CLIENT_CERT, CLIENT_KEY),
    },
  },
  '16-tls-from-secrets': {
    token,
    agent: { url },
    common: {
      caBundle: CaBundle.fromSecretName('corporate-ca', 'ca.pem'),
      clientCertificate: ClientCertificate.fromSecretName('agent-mtls', 'cert.pem', 'key.pem'),
    },
  },
  '17-job-tuning': {
    token,
    agent: { url, terminationGracePeriod: Duration.minutes(4) },
    serviceAccount: { tokenTtl: Duration.hours(2) },
    task: {
      job: { basename: 'tf-run', ttlAfterFinished: Duration.minutes(10), backoffLimit: 3 },
      podDisruptionBudget: { minAvailable: 1 },
      terminationGracePeriod: Duration.minutes(15),
    },
  },
  '18-overrides-and-commands': {
    token,
    nameOverride: 'runner',
    fullnameOverride: 'iac-agents',
    agent: {
      url,
      debug: true,
      logFormat: LogFormat.PLAIN,
      controller: { command: ['/usr/local/bin/scalr-agent'], args: ['--mode', 'controller'] },
    },
    task: { worker: { command: ['/usr/local/bin/scalr-agent'], args: ['--mode', 'worker'] } },
  },
  '19-release-contains-name': {
    token,
    agent: { url },
    rbac: {
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      ],
      clusterRules: [
        { apiGroups: ['scalr.io'], resources: ['agenttasktemplates'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
      ],
    },
  },
  '20-security-contexts': {
    token,
    common: { podSecurityContext: { fsGroupChangePolicy: 'Always' } },
    agent: {
      url,
      podSecurityContext: { runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 },
      controller: {
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    },
    task: {
      podSecurityContext: { runAsUser: 3000, supplementalGroups: [4000] },
      worker: {
        resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      },
    },
  },
};

export const TYPED_0_6_5: Record<string, TypedScenario> = Object.fromEntries(Object.entries(SCENARIOS).map(([name, scenario]) => [
  name,
  (scope: Construct) => ({ ...(typeof scenario === 'function' ? scenario(scope) : scenario), version: ChartVersion.V0_6_5 }),
]));
