import { clusterRulesFor } from './crds';
import { COMMON_OPEN_MAPS, POD_SECURITY_CONTEXT, RBAC_RULES, RUNNER_SECURITY_CONTEXT, VersionProfile } from './profile';
import { AgentEnvContract, ClusterRoleScope, ResourceNaming, TaskPodLayout, TaskTemplateResource } from '../options/structure';

const optionalKeys: { [path: string]: string[] } = {
  'persistence.data.emptyDir': ['medium'],
  'persistence.cache.emptyDir': ['medium'],
};
for (const container of ['agent', 'task.worker', 'task.runner']) {
  for (const side of ['requests', 'limits']) optionalKeys[`${container}.resources.${side}`] = ['ephemeral-storage'];
}

/** Chart 0.5.62 (agent 0.55.2): the AgentTask generation. */
export const V0_5_62: VersionProfile = {
  version: '0.5.62',
  appVersion: '0.55.2',
  defaultName: 'agent-job',
  openMaps: COMMON_OPEN_MAPS,
  optionalKeys,
  resourceNames: ResourceNaming.CHART_0_5,
  taskTemplateResource: TaskTemplateResource.AGENT_TASK,
  podLayout: TaskPodLayout.WORKER_SIDECAR,
  envContract: AgentEnvContract.AGENT_0_55,
  clusterRoleScope: ClusterRoleScope.NAMESPACE,
  controllerCache: false,
  podFailurePolicy: false,
  labelPods: false,
  doNotEvict: false,
  doNotEvictAnnotations: {
    'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
    'karpenter.sh/do-not-disrupt': 'true',
  },
  values: {
    nameOverride: '',
    fullnameOverride: '',
    global: {
      imageRegistry: '',
      imagePullSecrets: [],
      podAnnotations: {},
      podLabels: {},
      podSecurityContext: POD_SECURITY_CONTEXT,
    },
    serviceAccount: { create: true, name: '', automountToken: true, tokenTTL: 3600, annotations: {}, labels: {} },
    rbac: {
      create: true,
      rules: RBAC_RULES,
      clusterRules: clusterRulesFor(TaskTemplateResource.AGENT_TASK),
    },
    agent: {
      url: '',
      token: '',
      tokenExistingSecret: { name: '', key: 'token' },
      image: { repository: 'scalr/agent', tag: '', pullPolicy: 'IfNotPresent' },
      debug: '0',
      logFormat: 'json',
      extraEnv: {},
      replicaCount: 1,
      podDisruptionBudget: { enabled: true, minAvailable: 1, maxUnavailable: null },
      nodeSelector: {},
      tolerations: [],
      affinity: {},
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      podAnnotations: {},
      podLabels: {},
      podSecurityContext: {},
      controller: { extraEnv: [], extraEnvFrom: [], securityContext: {} },
      dataDir: '/var/lib/scalr-agent/data',
      cacheDir: '/var/lib/scalr-agent/cache',
      providerCache: { enabled: false, sizeLimit: '40Gi' },
      terminationGracePeriodSeconds: 360,
    },
    task: {
      job: { backoffLimit: 0, ttlSecondsAfterFinished: 60 },
      nodeSelector: {},
      tolerations: [],
      affinity: {},
      podAnnotations: {},
      podLabels: {},
      podSecurityContext: {},
      allowMetadataService: false,
      terminationGracePeriodSeconds: 360,
      extraVolumes: [],
      sidecars: [],
      worker: {
        image: { repository: '', tag: '', pullPolicy: '' },
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
        extraEnv: {},
        extraVolumeMounts: [],
        securityContext: {},
      },
      runner: {
        image: { repository: 'scalr/agent-runner', tag: '', pullPolicy: 'IfNotPresent' },
        resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '4000m', memory: '2048Mi' } },
        extraEnv: {},
        extraVolumeMounts: [],
        securityContext: RUNNER_SECURITY_CONTEXT,
      },
    },
    persistence: {
      data: {
        enabled: false,
        emptyDir: { sizeLimit: '5Gi' },
        persistentVolumeClaim: { claimName: '', storageClassName: '', storage: '5Gi', accessMode: 'ReadWriteOnce', subPath: '' },
      },
      cache: {
        enabled: false,
        emptyDir: { sizeLimit: '5Gi' },
        persistentVolumeClaim: { claimName: '', storageClassName: '', storage: '50Gi', accessMode: 'ReadWriteMany', subPath: '' },
      },
    },
    otel: { enabled: false, endpoint: 'http://otel-collector:4317', metricsEnabled: true, tracesEnabled: false },
  },
};
