import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { token } from './builders';
import { AgentJobChartProps, AgentToken, ChartVersion, LogFormat, VolumeStorage } from '../../src';

/** The props of a typed scenario, without the release name and namespace of the reference. */
export type ScenarioProps = Omit<AgentJobChartProps, 'releaseName' | 'namespace'>;

/**
 * A typed scenario: the props a user writes, given the scope the pool is created in (for
 * references such as `kplus.Secret.fromSecretName(scope, ...)`).
 */
export type TypedScenario = (scope: Construct) => ScenarioProps;

/**
 * Each chart 0.5.62 reference scenario written with the typed API, as a user would write it from
 * the scenario's values.yaml. The version is pinned: the default is 0.6.5.
 */
export const TYPED_0_5_62: Record<string, TypedScenario> = Object.fromEntries(Object.entries<Omit<ScenarioProps, 'version'> | TypedScenario>({
  '01-default': { token },
  '02-existing-secret': {
    token: AgentToken.fromSecretName('scalr-agent-token', 'pool-token'),
    agent: { url: 'https://example.scalr.io', debug: true, logFormat: LogFormat.PLAIN },
  },
  '03-cache-pvc': {
    token,
    agent: { providerCache: { enabled: true, sizeLimit: Size.gibibytes(20) } },
    persistence: {
      cache: VolumeStorage.newClaim({
        storageClassName: 'nfs-client', storage: Size.gibibytes(40), accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY,
      }),
    },
  },
  '04-existing-claims': {
    token,
    agent: { providerCache: { enabled: true, sizeLimit: Size.kibibytes(1500 * 1e6 / 1024) } },
    persistence: {
      data: VolumeStorage.existingClaim('team-a-data'),
      cache: VolumeStorage.existingClaim('shared-cache'),
      cacheSubPath: 'team-a',
    },
  },
  '05-new-data-pvc': {
    token,
    persistence: {
      data: VolumeStorage.newClaim({ storageClassName: '', storage: Size.gibibytes(10) }),
      cache: VolumeStorage.newClaim({
        storageClassName: '', storage: Size.gibibytes(100), accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE,
      }),
    },
  },
  '06-ha-controller': { token, agent: { replicas: 3, podDisruptionBudget: { minAvailable: 2 } } },
  '07-ha-max-unavailable': { token, agent: { replicas: 2, podDisruptionBudget: { maxUnavailable: 1 } } },
  '08-allow-metadata': { token, task: { allowMetadataService: true } },
  '09-custom-images': (scope: Construct) => ({
    token,
    common: { imageRegistry: 'registry.example.com/mirror', imagePullSecrets: [kplus.Secret.fromSecretName(scope, 'regcred', 'regcred')] },
    agent: { image: { repository: 'scalr/agent', tag: '0.56.0', pullPolicy: kplus.ImagePullPolicy.ALWAYS } },
    task: {
      worker: { image: { repository: 'scalr/agent-worker', tag: '0.56.0-worker' } },
      runner: { image: { repository: 'custom/runner', tag: 'v1.2.3', pullPolicy: kplus.ImagePullPolicy.ALWAYS } },
    },
  }),
  '10-scheduling': {
    token,
    common: {
      podAnnotations: { 'team': 'platform', 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
      podLabels: { env: 'prod' },
      podSecurityContext: { runAsUser: 1001, fsGroup: 2000 },
    },
    agent: {
      nodeSelector: { 'node-type': 'agent-controller' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agent-controller', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
          },
        },
      },
      podAnnotations: { 'team': 'agents', 'prometheus.io/scrape': 'false' },
      podLabels: { tier: 'control' },
      podSecurityContext: { runAsGroup: 3000 },
    },
    task: {
      nodeSelector: { 'node-type': 'agent-worker' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agent-worker', effect: 'NoSchedule' }],
      podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' },
      podLabels: { tier: 'task' },
      podSecurityContext: { fsGroupChangePolicy: 'Always' },
    },
  },
  '11-extras': {
    token,
    agent: {
      extraEnv: { SCALR_AGENT_WORKER_ON_STOP_ACTION: 'drain', HTTPS_PROXY: 'http://proxy.internal:3128' },
      controller: {
        extraEnvVars: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        extraEnvFrom: [{ configMapRef: { name: 'agent-extra-config' } }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    },
    task: {
      extraVolumes: [{ name: 'ca-bundle', configMap: { name: 'corporate-ca' } }],
      sidecars: [{ name: 'log-shipper', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always' }],
      worker: {
        extraEnv: { SCALR_AGENT_CONTAINER_TASK_ACQUIRE_TIMEOUT: '120' },
        extraVolumeMounts: [{ name: 'ca-bundle', mountPath: '/etc/ssl/custom', readOnly: true }],
        securityContext: { allowPrivilegeEscalation: false },
        resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(512) } },
      },
      runner: {
        extraEnv: { TF_LOG: 'DEBUG', AWS_REGION: 'eu-west-1' },
        extraVolumeMounts: [{ name: 'ca-bundle', mountPath: '/etc/ssl/custom', readOnly: true }],
        resources: {
          cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(2) },
          memory: { request: Size.gibibytes(1), limit: Size.gibibytes(4) },
        },
      },
    },
  },
  '12-otel': {
    token,
    telemetry: { enabled: true, endpoint: 'otel-collector.observability:4317', metrics: true, traces: true },
  },
  '13-no-rbac-custom-sa': {
    token,
    serviceAccount: { create: false, name: 'platform-agent-sa', automountToken: false, tokenTtl: Duration.hours(2) },
    rbac: { create: false },
  },
  '14-sa-annotations': {
    token,
    serviceAccount: {
      name: 'scalr-agent-sa',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/scalr-agent' },
      labels: { team: 'platform' },
    },
  },
  '15-fullname-override': { token, fullnameOverride: 'agents' },
  '16-job-tuning': {
    token,
    agent: {
      terminationGracePeriod: Duration.minutes(2),
      dataDir: '/data/scalr',
      cacheDir: '/cache/scalr',
      resources: { cpu: { request: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
    },
    task: { job: { backoffLimit: 2, ttlAfterFinished: Duration.hours(1) }, terminationGracePeriod: Duration.minutes(15) },
    persistence: {
      data: VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(20) }),
      cache: VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(10) }),
    },
  },
  '17-name-override': { token, nameOverride: 'tf-agent' },
  '18-custom-rbac': {
    token,
    rbac: {
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      ],
      clusterRules: [
        { apiGroups: ['scalr.io'], resources: ['atasks'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['list'] },
      ],
    },
  },
  '19-release-contains-chart-name': { token },
  '20-pdb-max-unavailable-zero': { token, agent: { replicas: 2, podDisruptionBudget: { maxUnavailable: 0 } } },
}).map(([name, scenario]) => [name, (scope: Construct) => ({
  ...(typeof scenario === 'function' ? scenario(scope) : scenario),
  version: ChartVersion.V0_5_62,
})]));

