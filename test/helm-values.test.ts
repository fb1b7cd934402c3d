import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AgentJobChart, AgentJobChartProps } from '../src';
import { chartDefaultValues, chartValueKeys, helmValuesToProps, levenshtein } from '../src/helm-values';
import { compareManifests, parseManifests, scenarios } from './support/compare';
import { synthObjects } from './support/synth';
import { AgentJobConfigError } from '../src/internal/errors';

const TOKEN = 'sEcReT-pool-token-4711';

type Json = { [key: string]: any };

function isMap(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep merge for building test values (maps merged, everything else replaced, nulls kept). */
function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k], v) : v;
  return out;
}

/** The objects of a release installed with these values (the token added unless given). */
function render(values: Json, withToken = true): any[] {
  const all = withToken ? merge({ agent: { token: TOKEN } }, values) : values;
  return synthObjects((app) => AgentJobChart.fromHelmValues(app, 'pool', { releaseName: 'scalr-agent', namespace: 'scalr', values: all }));
}

/** The error message fromHelmValues gives for these values ('' when there is none). */
function errorOf(values: unknown, withToken = true): string {
  const all = withToken && isMap(values) ? merge({ agent: { token: TOKEN } }, values) : values;
  try {
    AgentJobChart.fromHelmValues(Testing.app(), 'pool', { values: all });
  } catch (e) {
    expect(e).toBeInstanceOf(AgentJobConfigError);
    return (e as Error).message;
  }
  return '';
}

const kind = (objs: any[], k: string, name?: string) => objs.filter((o) => o.kind === k && (name === undefined || o.metadata.name === name));
const one = (objs: any[], k: string, name?: string) => {
  const found = kind(objs, k, name);
  if (found.length !== 1) throw new Error(`expected one ${k}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
};
const dep = (objs: any[]) => one(objs, 'Deployment');
const ctlPod = (objs: any[]) => dep(objs).spec.template.spec;
const ctl = (objs: any[]) => ctlPod(objs).containers[0];
const job = (objs: any[]) => one(objs, 'AgentTask').spec.jobTemplate.spec;
const taskPod = (objs: any[]) => job(objs).template.spec;
const worker = (objs: any[]) => taskPod(objs).initContainers[0];
const runner = (objs: any[]) => taskPod(objs).containers[0];
const env = (container: any, name: string) => {
  const e = (container.env ?? []).find((x: any) => x.name === name);
  return e === undefined ? undefined : e.value ?? e.valueFrom;
};
const volume = (objs: any[], name: string) => taskPod(objs).volumes.find((v: any) => v.name === name);
const mount = (container: any, mountPath: string) => container.volumeMounts.find((m: any) => m.mountPath === mountPath);
const pdb = (objs: any[]) => kind(objs, 'PodDisruptionBudget')[0]?.spec;

describe('fromHelmValues reproduces every reference scenario', () => {
  test.each(scenarios().map((s) => [s.name, s] as const))('%s: values.yaml gives the reference manifest', (_name, scenario) => {
    const values = parse(fs.readFileSync(scenario.valuesFile, 'utf8'));
    const actual = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'pool', {
      releaseName: scenario.release, namespace: scenario.namespace, values,
    }));
    const expected = parseManifests(fs.readFileSync(scenario.manifestFile, 'utf8'));
    expect(compareManifests(actual, expected)).toEqual([]);
  });
});

/**
 * Every key of the chart, with a value other than its default and where that value shows in the
 * output. [values, probe, expected]: probe(objects) must equal expected.
 */
const EVERY_KEY: Record<string, [Json, (objs: any[]) => unknown, unknown]> = {
  'nameOverride': [{ nameOverride: 'tf-agent' }, (o) => dep(o).metadata.labels['app.kubernetes.io/name'], 'tf-agent'],
  'fullnameOverride': [{ fullnameOverride: 'agents' }, (o) => one(o, 'ServiceAccount').metadata.name, 'agents'],
  'global.imageRegistry': [{ global: { imageRegistry: 'registry.example.com' } }, (o) => ctl(o).image, 'registry.example.com/scalr/agent:0.55.2'],
  'global.imagePullSecrets': [{ global: { imagePullSecrets: [{ name: 'regcred' }] } }, (o) => taskPod(o).imagePullSecrets, [{ name: 'regcred' }]],
  'global.podAnnotations': [{ global: { podAnnotations: { team: 'a' } } }, (o) => job(o).template.metadata.annotations.team, 'a'],
  'global.podLabels': [{ global: { podLabels: { env: 'prod' } } }, (o) => dep(o).spec.template.metadata.labels.env, 'prod'],
  'global.podSecurityContext': [{ global: { podSecurityContext: { runAsUser: 1001 } } }, (o) => ctlPod(o).securityContext.runAsUser, 1001],
  'global.podSecurityContext.runAsNonRoot': [{ global: { podSecurityContext: { runAsNonRoot: false } } }, (o) => taskPod(o).securityContext.runAsNonRoot, false],
  'global.podSecurityContext.runAsUser': [{ global: { podSecurityContext: { runAsUser: 2000 } } }, (o) => taskPod(o).securityContext.runAsUser, 2000],
  'global.podSecurityContext.runAsGroup': [{ global: { podSecurityContext: { runAsGroup: 2001 } } }, (o) => taskPod(o).securityContext.runAsGroup, 2001],
  'global.podSecurityContext.fsGroup': [{ global: { podSecurityContext: { fsGroup: 2002 } } }, (o) => taskPod(o).securityContext.fsGroup, 2002],
  'global.podSecurityContext.fsGroupChangePolicy': [
    { global: { podSecurityContext: { fsGroupChangePolicy: 'Always' } } }, (o) => taskPod(o).securityContext.fsGroupChangePolicy, 'Always',
  ],
  'global.podSecurityContext.supplementalGroups': [
    { global: { podSecurityContext: { supplementalGroups: [4000] } } }, (o) => ctlPod(o).securityContext.supplementalGroups, [4000],
  ],
  'global.podSecurityContext.sysctls': [
    { global: { podSecurityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] } } },
    (o) => ctlPod(o).securityContext.sysctls, [{ name: 'net.core.somaxconn', value: '1024' }],
  ],
  'global.podSecurityContext.seLinuxOptions': [
    { global: { podSecurityContext: { seLinuxOptions: { level: 's0:c1' } } } }, (o) => taskPod(o).securityContext.seLinuxOptions, { level: 's0:c1' },
  ],
  'global.podSecurityContext.seccompProfile.type': [
    { global: { podSecurityContext: { seccompProfile: { type: 'Unconfined' } } } }, (o) => ctlPod(o).securityContext.seccompProfile, { type: 'Unconfined' },
  ],
  'serviceAccount.create': [{ serviceAccount: { create: false } }, (o) => kind(o, 'ServiceAccount').length, 0],
  'serviceAccount.name': [{ serviceAccount: { name: 'pool-sa' } }, (o) => taskPod(o).serviceAccountName, 'pool-sa'],
  'serviceAccount.automountToken': [{ serviceAccount: { automountToken: false } }, (o) => ctlPod(o).automountServiceAccountToken, false],
  'serviceAccount.tokenTTL': [{ serviceAccount: { tokenTTL: 7200 } },
    (o) => volume(o, 'sa-token').projected.sources[0].serviceAccountToken.expirationSeconds, 7200],
  'serviceAccount.annotations': [{ serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn' } } },
    (o) => one(o, 'ServiceAccount').metadata.annotations, { 'eks.amazonaws.com/role-arn': 'arn' }],
  'serviceAccount.labels': [{ serviceAccount: { labels: { team: 'platform' } } }, (o) => one(o, 'ServiceAccount').metadata.labels.team, 'platform'],
  'rbac.create': [{ rbac: { create: false } }, (o) => kind(o, 'Role').length + kind(o, 'ClusterRole').length + kind(o, 'RoleBinding').length, 0],
  'rbac.rules': [{ rbac: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } },
    (o) => one(o, 'Role').rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]],
  'rbac.clusterRules': [{ rbac: { clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] } },
    (o) => one(o, 'ClusterRole').rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]],
  'agent.url': [{ agent: { url: 'https://example.scalr.io' } }, (o) => env(worker(o), 'SCALR_URL'), 'https://example.scalr.io'],
  'agent.token': [{ agent: { token: 'another-token' } }, (o) => one(o, 'Secret').data.token, Buffer.from('another-token').toString('base64')],
  'agent.tokenExistingSecret.name': [{ agent: { tokenExistingSecret: { name: 'pool-token' } } },
    (o) => [kind(o, 'Secret').length, env(ctl(o), 'SCALR_AGENT_TOKEN').secretKeyRef.name], [0, 'pool-token']],
  'agent.tokenExistingSecret.key': [{ agent: { tokenExistingSecret: { name: 'pool-token', key: 'pool' } } },
    (o) => env(worker(o), 'SCALR_AGENT_TOKEN').secretKeyRef, { name: 'pool-token', key: 'pool', optional: false }],
  'agent.image.repository': [{ agent: { image: { repository: 'mirror/agent' } } }, (o) => [ctl(o).image, worker(o).image],
    ['mirror/agent:0.55.2', 'mirror/agent:0.55.2']],
  'agent.image.tag': [{ agent: { image: { tag: '0.56.0' } } }, (o) => [ctl(o).image, worker(o).image], ['scalr/agent:0.56.0', 'scalr/agent:0.56.0']],
  'agent.image.pullPolicy': [{ agent: { image: { pullPolicy: 'Always' } } }, (o) => [ctl(o).imagePullPolicy, worker(o).imagePullPolicy], ['Always', 'Always']],
  'agent.debug': [{ agent: { debug: '1' } }, (o) => [env(ctl(o), 'SCALR_AGENT_DEBUG'), env(worker(o), 'SCALR_AGENT_DEBUG')], ['1', '1']],
  'agent.logFormat': [{ agent: { logFormat: 'plain' } }, (o) => env(ctl(o), 'SCALR_AGENT_LOG_FORMAT'), 'plain'],
  'agent.extraEnv': [{ agent: { extraEnv: { HTTPS_PROXY: 'http://proxy:3128' } } },
    (o) => [env(ctl(o), 'HTTPS_PROXY'), env(worker(o), 'HTTPS_PROXY')], ['http://proxy:3128', 'http://proxy:3128']],
  'agent.replicaCount': [{ agent: { replicaCount: 2 } }, (o) => [dep(o).spec.replicas, pdb(o)?.minAvailable], [2, 1]],
  'agent.podDisruptionBudget.enabled': [{ agent: { replicaCount: 2, podDisruptionBudget: { enabled: false } } }, (o) => pdb(o), undefined],
  'agent.podDisruptionBudget.minAvailable': [{ agent: { replicaCount: 3, podDisruptionBudget: { minAvailable: '50%' } } },
    (o) => pdb(o).minAvailable, '50%'],
  'agent.podDisruptionBudget.maxUnavailable': [{ agent: { replicaCount: 2, podDisruptionBudget: { minAvailable: null, maxUnavailable: 1 } } },
    (o) => [pdb(o).maxUnavailable, pdb(o).minAvailable], [1, undefined]],
  'agent.nodeSelector': [{ agent: { nodeSelector: { pool: 'agents' } } }, (o) => ctlPod(o).nodeSelector, { pool: 'agents' }],
  'agent.tolerations': [{ agent: { tolerations: [{ key: 'k', operator: 'Exists' }] } }, (o) => ctlPod(o).tolerations, [{ key: 'k', operator: 'Exists' }]],
  'agent.affinity': [{ agent: { affinity: { podAntiAffinity: { x: 1 } } } }, (o) => ctlPod(o).affinity, { podAntiAffinity: { x: 1 } }],
  'agent.resources.requests.cpu': [{ agent: { resources: { requests: { cpu: '200m' } } } }, (o) => ctl(o).resources.requests.cpu, '200m'],
  'agent.resources.requests.memory': [{ agent: { resources: { requests: { memory: '64Mi' } } } }, (o) => ctl(o).resources.requests.memory, '64Mi'],
  'agent.resources.requests.ephemeral-storage': [{ agent: { resources: { requests: { 'ephemeral-storage': '1Gi' } } } },
    (o) => ctl(o).resources.requests['ephemeral-storage'], '1Gi'],
  'agent.resources.limits.cpu': [{ agent: { resources: { limits: { cpu: '1' } } } }, (o) => String(ctl(o).resources.limits.cpu), '1'],
  'agent.resources.limits.memory': [{ agent: { resources: { limits: { memory: '1Gi' } } } }, (o) => ctl(o).resources.limits.memory, '1Gi'],
  'agent.resources.limits.ephemeral-storage': [{ agent: { resources: { limits: { 'ephemeral-storage': '2Gi' } } } },
    (o) => ctl(o).resources.limits['ephemeral-storage'], '2Gi'],
  'agent.podAnnotations': [{ agent: { podAnnotations: { a: 'b' } } }, (o) => dep(o).spec.template.metadata.annotations.a, 'b'],
  'agent.podLabels': [{ agent: { podLabels: { tier: 'control' } } }, (o) => dep(o).spec.template.metadata.labels.tier, 'control'],
  'agent.podSecurityContext': [{ agent: { podSecurityContext: { runAsGroup: 3000 } } },
    (o) => [ctlPod(o).securityContext.runAsGroup, taskPod(o).securityContext.runAsGroup], [3000, 1000]],
  'agent.controller.extraEnv': [{ agent: { controller: { extraEnv: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] } } },
    (o) => ctl(o).env[ctl(o).env.length - 1], { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
  'agent.controller.extraEnvFrom': [{ agent: { controller: { extraEnvFrom: [{ secretRef: { name: 's' } }] } } },
    (o) => ctl(o).envFrom, [{ secretRef: { name: 's' } }]],
  'agent.controller.securityContext': [{ agent: { controller: { securityContext: { readOnlyRootFilesystem: true } } } },
    (o) => ctl(o).securityContext, { readOnlyRootFilesystem: true }],
  'agent.dataDir': [{ agent: { dataDir: '/data/agent' } }, (o) => [env(ctl(o), 'SCALR_AGENT_DATA_DIR'), mount(worker(o), '/data/agent').name],
    ['/data/agent', 'data-dir']],
  'agent.cacheDir': [{ agent: { cacheDir: '/cache/agent' } }, (o) => [env(worker(o), 'SCALR_AGENT_CACHE_DIR'), mount(ctl(o), '/cache/agent').name],
    ['/cache/agent', 'cache-dir']],
  'agent.providerCache.enabled': [{ agent: { providerCache: { enabled: true } } },
    (o) => [env(worker(o), 'SCALR_AGENT_PROVIDER_CACHE_ENABLED'), env(worker(o), 'SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB')], ['true', '40960']],
  'agent.providerCache.sizeLimit': [{ agent: { providerCache: { enabled: true, sizeLimit: '1.5Gi' } } },
    (o) => env(worker(o), 'SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB'), '1536'],
  'agent.terminationGracePeriodSeconds': [{ agent: { terminationGracePeriodSeconds: 30 } }, (o) => ctlPod(o).terminationGracePeriodSeconds, 30],
  'task.job.backoffLimit': [{ task: { job: { backoffLimit: 3 } } }, (o) => job(o).backoffLimit, 3],
  'task.job.ttlSecondsAfterFinished': [{ task: { job: { ttlSecondsAfterFinished: 120 } } }, (o) => job(o).ttlSecondsAfterFinished, 120],
  'task.nodeSelector': [{ task: { nodeSelector: { pool: 'tasks' } } }, (o) => taskPod(o).nodeSelector, { pool: 'tasks' }],
  'task.tolerations': [{ task: { tolerations: [{ key: 'k', operator: 'Exists' }] } }, (o) => taskPod(o).tolerations, [{ key: 'k', operator: 'Exists' }]],
  'task.affinity': [{ task: { affinity: { nodeAffinity: { x: 1 } } } }, (o) => taskPod(o).affinity, { nodeAffinity: { x: 1 } }],
  'task.podAnnotations': [{ task: { podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' } } },
    (o) => job(o).template.metadata.annotations, { 'karpenter.sh/do-not-disrupt': 'true' }],
  'task.podLabels': [{ task: { podLabels: { tier: 'task' } } }, (o) => job(o).template.metadata.labels.tier, 'task'],
  'task.podSecurityContext': [{ task: { podSecurityContext: { fsGroupChangePolicy: 'Always' } } },
    (o) => [taskPod(o).securityContext.fsGroupChangePolicy, ctlPod(o).securityContext.fsGroupChangePolicy], ['Always', 'OnRootMismatch']],
  'task.allowMetadataService': [{ task: { allowMetadataService: true } }, (o) => kind(o, 'NetworkPolicy').length, 0],
  'task.terminationGracePeriodSeconds': [{ task: { terminationGracePeriodSeconds: 900 } }, (o) => taskPod(o).terminationGracePeriodSeconds, 900],
  'task.extraVolumes': [{ task: { extraVolumes: [{ name: 'ca', configMap: { name: 'ca' } }] } },
    (o) => volume(o, 'ca'), { name: 'ca', configMap: { name: 'ca' } }],
  'task.sidecars': [{ task: { sidecars: [{ name: 'shipper', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always' }] } },
    (o) => taskPod(o).initContainers[1], { name: 'shipper', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always' }],
  'task.worker.image.repository': [{ task: { worker: { image: { repository: 'scalr/agent-worker' } } } }, (o) => worker(o).image, 'scalr/agent-worker:0.55.2'],
  'task.worker.image.tag': [{ task: { worker: { image: { tag: '0.56.0' } } } }, (o) => [worker(o).image, ctl(o).image], ['scalr/agent:0.56.0', 'scalr/agent:0.55.2']],
  'task.worker.image.pullPolicy': [{ task: { worker: { image: { pullPolicy: 'Never' } } } }, (o) => worker(o).imagePullPolicy, 'Never'],
  'task.worker.resources.requests.cpu': [{ task: { worker: { resources: { requests: { cpu: '300m' } } } } }, (o) => worker(o).resources.requests.cpu, '300m'],
  'task.worker.resources.requests.memory': [{ task: { worker: { resources: { requests: { memory: '300Mi' } } } } },
    (o) => worker(o).resources.requests.memory, '300Mi'],
  'task.worker.resources.requests.ephemeral-storage': [{ task: { worker: { resources: { requests: { 'ephemeral-storage': '1Gi' } } } } },
    (o) => worker(o).resources.requests['ephemeral-storage'], '1Gi'],
  'task.worker.resources.limits.cpu': [{ task: { worker: { resources: { limits: { cpu: '3' } } } } }, (o) => String(worker(o).resources.limits.cpu), '3'],
  'task.worker.resources.limits.memory': [{ task: { worker: { resources: { limits: { memory: '2Gi' } } } } }, (o) => worker(o).resources.limits.memory, '2Gi'],
  'task.worker.resources.limits.ephemeral-storage': [{ task: { worker: { resources: { limits: { 'ephemeral-storage': '3Gi' } } } } },
    (o) => worker(o).resources.limits['ephemeral-storage'], '3Gi'],
  'task.worker.extraEnv': [{ task: { worker: { extraEnv: { TIMEOUT: 120, VERBOSE: true } } } },
    (o) => [env(worker(o), 'TIMEOUT'), env(worker(o), 'VERBOSE'), env(ctl(o), 'TIMEOUT')], ['120', 'true', undefined]],
  'task.worker.extraVolumeMounts': [{ task: { worker: { extraVolumeMounts: [{ name: 'tmp-dir', mountPath: '/scratch' }] } } },
    (o) => mount(worker(o), '/scratch'), { name: 'tmp-dir', mountPath: '/scratch' }],
  'task.worker.securityContext': [{ task: { worker: { securityContext: { runAsUser: 1234 } } } }, (o) => worker(o).securityContext, { runAsUser: 1234 }],
  'task.runner.image.repository': [{ task: { runner: { image: { repository: 'custom/runner' } } } }, (o) => runner(o).image, 'custom/runner:0.55.2'],
  'task.runner.image.tag': [{ task: { runner: { image: { tag: 'v1.2.3' } } } }, (o) => runner(o).image, 'scalr/agent-runner:v1.2.3'],
  'task.runner.image.pullPolicy': [{ task: { runner: { image: { pullPolicy: 'Always' } } } }, (o) => runner(o).imagePullPolicy, 'Always'],
  'task.runner.resources.requests.cpu': [{ task: { runner: { resources: { requests: { cpu: '1' } } } } }, (o) => String(runner(o).resources.requests.cpu), '1'],
  'task.runner.resources.requests.memory': [{ task: { runner: { resources: { requests: { memory: '1Gi' } } } } }, (o) => runner(o).resources.requests.memory, '1Gi'],
  'task.runner.resources.requests.ephemeral-storage': [{ task: { runner: { resources: { requests: { 'ephemeral-storage': '5Gi' } } } } },
    (o) => runner(o).resources.requests['ephemeral-storage'], '5Gi'],
  'task.runner.resources.limits.cpu': [{ task: { runner: { resources: { limits: { cpu: '8' } } } } }, (o) => String(runner(o).resources.limits.cpu), '8'],
  'task.runner.resources.limits.memory': [{ task: { runner: { resources: { limits: { memory: '4Gi' } } } } }, (o) => runner(o).resources.limits.memory, '4Gi'],
  'task.runner.resources.limits.ephemeral-storage': [{ task: { runner: { resources: { limits: { 'ephemeral-storage': '10Gi' } } } } },
    (o) => runner(o).resources.limits['ephemeral-storage'], '10Gi'],
  'task.runner.extraEnv': [{ task: { runner: { extraEnv: { TF_LOG: 'DEBUG' } } } }, (o) => [env(runner(o), 'TF_LOG'), env(worker(o), 'TF_LOG')], ['DEBUG', undefined]],
  'task.runner.extraVolumeMounts': [{ task: { runner: { extraVolumeMounts: [{ name: 'tmp-dir', mountPath: '/scratch', readOnly: true }] } } },
    (o) => mount(runner(o), '/scratch'), { name: 'tmp-dir', mountPath: '/scratch', readOnly: true }],
  'task.runner.securityContext': [{ task: { runner: { securityContext: { runAsUser: 1500 } } } },
    (o) => [runner(o).securityContext.runAsUser, runner(o).securityContext.readOnlyRootFilesystem], [1500, true]],
  'task.runner.securityContext.seLinuxOptions': [{ task: { runner: { securityContext: { seLinuxOptions: { level: 's0' } } } } },
    (o) => runner(o).securityContext.seLinuxOptions, { level: 's0' }],
  'task.runner.securityContext.runAsNonRoot': [{ task: { runner: { securityContext: { runAsNonRoot: false } } } },
    (o) => runner(o).securityContext.runAsNonRoot, false],
  'task.runner.securityContext.privileged': [{ task: { runner: { securityContext: { privileged: true } } } }, (o) => runner(o).securityContext.privileged, true],
  'task.runner.securityContext.allowPrivilegeEscalation': [{ task: { runner: { securityContext: { allowPrivilegeEscalation: true } } } },
    (o) => runner(o).securityContext.allowPrivilegeEscalation, true],
  'task.runner.securityContext.readOnlyRootFilesystem': [{ task: { runner: { securityContext: { readOnlyRootFilesystem: false } } } },
    (o) => runner(o).securityContext.readOnlyRootFilesystem, false],
  'task.runner.securityContext.capabilities.drop': [{ task: { runner: { securityContext: { capabilities: { drop: ['NET_RAW'] } } } } },
    (o) => runner(o).securityContext.capabilities, { drop: ['NET_RAW'] }],
  'persistence.data.enabled': [{ persistence: { data: { enabled: true } } },
    (o) => [one(o, 'PersistentVolumeClaim').spec.accessModes, volume(o, 'data-dir').persistentVolumeClaim.claimName],
    [['ReadWriteOnce'], 'scalr-agent-agent-job-data']],
  'persistence.data.emptyDir.sizeLimit': [{ persistence: { data: { emptyDir: { sizeLimit: '20Gi' } } } }, (o) => volume(o, 'data-dir').emptyDir, { sizeLimit: '20Gi' }],
  'persistence.data.emptyDir.medium': [{ persistence: { data: { emptyDir: { medium: 'Memory' } } } },
    (o) => volume(o, 'data-dir').emptyDir, { medium: 'Memory', sizeLimit: '5Gi' }],
  'persistence.data.persistentVolumeClaim.claimName': [{ persistence: { data: { enabled: true, persistentVolumeClaim: { claimName: 'team-data' } } } },
    (o) => [kind(o, 'PersistentVolumeClaim').length, volume(o, 'data-dir').persistentVolumeClaim.claimName], [0, 'team-data']],
  'persistence.data.persistentVolumeClaim.storageClassName': [
    { persistence: { data: { enabled: true, persistentVolumeClaim: { storageClassName: 'fast' } } } },
    (o) => one(o, 'PersistentVolumeClaim').spec.storageClassName, 'fast',
  ],
  'persistence.data.persistentVolumeClaim.storage': [{ persistence: { data: { enabled: true, persistentVolumeClaim: { storage: '10Gi' } } } },
    (o) => one(o, 'PersistentVolumeClaim').spec.resources.requests.storage, '10Gi'],
  'persistence.data.persistentVolumeClaim.accessMode': [
    { persistence: { data: { enabled: true, persistentVolumeClaim: { accessMode: 'ReadWriteOncePod' } } } },
    (o) => one(o, 'PersistentVolumeClaim').spec.accessModes, ['ReadWriteOncePod'],
  ],
  // Unused by the chart, and so by the library: the output is that of the same values without it.
  'persistence.data.persistentVolumeClaim.subPath': [{ persistence: { data: { enabled: true, persistentVolumeClaim: { subPath: 'team-a' } } } },
    (o) => compareManifests(o, render({ persistence: { data: { enabled: true } } })), []],
  'persistence.cache.enabled': [{ persistence: { cache: { enabled: true } } },
    (o) => [one(o, 'PersistentVolumeClaim').spec, mount(worker(o), '/var/lib/scalr-agent/cache').subPath],
    [{ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '50Gi' } } }, 'cache']],
  'persistence.cache.emptyDir.sizeLimit': [{ persistence: { cache: { emptyDir: { sizeLimit: '10Gi' } } } },
    (o) => volume(o, 'cache-dir').emptyDir, { sizeLimit: '10Gi' }],
  'persistence.cache.emptyDir.medium': [{ persistence: { cache: { emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } } } },
    (o) => volume(o, 'cache-dir').emptyDir, { medium: 'Memory', sizeLimit: '1Gi' }],
  'persistence.cache.persistentVolumeClaim.claimName': [{ persistence: { cache: { enabled: true, persistentVolumeClaim: { claimName: 'shared' } } } },
    (o) => volume(o, 'cache-dir'), { name: 'cache-dir', persistentVolumeClaim: { claimName: 'shared' } }],
  'persistence.cache.persistentVolumeClaim.storageClassName': [
    { persistence: { cache: { enabled: true, persistentVolumeClaim: { storageClassName: '-' } } } },
    (o) => one(o, 'PersistentVolumeClaim').spec.storageClassName, '',
  ],
  'persistence.cache.persistentVolumeClaim.storage': [{ persistence: { cache: { enabled: true, persistentVolumeClaim: { storage: '100Gi' } } } },
    (o) => one(o, 'PersistentVolumeClaim').spec.resources.requests.storage, '100Gi'],
  'persistence.cache.persistentVolumeClaim.accessMode': [
    { persistence: { cache: { enabled: true, persistentVolumeClaim: { accessMode: 'ReadWriteOnce' } } } },
    (o) => one(o, 'PersistentVolumeClaim').spec.accessModes, ['ReadWriteOnce'],
  ],
  'persistence.cache.persistentVolumeClaim.subPath': [{ persistence: { cache: { enabled: true, persistentVolumeClaim: { subPath: 'team-a' } } } },
    (o) => [mount(worker(o), '/var/lib/scalr-agent/cache').subPath, mount(runner(o), '/opt/bin').subPath], ['team-a/cache', 'team-a/cache/bin']],
  'otel.enabled': [{ otel: { enabled: true } },
    (o) => [env(ctl(o), 'SCALR_AGENT_OTLP_ENDPOINT'), env(worker(o), 'SCALR_AGENT_OTLP_METRICS_ENABLED')], ['http://otel-collector:4317', 'true']],
  'otel.endpoint': [{ otel: { enabled: true, endpoint: 'otel.observability:4317' } }, (o) => env(worker(o), 'SCALR_AGENT_OTLP_ENDPOINT'), 'otel.observability:4317'],
  'otel.metricsEnabled': [{ otel: { enabled: true, metricsEnabled: false } }, (o) => env(ctl(o), 'SCALR_AGENT_OTLP_METRICS_ENABLED'), undefined],
  'otel.tracesEnabled': [{ otel: { enabled: true, tracesEnabled: true } }, (o) => env(ctl(o), 'SCALR_AGENT_OTLP_TRACES_ENABLED'), 'true'],
};

describe('every key of the chart 0.5.62 is mapped', () => {
  test('the table below covers every key of the chart', () => {
    expect(Object.keys(EVERY_KEY).sort()).toEqual(chartValueKeys().sort());
  });

  const defaults = render({});
  test.each(Object.entries(EVERY_KEY))('%s changes the output as the chart does', (_key, [values, probe, expected]) => {
    const objs = render(values);
    expect(probe(objs)).toEqual(expected);
    if (_key !== 'persistence.data.persistentVolumeClaim.subPath') expect(compareManifests(objs, defaults)).not.toEqual([]);
  });

  test('docs/migration.md documents every key', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'migration.md'), 'utf8');
    const missing = chartValueKeys().filter((key) => !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  test('the defaults applied are the chart defaults of the spec, and a copy', () => {
    const a = chartDefaultValues();
    a.agent.replicaCount = 5;
    expect(chartDefaultValues().agent.replicaCount).toBe(1);
    expect(chartDefaultValues().persistence.cache.persistentVolumeClaim.storage).toBe('50Gi');
  });
});

describe('Helm merge semantics', () => {
  test('a map given merges with the default map (the other fields keep their defaults)', () => {
    const objs = render({ agent: { resources: { limits: { memory: '512Mi' } } } });
    expect(ctl(objs).resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  });

  test('a list given replaces the default list', () => {
    const objs = render({ rbac: { clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] } });
    expect(one(objs, 'ClusterRole').rules).toHaveLength(1);
  });

  test('null removes a key and its default (minAvailable: null leaves maxUnavailable alone)', () => {
    const objs = render({ agent: { replicaCount: 2, podDisruptionBudget: { minAvailable: null, maxUnavailable: 0 } } });
    expect(pdb(objs)).toEqual({ maxUnavailable: 0, selector: expect.anything() });
  });

  test('null removes entries of free maps', () => {
    const objs = render({ task: { podAnnotations: { keep: 'yes', drop: null } } });
    expect(job(objs).template.metadata.annotations).toEqual({ keep: 'yes' });
  });

  test('an empty rules list gives a Role without rules', () => {
    expect(one(render({ rbac: { rules: [] } }), 'Role').rules ?? []).toEqual([]);
  });

  test('null on a default the library always sets is an error that says so', () => {
    expect(errorOf({ global: { podSecurityContext: { runAsUser: null } } })).toBe(
      'global.podSecurityContext.runAsUser: got null; expected a value: null removes the chart\'s default (1000), which the library cannot leave out; give another value instead');
    expect(errorOf({ agent: { resources: { limits: null } } })).toMatch(/^agent\.resources\.limits\.cpu: got null; expected a value/);
    expect(errorOf({ agent: { replicaCount: null } })).toMatch(/^agent\.replicaCount: got null/);
    expect(errorOf({ task: { runner: { securityContext: { capabilities: null } } } })).toMatch(/^task\.runner\.securityContext\.capabilities: got null/);
  });

  test('the values given are not changed, and can be used twice', () => {
    const values = Object.freeze(merge({ agent: { token: TOKEN } }, { task: Object.freeze({ tolerations: Object.freeze([Object.freeze({ key: 'k' })]) }) }));
    const first = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'a', { values }));
    const second = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'a', { values }));
    expect(second).toEqual(first);
    expect(values).toEqual({ agent: { token: TOKEN }, task: { tolerations: [{ key: 'k' }] } });
  });

  test('a __proto__ key in the values is an unknown key, not a prototype', () => {
    const values = JSON.parse(`{"agent": {"token": "${TOKEN}"}, "__proto__": {"polluted": true}}`);
    expect(errorOf(values, false)).toMatch(/^__proto__: unknown key/);
    expect(({} as any).polluted).toBeUndefined();
  });
});

describe('release options', () => {
  test('release name, namespace and includeCrd are used; the CRD is included by default', () => {
    const withCrd = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'x', { releaseName: 'pool-a', namespace: 'agents', values: { agent: { token: TOKEN } } }));
    expect(one(withCrd, 'ServiceAccount').metadata).toMatchObject({ name: 'pool-a-agent-job', namespace: 'agents' });
    expect(kind(withCrd, 'CustomResourceDefinition')).toHaveLength(1);
    const without = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'x', { includeCrd: false, values: { agent: { token: TOKEN } } }));
    expect(kind(without, 'CustomResourceDefinition')).toHaveLength(0);
    expect(one(without, 'ServiceAccount').metadata).toMatchObject({ name: 'scalr-agent-agent-job', namespace: 'default' });
  });

  test('helmValuesToProps gives the typed props, with the chart defaults written out', () => {
    const props: AgentJobChartProps = helmValuesToProps({ values: { agent: { token: TOKEN, replicaCount: 2 } } });
    expect(props.agent?.replicas).toBe(2);
    expect(props.agent?.terminationGracePeriod?.toSeconds()).toBe(360);
    expect(props.includeCrd).toBe(true);
  });
});

describe('unknown keys', () => {
  test.each([
    [{ agent: { replicaCont: 2 } }, 'agent.replicaCont: unknown key; did you mean agent.replicaCount?'],
    [{ replicaCount: 2 }, 'replicaCount: unknown key; did you mean agent.replicaCount?'],
    [{ serviceAccount: { tokenTtl: 7200 } }, 'serviceAccount.tokenTtl: unknown key; did you mean serviceAccount.tokenTTL?'],
    [{ agent: { allowMetadataService: true } }, 'agent.allowMetadataService: unknown key; did you mean task.allowMetadataService?'],
    [{ agent: { replicas: 2 } }, 'agent.replicas: unknown key; did you mean agent.replicaCount?'],
    [{ telemetry: { enabled: true } }, 'telemetry: unknown key; did you mean otel?'],
    [{ persistance: {} }, 'persistance: unknown key; did you mean persistence?'],
    [{ agent: { resources: { limits: { memroy: '1Gi' } } } }, 'agent.resources.limits.memroy: unknown key; did you mean agent.resources.limits.memory?'],
    [{ task: { worker: { image: { digest: 'sha256:abc' } } } },
      'task.worker.image.digest: unknown key (the agent-job chart 0.5.62 has no such value); expected one of repository, tag, pullPolicy'],
  ])('%j is refused: %s', (values, message) => {
    expect(errorOf(values)).toBe(message);
  });

  test('free maps (annotations, labels, environment, Kubernetes structures) take any key', () => {
    const objs = render({ agent: { podAnnotations: { 'anything.example.com/at-all': 'x' }, affinity: { whatever: { nested: true } } } });
    expect(dep(objs).spec.template.metadata.annotations['anything.example.com/at-all']).toBe('x');
  });

  test('levenshtein counts insertions, deletions and substitutions', () => {
    expect(levenshtein('replicaCont', 'replicaCount')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('wrong types', () => {
  test.each([
    [{ agent: { replicaCount: 'two' } }, 'agent.replicaCount: got "two"; expected a whole number'],
    [{ agent: { replicaCount: 1.5 } }, 'agent.replicaCount: got 1.5; expected a whole number'],
    [{ agent: { replicaCount: -1 } }, 'agent.replicaCount: got -1; expected a whole number of at least 0'],
    [{ serviceAccount: { create: 'true' } }, 'serviceAccount.create: got "true"; expected true or false'],
    [{ agent: { resources: 'big' } }, 'agent.resources: got "big"; expected a map'],
    [{ task: { tolerations: { key: 'x' } } }, 'task.tolerations: got a map ({"key":"x"}); expected a list'],
    [{ task: { tolerations: ['dedicated'] } }, 'task.tolerations[0]: got "dedicated"; expected a map (a Kubernetes Toleration)'],
    [{ agent: { image: { tag: 1.2 } } }, 'agent.image.tag: got 1.2; expected a string (quote it, or use --set-string)'],
    [{ agent: { image: { pullPolicy: 'always' } } }, 'agent.image.pullPolicy: got "always"; expected one of "Always", "IfNotPresent", "Never"'],
    [{ agent: { podAnnotations: { 'prometheus.io/scrape': false } } },
      'agent.podAnnotations.prometheus.io/scrape: got false; expected a string (quote numbers and booleans)'],
    [{ agent: { debug: 'yes' } }, 'agent.debug: got "yes"; expected "0" or "1" (or 0, 1, true, false)'],
    [{ agent: { logFormat: 'text' } }, 'agent.logFormat: got "text"; expected one of "json", "plain", "dev"'],
    [{ agent: { extraEnv: { A: { b: 1 } } } }, 'agent.extraEnv.A: got a map ({"b":1}); expected a string, number or boolean (the value of the variable)'],
    [{ agent: { providerCache: { sizeLimit: 40960 } } }, 'agent.providerCache.sizeLimit: got 40960; expected a size with a unit, such as "40Gi" or "1500M"'],
    [{ persistence: { data: { emptyDir: { sizeLimit: 'lots' } } } },
      'persistence.data.emptyDir.sizeLimit: got "lots"; expected a Kubernetes quantity such as "512Mi", "2Gi", "1.5G" or "500m"'],
    [{ persistence: { cache: { persistentVolumeClaim: { accessMode: 'RWX' } } } },
      'persistence.cache.persistentVolumeClaim.accessMode: got "RWX"; expected one of "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"'],
    [{ agent: { podDisruptionBudget: { minAvailable: 'half' } } },
      'agent.podDisruptionBudget.minAvailable: got "half"; expected a whole number of at least 0, a percentage such as "50%", or null'],
    [{ global: { imagePullSecrets: ['regcred'] } }, 'global.imagePullSecrets[0]: got "regcred"; expected a map (an image pull secret such as {name: regcred})'],
    [{ task: { job: { ttlSecondsAfterFinished: '1h' } } }, 'task.job.ttlSecondsAfterFinished: got "1h"; expected a whole number'],
  ])('%j is refused: %s', (values, message) => {
    expect(errorOf(values)).toBe(message);
  });

  test('values that are not a map are refused', () => {
    expect(errorOf('agent: {}', false)).toBe("values: got a string; expected a map of the chart's values (a parsed values.yaml)");
    expect(() => AgentJobChart.fromHelmValues(Testing.app(), 'x', undefined as any)).toThrow(/^options: got null; expected HelmValuesOptions/);
  });

  test.each([['"1"', '1', true], ['1', 1, true], ['true', true, true], ['"0"', '0', false], ['0', 0, false], ['false', false, false]])(
    'agent.debug %s is accepted', (_shown, debug, on) => {
      expect(env(ctl(render({ agent: { debug } })), 'SCALR_AGENT_DEBUG')).toBe(on ? '1' : '0');
    });
});

describe('the token', () => {
  test('a missing token fails as the chart does', () => {
    expect(errorOf({}, false)).toMatch(/^agent\.token: got nothing; expected the agent pool token.*"agent\.token must be provided"/);
    expect(errorOf(undefined, false)).toMatch(/^agent\.token: got nothing/);
  });

  test('an existing Secret wins over a token value, as in the chart', () => {
    const objs = render({ agent: { token: TOKEN, tokenExistingSecret: { name: 'pool-token' } } });
    expect(kind(objs, 'Secret')).toHaveLength(0);
    expect(env(ctl(objs), 'SCALR_AGENT_TOKEN').secretKeyRef).toEqual({ name: 'pool-token', key: 'token', optional: false });
  });

  test('tokenExistingSecret.key without a name names the key of the Secret the library creates (the chart breaks here)', () => {
    const objs = render({ agent: { tokenExistingSecret: { key: 'pool' } } });
    expect(Object.keys(one(objs, 'Secret').data)).toEqual(['pool']);
    expect(env(worker(objs), 'SCALR_AGENT_TOKEN').secretKeyRef).toEqual({ name: 'scalr-agent-agent-job', key: 'pool', optional: false });
  });

  test.each([
    [{ agent: { token: ` ${TOKEN}\n` } }, /^agent\.token: got \(redacted\)/],
    [{ agent: { token: `${TOKEN} x` } }, /^agent\.token: got \(redacted\)/],
    [{ agent: { token: 4711 } }, /^agent\.token: got a number; expected a string \(quote it, or use --set-string\)/],
    [{ agent: { token: { value: TOKEN } } }, /^agent\.token: got a map; expected a string/],
    [{ agent: [TOKEN] }, /^agent: got a list; expected a map/],
    [{ agent: TOKEN }, /^agent: got a string; expected a map/],
    [{ agent: { tokenExistingSecret: { name: TOKEN.toUpperCase() } } }, /^agent\.tokenExistingSecret\.name: got \(redacted\)/],
    [{ agent: { tokenExistingSecret: TOKEN } }, /^agent\.tokenExistingSecret: got \(redacted\); expected a map/],
    [{ agent: { replicaCount: 'x' } }, /^agent\.replicaCount/],
    [{ agent: { podDisruptionBudget: { maxUnavailable: 1 }, replicaCount: 2 } }, /maxUnavailable/],
  ])('the token is never in a message (%j)', (values, message) => {
    const text = errorOf(merge({ agent: { token: TOKEN } }, values as Json), false);
    expect(text).toMatch(message);
    expect(text.toLowerCase()).not.toContain(TOKEN.toLowerCase());
  });
});

describe('deliberate differences from the chart', () => {
  test('a PodDisruptionBudget with both fields set is the library\'s error, with a hint for values', () => {
    expect(errorOf({ agent: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } } })).toBe(
      'agent.podDisruptionBudget.maxUnavailable: got 1; expected nothing, because agent.podDisruptionBudget.minAvailable is set: '
      + 'a PodDisruptionBudget takes minAvailable or maxUnavailable, not both '
      + '(minAvailable defaults to 1: set agent.podDisruptionBudget.minAvailable to null to use maxUnavailable)');
  });

  test('an enabled PodDisruptionBudget with neither field is an error', () => {
    expect(errorOf({ agent: { podDisruptionBudget: { minAvailable: null } } })).toBe(
      'agent.podDisruptionBudget: got neither minAvailable nor maxUnavailable; expected one of them: '
      + 'set minAvailable or maxUnavailable (or enabled: false for no PodDisruptionBudget)');
    expect(errorOf({ agent: { podDisruptionBudget: { minAvailable: null, enabled: false } } })).toBe('');
  });

  test('an absolute cache subPath is an error (the chart trims the slash)', () => {
    expect(errorOf({ persistence: { cache: { enabled: true, persistentVolumeClaim: { subPath: '/team-a' } } } }))
      .toMatch(/^persistence\.cache\.persistentVolumeClaim\.subPath: got "\/team-a"; expected a relative path/);
  });

  test('the cache subPath is ignored while the cache is an emptyDir, as in the chart', () => {
    const objs = render({ persistence: { cache: { persistentVolumeClaim: { subPath: 'team-a' } } } });
    expect(compareManifests(objs, render({}))).toEqual([]);
  });

  test('storageClassName "" leaves the class out and "-" gives ""', () => {
    const claim = (storageClassName: string) => one(render({ persistence: { data: { enabled: true, persistentVolumeClaim: { storageClassName } } } }),
      'PersistentVolumeClaim').spec;
    expect(claim('')).not.toHaveProperty('storageClassName');
    expect(claim('-').storageClassName).toBe('');
  });

  test('extraEnv may not redefine a variable the library sets, unless agent.allowEnvOverrides', () => {
    expect(errorOf({ agent: { extraEnv: { SCALR_AGENT_DEBUG: '1' } } })).toMatch(/^agent\.extraEnv\.SCALR_AGENT_DEBUG: got "SCALR_AGENT_DEBUG"; expected a variable the library does not set/);
    const objs = render({ agent: { allowEnvOverrides: true, extraEnv: { SCALR_AGENT_DEBUG: '1' } } });
    expect(ctl(objs).env.filter((e: any) => e.name === 'SCALR_AGENT_DEBUG')).toEqual([{ name: 'SCALR_AGENT_DEBUG', value: '1' }]);
  });

  test('library errors name the values keys, not the typed props', () => {
    expect(errorOf({ serviceAccount: { tokenTTL: 300 } })).toMatch(/^serviceAccount\.tokenTTL: got "300 seconds"; expected a whole number of seconds, at least 600/);
    expect(errorOf({ task: { runner: { resources: { requests: { memory: '8Gi' } } } } })).toMatch(/^task\.runner\.resources\.requests\.memory: got "8Gi"; expected at most the limit/);
    expect(errorOf({ agent: { replicaCount: 4, podDisruptionBudget: { minAvailable: '150%' } } }))
      .toMatch(/^agent\.podDisruptionBudget\.minAvailable: got "150%"; expected a percentage from "0%" to "100%"/);
    expect(errorOf({ agent: { tokenExistingSecret: { name: 'pool-token', key: 'a/b' } } })).toMatch(/^agent\.tokenExistingSecret\.key: got \(redacted\); expected the Secret key/);
    expect(errorOf({ persistence: { data: { enabled: true, persistentVolumeClaim: { claimName: 'Bad_Name' } } } }))
      .toMatch(/^persistence\.data\.persistentVolumeClaim\.claimName: got "Bad_Name"; expected a DNS-1123 subdomain/);
  });

  test('the provider cache size is exact (the chart truncates 1.5Gi to 1024 MB and refuses Ti)', () => {
    const mb = (sizeLimit: string) => env(worker(render({ agent: { providerCache: { enabled: true, sizeLimit } } })), 'SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB');
    expect(mb('1.5Gi')).toBe('1536');
    expect(mb('1500M')).toBe('1500');
    expect(mb('1Ti')).toBe('1048576');
  });
});
