import { inspect } from 'util';
import { App, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import {
  AgentEnvContract, AgentJobChart, AgentJobConfigError, AgentPoolFleet, AgentTaskCrd, AgentToken, CaBundle, ChartVersion,
  ClientCertificate, LogFormat, StopAction, TaskTemplateResource, VolumeStorage,
} from '../src';
import { PoolProps, TOKEN_VALUE, V0_5_62, V0_6_5, configErrorOf, pool, token } from './support/builders';
import * as k8sLists from '../src/core/k8s-enums';

/** The token of the shared builders' pools: no message may show it. */
const TOKEN_TEXT = TOKEN_VALUE;

/** A pool of these props (chart 0.5.62 unless they say otherwise: the cases were written for it). */
function build(props: PoolProps | ((scope: Construct) => PoolProps), app: App = Testing.app()): App {
  const given = typeof props === 'function' ? props(app) : props;
  pool({ version: V0_5_62, ...given }, app);
  return app;
}

/** A pool of chart 0.6.5. */
function build6(props: PoolProps): App {
  return build({ version: V0_6_5, ...props });
}

const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBexampleClientCertificateForTestsOnly\n-----END CERTIFICATE-----\n';
/** A private key that is not PEM: it must never be shown. */
const BAD_KEY = 'private-key-material-that-is-not-pem-4711';

/** Every case: a wrong input, and the parts its message must contain (path, value, what is allowed). */
const CASES: [string, () => unknown, (string | RegExp)[]][] = [
  // names
  ['release name with upper case', () => build({ releaseName: 'Scalr' }), ['releaseName', '"Scalr"', 'DNS-1123 label']],
  ['release name longer than 53 characters', () => build({ releaseName: 'a'.repeat(54) }), ['releaseName', 'at most 53']],
  ['namespace with a dot', () => build({ namespace: 'team.a' }), ['namespace', '"team.a"', 'DNS-1123 label']],
  ['nameOverride with underscore', () => build({ nameOverride: 'tf_agent' }), ['nameOverride', 'DNS-1123 label']],
  ['fullnameOverride ending in a dash', () => build({ fullnameOverride: 'agents-' }), ['fullnameOverride', 'DNS-1123 subdomain']],
  ['fullnameOverride that truncates to a trailing dot', () => build({ fullnameOverride: `${'a'.repeat(62)}.b` }), ['fullnameOverride (after truncation', 'DNS-1123 subdomain']],
  ['ServiceAccount name with spaces', () => build({ serviceAccount: { name: 'my sa' } }), ['serviceAccount.name', '"my sa"']],
  ['existing Secret name with upper case', () => AgentToken.fromSecretName('Token'), ['token.secretName', '"Token"']],
  ['existing Secret key with a slash', () => AgentToken.fromSecretName('token', 'a/b'), ['token.key', '"a/b"', 'Secret key']],
  ['existing claim name with upper case', () => VolumeStorage.existingClaim('Shared'), ['claimName', '"Shared"']],
  ['image pull secret name invalid', () => build((scope) => ({ common: { imagePullSecrets: [kplus.Secret.fromSecretName(scope, 'regcred', 'Reg Cred')] } })).synthYaml(),
    ['common.imagePullSecrets[0].name', '"Reg Cred"']],
  // labels and annotations
  ['pod label value too long', () => build({ agent: { podLabels: { team: 'x'.repeat(64) } } }), ['agent.podLabels.team', 'at most 63']],
  ['pod label key with two slashes', () => build({ task: { podLabels: { 'a/b/c': 'x' } } }), ['task.podLabels (label key)', '"a/b/c"']],
  ['annotation key with an invalid prefix', () => build({ agent: { podAnnotations: { 'Bad_Prefix/x': 'y' } } }), ['agent.podAnnotations (annotation key)', '"Bad_Prefix/x"']],
  ['ServiceAccount annotation key too long', () => build({ serviceAccount: { annotations: { ['k'.repeat(64)]: 'v' } } }), ['serviceAccount.annotations (annotation key)']],
  ['node selector value with a slash', () => build({ task: { nodeSelector: { pool: 'a/b' } } }), ['task.nodeSelector.pool', '"a/b"']],
  // quantities and resources
  ['cpu request that is not a quantity', () => build({ agent: { resources: { cpu: { request: kplus.Cpu.units('lots' as any) } } } }), ['agent.resources.cpu.request', '"lots"', 'Kubernetes quantity']],
  ['cpu request above the limit', () => build({ task: { runner: { resources: { cpu: { request: kplus.Cpu.units(8) } } } } }), ['task.runner.resources.cpu.request', '"8"', 'at most the limit (4000m)']],
  ['memory request above the limit', () => build({ task: { worker: { resources: { memory: { request: Size.gibibytes(2) } } } } }), ['task.worker.resources.memory.request', '"2Gi"', 'at most the limit (1Gi)']],
  ['memory limit below the default request', () => build({ agent: { resources: { memory: { limit: Size.mebibytes(64) } } } }), ['agent.resources.memory.request', '"128Mi"', 'at most the limit (64Mi)']],
  ['zero emptyDir size', () => VolumeStorage.emptyDir({ sizeLimit: Size.gibibytes(0) }), ['sizeLimit', 'greater than zero']],
  ['zero claim size', () => VolumeStorage.newClaim({ storage: Size.gibibytes(0) }), ['storage', 'greater than zero']],
  // The API server counts memory and storage in thousandths of a byte in an int64: 1Ei draws "fractional byte value".
  ['claim size over 8Pi', () => VolumeStorage.newClaim({ storage: Size.pebibyte(1024) }), ['storage', 'got "1Ei"', 'at most 8Pi']],
  ['memory limit over 8Pi', () => build({ task: { runner: { resources: { memory: { limit: Size.pebibyte(9) } } } } }), ['task.runner.resources.memory.limit', 'got "9Pi"', 'at most 8Pi']],
  ['ephemeral storage request over 8Pi', () => build({ agent: { resources: { ephemeralStorage: { request: Size.pebibyte(16) } } } }), ['agent.resources.ephemeralStorage.request', 'at most 8Pi']],
  ['memory request of half a byte', () => build({ agent: { resources: { memory: { request: Size.kibibytes(1 / 2048) } } } }), ['agent.resources.memory.request', '0.5 bytes', 'a whole number of bytes']],
  ['NFS capacity over 8Pi', () => VolumeStorage.nfs({ server: 'nfs.internal', path: '/exports', storage: Size.pebibyte(1024) }), ['nfs.storage', 'at most 8Pi']],
  ['provider cache below one megabyte', () => build({ agent: { providerCache: { enabled: true, sizeLimit: Size.kibibytes(100) } } }), ['agent.providerCache.sizeLimit', 'at least 1 MB']],
  // integers and durations
  ['negative replicas', () => build({ agent: { replicas: -1 } }), ['agent.replicas', '-1', 'whole number of at least 0']],
  ['fractional replicas', () => build({ agent: { replicas: 1.5 } }), ['agent.replicas', '1.5']],
  ['negative backoffLimit', () => build({ task: { job: { backoffLimit: -2 } } }), ['task.job.backoffLimit', '-2']],
  ['fractional ttlAfterFinished', () => build({ task: { job: { ttlAfterFinished: Duration.millis(1500) } } }), ['task.job.ttlAfterFinished', '1.5 seconds', 'whole number of seconds']],
  ['fractional grace period', () => build({ agent: { terminationGracePeriod: Duration.millis(500) } }), ['agent.terminationGracePeriod', 'whole number of seconds']],
  ['token TTL below ten minutes', () => build({ serviceAccount: { tokenTtl: Duration.minutes(5) } }), ['serviceAccount.tokenTtl', '300 seconds', 'from 600']],
  ['PDB with both minAvailable and maxUnavailable', () => build({ agent: { replicas: 2, podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } }), ['agent.podDisruptionBudget.maxUnavailable', 'not both']],
  ['PDB with a negative minAvailable', () => build({ agent: { replicas: 2, podDisruptionBudget: { minAvailable: -1 } } }), ['agent.podDisruptionBudget.minAvailable', '-1', 'at least 0']],
  ['PDB with an invalid percentage', () => build({ agent: { replicas: 2, podDisruptionBudget: { maxUnavailablePercent: '150%' } } }), ['agent.podDisruptionBudget.maxUnavailablePercent', '"150%"', '"0%" to "100%"']],
  // enums
  ['unknown image pull policy', () => build({ agent: { image: { pullPolicy: 'Sometimes' as any } } }), ['agent.image.pullPolicy', '"Sometimes"', 'Always, IfNotPresent, Never']],
  ['unknown log format', () => build({ agent: { logFormat: 'xml' as LogFormat } }), ['agent.logFormat', '"xml"', 'json, plain, dev']],
  ['unknown access mode', () => VolumeStorage.newClaim({ accessMode: 'ReadWriteSometimes' as any }), ['accessMode', '"ReadWriteSometimes"', 'ReadWriteOnce']],
  ['unknown emptyDir medium', () => VolumeStorage.emptyDir({ medium: 'Disk' as any }), ['medium', '"Disk"', '"Memory"']],
  ['unknown toleration operator', () => build({ task: { tolerations: [{ key: 'a', operator: 'Maybe' }] } }), ['task.tolerations[0].operator', '"Maybe"', 'Exists, Equal']],
  ['unknown toleration effect', () => build({ agent: { tolerations: [{ key: 'a', effect: 'NoRun' }] } }), ['agent.tolerations[0].effect', '"NoRun"', 'NoSchedule, PreferNoSchedule, NoExecute']],
  ['toleration with a value and operator Exists', () => build({ task: { tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] } }), ['task.tolerations[0].value', '"x"', 'no value with operator Exists']],
  ['toleration seconds without NoExecute', () => build({ task: { tolerations: [{ key: 'a', effect: 'NoSchedule', tolerationSeconds: 30 }] } }), ['task.tolerations[0].tolerationSeconds', '30', 'NoExecute']],
  ['unknown seccomp profile type', () => build({ task: { podSecurityContext: { seccompProfile: { type: 'Strict' } } } }), ['task.podSecurityContext.seccompProfile.type', '"Strict"', 'RuntimeDefault, Localhost, Unconfined']],
  ['Localhost seccomp profile without its path', () => build({ task: { runner: { securityContext: { seccompProfile: { type: 'Localhost' } } } } }), ['task.runner.securityContext.seccompProfile.localhostProfile', 'required with type Localhost']],
  ['common pod label value with a space', () => build({ common: { podLabels: { env: 'prod east' } } }), ['common.podLabels.env', '"prod east"']],
  // images
  ['image repository with upper case', () => build({ agent: { image: { repository: 'Scalr/Agent' } } }), ['agent.image.repository', '"Scalr/Agent"']],
  ['image tag with a colon', () => build({ task: { runner: { image: { tag: 'v1:2' } } } }), ['task.runner.image.tag', '"v1:2"', 'at most 128']],
  ['registry with a scheme', () => build({ common: { imageRegistry: 'https://registry.example.com' } }), ['common.imageRegistry', '"https://registry.example.com"']],
  ['repository with a host when a registry is set', () => build({ common: { imageRegistry: 'mirror.example.com' }, agent: { image: { repository: 'docker.io:5000/scalr/agent' } } }), ['agent.image.repository', 'common.imageRegistry']],
  // URLs
  ['Scalr URL without scheme', () => build({ agent: { url: 'example.scalr.io' } }), ['agent.url', '(a value that is not a URL)', 'http(s) URL']],
  ['OpenTelemetry endpoint that is neither URL nor host:port', () => build({ telemetry: { enabled: true, endpoint: 'collector' } }), ['telemetry.endpoint', '"collector"', 'host:port']],
  // token
  ['empty token', () => AgentToken.fromValue(''), ['token', 'non-empty']],
  ['token with a trailing newline', () => AgentToken.fromValue(`${TOKEN_TEXT}\n`), ['token', '(redacted)', 'without leading or trailing whitespace']],
  // environment
  ['extra env name with a space', () => build({ agent: { extraEnv: { 'MY VAR': 'x' } } }), ['agent.extraEnv.MY VAR', 'environment variable name']],
  ['extra env that redefines SCALR_URL', () => build({ agent: { extraEnv: { SCALR_URL: 'https://other' } } }), ['agent.extraEnv.SCALR_URL', 'does not set', 'allowEnvOverrides']],
  ['worker env that redefines the provider cache setting', () => build({ task: { worker: { extraEnv: { SCALR_AGENT_PROVIDER_CACHE_ENABLED: 'true' } } } }), ['task.worker.extraEnv.SCALR_AGENT_PROVIDER_CACHE_ENABLED', 'does not set']],
  ['controller env list redefining the token', () => build({ agent: { controller: { extraEnvVars: [{ name: 'SCALR_AGENT_TOKEN', value: 'x' }] } } }), ['agent.controller.extraEnvVars[0]', '"SCALR_AGENT_TOKEN"']],
  ['runner env name starting with a digit', () => build({ task: { runner: { extraEnv: { '1VAR': 'x' } } } }), ['task.runner.extraEnv.1VAR', 'environment variable name']],
  ['data dir that is relative', () => build({ agent: { dataDir: 'data' } }), ['agent.dataDir', '"data"', 'absolute path']],
  // volumes and mounts
  ['extra volume named like a standard volume', () => build({ task: { extraVolumes: [{ name: 'cache-dir', emptyDir: {} }] } }), ['task.extraVolumes[0].name', '"cache-dir"', 'not used yet']],
  ['two extra volumes with one name', () => build({ task: { extraVolumes: [{ name: 'ca', emptyDir: {} }, { name: 'ca', emptyDir: {} }] } }), ['task.extraVolumes[1].name', '"ca"']],
  ['runner mount at a path already mounted', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'tmp-dir', mountPath: '/tmp' }] } } }),
    ['task.runner.extraVolumeMounts[0] (runner container)', 'both mounted at /tmp', 'a different path for each mount']],
  ['mount with an absolute subPath', () => build({ task: { worker: { extraVolumeMounts: [{ name: 'tmp-dir', mountPath: '/x', subPath: '/etc' }] } } }), ['task.worker.extraVolumeMounts[0].subPath', '"/etc"', "without '..'"]],
  ['mount with a subPath escaping the volume', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'data-dir', mountPath: '/x', subPath: 'run/../..' }] } } }), ['task.runner.extraVolumeMounts[0].subPath', '"run/../.."']],
  ['runner mount of the ServiceAccount token', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'sa-token', mountPath: '/token' }] } } }), ['task.runner.extraVolumeMounts[0].name', 'only the worker']],
  ['sidecar named worker', () => build({ task: { sidecars: [{ name: 'worker', image: 'busybox' }] } }), ['task.sidecars[0].name', '"worker"', 'not used yet']],
  ['sidecar named runner', () => build({ task: { sidecars: [{ name: 'runner', image: 'busybox' }] } }), ['task.sidecars[0].name', '"runner"']],
  ['sidecar without image', () => build({ task: { sidecars: [{ name: 'shipper' }] } }), ['task.sidecars[0].image', 'an image']],
  ['mount of a volume that does not exist', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'nope', mountPath: '/x' }] } } }).synthYaml(), ['runner container', '"nope"', 'task.extraVolumes']],
  // A leading '/' is dropped now, as both chart versions drop it (see 'a leading slash' below).
  ['cache subPath that escapes the volume', () => build({ persistence: { cache: VolumeStorage.existingClaim('shared'), cacheSubPath: '/team-a/../..' } }),
    ['persistence.cacheSubPath', '"/team-a/../.."', 'relative path without \'..\'']],
  ['cache subPath with an emptyDir cache', () => build({ persistence: { cacheSubPath: 'team-a' } }), ['persistence.cacheSubPath', 'emptyDir']],
  ['RBAC rule without verbs', () => build({ rbac: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: [] }] } }), ['rbac.rules[0].verbs', 'non-empty list of verbs']],
  // options of chart 0.6.5 (the agent 1 environment)
  ['module cache with the agent 0.55 environment (chart 0.5.62)', () => build({ agent: { moduleCache: { enabled: true } } }),
    ['agent.moduleCache', 'nothing with the agent 0.55 environment', 'ChartVersion.V0_6_5']],
  ['module cache with chart 0.6.5 and the AGENT_0_55 contract', () => build6({ agent: { envContract: AgentEnvContract.AGENT_0_55, moduleCache: { enabled: true } } }),
    ['agent.moduleCache', 'nothing with the agent 0.55 environment', 'agent.envContract AGENT_1']],
  ['stop options with chart 0.5.62', () => build({ agent: { stop: { controllerAction: StopAction.DRAIN } } }), ['agent.stop', 'nothing with the agent 0.55 environment']],
  ['provider cache concurrency with chart 0.5.62', () => build({ agent: { providerCache: { concurrency: 4 } } }), ['agent.providerCache.concurrency', 'nothing with the agent 0.55 environment']],
  ['runner memory percent with chart 0.5.62', () => build({ task: { runner: { memoryWarnPercent: 90 } } }), ['task.runner.memoryWarnPercent', 'nothing with the agent 0.55 environment']],
  ['memory warn percent 0', () => build6({ task: { runner: { memoryWarnPercent: 0 } } }), ['task.runner.memoryWarnPercent', 'got 0', 'from 1 to 100']],
  ['memory soft limit percent 101', () => build6({ task: { runner: { memorySoftLimitPercent: 101 } } }), ['task.runner.memorySoftLimitPercent', 'got 101', 'from 1 to 100']],
  ['module cache concurrency 0', () => build6({ agent: { moduleCache: { enabled: true, concurrency: 0 } } }), ['agent.moduleCache.concurrency', 'got 0', 'from 1 to 1000']],
  ['provider network mirror with a plain http URL', () => build6({ agent: { providerNetworkMirrors: [{ hostname: 'registry.terraform.io', url: 'http://mirror.example.com/' }] } }),
    ['agent.providerNetworkMirrors[0].url', '"http://mirror.example.com/"', 'an https URL']],
  ['provider network mirror with a bad hostname', () => build6({ agent: { providerNetworkMirrors: [{ hostname: 'https://registry.terraform.io', url: 'https://mirror.example.com/' }] } }),
    ['agent.providerNetworkMirrors[0].hostname', '"https://registry.terraform.io"', 'provider registry host']],
  ['binary cache threshold of 1.5 days', () => build6({ agent: { binaryCache: { threshold: Duration.hours(36) } } }),
    ['agent.binaryCache.threshold', '"1.5 days"', 'whole number of days']],
  ['binary cache below one megabyte', () => build6({ agent: { binaryCache: { sizeLimit: Size.kibibytes(10) } } }), ['agent.binaryCache.sizeLimit', 'at least 1 MB']],
  ['controller stop action not in the enum', () => build6({ agent: { stop: { controllerAction: 'halt' as StopAction } } }),
    ['agent.stop.controllerAction', '"halt"', 'one of drain, grace-shutdown']],
  ['worker stop action not in the enum', () => build6({ agent: { stop: { workerAction: 'kill' as StopAction } } }),
    ['agent.stop.workerAction', '"kill"', 'one of drain, grace-shutdown']],
  ['Sentry DSN that is not a URL', () => build6({ agent: { sentryDsn: 'not-a-dsn' } }), ['agent.sentryDsn', 'a Sentry DSN URL']],
  ['startup timeout of zero', () => build6({ task: { startupTimeout: Duration.seconds(0) } }), ['task.startupTimeout', '"0 seconds"', 'from 1']],
  ['Job basename with the AgentTask resource', () => build6({ taskTemplateResource: TaskTemplateResource.AGENT_TASK, task: { job: { basename: 'tf-run' } } }),
    ['task.job.basename', '"tf-run"', 'nothing with an AgentTask']],
  ['Job basename with chart 0.5.62', () => build({ task: { job: { basename: 'tf-run' } } }), ['task.job.basename', '"tf-run"', 'nothing with an AgentTask']],
  ['Job basename that is not a DNS name', () => build6({ task: { job: { basename: 'TF_RUN' } } }), ['task.job.basename', '"TF_RUN"', 'DNS-1123 subdomain']],
  ['task PDB with both minAvailable and maxUnavailable', () => build6({ task: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: 0 } } }),
    ['task.podDisruptionBudget.minAvailable', 'task.podDisruptionBudget.maxUnavailable', 'not both']],
  ['controller PDB with both fields (chart 0.6.5)', () => build6({ agent: { replicas: 2, podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } }),
    ['agent.podDisruptionBudget.maxUnavailable', 'agent.podDisruptionBudget.minAvailable', 'not both']],
  ['task PDB with a negative maxUnavailable', () => build6({ task: { podDisruptionBudget: { maxUnavailable: -1 } } }),
    ['task.podDisruptionBudget.maxUnavailable', '-1', 'at least 0']],
  ['proxy URL with a path', () => build6({ common: { proxy: { httpsProxy: 'http://proxy.internal:3128/path' } } }), ['common.proxy.httpsProxy', 'no path']],
  ['client certificate with a private key that is not PEM', () => ClientCertificate.fromPem(CERTIFICATE, BAD_KEY),
    ['common.clientCertificate.privateKey', '(redacted)', 'a PEM private key']],
  ['CA bundle that is not PEM', () => CaBundle.fromPem('not a certificate'), ['common.caBundle', 'PEM certificates']],
  ['CA bundle Secret key with a slash', () => CaBundle.fromSecretName('corporate-ca', 'a/b'), ['common.caBundle.key', '"a/b"']],
  ['client certificate with one key for both', () => ClientCertificate.fromSecretName('mtls', 'tls.crt', 'tls.crt'), ['common.clientCertificate.keyKey', 'a key other than certKey']],
  ['version that is not a ChartVersion', () => build({ version: '0.6.5' as any }), ['version', '"0.6.5"', 'ChartVersion.V0_6_5']],
  ['fleet pool version that is not a ChartVersion', () => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'a', props: { token, version: '0.6.5' as any } }] }),
    ['fleet.pools[0].props.version', '"0.6.5"', 'ChartVersion.V0_6_5']],
  ['fleet version that is not a ChartVersion', () => new AgentPoolFleet(Testing.app(), 'f', { version: '0.5.62' as any, pools: [{ releaseName: 'a', props: { token } }] }),
    ['fleet.version', '"0.5.62"', 'ChartVersion.V0_6_5']],
  ['unknown task template resource without a CRD', () => build({ includeCrd: false, taskTemplateResource: 'Bogus' as any }),
    ['taskTemplateResource', '"Bogus"', 'one of AgentTask, AgentTaskTemplate']],
  ['token Secret that is no ISecret', () => AgentToken.fromSecret({} as any), ['token.secret', 'a cdk8s-plus ISecret']],
  ['CA bundle Secret that is no ISecret', () => CaBundle.fromSecret(undefined as any), ['common.caBundle.secret', 'a cdk8s-plus ISecret']],
  ['unknown CRD resource', () => new AgentTaskCrd(Testing.app(), 'crd', { resource: 'Bogus' as any }), ['resource', '"Bogus"', 'one of AgentTask, AgentTaskTemplate']],
  ['unknown chart version number', () => ChartVersion.of('0.7.0'), ['version', '"0.7.0"', '0.5.62, 0.6.5']],
];

describe('wrong input gets a clear error', () => {
  test('there are at least 40 distinct bad inputs', () => {
    expect(new Set(CASES.map(([name]) => name)).size).toBeGreaterThanOrEqual(40);
  });

  test.each(CASES)('fails on %s', (_name, run, parts) => {
    let message = '';
    try {
      run();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    for (const part of parts) {
      if (part instanceof RegExp) expect(message).toMatch(part); else expect(message).toContain(part);
    }
    expectNoSecret(message);
  });
});

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The token (and the private key of the certificate case) is never in a message, plain or base64. */
function expectNoSecret(text: string): void {
  for (const secret of [TOKEN_TEXT, BAD_KEY]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(base64(secret).replace(/=+$/, ''));
  }
}

/** A configuration error's message and parts, all of which must be free of secrets. */
function shownParts(error: AgentJobConfigError): string[] {
  return [error.message, error.path, error.received ?? '', error.expected, String(error), (error as unknown as Error).stack ?? ''];
}

describe('the token stays secret', () => {
  test('no synthesized object carries the token in plain text, only the Secret in base64', () => {
    for (const version of ChartVersion.all()) {
      const yaml = build({ version }).synthYaml();
      expect(yaml).not.toContain(TOKEN_TEXT);
      expect(yaml).toContain(base64(TOKEN_TEXT));
    }
  });

  test('the token object does not print or serialise its value', () => {
    expect(String(token)).not.toContain(TOKEN_TEXT);
    expect(JSON.stringify(token)).not.toContain(TOKEN_TEXT);
    expect(inspect(token)).not.toContain(TOKEN_TEXT);
  });

  // The library redacts every registered secret from every configuration error, wherever the
  // value was written: here the token value is put into fields that are not the token.
  test.each<[string, () => unknown, string]>([
    // A URL with a scheme is repeated in the message (one without is not repeated at all).
    ['agent.url', () => build6({ agent: { url: `https://example.scalr.io/${TOKEN_TEXT} x` } }), 'agent.url'],
    ['agent.url (base64 of the token)', () => build6({ agent: { url: `https://example.scalr.io/${base64(TOKEN_TEXT)} x` } }), 'agent.url'],
    ['agent.url (chart 0.5.62)', () => build({ agent: { url: `https://${TOKEN_TEXT}.example.com x` } }), 'agent.url'],
    ['a label value', () => build6({ agent: { podLabels: { team: `${TOKEN_TEXT} x` } } }), 'agent.podLabels.team'],
    ['a label key', () => build6({ common: { labels: { [`${TOKEN_TEXT}/a/b`]: 'x' } } }), 'common.labels (label key)'],
    ['an annotation key', () => build({ agent: { podAnnotations: { [`${TOKEN_TEXT}_/x`]: 'y' } } }), 'agent.podAnnotations (annotation key)'],
    ['fullnameOverride', () => build6({ fullnameOverride: `${TOKEN_TEXT}-` }), 'fullnameOverride'],
    ['nameOverride', () => build({ nameOverride: `${TOKEN_TEXT}_x` }), 'nameOverride'],
    ['releaseName', () => build6({ releaseName: `${TOKEN_TEXT}-${'a'.repeat(30)}` }), 'releaseName'],
    ['releaseName (base64)', () => build({ releaseName: base64(TOKEN_TEXT) }), 'releaseName'],
    ['namespace', () => build6({ namespace: `${TOKEN_TEXT}.x` }), 'namespace'],
    ['the ServiceAccount name', () => build6({ serviceAccount: { name: `${TOKEN_TEXT} sa` } }), 'serviceAccount.name'],
    ['an environment variable name', () => build6({ agent: { extraEnv: { [`${TOKEN_TEXT} X`]: 'x' } } }), 'agent.extraEnv.(redacted) X'],
    ['a proxy URL', () => build6({ common: { proxy: { httpProxy: `http://${TOKEN_TEXT}:3128/x` } } }), 'common.proxy.httpProxy'],
    ['a mirror URL', () => build6({ agent: { providerNetworkMirrors: [{ hostname: 'registry.terraform.io', url: `http://${TOKEN_TEXT}/` }] } }),
      'agent.providerNetworkMirrors[0].url'],
    ['the Job basename', () => build6({ task: { job: { basename: `${TOKEN_TEXT}_` } } }), 'task.job.basename'],
    ['an existing Secret name', () => AgentToken.fromSecretName(`${TOKEN_TEXT}_`), 'token.secretName'],
    ['a fleet release name', () => new AgentPoolFleet(Testing.app(), 'f', {
      pools: [{ releaseName: TOKEN_TEXT, props: { token } }, { releaseName: TOKEN_TEXT, props: { token } }],
    }), 'fleet.pools[1].releaseName'],
    ['a fleet collision of two release names', () => new AgentPoolFleet(Testing.app(), 'f', {
      version: V0_5_62, pools: [{ releaseName: TOKEN_TEXT, namespace: 'a', props: { token } }, { releaseName: TOKEN_TEXT, namespace: 'b', props: { token } }],
    }), 'fleet.pools[1] (release "(redacted)" in namespace "b")'],
  ])('the token in %s is never shown', (_field, run, path) => {
    const error = configErrorOf(run);
    expect(error.path).toBe(path);
    expect(error.message).toContain('(redacted)');
    for (const text of shownParts(error)) expectNoSecret(text);
  });

  test('a Sentry DSN is a secret too: never shown, also in another field', () => {
    const dsn = 'https://sentry-secret-4711@sentry.example.com/42';
    const error = configErrorOf(() => build6({ agent: { sentryDsn: dsn }, task: { job: { basename: dsn } } }));
    expect(error.path).toBe('task.job.basename');
    expect(error.message).toContain('(redacted)');
    for (const text of shownParts(error)) expect(text).not.toContain('sentry-secret-4711');
    const bad = configErrorOf(() => build6({ agent: { sentryDsn: 'sentry secret 4712' } }));
    expect(bad.path).toBe('agent.sentryDsn');
    expect(bad.message).not.toContain('sentry secret 4712');
  });

  test('a private key given to ClientCertificate.fromPem is never shown', () => {
    const error = configErrorOf(() => ClientCertificate.fromPem(CERTIFICATE, BAD_KEY));
    expect(error.path).toBe('common.clientCertificate.privateKey');
    for (const text of shownParts(error)) expectNoSecret(text);
    // Registered: also redacted when it shows up in another field.
    const other = configErrorOf(() => build6({ agent: { url: BAD_KEY } }));
    for (const text of shownParts(other)) expectNoSecret(text);
  });

  test('collision messages of a synthesis (Testing.synth of a pool) do not show a token used as a release name', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'a', { token, releaseName: TOKEN_TEXT, namespace: 'x', includeCrd: false });
    const b = new AgentJobChart(app, 'b', { token, releaseName: TOKEN_TEXT, namespace: 'x', includeCrd: false });
    let message = '';
    try {
      // The second pool is the one that collides with the first.
      Testing.synth(b);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/pools "a" and "b" both define/);
    expectNoSecret(message);
  });

  test('a token used as a release name is refused when the pool renders, without showing it: it would be in every label', () => {
    const chart = new AgentJobChart(Testing.app(), 'a', { token, releaseName: TOKEN_TEXT, namespace: 'x', includeCrd: false });
    const error = configErrorOf(() => chart.toJson());
    expect(error.received).toBe('(redacted)');
    expect(error.expected).toMatch(/^the agent pool token only in its Secret/);
    expectNoSecret(error.message);
  });

  test('collision messages of app.synthYaml() do not show a token used as a release name', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'a', { token, releaseName: TOKEN_TEXT, namespace: 'x', includeCrd: false });
    new AgentJobChart(app, 'b', { token, releaseName: TOKEN_TEXT, namespace: 'x', includeCrd: false });
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/pools "a" and "b" both define/);
    expectNoSecret(message);
  });

  test('a Sentry DSN is never shown in the agent.url message (it is registered before agent.url is checked)', () => {
    const dsn = 'https://sentry-secret-4711@sentry.example.com/42';
    const error = configErrorOf(() => build6({ agent: { sentryDsn: dsn, url: `${dsn} x` } }));
    expect(error.path).toBe('agent.url');
    expect(error.message).not.toContain('sentry-secret-4711');
  });
  test('ClientCertificate.fromPem with the arguments swapped does not show the private key', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGswappedKeyMaterial4711\n-----END PRIVATE KEY-----\n';
    const error = configErrorOf(() => ClientCertificate.fromPem(key, CERTIFICATE));
    expect(error.path).toBe('common.clientCertificate.certificate');
    for (const text of shownParts(error)) expect(text).not.toContain('MIGswapped');
  });
});

describe('a leading slash in the cache subPath', () => {
  test.each(ChartVersion.all().map((v) => [v.version, v] as const))('is dropped, as chart %s drops it', (_v, version) => {
    const cache = VolumeStorage.existingClaim('shared');
    const withSlash = build({ version, persistence: { cache, cacheSubPath: '/team-a' } }).synthYaml();
    const without = build({ version, persistence: { cache, cacheSubPath: 'team-a' } }).synthYaml();
    expect(withSlash).toBe(without);
    expect(without).toContain('subPath: team-a/cache');
  });
});

describe('several pools in one app', () => {
  test('fails when two chart 0.5.62 pools would create the same objects, naming both pools', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'team-a', { token, version: V0_5_62, namespace: 'agents', includeCrd: false, releaseName: 'team-a' });
    new AgentJobChart(app, 'team-b', { token, version: V0_5_62, namespace: 'agents', includeCrd: false, releaseName: 'team-b' });
    expect(() => app.synthYaml()).toThrow(/pools "team-a" and "team-b" both define Deployment.apps agents\/scalr-agent, AgentTask.scalr.io agents\/scalr-agent-task/);
  });

  test('fails when two chart 0.6.5 pools of one release share a namespace, naming both pools', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'team-a', { token, version: V0_6_5, namespace: 'agents', includeCrd: false, releaseName: 'pool' });
    new AgentJobChart(app, 'team-b', { token, version: V0_6_5, namespace: 'agents', includeCrd: false, releaseName: 'pool' });
    expect(() => app.synthYaml()).toThrow(/pools "team-a" and "team-b" both define .*Deployment.apps agents\/pool-scalr-agent/);
  });

  test.each([[V0_5_62, 'atasks.scalr.io'], [V0_6_5, 'agenttasktemplates.scalr.io']] as const)(
    'fails when two pools both include the CRD, suggesting includeCrd (%s)', (version, crd) => {
      const app = Testing.app();
      new AgentJobChart(app, 'a', { token, version, namespace: 'team-a' });
      new AgentJobChart(app, 'b', { token, version, namespace: 'team-b' });
      expect(() => app.synthYaml()).toThrow(new RegExp(`CustomResourceDefinition.apiextensions.k8s.io \\(cluster\\) ${crd.replace(/\./g, '\\.')}.*includeCrd: false`, 's'));
    });

  test('pools in different namespaces with one CRD synthesize', () => {
    for (const version of ChartVersion.all()) {
      const app = Testing.app();
      new AgentJobChart(app, 'a', { token, version, namespace: 'team-a', releaseName: 'team-a' });
      new AgentJobChart(app, 'b', { token, version, namespace: 'team-b', releaseName: 'team-b', includeCrd: false });
      expect(app.synthYaml()).toContain('namespace: team-b');
    }
  });

  test('a chart 0.5.62 and a chart 0.6.5 pool with their own CRDs synthesize side by side', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'old', { token, version: V0_5_62, namespace: 'legacy' });
    new AgentJobChart(app, 'new', { token, version: V0_6_5, namespace: 'agents' });
    const yaml = app.synthYaml();
    expect(yaml).toContain('name: atasks.scalr.io');
    expect(yaml).toContain('name: agenttasktemplates.scalr.io');
  });
});

describe('output is deterministic', () => {
  test('two synths of the same input are byte-identical', () => {
    expect(build({}).synthYaml()).toBe(build({}).synthYaml());
  });

  test('output does not depend on the order props are given in', () => {
    const a = build({ agent: { extraEnv: { B: '2', A: '1' }, podLabels: { y: '1', x: '2' } }, task: { runner: { extraEnv: { Z: '1', Y: '2' } } } }).synthYaml();
    const b = build({ task: { runner: { extraEnv: { Y: '2', Z: '1' } } }, agent: { podLabels: { x: '2', y: '1' }, extraEnv: { A: '1', B: '2' } } }).synthYaml();
    expect(a).toBe(b);
  });

  test('output does not depend on the environment or the time', () => {
    const before = build({}).synthYaml();
    const saved = { ...process.env };
    process.env.TZ = 'Pacific/Kiritimati';
    process.env.LANG = 'tr_TR.UTF-8';
    try {
      expect(build({}).synthYaml()).toBe(before);
    } finally {
      process.env = saved;
    }
  });
});

describe('enum values the library checks without loading cdk8s-plus', () => {
  test('equal the cdk8s-plus enums', () => {
    const lists = k8sLists;
    expect(lists.IMAGE_PULL_POLICIES).toEqual(Object.values(kplus.ImagePullPolicy));
    expect(lists.ACCESS_MODES).toEqual(Object.values(kplus.PersistentVolumeAccessMode));
    expect(lists.EMPTY_DIR_MEDIUMS).toEqual(Object.values(kplus.EmptyDirMedium));
    expect([lists.DIRECTORY_OR_CREATE, lists.DIRECTORY]).toEqual([kplus.HostPathVolumeType.DIRECTORY_OR_CREATE, kplus.HostPathVolumeType.DIRECTORY]);
  });
});

describe('memory and storage amounts', () => {
  test('8Pi, the largest amount the API server counts, is accepted and written as 8Pi', () => {
    expect(() => VolumeStorage.newClaim({ storage: Size.pebibyte(8) })).not.toThrow();
    const app = build({ task: { runner: { resources: { memory: { limit: Size.pebibyte(8) } } } } });
    expect(app.synthYaml()).toContain('memory: 8Pi');
  });
});
