import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { AgentJobChart, AgentJobChartProps, AgentToken, CaBundle, ChartVersion, ClientCertificate, VolumeStorage } from '../src';
import { helmValuesToProps } from '../src/helm';
import {
  Json, PoolProps, V0_5_62, V0_6_5, configErrorOf, containerOf, controllerPodOf, envOf, find, findAll, jobSpecOf, synthObjects,
  taskPodOf, taskTemplateOf,
} from './support/builders';
import { compareManifests } from './support/compare';
import { levenshtein } from '../src/core/errors';
import { chartValueKeys } from '../src/helm/schema';

const TOKEN = 'sEcReT-pool-token-4711';

// A hostPath cache warns on the console, as documented (host-path-cache.test.ts tests the warning).
const silenced = process.env.CDK8S_SCALR_SILENCE_WARNINGS;
beforeAll(() => {
  process.env.CDK8S_SCALR_SILENCE_WARNINGS = '1';
});
afterAll(() => {
  if (silenced === undefined) delete process.env.CDK8S_SCALR_SILENCE_WARNINGS; else process.env.CDK8S_SCALR_SILENCE_WARNINGS = silenced;
});
const VERSIONS = ChartVersion.all().map((v) => [v.version, v] as const);

function isMap(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep merge for building test values (maps merged, everything else replaced, nulls kept). */
function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k], v) : v;
  return out;
}

/** The objects of a release of this chart version installed with these values (the token added). */
function render(values: Json, version: ChartVersion = V0_5_62): any[] {
  return synthObjects((app) => AgentJobChart.fromHelmValues(app, 'pool', {
    releaseName: 'scalr-agent', namespace: 'scalr', version, values: merge({ agent: { token: TOKEN } }, values),
  }));
}

/** The objects of a pool with these typed props (release scalr-agent in scalr, as `render`). */
function renderTyped(props: (scope: Construct) => PoolProps, version: ChartVersion): any[] {
  return synthObjects((app) => new AgentJobChart(app, 'pool', {
    token: AgentToken.fromValue(TOKEN), releaseName: 'scalr-agent', namespace: 'scalr', version, ...props(app),
  } as AgentJobChartProps));
}

interface ErrorOptions {
  /** @default V0_5_62 */
  readonly version?: ChartVersion;
  /** Add the token to the values. @default true */
  readonly withToken?: boolean;
}

/** The message of the configuration error fromHelmValues gives for these values ('' when there is none). */
function errorOf(values: unknown, options: ErrorOptions = {}): string {
  const all = (options.withToken ?? true) && isMap(values) ? merge({ agent: { token: TOKEN } }, values) : values;
  try {
    AgentJobChart.fromHelmValues(Testing.app(), 'pool', { values: all, version: options.version ?? V0_5_62 });
  } catch (e) {
    return configErrorOf(() => {
      throw e;
    }).message;
  }
  return '';
}

const dep = (objs: any[]) => find(objs, 'Deployment');
const ctlPod = (objs: any[]) => controllerPodOf(objs);
const ctl = (objs: any[]) => containerOf(ctlPod(objs), 'controller');
const job = (objs: any[]) => jobSpecOf(objs);
const taskPod = (objs: any[]) => taskPodOf(objs);
const worker = (objs: any[]) => containerOf(taskPod(objs), 'worker');
const runner = (objs: any[]) => containerOf(taskPod(objs), 'runner');
const env = (container: any, name: string) => envOf(container)[name];
const volume = (objs: any[], name: string) => taskPod(objs).volumes.find((v: any) => v.name === name);
const ctlVolume = (objs: any[], name: string) => ctlPod(objs).volumes.find((v: any) => v.name === name);
const mount = (container: any, mountPath: string) => container.volumeMounts.find((m: any) => m.mountPath === mountPath);
const budget = (objs: any[], component: string) => findAll(objs, 'PodDisruptionBudget')
  .find((p) => p.spec.selector.matchLabels['app.kubernetes.io/component'] === component)?.spec;
/** The controller's PodDisruptionBudget. */
const pdb = (objs: any[]) => budget(objs, 'agent');
/** The task pods' PodDisruptionBudget (chart 0.6.5). */
const taskPdb = (objs: any[]) => budget(objs, 'task');
/** Where a container of the task pod is: its list and index. */
const placeOf = (objs: any[], name: string) => {
  const pod = taskPod(objs);
  for (const list of ['initContainers', 'containers']) {
    const index = (pod[list] ?? []).findIndex((c: any) => c.name === name);
    if (index >= 0) return [list, index];
  }
  return undefined;
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUExampleCaBundleForTestsOnly0wCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIGexampleClientKeyForTestsOnly\n-----END PRIVATE KEY-----\n';

const ANTI_AFFINITY = {
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [{
      weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/component': 'agent' } } },
    }],
  },
};
const NODE_AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
    },
  },
};

/** An expected value that differs between chart versions. */
const PER_VERSION = Symbol('per version');
type PerVersion = { [PER_VERSION]: { [version: string]: unknown } };
const perVersion = (byVersion: { [version: string]: unknown }): PerVersion => ({ [PER_VERSION]: byVersion });
const expectedIn = (expected: unknown, version: ChartVersion): unknown =>
  isMap(expected) && PER_VERSION in expected ? (expected as PerVersion)[PER_VERSION][version.version] : expected;

/**
 * Every key of both chart versions, with a value other than its default and where that value
 * shows in the output. [values, probe, expected]: probe(objects) must equal expected (or, for
 * perVersion, the version's expected). Each key is tried with each chart version that has it.
 */
const EVERY_KEY: Record<string, [Json, (objs: any[]) => unknown, unknown]> = {
  'nameOverride': [{ nameOverride: 'tf-agent' }, (o) => dep(o).metadata.labels['app.kubernetes.io/name'], 'tf-agent'],
  'fullnameOverride': [{ fullnameOverride: 'agents' }, (o) => find(o, 'ServiceAccount').metadata.name, 'agents'],
  'global.imageRegistry': [{ global: { imageRegistry: 'registry.example.com' } }, (o) => ctl(o).image,
    perVersion({ '0.5.62': 'registry.example.com/scalr/agent:0.55.2', '0.6.5': 'registry.example.com/scalr/agent:1.4.0' })],
  'global.imageNamespace': [{ global: { imageNamespace: 'mirror/scalr' } }, (o) => [ctl(o).image, runner(o).image, volume(o, 'worker').image.reference],
    ['mirror/scalr/agent:1.4.0', 'mirror/scalr/runner:0.2.0', 'mirror/scalr/agent:1.4.0']],
  'global.imagePullSecrets': [{ global: { imagePullSecrets: [{ name: 'regcred' }] } }, (o) => [taskPod(o).imagePullSecrets, ctlPod(o).imagePullSecrets],
    [[{ name: 'regcred' }], [{ name: 'regcred' }]]],
  'global.labels': [{ global: { labels: { org: 'acme' } } },
    (o) => [dep(o).metadata.labels.org, find(o, 'Secret').metadata.labels.org, dep(o).spec.template.metadata.labels.org,
      taskTemplateOf(o).metadata.labels.org, find(o, 'CustomResourceDefinition').metadata.labels?.org],
    ['acme', 'acme', 'acme', 'acme', undefined]],
  'global.annotations': [{ global: { annotations: { contact: 'platform@example.com' } } },
    (o) => [dep(o).metadata.annotations?.contact, find(o, 'ServiceAccount').metadata.annotations?.contact, dep(o).spec.template.metadata.annotations.contact],
    ['platform@example.com', 'platform@example.com', undefined]],
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
  'global.proxy.enabled': [{ global: { proxy: { enabled: true, httpsProxy: 'http://proxy.internal:3128' } } },
    (o) => [env(ctl(o), 'HTTPS_PROXY'), env(worker(o), 'HTTPS_PROXY'), env(runner(o), 'HTTPS_PROXY')],
    ['http://proxy.internal:3128', 'http://proxy.internal:3128', 'http://proxy.internal:3128']],
  'global.proxy.httpProxy': [{ global: { proxy: { enabled: true, httpProxy: 'http://proxy.internal:3128' } } },
    (o) => [env(ctl(o), 'HTTP_PROXY'), env(runner(o), 'HTTP_PROXY')], ['http://proxy.internal:3128', 'http://proxy.internal:3128']],
  'global.proxy.httpsProxy': [{ global: { proxy: { enabled: true, httpsProxy: 'https://proxy.internal:3129' } } },
    (o) => [env(worker(o), 'HTTPS_PROXY'), env(runner(o), 'HTTPS_PROXY')], ['https://proxy.internal:3129', 'https://proxy.internal:3129']],
  'global.proxy.noProxy': [{ global: { proxy: { enabled: true, httpsProxy: 'http://proxy.internal:3128', noProxy: 'localhost, .svc,10.0.0.0/8' } } },
    (o) => [env(ctl(o), 'NO_PROXY'), env(runner(o), 'NO_PROXY')], ['localhost,.svc,10.0.0.0/8', 'localhost,.svc,10.0.0.0/8']],
  'global.tls.caBundleSecret.name': [{ global: { tls: { caBundleSecret: { name: 'corporate-ca' } } } },
    (o) => [volume(o, 'ca-bundle').secret.secretName, env(runner(o), 'SSL_CERT_FILE'), env(ctl(o), 'SCALR_AGENT_CA_CERT'), findAll(o, 'Secret').length],
    ['corporate-ca', '/etc/ssl/certs/scalr-ca-bundle.crt', '/etc/ssl/certs/scalr-ca-bundle.crt', 1]],
  'global.tls.caBundleSecret.key': [{ global: { tls: { caBundleSecret: { name: 'corporate-ca', key: 'ca.pem' } } } },
    (o) => ctlVolume(o, 'ca-bundle').secret.items, [{ key: 'ca.pem', path: 'ca.pem' }]],
  'global.tls.caBundle': [{ global: { tls: { caBundle: PEM_CERT } } },
    (o) => [find(o, 'Secret', 'scalr-agent-ca-bundle').data['ca-bundle.crt'], volume(o, 'ca-bundle').secret.secretName],
    [b64(PEM_CERT), 'scalr-agent-ca-bundle']],
  'global.tls.clientCertSecret.name': [{ global: { tls: { clientCertSecret: { name: 'agent-mtls' } } } },
    (o) => [volume(o, 'client-cert').secret.secretName, env(worker(o), 'SCALR_AGENT_TLS_CERT_FILE'), env(runner(o), 'SCALR_AGENT_TLS_CERT_FILE')],
    ['agent-mtls', '/etc/scalr-agent/ssl/tls.crt', undefined]],
  'global.tls.clientCertSecret.certKey': [{ global: { tls: { clientCertSecret: { name: 'agent-mtls', certKey: 'cert.pem' } } } },
    (o) => volume(o, 'client-cert').secret.items, [{ key: 'cert.pem', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }]],
  'global.tls.clientCertSecret.keyKey': [{ global: { tls: { clientCertSecret: { name: 'agent-mtls', keyKey: 'key.pem' } } } },
    (o) => ctlVolume(o, 'client-cert').secret.items, [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'key.pem', path: 'tls.key' }]],
  'global.tls.clientCert': [{ global: { tls: { clientCert: PEM_CERT, clientKey: PEM_KEY } } },
    (o) => [find(o, 'Secret', 'scalr-agent-client-cert').data['tls.crt'], volume(o, 'client-cert').secret.secretName], [b64(PEM_CERT), 'scalr-agent-client-cert']],
  'global.tls.clientKey': [{ global: { tls: { clientCert: PEM_CERT, clientKey: PEM_KEY } } },
    (o) => find(o, 'Secret', 'scalr-agent-client-cert').data['tls.key'], b64(PEM_KEY)],
  'serviceAccount.create': [{ serviceAccount: { create: false } }, (o) => findAll(o, 'ServiceAccount').length, 0],
  'serviceAccount.name': [{ serviceAccount: { name: 'pool-sa' } }, (o) => taskPod(o).serviceAccountName, 'pool-sa'],
  'serviceAccount.automountToken': [{ serviceAccount: { automountToken: false } }, (o) => ctlPod(o).automountServiceAccountToken, false],
  'serviceAccount.tokenTTL': [{ serviceAccount: { tokenTTL: 7200 } },
    (o) => volume(o, 'sa-token').projected.sources[0].serviceAccountToken.expirationSeconds, 7200],
  'serviceAccount.annotations': [{ serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn' } } },
    (o) => find(o, 'ServiceAccount').metadata.annotations, { 'eks.amazonaws.com/role-arn': 'arn' }],
  'serviceAccount.labels': [{ serviceAccount: { labels: { team: 'platform' } } }, (o) => find(o, 'ServiceAccount').metadata.labels.team, 'platform'],
  'rbac.create': [{ rbac: { create: false } },
    (o) => ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((k) => findAll(o, k).length), [0, 0, 0, 0]],
  'rbac.rules': [{ rbac: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } },
    (o) => find(o, 'Role').rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]],
  'rbac.clusterRules': [{ rbac: { clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] } },
    (o) => find(o, 'ClusterRole').rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]],
  'agent.url': [{ agent: { url: 'https://example.scalr.io' } }, (o) => env(worker(o), 'SCALR_URL'), 'https://example.scalr.io'],
  'agent.token': [{ agent: { token: 'another-token' } }, (o) => find(o, 'Secret').data.token, b64('another-token')],
  'agent.tokenExistingSecret.name': [{ agent: { tokenExistingSecret: { name: 'pool-token' } } },
    (o) => [findAll(o, 'Secret').length, env(ctl(o), 'SCALR_AGENT_TOKEN').secretKeyRef.name], [0, 'pool-token']],
  'agent.tokenExistingSecret.key': [{ agent: { tokenExistingSecret: { name: 'pool-token', key: 'pool' } } },
    (o) => env(worker(o), 'SCALR_AGENT_TOKEN').secretKeyRef, { name: 'pool-token', key: 'pool', optional: false }],
  'agent.image.repository': [{ agent: { image: { repository: 'mirror/agent' } } }, (o) => [ctl(o).image, worker(o).image, volume(o, 'worker')?.image?.reference],
    perVersion({ '0.5.62': ['mirror/agent:0.55.2', 'mirror/agent:0.55.2', undefined], '0.6.5': ['mirror/agent:1.4.0', 'mirror/agent:1.4.0', 'mirror/agent:1.4.0'] })],
  'agent.image.tag': [{ agent: { image: { tag: '1.5.0' } } }, (o) => [ctl(o).image, worker(o).image],
    ['scalr/agent:1.5.0', 'scalr/agent:1.5.0']],
  'agent.image.pullPolicy': [{ agent: { image: { pullPolicy: 'Always' } } }, (o) => [ctl(o).imagePullPolicy, worker(o).imagePullPolicy], ['Always', 'Always']],
  'agent.debug': [{ agent: { debug: '1' } }, (o) => [env(ctl(o), 'SCALR_AGENT_DEBUG'), env(worker(o), 'SCALR_AGENT_DEBUG')], ['1', '1']],
  'agent.logFormat': [{ agent: { logFormat: 'plain' } }, (o) => env(ctl(o), 'SCALR_AGENT_LOG_FORMAT'), 'plain'],
  'agent.sentryDsn': [{ agent: { sentryDsn: 'https://key@sentry.example.com/42' } },
    (o) => [env(ctl(o), 'SCALR_AGENT_SENTRY_DSN'), env(worker(o), 'SCALR_AGENT_SENTRY_DSN')],
    ['https://key@sentry.example.com/42', 'https://key@sentry.example.com/42']],
  'agent.extraEnv': [{ agent: { extraEnv: { HTTPS_PROXY: 'http://proxy:3128' } } },
    (o) => [env(ctl(o), 'HTTPS_PROXY'), env(worker(o), 'HTTPS_PROXY')], ['http://proxy:3128', 'http://proxy:3128']],
  'agent.labels': [{ agent: { labels: { 'component-owner': 'agent-team' } } },
    (o) => [dep(o).metadata.labels['component-owner'], dep(o).spec.template.metadata.labels['component-owner']], ['agent-team', undefined]],
  'agent.annotations': [{ agent: { annotations: { note: 'from-agent' } } }, (o) => [dep(o).metadata.annotations, find(o, 'Secret').metadata.annotations],
    [{ note: 'from-agent' }, undefined]],
  'agent.replicaCount': [{ agent: { replicaCount: 2 } }, (o) => [dep(o).spec.replicas, pdb(o)?.minAvailable], [2, 1]],
  'agent.podDisruptionBudget.enabled': [{ agent: { replicaCount: 2, podDisruptionBudget: { enabled: false } } }, (o) => pdb(o), undefined],
  'agent.podDisruptionBudget.minAvailable': [{ agent: { replicaCount: 3, podDisruptionBudget: { minAvailable: '50%' } } },
    (o) => pdb(o).minAvailable, '50%'],
  'agent.podDisruptionBudget.maxUnavailable': [{ agent: { replicaCount: 2, podDisruptionBudget: { minAvailable: null, maxUnavailable: 1 } } },
    (o) => [pdb(o).maxUnavailable, pdb(o).minAvailable], [1, undefined]],
  'agent.nodeSelector': [{ agent: { nodeSelector: { pool: 'agents' } } }, (o) => ctlPod(o).nodeSelector, { pool: 'agents' }],
  'agent.tolerations': [{ agent: { tolerations: [{ key: 'k', operator: 'Exists' }] } }, (o) => ctlPod(o).tolerations, [{ key: 'k', operator: 'Exists' }]],
  'agent.affinity': [{ agent: { affinity: ANTI_AFFINITY } }, (o) => ctlPod(o).affinity, ANTI_AFFINITY],
  'agent.topologySpreadConstraints': [
    { agent: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] } },
    (o) => ctlPod(o).topologySpreadConstraints?.[0]?.topologyKey, 'topology.kubernetes.io/zone',
  ],
  'agent.resources.requests.cpu': [{ agent: { resources: { requests: { cpu: '200m' } } } }, (o) => ctl(o).resources.requests.cpu, '200m'],
  'agent.resources.requests.memory': [{ agent: { resources: { requests: { memory: '64Mi' } } } }, (o) => ctl(o).resources.requests.memory, '64Mi'],
  'agent.resources.requests.ephemeral-storage': [{ agent: { resources: { requests: { 'ephemeral-storage': '1Gi' } } } },
    (o) => ctl(o).resources.requests['ephemeral-storage'], '1Gi'],
  // Chart 0.5.62 has default limits; chart 0.6.5 none, and takes any limits map.
  'agent.resources.limits': [{ agent: { resources: { limits: { memory: '1Gi' } } } }, (o) => ctl(o).resources.limits, { memory: '1Gi' }],
  'agent.resources.limits.cpu': [{ agent: { resources: { limits: { cpu: '1' } } } }, (o) => String(ctl(o).resources.limits.cpu), '1'],
  'agent.resources.limits.memory': [{ agent: { resources: { limits: { memory: '1Gi' } } } }, (o) => ctl(o).resources.limits.memory, '1Gi'],
  'agent.resources.limits.ephemeral-storage': [{ agent: { resources: { limits: { 'ephemeral-storage': '2Gi' } } } },
    (o) => ctl(o).resources.limits['ephemeral-storage'], '2Gi'],
  'agent.podAnnotations': [{ agent: { podAnnotations: { a: 'b' } } }, (o) => dep(o).spec.template.metadata.annotations.a, 'b'],
  'agent.podLabels': [{ agent: { podLabels: { tier: 'control' } } }, (o) => dep(o).spec.template.metadata.labels.tier, 'control'],
  'agent.podSecurityContext': [{ agent: { podSecurityContext: { runAsGroup: 3000 } } },
    (o) => [ctlPod(o).securityContext.runAsGroup, taskPod(o).securityContext.runAsGroup], [3000, 1000]],
  'agent.controller.command': [{ agent: { controller: { command: ['/usr/local/bin/scalr-agent'] } } }, (o) => ctl(o).command, ['/usr/local/bin/scalr-agent']],
  'agent.controller.args': [{ agent: { controller: { args: ['--mode', 'controller'] } } }, (o) => ctl(o).args, ['--mode', 'controller']],
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
  'agent.providerCache.concurrency': [{ agent: { providerCache: { enabled: true, concurrency: 4 } } },
    (o) => env(worker(o), 'SCALR_AGENT_PROVIDER_CACHE_CONCURRENCY'), '4'],
  'agent.providerCache.dropKernelPages': [{ agent: { providerCache: { dropKernelPages: false } } },
    (o) => env(worker(o), 'SCALR_AGENT_PROVIDER_CACHE_DROP_KERNEL_PAGES'), 'false'],
  'agent.moduleCache.enabled': [{ agent: { moduleCache: { enabled: true } } },
    (o) => [env(ctl(o), 'SCALR_AGENT_MODULE_CACHE_ENABLED'), env(worker(o), 'SCALR_AGENT_MODULE_CACHE_SIZE_LIMIT_MB'), env(worker(o), 'SCALR_AGENT_MODULE_CACHE_CONCURRENCY')],
    ['true', '40960', '10']],
  'agent.moduleCache.sizeLimit': [{ agent: { moduleCache: { enabled: true, sizeLimit: '10Gi' } } },
    (o) => env(worker(o), 'SCALR_AGENT_MODULE_CACHE_SIZE_LIMIT_MB'), '10240'],
  'agent.moduleCache.concurrency': [{ agent: { moduleCache: { enabled: true, concurrency: 8 } } },
    (o) => env(worker(o), 'SCALR_AGENT_MODULE_CACHE_CONCURRENCY'), '8'],
  'agent.binaryCache.sizeLimit': [{ agent: { binaryCache: { sizeLimit: '2G' } } },
    (o) => [env(ctl(o), 'SCALR_AGENT_BINARY_CACHE_SIZE_LIMIT_MB'), env(worker(o), 'SCALR_AGENT_BINARY_CACHE_SIZE_LIMIT_MB')], ['2000', '2000']],
  'agent.binaryCache.thresholdDays': [{ agent: { binaryCache: { thresholdDays: 3 } } },
    (o) => env(worker(o), 'SCALR_AGENT_BINARY_CACHE_THRESHOLD_DAYS'), '3'],
  'agent.providerNetworkMirrors': [{ agent: { providerNetworkMirrors: [{ hostname: 'registry.terraform.io', url: 'https://mirror.example.com/providers/' }] } },
    (o) => JSON.parse(env(worker(o), 'SCALR_AGENT_PROVIDER_NETWORK_MIRRORS')), [{ hostname: 'registry.terraform.io', url: 'https://mirror.example.com/providers/' }]],
  'agent.terminationGracePeriodSeconds': [{ agent: { terminationGracePeriodSeconds: 30 } }, (o) => ctlPod(o).terminationGracePeriodSeconds, 30],
  'task.job.basename': [{ task: { job: { basename: 'tf-run' } } }, (o) => taskTemplateOf(o).spec.basename, 'tf-run'],
  'task.job.backoffLimit': [{ task: { job: { backoffLimit: 3 } } }, (o) => job(o).backoffLimit, 3],
  'task.job.ttlSecondsAfterFinished': [{ task: { job: { ttlSecondsAfterFinished: 120 } } }, (o) => job(o).ttlSecondsAfterFinished, 120],
  'task.jobLabels': [{ task: { jobLabels: { 'job-kind': 'scalr-run' } } }, (o) => taskTemplateOf(o).spec.jobTemplate.metadata.labels['job-kind'], 'scalr-run'],
  'task.jobAnnotations': [{ task: { jobAnnotations: { shared: 'from-job' } } }, (o) => taskTemplateOf(o).spec.jobTemplate.metadata.annotations, { shared: 'from-job' }],
  'task.startupTimeoutSeconds': [{ task: { startupTimeoutSeconds: 300 } },
    (o) => [env(ctl(o), 'SCALR_AGENT_KUBERNETES_TASK_STARTUP_TIMEOUT_SECONDS'), env(worker(o), 'SCALR_AGENT_KUBERNETES_TASK_STARTUP_TIMEOUT_SECONDS')], ['300', '300']],
  'task.nodeSelector': [{ task: { nodeSelector: { pool: 'tasks' } } }, (o) => taskPod(o).nodeSelector, { pool: 'tasks' }],
  'task.tolerations': [{ task: { tolerations: [{ key: 'k', operator: 'Exists' }] } }, (o) => taskPod(o).tolerations, [{ key: 'k', operator: 'Exists' }]],
  'task.affinity': [{ task: { affinity: NODE_AFFINITY } }, (o) => taskPod(o).affinity, NODE_AFFINITY],
  'task.podAnnotations': [{ task: { podAnnotations: { team: 'runs' } } }, (o) => job(o).template.metadata.annotations,
    perVersion({
      '0.5.62': { team: 'runs' },
      '0.6.5': {
        'team': 'runs',
        'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
        'karpenter.sh/do-not-evict': 'true',
        'karpenter.sh/do-not-disrupt': 'true',
        'autopilot.gke.io/priority': 'high',
      },
    })],
  'task.podLabels': [{ task: { podLabels: { tier: 'task' } } }, (o) => job(o).template.metadata.labels.tier, 'task'],
  'task.podSecurityContext': [{ task: { podSecurityContext: { fsGroupChangePolicy: 'Always' } } },
    (o) => [taskPod(o).securityContext.fsGroupChangePolicy, ctlPod(o).securityContext.fsGroupChangePolicy], ['Always', 'OnRootMismatch']],
  'task.podDisruptionBudget.enabled': [{ task: { podDisruptionBudget: { enabled: false } } }, (o) => taskPdb(o), undefined],
  'task.podDisruptionBudget.minAvailable': [{ task: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: null } } },
    (o) => [taskPdb(o).minAvailable, taskPdb(o).maxUnavailable], [1, undefined]],
  'task.podDisruptionBudget.maxUnavailable': [{ task: { podDisruptionBudget: { maxUnavailable: 2 } } }, (o) => taskPdb(o).maxUnavailable, 2],
  'task.allowMetadataService': [{ task: { allowMetadataService: true } }, (o) => findAll(o, 'NetworkPolicy').length, 0],
  'task.terminationGracePeriodSeconds': [{ task: { terminationGracePeriodSeconds: 900 } }, (o) => taskPod(o).terminationGracePeriodSeconds, 900],
  'task.extraVolumes': [{ task: { extraVolumes: [{ name: 'ca', configMap: { name: 'ca' } }] } },
    (o) => volume(o, 'ca'), { name: 'ca', configMap: { name: 'ca' } }],
  // Chart 0.5.62: an init container after the worker; chart 0.6.5: a container after the runner and the worker.
  'task.sidecars': [{ task: { sidecars: [{ name: 'shipper', image: 'fluent/fluent-bit:3.0' }] } },
    (o) => [containerOf(taskPod(o), 'shipper'), placeOf(o, 'shipper')],
    perVersion({
      '0.5.62': [{ name: 'shipper', image: 'fluent/fluent-bit:3.0' }, ['initContainers', 1]],
      '0.6.5': [{ name: 'shipper', image: 'fluent/fluent-bit:3.0' }, ['containers', 2]],
    })],
  'task.worker.image.repository': [{ task: { worker: { image: { repository: 'scalr/agent-worker' } } } }, (o) => worker(o).image, 'scalr/agent-worker:0.55.2'],
  'task.worker.image.tag': [{ task: { worker: { image: { tag: '0.56.0' } } } }, (o) => [worker(o).image, ctl(o).image], ['scalr/agent:0.56.0', 'scalr/agent:0.55.2']],
  'task.worker.image.pullPolicy': [{ task: { worker: { image: { pullPolicy: 'Never' } } } }, (o) => worker(o).imagePullPolicy, 'Never'],
  'task.worker.command': [{ task: { worker: { command: ['/usr/local/bin/scalr-agent'] } } }, (o) => worker(o).command, ['/usr/local/bin/scalr-agent']],
  'task.worker.args': [{ task: { worker: { args: ['--mode', 'worker'] } } }, (o) => worker(o).args, ['--mode', 'worker']],
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
  'task.runner.image.repository': [{ task: { runner: { image: { repository: 'custom/runner' } } } }, (o) => runner(o).image,
    perVersion({ '0.5.62': 'custom/runner:0.55.2', '0.6.5': 'custom/runner:0.2.0' })],
  'task.runner.image.tag': [{ task: { runner: { image: { tag: 'v1.2.3' } } } }, (o) => runner(o).image,
    perVersion({ '0.5.62': 'scalr/agent-runner:v1.2.3', '0.6.5': 'scalr/runner:v1.2.3' })],
  'task.runner.image.pullPolicy': [{ task: { runner: { image: { pullPolicy: 'Always' } } } }, (o) => runner(o).imagePullPolicy, 'Always'],
  'task.runner.resources.requests.cpu': [{ task: { runner: { resources: { requests: { cpu: '1' } } } } }, (o) => String(runner(o).resources.requests.cpu), '1'],
  'task.runner.resources.requests.memory': [{ task: { runner: { resources: { requests: { memory: '1Gi' } } } } }, (o) => runner(o).resources.requests.memory, '1Gi'],
  'task.runner.resources.requests.ephemeral-storage': [{ task: { runner: { resources: { requests: { 'ephemeral-storage': '5Gi' } } } } },
    (o) => runner(o).resources.requests['ephemeral-storage'], '5Gi'],
  'task.runner.resources.limits.cpu': [{ task: { runner: { resources: { limits: { cpu: '8' } } } } }, (o) => String(runner(o).resources.limits.cpu), '8'],
  'task.runner.resources.limits.memory': [{ task: { runner: { resources: { limits: { memory: '4Gi' } } } } }, (o) => runner(o).resources.limits.memory, '4Gi'],
  'task.runner.resources.limits.ephemeral-storage': [{ task: { runner: { resources: { limits: { 'ephemeral-storage': '10Gi' } } } } },
    (o) => runner(o).resources.limits['ephemeral-storage'], '10Gi'],
  'task.runner.memorySoftLimitPercent': [{ task: { runner: { memorySoftLimitPercent: 70 } } },
    (o) => [env(ctl(o), 'SCALR_AGENT_MEMORY_MONITOR_SOFT_LIMIT_PERCENT'), env(worker(o), 'SCALR_AGENT_MEMORY_MONITOR_SOFT_LIMIT_PERCENT')], ['70', '70']],
  'task.runner.memoryWarnPercent': [{ task: { runner: { memoryWarnPercent: 85 } } },
    (o) => [env(ctl(o), 'SCALR_AGENT_MEMORY_MONITOR_WARN_PERCENT'), env(worker(o), 'SCALR_AGENT_MEMORY_MONITOR_WARN_PERCENT')], ['85', '85']],
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
    (o) => [find(o, 'PersistentVolumeClaim').spec.accessModes, volume(o, 'data-dir').persistentVolumeClaim.claimName],
    perVersion({ '0.5.62': [['ReadWriteOnce'], 'scalr-agent-agent-job-data'], '0.6.5': [['ReadWriteOnce'], 'scalr-agent-data'] })],
  'persistence.data.emptyDir.sizeLimit': [{ persistence: { data: { emptyDir: { sizeLimit: '20Gi' } } } }, (o) => volume(o, 'data-dir').emptyDir, { sizeLimit: '20Gi' }],
  'persistence.data.emptyDir.medium': [{ persistence: { data: { emptyDir: { medium: 'Memory' } } } },
    (o) => volume(o, 'data-dir').emptyDir, perVersion({ '0.5.62': { medium: 'Memory', sizeLimit: '5Gi' }, '0.6.5': { medium: 'Memory', sizeLimit: '4Gi' } })],
  'persistence.data.persistentVolumeClaim.claimName': [{ persistence: { data: { enabled: true, persistentVolumeClaim: { claimName: 'team-data' } } } },
    (o) => [findAll(o, 'PersistentVolumeClaim').length, volume(o, 'data-dir').persistentVolumeClaim.claimName], [0, 'team-data']],
  'persistence.data.persistentVolumeClaim.storageClassName': [
    { persistence: { data: { enabled: true, persistentVolumeClaim: { storageClassName: 'fast' } } } },
    (o) => find(o, 'PersistentVolumeClaim').spec.storageClassName, 'fast',
  ],
  'persistence.data.persistentVolumeClaim.storage': [{ persistence: { data: { enabled: true, persistentVolumeClaim: { storage: '10Gi' } } } },
    (o) => find(o, 'PersistentVolumeClaim').spec.resources.requests.storage, '10Gi'],
  'persistence.data.persistentVolumeClaim.accessMode': [
    { persistence: { data: { enabled: true, persistentVolumeClaim: { accessMode: 'ReadWriteOncePod' } } } },
    (o) => find(o, 'PersistentVolumeClaim').spec.accessModes, ['ReadWriteOncePod'],
  ],
  // Unused by the chart, and so by the library: the output is that of the same values without it (see below).
  'persistence.data.persistentVolumeClaim.subPath': [{ persistence: { data: { enabled: true, persistentVolumeClaim: { subPath: 'team-a' } } } },
    (o) => volume(o, 'data-dir').persistentVolumeClaim, perVersion({ '0.5.62': { claimName: 'scalr-agent-agent-job-data' }, '0.6.5': { claimName: 'scalr-agent-data' } })],
  'persistence.cache.enabled': [{ persistence: { cache: { enabled: true } } },
    (o) => [find(o, 'PersistentVolumeClaim').spec, mount(worker(o), '/var/lib/scalr-agent/cache').subPath],
    perVersion({
      '0.5.62': [{ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '50Gi' } } }, 'cache'],
      '0.6.5': [{ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '90Gi' } } }, 'cache'],
    })],
  'persistence.cache.emptyDir.sizeLimit': [{ persistence: { cache: { emptyDir: { sizeLimit: '10Gi' } } } },
    (o) => volume(o, 'cache-dir').emptyDir, { sizeLimit: '10Gi' }],
  'persistence.cache.emptyDir.medium': [{ persistence: { cache: { emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } } } },
    (o) => volume(o, 'cache-dir').emptyDir, { medium: 'Memory', sizeLimit: '2Gi' }],
  'persistence.cache.persistentVolumeClaim.claimName': [{ persistence: { cache: { enabled: true, persistentVolumeClaim: { claimName: 'shared' } } } },
    (o) => volume(o, 'cache-dir'), { name: 'cache-dir', persistentVolumeClaim: { claimName: 'shared' } }],
  'persistence.cache.persistentVolumeClaim.storageClassName': [
    { persistence: { cache: { enabled: true, persistentVolumeClaim: { storageClassName: '-' } } } },
    (o) => find(o, 'PersistentVolumeClaim').spec.storageClassName, '',
  ],
  'persistence.cache.persistentVolumeClaim.storage': [{ persistence: { cache: { enabled: true, persistentVolumeClaim: { storage: '100Gi' } } } },
    (o) => find(o, 'PersistentVolumeClaim').spec.resources.requests.storage, '100Gi'],
  'persistence.cache.persistentVolumeClaim.accessMode': [
    { persistence: { cache: { enabled: true, persistentVolumeClaim: { accessMode: 'ReadWriteOnce' } } } },
    (o) => find(o, 'PersistentVolumeClaim').spec.accessModes, ['ReadWriteOnce'],
  ],
  'persistence.cache.persistentVolumeClaim.subPath': [{ persistence: { cache: { enabled: true, persistentVolumeClaim: { subPath: 'team-a' } } } },
    (o) => [mount(worker(o), '/var/lib/scalr-agent/cache').subPath, (mount(runner(o), '/opt/bin') ?? mount(runner(o), '/opt/binary-cache')).subPath],
    perVersion({ '0.5.62': ['team-a/cache', 'team-a/cache/bin'], '0.6.5': ['team-a/cache', 'team-a/cache/binaries'] })],
  'persistence.cache.hostPath.path': [{ persistence: { cache: { enabled: true, hostPath: { path: '/mnt/nvme/scalr-cache' } } } },
    (o) => [volume(o, 'cache-dir'), findAll(o, 'PersistentVolumeClaim').length, ctlVolume(o, 'cache-dir').hostPath],
    [{ name: 'cache-dir', hostPath: { path: '/mnt/nvme/scalr-cache', type: 'DirectoryOrCreate' } }, 0, undefined]],
  'persistence.cache.hostPath.type': [{ persistence: { cache: { enabled: true, hostPath: { path: '/mnt/nvme/scalr-cache', type: 'Directory' } } } },
    (o) => volume(o, 'cache-dir').hostPath, { path: '/mnt/nvme/scalr-cache', type: 'Directory' }],
  'otel.enabled': [{ otel: { enabled: true } },
    (o) => [env(ctl(o), 'SCALR_AGENT_OTLP_ENDPOINT'), env(worker(o), 'SCALR_AGENT_OTLP_METRICS_ENABLED')], ['http://otel-collector:4317', 'true']],
  'otel.endpoint': [{ otel: { enabled: true, endpoint: 'otel.observability:4317' } }, (o) => env(worker(o), 'SCALR_AGENT_OTLP_ENDPOINT'), 'otel.observability:4317'],
  'otel.metricsEnabled': [{ otel: { enabled: true, metricsEnabled: false } }, (o) => env(ctl(o), 'SCALR_AGENT_OTLP_METRICS_ENABLED'), undefined],
  'otel.tracesEnabled': [{ otel: { enabled: true, tracesEnabled: true } }, (o) => env(ctl(o), 'SCALR_AGENT_OTLP_TRACES_ENABLED'), 'true'],
};

/** The values keys of each chart version (the leaves of its values.yaml, free maps and lists). */
const KEYS: Record<string, string[]> = Object.fromEntries(ChartVersion.all().map((v) => [v.version, chartValueKeys(v._profile)]));

describe('the values keys of each chart version', () => {
  test('chart 0.5.62 has 121 keys and chart 0.6.5 158', () => {
    expect([KEYS['0.5.62'].length, KEYS['0.6.5'].length]).toEqual([121, 158]);
  });

  test.each(VERSIONS)('the table covers every key of chart %s', (version) => {
    expect(KEYS[version].filter((key) => !(key in EVERY_KEY))).toEqual([]);
  });

  test('every key of the table is a key of one of the chart versions', () => {
    expect(Object.keys(EVERY_KEY).filter((key) => !KEYS['0.5.62'].includes(key) && !KEYS['0.6.5'].includes(key))).toEqual([]);
  });
});

describe.each(VERSIONS)('every key of chart %s is accepted and mapped', (versionNumber, version) => {
  const keys = Object.keys(EVERY_KEY).filter((key) => KEYS[versionNumber].includes(key));
  let defaults: any[];
  beforeAll(() => {
    defaults = render({}, version);
  });

  test.each(keys)(`chart ${versionNumber}: %s changes the output as the chart does`, (key) => {
    const [values, probe, expected] = EVERY_KEY[key];
    const objs = render(values, version);
    expect(probe(objs)).toEqual(expectedIn(expected, version));
    if (key === 'persistence.data.persistentVolumeClaim.subPath') {
      expect(compareManifests(objs, render({ persistence: { data: { enabled: true } } }, version))).toEqual([]);
    } else {
      expect(compareManifests(objs, defaults)).not.toEqual([]);
    }
  });

  test(`chart ${versionNumber}: the defaults applied are the chart's, and left unchanged`, () => {
    const profile = version._profile;
    render({ agent: { replicaCount: 5 }, persistence: { cache: { persistentVolumeClaim: { storage: '1Gi' } } } }, version);
    expect(profile.values.agent.replicaCount).toBe(1);
    expect(profile.values.persistence.cache.persistentVolumeClaim.storage).toBe(versionNumber === '0.5.62' ? '50Gi' : '90Gi');
  });
});

describe('docs/migration.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'migration.md'), 'utf8');
  const missing = (version: string) => KEYS[version].filter((key) => !doc.includes(`\`${key}\``));

  test.each(['0.5.62', '0.6.5'])('documents every key of chart %s', (version) => {
    expect(missing(version)).toEqual([]);
  });
});

describe('chart 0.6.5 values map onto the typed props a user would write', () => {
  const CASES: [string, Json, (scope: Construct) => PoolProps][] = [
    ['global.labels and global.annotations', { global: { labels: { org: 'acme' }, annotations: { contact: 'platform@example.com' } } },
      () => ({ common: { labels: { org: 'acme' }, annotations: { contact: 'platform@example.com' } } })],
    ['global.imageNamespace', { global: { imageNamespace: 'mirror/scalr', imageRegistry: 'registry.example.com' } },
      () => ({ common: { imageNamespace: 'mirror/scalr', imageRegistry: 'registry.example.com' } })],
    ['global.imagePullSecrets', { global: { imagePullSecrets: [{ name: 'regcred' }] } },
      (scope) => ({ common: { imagePullSecrets: [kplus.Secret.fromSecretName(scope, 'regcred', 'regcred')] } })],
    ['global.proxy', { global: { proxy: { enabled: true, httpProxy: 'http://proxy:3128', httpsProxy: 'http://proxy:3128', noProxy: 'localhost,.svc' } } },
      () => ({ common: { proxy: { httpProxy: 'http://proxy:3128', httpsProxy: 'http://proxy:3128', noProxy: ['localhost', '.svc'] } } })],
    ['global.proxy disabled', { global: { proxy: { enabled: false, httpProxy: 'http://proxy:3128' } } }, () => ({})],
    ['global.tls inline', { global: { tls: { caBundle: PEM_CERT, clientCert: PEM_CERT, clientKey: PEM_KEY } } },
      () => ({ common: { caBundle: CaBundle.fromPem(PEM_CERT), clientCertificate: ClientCertificate.fromPem(PEM_CERT, PEM_KEY) } })],
    ['global.tls from Secrets',
      { global: { tls: { caBundleSecret: { name: 'corporate-ca', key: 'ca.pem' }, clientCertSecret: { name: 'agent-mtls', certKey: 'cert.pem', keyKey: 'key.pem' } } } },
      () => ({ common: { caBundle: CaBundle.fromSecretName('corporate-ca', 'ca.pem'), clientCertificate: ClientCertificate.fromSecretName('agent-mtls', 'cert.pem', 'key.pem') } })],
    ['a CA bundle Secret wins over an inline bundle, as in the chart', { global: { tls: { caBundle: PEM_CERT, caBundleSecret: { name: 'corporate-ca' } } } },
      () => ({ common: { caBundle: CaBundle.fromSecretName('corporate-ca') } })],
    ['agent.moduleCache', { agent: { moduleCache: { enabled: true, sizeLimit: '10Gi', concurrency: 8 } } },
      () => ({ agent: { moduleCache: { enabled: true, sizeLimit: Size.gibibytes(10), concurrency: 8 } } })],
    ['agent.binaryCache', { agent: { binaryCache: { sizeLimit: '2Gi', thresholdDays: 3 } } },
      () => ({ agent: { binaryCache: { sizeLimit: Size.gibibytes(2), threshold: Duration.days(3) } } })],
    ['agent.providerCache (agent 1 settings)', { agent: { providerCache: { enabled: true, concurrency: 4, dropKernelPages: false } } },
      () => ({ agent: { providerCache: { enabled: true, concurrency: 4, dropKernelPages: false } } })],
    ['agent.providerNetworkMirrors', { agent: { providerNetworkMirrors: [{ hostname: '*', url: 'https://mirror.example.com/all/' }] } },
      () => ({ agent: { providerNetworkMirrors: [{ hostname: '*', url: 'https://mirror.example.com/all/' }] } })],
    ['agent.sentryDsn', { agent: { sentryDsn: 'https://key@sentry.example.com/42' } }, () => ({ agent: { sentryDsn: 'https://key@sentry.example.com/42' } })],
    ['agent.labels, annotations and topologySpreadConstraints',
      { agent: { labels: { owner: 'a' }, annotations: { note: 'b' }, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] } },
      () => ({ agent: { labels: { owner: 'a' }, annotations: { note: 'b' }, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] } })],
    ['commands and arguments', { agent: { controller: { command: ['/a'], args: ['b'] } }, task: { worker: { command: ['/c'], args: ['d'] } } },
      () => ({ agent: { controller: { command: ['/a'], args: ['b'] } }, task: { worker: { command: ['/c'], args: ['d'] } } })],
    ['task.job.basename, jobLabels and jobAnnotations', { task: { job: { basename: 'tf-run' }, jobLabels: { kind: 'run' }, jobAnnotations: { note: 'x' } } },
      () => ({ task: { job: { basename: 'tf-run' }, jobLabels: { kind: 'run' }, jobAnnotations: { note: 'x' } } })],
    ['task.startupTimeoutSeconds and the runner memory monitor', { task: { startupTimeoutSeconds: 300, runner: { memorySoftLimitPercent: 70, memoryWarnPercent: 85 } } },
      () => ({ task: { startupTimeout: Duration.minutes(5), runner: { memorySoftLimitPercent: 70, memoryWarnPercent: 85 } } })],
    ['task.podDisruptionBudget minAvailable', { task: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: null } } },
      () => ({ task: { podDisruptionBudget: { minAvailable: 1 } } })],
    ['task.podDisruptionBudget disabled', { task: { podDisruptionBudget: { enabled: false } } }, () => ({ task: { podDisruptionBudget: { enabled: false } } })],
    ['a hostPath cache', { persistence: { cache: { enabled: true, hostPath: { path: '/mnt/nvme/scalr-cache', type: 'Directory' } } } },
      () => ({ persistence: { cache: VolumeStorage.hostPath('/mnt/nvme/scalr-cache', kplus.HostPathVolumeType.DIRECTORY) } })],
    ['a hostPath wins over a claim, as in chart 0.6.5', { persistence: { cache: { enabled: true, hostPath: { path: '/mnt/cache' }, persistentVolumeClaim: { claimName: 'shared' } } } },
      () => ({ persistence: { cache: VolumeStorage.hostPath('/mnt/cache') } })],
    ['a cache claim with a subPath: the controller mounts it too', { persistence: { cache: { enabled: true, persistentVolumeClaim: { claimName: 'shared', subPath: 'team-a' } } } },
      () => ({ persistence: { cache: VolumeStorage.fromClaimName('shared'), cacheSubPath: 'team-a' } })],
  ];

  test.each(CASES)('%s', (_name, values, props) => {
    const fromValues = render(values, V0_6_5);
    expect(compareManifests(fromValues, renderTyped(props, V0_6_5))).toEqual([]);
  });

  test('helmValuesToProps gives the props of those values', () => {
    const props = helmValuesToProps({
      version: V0_6_5,
      values: {
        agent: { token: TOKEN, moduleCache: { enabled: true, sizeLimit: '10Gi' }, binaryCache: { thresholdDays: 3 }, sentryDsn: 'https://k@s.example.com/1' },
        global: { labels: { org: 'acme' }, proxy: { enabled: true, httpsProxy: 'http://proxy:3128', noProxy: 'a, b' } },
        task: { podDisruptionBudget: { maxUnavailable: 2 } },
        persistence: { cache: { enabled: true, hostPath: { path: '/mnt/cache' } } },
      },
    });
    expect(props.version).toBe(V0_6_5);
    expect(props.common?.labels).toEqual({ org: 'acme' });
    expect(props.common?.proxy).toEqual({ httpProxy: undefined, httpsProxy: 'http://proxy:3128', noProxy: ['a', 'b'] });
    expect(props.agent?.moduleCache?.enabled).toBe(true);
    expect(props.agent?.moduleCache?.sizeLimit?.toMebibytes()).toBe(10240);
    expect(props.agent?.binaryCache?.threshold?.toDays()).toBe(3);
    expect(props.agent?.sentryDsn).toBe('https://k@s.example.com/1');
    expect(props.task?.podDisruptionBudget).toEqual({ enabled: true, minAvailable: undefined, maxUnavailable: 2 });
    expect(props.persistence?.cache?.hostDirectory).toBe('/mnt/cache');
  });
});

describe('Helm merge semantics', () => {
  test('a map given merges with the default map (the other fields keep their defaults)', () => {
    const objs = render({ agent: { resources: { limits: { memory: '512Mi' } } } });
    expect(ctl(objs).resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    expect(ctl(render({ agent: { resources: { requests: { cpu: '200m' } } } }, V0_6_5)).resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' } });
  });

  test.each(VERSIONS)('chart %s: a list given replaces the default list', (_v, version) => {
    const objs = render({ rbac: { clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] } }, version);
    expect(find(objs, 'ClusterRole').rules).toHaveLength(1);
  });

  test('null removes a key and its default (minAvailable: null leaves maxUnavailable alone)', () => {
    const objs = render({ agent: { replicaCount: 2, podDisruptionBudget: { minAvailable: null, maxUnavailable: 0 } } });
    expect(pdb(objs)).toEqual({ maxUnavailable: 0, selector: expect.anything() });
    // Chart 0.6.5's task budget defaults to maxUnavailable 0: null removes it for minAvailable.
    const task = render({ task: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: null } } }, V0_6_5);
    expect(taskPdb(task)).toEqual({ minAvailable: 1, selector: expect.anything() });
  });

  test.each(VERSIONS)('chart %s: null removes entries of free maps', (_v, version) => {
    const objs = render({ task: { podAnnotations: { keep: 'yes', drop: null } } }, version);
    expect(job(objs).template.metadata.annotations.keep).toBe('yes');
    expect(job(objs).template.metadata.annotations).not.toHaveProperty('drop');
  });

  test.each(VERSIONS)('chart %s: an empty rules list gives a Role without rules', (_v, version) => {
    expect(find(render({ rbac: { rules: [] } }, version), 'Role').rules ?? []).toEqual([]);
  });

  test('null on a default the library always sets is an error that says so', () => {
    expect(errorOf({ global: { podSecurityContext: { runAsUser: null } } })).toBe(
      'global.podSecurityContext.runAsUser: got null; expected a value: null removes the chart\'s default (1000), which the library cannot leave out; give another value instead');
    expect(errorOf({ agent: { resources: { limits: null } } })).toMatch(/^agent\.resources\.limits\.cpu: got null; expected a value/);
    expect(errorOf({ agent: { replicaCount: null } })).toMatch(/^agent\.replicaCount: got null/);
    expect(errorOf({ task: { runner: { securityContext: { capabilities: null } } } })).toMatch(/^task\.runner\.securityContext\.capabilities: got null/);
    expect(errorOf({ task: { runner: { memoryWarnPercent: null } } }, { version: V0_6_5 })).toMatch(/^task\.runner\.memoryWarnPercent: got null; expected a value/);
  });

  test('the values given are not changed, and can be used twice', () => {
    const values = Object.freeze(merge({ agent: { token: TOKEN } }, { task: Object.freeze({ tolerations: Object.freeze([Object.freeze({ key: 'k' })]) }) }));
    for (const version of ChartVersion.all()) {
      const first = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'a', { values, version }));
      const second = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'a', { values, version }));
      expect(second).toEqual(first);
    }
    expect(values).toEqual({ agent: { token: TOKEN }, task: { tolerations: [{ key: 'k' }] } });
  });

  test('a __proto__ key in the values is an unknown key, not a prototype', () => {
    const values = JSON.parse(`{"agent": {"token": "${TOKEN}"}, "__proto__": {"polluted": true}}`);
    expect(errorOf(values, { withToken: false })).toMatch(/^__proto__: unknown key/);
    expect(({} as any).polluted).toBeUndefined();
  });

  test('a __proto__ key inside a Kubernetes structure is an unknown field of it, named as such', () => {
    const values = JSON.parse('{"agent": {"podSecurityContext": {"__proto__": {"runAsUser": 5}, "runAsNonRoot": true}}}');
    expect(errorOf(values)).toMatch(/^agent\.podSecurityContext: unknown field "__proto__"; expected one of appArmorProfile, fsGroup/);
  });
});

describe('release options', () => {
  test('the chart version defaults to 0.6.5', () => {
    const objs = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'x', { values: { agent: { token: TOKEN } } }));
    expect(find(objs, 'ServiceAccount').metadata).toMatchObject({ name: 'scalr-agent', namespace: 'default' });
    expect(findAll(objs, 'AgentTaskTemplate')).toHaveLength(1);
    expect(find(objs, 'CustomResourceDefinition').metadata.name).toBe('agenttasktemplates.scalr.io');
  });

  test('release name, namespace and includeCrd are used; the CRD is included by default', () => {
    const withCrd = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'x', {
      version: V0_5_62, releaseName: 'pool-a', namespace: 'agents', values: { agent: { token: TOKEN } },
    }));
    expect(find(withCrd, 'ServiceAccount').metadata).toMatchObject({ name: 'pool-a-agent-job', namespace: 'agents' });
    expect(findAll(withCrd, 'CustomResourceDefinition')).toHaveLength(1);
    const without = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'x', { version: V0_5_62, includeCrd: false, values: { agent: { token: TOKEN } } }));
    expect(findAll(without, 'CustomResourceDefinition')).toHaveLength(0);
    expect(find(without, 'ServiceAccount').metadata).toMatchObject({ name: 'scalr-agent-agent-job', namespace: 'default' });
  });

  test('helmValuesToProps gives the typed props, with the chart defaults written out', () => {
    const props: AgentJobChartProps = helmValuesToProps({ version: V0_5_62, values: { agent: { token: TOKEN, replicaCount: 2 } } });
    expect(props.version).toBe(V0_5_62);
    expect(props.agent?.replicas).toBe(2);
    expect(props.agent?.terminationGracePeriod?.toSeconds()).toBe(360);
    expect(props.includeCrd).toBe(true);
    const latest = helmValuesToProps({ values: { agent: { token: TOKEN } } });
    expect(latest.version).toBe(V0_6_5);
    expect(latest.agent?.terminationGracePeriod?.toSeconds()).toBe(180);
    expect(latest.task?.job?.backoffLimit).toBe(1);
  });

  test('a version that is not a ChartVersion is refused', () => {
    expect(() => AgentJobChart.fromHelmValues(Testing.app(), 'x', { version: '0.6.5' as any, values: { agent: { token: TOKEN } } }))
      .toThrow(/^version: got "0\.6\.5"; expected a ChartVersion such as ChartVersion\.V0_6_5/);
  });
});

describe('unknown keys', () => {
  test.each([
    [{ agent: { replicaCont: 2 } }, 'agent.replicaCont: unknown key; did you mean agent.replicaCount?'],
    [{ replicaCount: 2 }, 'replicaCount: unknown key; did you mean agent.replicaCount?'],
    [{ agent: { allowMetadataService: true } }, 'agent.allowMetadataService: unknown key; did you mean task.allowMetadataService?'],
    [{ persistance: {} }, 'persistance: unknown key; did you mean persistence?'],
    [{ agent: { resources: { limits: { memroy: '1Gi' } } } }, 'agent.resources.limits.memroy: unknown key; did you mean agent.resources.limits.memory?'],
    [{ task: { worker: { image: { digest: 'sha256:abc' } } } },
      'task.worker.image.digest: unknown key (chart 0.5.62 has no such value); expected one of repository, tag, pullPolicy'],
  ])('chart 0.5.62: %j is refused: %s', (values, message) => {
    expect(errorOf(values)).toBe(message);
  });

  test.each([
    [{ agent: { moduleCahce: { enabled: true } } }, 'agent.moduleCahce: unknown key; did you mean agent.moduleCache?'],
    [{ global: { proxy: { http: 'x' } } }, 'global.proxy.http: unknown key (chart 0.6.5 has no such value); expected one of enabled, httpProxy, httpsProxy, noProxy'],
  ])('chart 0.6.5: %j is refused: %s', (values, message) => {
    expect(errorOf(values, { version: V0_6_5 })).toBe(message);
  });

  // An unknown key spelled like a typed prop is suggested its values spelling, and named as written.
  test.each([
    [V0_5_62, { agent: { replicas: 2 } }, 'agent.replicas: unknown key; did you mean agent.replicaCount?'],
    [V0_5_62, { serviceAccount: { tokenTtl: 7200 } }, 'serviceAccount.tokenTtl: unknown key; did you mean serviceAccount.tokenTTL?'],
    [V0_5_62, { telemetry: { enabled: true } }, 'telemetry: unknown key; did you mean otel?'],
    [V0_6_5, { task: { startupTimeout: 300 } }, 'task.startupTimeout: unknown key; did you mean task.startupTimeoutSeconds?'],
  ])('chart %s: a prop\'s name as a key (%j) is refused: %s', (version, values, message) => {
    expect(errorOf(values, { version })).toBe(message);
  });

  test('an unknown key spelled like a typed prop is suggested its values key', () => {
    expect(errorOf({ agent: { replicas: 2 } })).toMatch(/: unknown key; did you mean agent\.replicaCount\?$/);
    expect(errorOf({ serviceAccount: { tokenTtl: 7200 } })).toMatch(/: unknown key; did you mean serviceAccount\.tokenTTL\?$/);
    expect(errorOf({ telemetry: { enabled: true } })).toMatch(/: unknown key; did you mean otel\?$/);
    expect(errorOf({ task: { startupTimeout: 300 } }, { version: V0_6_5 })).toMatch(/: unknown key; did you mean task\.startupTimeoutSeconds\?$/);
  });

  test('a key of the other chart version names that version', () => {
    expect(errorOf({ task: { job: { basename: 'tf-run' } } }, { version: V0_5_62 })).toBe(
      'task.job.basename: unknown key in chart 0.5.62; it exists in chart 0.6.5 (select it with --version 0.6.5, or version: ChartVersion.V0_6_5)');
    expect(errorOf({ global: { proxy: { enabled: true } } }, { version: V0_5_62 })).toMatch(/^global\.proxy: unknown key in chart 0\.5\.62; it exists in chart 0\.6\.5/);
    expect(errorOf({ task: { worker: { image: { tag: '1.4.0' } } } }, { version: V0_6_5 })).toBe(
      'task.worker.image: unknown key in chart 0.6.5; it exists in chart 0.5.62 (select it with --version 0.5.62, or version: ChartVersion.V0_5_62)');
  });

  test('free maps (annotations, labels, environment) take any key; Kubernetes structures take any valid structure', () => {
    for (const version of ChartVersion.all()) {
      const objs = render({ agent: { podAnnotations: { 'anything.example.com/at-all': 'yes' }, affinity: ANTI_AFFINITY } }, version);
      expect(dep(objs).spec.template.metadata.annotations['anything.example.com/at-all']).toBe('yes');
      expect(ctlPod(objs).affinity).toEqual(ANTI_AFFINITY);
      // Kubernetes structures are checked against their schema.
      expect(errorOf({ agent: { affinity: { whatever: { nested: true } } } }, { version }))
        .toBe('agent.affinity: unknown field "whatever"; expected one of nodeAffinity, podAffinity, podAntiAffinity');
    }
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
    [{ agent: { replicaCount: -1 } }, 'agent.replicaCount: got -1; expected a whole number from 0 to 2147483647'],
    [{ serviceAccount: { create: 'true' } }, 'serviceAccount.create: got "true"; expected true or false'],
    [{ agent: { resources: 'big' } }, 'agent.resources: got a string; expected a map'],
    [{ task: { tolerations: { key: 'x' } } }, 'task.tolerations: got a map; expected a list'],
    [{ task: { tolerations: ['dedicated'] } }, 'task.tolerations[0]: got a string; expected a map (a Kubernetes Toleration)'],
    [{ agent: { image: { tag: 1.2 } } }, 'agent.image.tag: got 1.2; expected a string (quote it in the values file, or use --set-string)'],
    [{ agent: { image: { pullPolicy: 'always' } } }, 'agent.image.pullPolicy: got "always"; expected one of "Always", "IfNotPresent", "Never"'],
    [{ agent: { podAnnotations: { 'prometheus.io/scrape': false } } },
      'agent.podAnnotations.prometheus.io/scrape: got false; expected a string (quote numbers and booleans)'],
    [{ agent: { debug: 'yes' } }, 'agent.debug: got "yes"; expected "0" or "1" (or 0, 1, true, false)'],
    [{ agent: { logFormat: 'text' } }, 'agent.logFormat: got "text"; expected one of "json", "plain", "dev"'],
    [{ agent: { extraEnv: { A: { b: 1 } } } }, 'agent.extraEnv.A: got a map ({"b":1}); expected a string, number or boolean (the value of the variable)'],
    [{ agent: { providerCache: { sizeLimit: 40960 } } }, 'agent.providerCache.sizeLimit: got 40960; expected a size with a unit, such as "40Gi" or "1500M"'],
    [{ persistence: { data: { emptyDir: { sizeLimit: 'lots' } } } },
      /^persistence\.data\.emptyDir\.sizeLimit: got "lots"; expected a Kubernetes quantity such as /],
    [{ persistence: { cache: { persistentVolumeClaim: { accessMode: 'RWX' } } } },
      'persistence.cache.persistentVolumeClaim.accessMode: got "RWX"; expected one of "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"'],
    [{ agent: { podDisruptionBudget: { minAvailable: 'half' } } },
      'agent.podDisruptionBudget.minAvailable: got "half"; expected a whole number of at least 0, a percentage such as "50%", or null'],
    [{ global: { imagePullSecrets: ['regcred'] } }, 'global.imagePullSecrets[0]: got a string; expected a map (an image pull secret such as {name: regcred})'],
    [{ global: { imagePullSecrets: [{ name: 'Reg Cred' }] } }, 'global.imagePullSecrets[0].name: got "Reg Cred"; expected the name of a Secret in the release namespace'],
    [{ task: { job: { ttlSecondsAfterFinished: '1h' } } }, 'task.job.ttlSecondsAfterFinished: got "1h"; expected a whole number'],
  ] as [Json, string | RegExp][])('chart 0.5.62: %j is refused: %s', (values, message) => {
    if (message instanceof RegExp) expect(errorOf(values)).toMatch(message); else expect(errorOf(values)).toBe(message);
  });

  test.each([
    [{ agent: { moduleCache: { concurrency: 0 } } }, 'agent.moduleCache.concurrency: got 0; expected a whole number from 1 to 1000'],
    [{ agent: { binaryCache: { thresholdDays: 1.5 } } }, 'agent.binaryCache.thresholdDays: got 1.5; expected a whole number'],
    [{ agent: { binaryCache: { sizeLimit: 2048 } } }, 'agent.binaryCache.sizeLimit: got 2048; expected a size with a unit, such as "40Gi" or "1500M"'],
    [{ agent: { providerNetworkMirrors: [{ hostname: '*', url: 'https://m.example.com/', mirror: 'x' }] } },
      'agent.providerNetworkMirrors[0].mirror: unknown key; expected only url, hostname, include, token'],
    [{ agent: { providerNetworkMirrors: [{ url: 'https://m.example.com/', include: ['no spaces allowed'] }] } },
      /^agent\.providerNetworkMirrors\[0\]\.include\[0\]: got "no spaces allowed"; expected a provider address/],
    [{ agent: { providerNetworkMirrors: [{ hostname: '*', url: 'http://m.example.com/' }] } },
      /^agent\.providerNetworkMirrors\[0\]\.url: got "http:\/\/m\.example\.com\/"; expected an https URL/],
    [{ task: { runner: { memoryWarnPercent: 101 } } }, 'task.runner.memoryWarnPercent: got 101; expected a whole number from 1 to 100'],
    [{ task: { runner: { memorySoftLimitPercent: 0 } } }, 'task.runner.memorySoftLimitPercent: got 0; expected a whole number from 1 to 100'],
    [{ task: { startupTimeoutSeconds: 0 } }, 'task.startupTimeoutSeconds: got 0; expected a whole number from 1 to 2147483647'],
    [{ task: { podDisruptionBudget: { maxUnavailable: '50%' } } }, 'task.podDisruptionBudget.maxUnavailable: got "50%"; expected a whole number of at least 0, or null'],
    [{ task: { job: { basename: 'TF_RUN' } } }, /^task\.job\.basename: got "TF_RUN"; expected a DNS-1123 subdomain/],
    [{ global: { proxy: { enabled: 'yes' } } }, 'global.proxy.enabled: got "yes"; expected true or false'],
    [{ global: { tls: { clientCert: PEM_CERT } } }, /^global\.tls\.clientKey: got nothing; expected it too/],
    [{ persistence: { cache: { enabled: true, hostPath: { path: '/mnt/cache', type: 'File' } } } },
      'persistence.cache.hostPath.type: got "File"; expected one of "DirectoryOrCreate", "Directory"'],
    [{ persistence: { cache: { enabled: true, hostPath: { path: 'relative' } } } }, /^persistence\.cache\.hostPath\.path: got "relative"; expected an absolute directory/],
    [{ agent: { topologySpreadConstraints: 'zone' } }, 'agent.topologySpreadConstraints: got a string; expected a list'],
  ] as [Json, string | RegExp][])('chart 0.6.5: %j is refused: %s', (values, message) => {
    const text = errorOf(values, { version: V0_6_5 });
    if (message instanceof RegExp) expect(text).toMatch(message); else expect(text).toBe(message);
  });

  test('values that are not a map are refused', () => {
    expect(errorOf('agent: {}', { withToken: false })).toBe("values: got a string; expected a map of the chart's values (a parsed values.yaml)");
    expect(() => AgentJobChart.fromHelmValues(Testing.app(), 'x', undefined as any)).toThrow(/^options: got null; expected HelmValuesOptions/);
  });

  test.each([['"1"', '1', true], ['1', 1, true], ['true', true, true], ['"0"', '0', false], ['0', 0, false], ['false', false, false]])(
    'agent.debug %s is accepted', (_shown, debug, on) => {
      for (const version of ChartVersion.all()) {
        expect(env(ctl(render({ agent: { debug } }, version)), 'SCALR_AGENT_DEBUG')).toBe(on ? '1' : '0');
      }
    });
});

describe('the token', () => {
  test('a missing token fails as the chart does', () => {
    expect(errorOf({}, { withToken: false })).toMatch(/^agent\.token: got nothing; expected the agent pool token.*"agent\.token must be provided"/);
    expect(errorOf(undefined, { withToken: false })).toMatch(/^agent\.token: got nothing/);
    expect(errorOf({}, { withToken: false, version: V0_6_5 })).toMatch(/^agent\.token: got nothing; expected the agent pool token/);
  });

  test.each(VERSIONS)('chart %s: an existing Secret wins over a token value, as in the chart', (_v, version) => {
    const objs = render({ agent: { token: TOKEN, tokenExistingSecret: { name: 'pool-token' } } }, version);
    expect(findAll(objs, 'Secret')).toHaveLength(0);
    expect(env(ctl(objs), 'SCALR_AGENT_TOKEN').secretKeyRef).toEqual({ name: 'pool-token', key: 'token', optional: false });
  });

  test.each(VERSIONS)('chart %s: a token value next to an existing Secret is not used, and still kept out of every object', (_v, version) => {
    const copies: Json[] = [{ agent: { url: `https://${TOKEN}@scalr.example.com` } }, { agent: { extraEnv: { [TOKEN]: 'x' } } }];
    for (const copy of copies) {
      const values = merge({ agent: { token: TOKEN, tokenExistingSecret: { name: 'pool-token' } } }, copy);
      const error = configErrorOf(() => render(values, version));
      expect(error.expected).toMatch(/^the agent pool token only in its Secret/);
      expect(error.message).not.toContain(TOKEN);
    }
    // A short value is no token (the library refuses tokens under 8 characters): nothing to keep out.
    expect(() => render({ agent: { token: 'abc', tokenExistingSecret: { name: 'pool-token' }, url: 'https://abc.example.com' } }, version)).not.toThrow();
  });

  test.each(VERSIONS)('chart %s: a claim size over 8Pi is refused with its values key (the API server warns "fractional byte value")', (_v, version) => {
    expect(errorOf({ persistence: { cache: { enabled: true, persistentVolumeClaim: { storage: '1Ei' } } } }, { version }))
      .toMatch(/^persistence\.cache\.persistentVolumeClaim\.storage: got "1Ei"; expected at most 8Pi/);
    expect(errorOf({ agent: { resources: { limits: { memory: '0.5' } } } }, { version }))
      .toMatch(/^agent\.resources\.limits\.memory: got "0\.5 bytes"; expected a whole number of bytes/);
  });

  test('decimal memory amounts are counted exactly: "2.01k" is 2010 bytes and "0.3G" is 300M, not a fraction of a byte', () => {
    const objs = render({ agent: { resources: { requests: { memory: '2.01k' }, limits: { memory: '0.3G' } } } });
    expect(ctl(objs).resources.requests.memory).toBe('2010');
    expect(ctl(objs).resources.limits.memory).toBe('300M');
  });

  test('tokenExistingSecret.key without a name names the key of the Secret the library creates (the chart breaks here)', () => {
    const objs = render({ agent: { tokenExistingSecret: { key: 'pool' } } });
    expect(Object.keys(find(objs, 'Secret').data)).toEqual(['pool']);
    expect(env(worker(objs), 'SCALR_AGENT_TOKEN').secretKeyRef).toEqual({ name: 'scalr-agent-agent-job', key: 'pool', optional: false });
  });

  test.each([
    [{ agent: { token: ` ${TOKEN}\n` } }, /^agent\.token: got \(redacted\)/],
    [{ agent: { token: `${TOKEN} x` } }, /^agent\.token: got \(redacted\)/],
    [{ agent: { token: 4711 } }, /^agent\.token: got \(redacted\); expected a string \(quote it, or use --set-string\)/],
    [{ agent: { token: { value: TOKEN } } }, /^agent\.token: got \(redacted\); expected a string/],
    [{ agent: [TOKEN] }, /^agent: got a list; expected a map/],
    [{ agent: TOKEN }, /^agent: got a string; expected a map/],
    [{ agent: { tokenExistingSecret: { name: TOKEN } } }, /^agent\.tokenExistingSecret\.name: got \(redacted\)/],
    [{ agent: { tokenExistingSecret: TOKEN } }, /^agent\.tokenExistingSecret: got a string; expected a map/],
    [{ agent: { replicaCount: 'x' } }, /^agent\.replicaCount/],
    [{ agent: { podDisruptionBudget: { maxUnavailable: 1 }, replicaCount: 2 } }, /maxUnavailable/],
    // The token value put into other keys: the library redacts it wherever it shows.
    // (Other suffixes than " x": the token value `${TOKEN} x` above is registered as a secret too.)
    [{ agent: { url: `https://example.scalr.io/${TOKEN} y` } }, /^agent\.url: got "https:\/\/example\.scalr\.io\/\(redacted\) y"/],
    [{ agent: { podLabels: { team: `${TOKEN} y` } } }, /^agent\.podLabels\.team: got "\(redacted\) y"/],
    [{ fullnameOverride: `${TOKEN}-` }, /^fullnameOverride: got "\(redacted\)-"/],
    [{ nameOverride: TOKEN }, /^nameOverride: got "\(redacted\)"/],
    [{ global: { imagePullSecrets: [{ name: TOKEN }] } }, /^global\.imagePullSecrets\[0\]\.name: got "\(redacted\)"/],
    [{ agent: { extraEnv: { [`${TOKEN}=x`]: 'x' } } }, /^agent\.extraEnv\.\(redacted\)=x/],
    [{ agent: { image: { tag: `${b64(TOKEN)}:x` } } }, /^agent\.image\.tag: got "\(redacted\):x"/],
  ])('the token is never in a message (%j)', (values, message) => {
    for (const version of ChartVersion.all()) {
      const text = errorOf(merge({ agent: { token: TOKEN } }, values as Json), { withToken: false, version });
      expect(text).toMatch(message);
      expect(text.toLowerCase()).not.toContain(TOKEN.toLowerCase());
      expect(text).not.toContain(b64(TOKEN).replace(/=+$/, ''));
    }
  });

  test.each(ChartVersion.all().map((v) => [v.version, v] as const))('chart %s: the token in another case, given as agent.tokenExistingSecret.name, is never in a message', (_v, version) => {
    const text = errorOf({ agent: { tokenExistingSecret: { name: TOKEN.toUpperCase() } } }, { withToken: false, version });
    expect(text).toMatch(/^agent\.tokenExistingSecret\.name: got \(redacted\); expected/);
    expect(text.toLowerCase()).not.toContain(TOKEN.toLowerCase());
  });

  test('the release name given to fromHelmValues is redacted too', () => {
    const error = configErrorOf(() => AgentJobChart.fromHelmValues(Testing.app(), 'x', { releaseName: TOKEN, values: { agent: { token: TOKEN } } }));
    expect(error.message).toMatch(/^releaseName: got "\(redacted\)"/);
  });

  test('an inline client key is never in a message', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGsecretKeyMaterial4711\n-----END PRIVATE KEY-----\n';
    const bad = `${key}trailing garbage`;
    const text = errorOf({ global: { tls: { clientCert: PEM_CERT, clientKey: bad } } }, { version: V0_6_5 });
    expect(text).toMatch(/^global\.tls\.clientKey: got \(redacted\); expected a PEM private key/);
    expect(text).not.toContain('MIGsecretKeyMaterial4711');
    const elsewhere = errorOf({ agent: { url: `https://x/${key}` }, global: { tls: { clientCert: PEM_CERT, clientKey: key } } }, { version: V0_6_5 });
    expect(elsewhere).toMatch(/^agent\.url: /);
    expect(elsewhere).not.toContain('MIGsecretKeyMaterial4711');
  });
});

describe('deliberate differences from the chart', () => {
  test.each([
    ['agent.podDisruptionBudget', V0_5_62, { agent: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } } }],
    ['agent.podDisruptionBudget', V0_6_5, { agent: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } } }],
    ['task.podDisruptionBudget', V0_6_5, { task: { podDisruptionBudget: { minAvailable: 1 } } }],
  ] as [string, ChartVersion, Json][])('%s with both fields set is an error naming both keys (chart %s)', (key, version, values) => {
    const text = errorOf(values, { version });
    expect(text).toContain(`${key}.minAvailable`);
    expect(text).toContain(`${key}.maxUnavailable`);
    expect(text).toMatch(/a PodDisruptionBudget takes minAvailable or maxUnavailable, not both; set one of them to null/);
  });

  test('the controller budget with both fields says that minAvailable defaults to 1', () => {
    expect(errorOf({ agent: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } } })).toMatch(/\(minAvailable defaults to 1\)$/);
  });

  test('an enabled PodDisruptionBudget with neither field is an error', () => {
    expect(errorOf({ agent: { podDisruptionBudget: { minAvailable: null } } })).toBe(
      'agent.podDisruptionBudget: got neither minAvailable nor maxUnavailable; expected one of them (or enabled: false for no PodDisruptionBudget)');
    expect(errorOf({ agent: { podDisruptionBudget: { minAvailable: null, enabled: false } } })).toBe('');
    expect(errorOf({ task: { podDisruptionBudget: { maxUnavailable: null } } }, { version: V0_6_5 })).toMatch(
      /^task\.podDisruptionBudget: got neither minAvailable nor maxUnavailable/);
  });

  test.each(VERSIONS)('chart %s: a leading / in the cache subPath is stripped, as the chart strips it', (_v, version) => {
    const cache = (subPath: string) => render({ persistence: { cache: { enabled: true, persistentVolumeClaim: { subPath } } } }, version);
    const withSlash = cache('/team-a');
    expect(compareManifests(withSlash, cache('team-a'))).toEqual([]);
    expect(mount(worker(withSlash), '/var/lib/scalr-agent/cache').subPath).toBe('team-a/cache');
  });

  test.each(VERSIONS)('chart %s: the cache subPath is ignored while the cache is an emptyDir, as in the chart', (_v, version) => {
    const objs = render({ persistence: { cache: { persistentVolumeClaim: { subPath: 'team-a' } } } }, version);
    expect(compareManifests(objs, render({}, version))).toEqual([]);
  });

  test.each(VERSIONS)('chart %s: storageClassName "" leaves the class out and "-" gives ""', (_v, version) => {
    const claim = (storageClassName: string) => find(
      render({ persistence: { data: { enabled: true, persistentVolumeClaim: { storageClassName } } } }, version), 'PersistentVolumeClaim').spec;
    expect(claim('')).not.toHaveProperty('storageClassName');
    expect(claim('-').storageClassName).toBe('');
  });

  test.each(VERSIONS)('chart %s: extraEnv may not redefine a variable the library sets, unless agent.allowEnvOverrides', (_v, version) => {
    expect(errorOf({ agent: { extraEnv: { SCALR_AGENT_DEBUG: '1' } } }, { version }))
      .toMatch(/^agent\.extraEnv\.SCALR_AGENT_DEBUG: got "SCALR_AGENT_DEBUG"; expected a variable the library does not set/);
    const objs = render({ agent: { allowEnvOverrides: true, extraEnv: { SCALR_AGENT_DEBUG: '1' } } }, version);
    expect(ctl(objs).env.filter((e: any) => e.name === 'SCALR_AGENT_DEBUG')).toEqual([{ name: 'SCALR_AGENT_DEBUG', value: '1' }]);
  });

  test('library errors name the values keys, not the typed props', () => {
    // The values key is a number of seconds: it is checked as one (the API server's range).
    expect(errorOf({ serviceAccount: { tokenTTL: 300 } })).toBe('serviceAccount.tokenTTL: got 300; expected a whole number from 600 to 4294967295');
    expect(errorOf({ task: { runner: { resources: { requests: { memory: '8Gi' } } } } })).toMatch(/^task\.runner\.resources\.requests\.memory: got "8Gi"; expected at most the limit/);
    expect(errorOf({ agent: { replicaCount: 4, podDisruptionBudget: { minAvailable: '150%' } } }))
      .toMatch(/^agent\.podDisruptionBudget\.minAvailable: got "150%"; expected a percentage from "0%" to "100%"/);
    // The key may hold a token pasted in the wrong place: never shown.
    expect(errorOf({ agent: { tokenExistingSecret: { name: 'pool-token', key: 'a/b' } } })).toMatch(/^agent\.tokenExistingSecret\.key: got \(redacted\); expected the Secret key/);
    expect(errorOf({ persistence: { data: { enabled: true, persistentVolumeClaim: { claimName: 'Bad_Name' } } } }))
      .toMatch(/^persistence\.data\.persistentVolumeClaim\.claimName: got "Bad_Name"; expected a DNS-1123 subdomain/);
    expect(errorOf({ agent: { controller: { extraEnv: [{ name: 'SCALR_AGENT_TOKEN', value: 'x' }] } } }))
      .toMatch(/^agent\.controller\.extraEnv\[0\]/);
    expect(errorOf({ persistence: { cache: { enabled: true, persistentVolumeClaim: { subPath: 'a/../..' } } } }))
      .toMatch(/^persistence\.cache\.persistentVolumeClaim\.subPath: got "a\/\.\.\/\.\."/);
    expect(errorOf({ agent: { terminationGracePeriodSeconds: 1e12 } })).toMatch(/^agent\.terminationGracePeriodSeconds: /);
  });

  test('library errors name the values keys of chart 0.6.5, not the typed props', () => {
    const v = { version: V0_6_5 };
    expect(errorOf({ agent: { replicaCount: 4, podDisruptionBudget: { maxUnavailable: '150%', minAvailable: null } } }, v))
      .toMatch(/^agent\.podDisruptionBudget\.maxUnavailable: got "150%"/);
    expect(errorOf({ global: { tls: { caBundle: 'not a certificate' } } }, v)).toMatch(/^global\.tls\.caBundle: got .*; expected one or more PEM certificates/);
    expect(errorOf({ global: { tls: { caBundleSecret: { name: 'ca', key: 'a/b' } } } }, v)).toMatch(/^global\.tls\.caBundleSecret\.key: got "a\/b"/);
    expect(errorOf({ global: { tls: { clientCertSecret: { name: 'mtls', certKey: 'same', keyKey: 'same' } } } }, v))
      .toMatch(/^global\.tls\.clientCertSecret\.keyKey: got "same"; expected a key other than certKey/);
    expect(errorOf({ global: { proxy: { enabled: true, httpProxy: 'proxy:3128' } } }, v)).toMatch(/^global\.proxy\.httpProxy: got "proxy:3128"/);
    expect(errorOf({ agent: { resources: { limits: { memory: '64Mi' } } } }, v)).toMatch(/^agent\.resources\.requests\.memory: got "256Mi"; expected at most the limit \(64Mi\)/);
    expect(errorOf({ agent: { controller: { extraEnv: [{ name: 'SCALR_AGENT_TOKEN', value: 'x' }] } } }, v)).toMatch(/^agent\.controller\.extraEnv\[0\]/);
  });

  test.each(VERSIONS)('chart %s: the provider cache size is exact (the chart truncates 1.5Gi to 1024 MB and refuses Ti)', (_v, version) => {
    const mb = (sizeLimit: string) => env(worker(render({ agent: { providerCache: { enabled: true, sizeLimit } } }, version)), 'SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB');
    expect(mb('1.5Gi')).toBe('1536');
    expect(mb('1500M')).toBe('1500');
    expect(mb('1Ti')).toBe('1048576');
  });
});
