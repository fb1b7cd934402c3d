import { inspect } from 'util';
import { App, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentJobChart, AgentJobChartProps, AgentToken, LogFormat, VolumeStorage } from '../src';
import * as k8sLists from '../src/internal/k8s-json';

const TOKEN_TEXT = 'very-secret-pool-token-value';
const token = AgentToken.fromValue(TOKEN_TEXT);

function build(props: Partial<AgentJobChartProps>, app: App = Testing.app()): App {
  new AgentJobChart(app, 'pool', { token, namespace: 'scalr', ...props } as AgentJobChartProps);
  return app;
}

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
  ['image pull secret name invalid', () => build({ common: { imagePullSecrets: ['Reg Cred'] } }), ['common.imagePullSecrets[0]', '"Reg Cred"']],
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
  ['provider cache below one megabyte', () => build({ agent: { providerCache: { enabled: true, sizeLimit: Size.kibibytes(100) } } }), ['agent.providerCache.sizeLimit', 'at least 1 MB']],
  // integers and durations
  ['negative replicas', () => build({ agent: { replicas: -1 } }), ['agent.replicas', '-1', 'whole number of at least 0']],
  ['fractional replicas', () => build({ agent: { replicas: 1.5 } }), ['agent.replicas', '1.5']],
  ['negative backoffLimit', () => build({ task: { job: { backoffLimit: -2 } } }), ['task.job.backoffLimit', '-2']],
  ['fractional ttlAfterFinished', () => build({ task: { job: { ttlAfterFinished: Duration.millis(1500) } } }), ['task.job.ttlAfterFinished', '1.5 seconds', 'whole number of seconds']],
  ['fractional grace period', () => build({ agent: { terminationGracePeriod: Duration.millis(500) } }), ['agent.terminationGracePeriod', 'whole number of seconds']],
  ['token TTL below ten minutes', () => build({ serviceAccount: { tokenTtl: Duration.minutes(5) } }), ['serviceAccount.tokenTtl', '300 seconds', 'at least 600']],
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
  ['Scalr URL without scheme', () => build({ agent: { url: 'example.scalr.io' } }), ['agent.url', '"example.scalr.io"', 'http(s) URL']],
  ['OpenTelemetry endpoint that is neither URL nor host:port', () => build({ telemetry: { enabled: true, endpoint: 'collector' } }), ['telemetry.endpoint', '"collector"', 'host:port']],
  // token
  ['empty token', () => AgentToken.fromValue(''), ['token', 'non-empty']],
  ['token with a trailing newline', () => AgentToken.fromValue(`${TOKEN_TEXT}\n`), ['token', '(redacted)', 'without leading or trailing whitespace']],
  // environment
  ['extra env name with a space', () => build({ agent: { extraEnv: { 'MY VAR': 'x' } } }), ['agent.extraEnv.MY VAR', 'environment variable name']],
  ['extra env that redefines SCALR_URL', () => build({ agent: { extraEnv: { SCALR_URL: 'https://other' } } }), ['agent.extraEnv.SCALR_URL', 'does not set', 'allowEnvOverrides']],
  ['worker env that redefines the provider cache setting', () => build({ task: { worker: { extraEnv: { SCALR_AGENT_PROVIDER_CACHE_ENABLED: 'true' } } } }), ['task.worker.extraEnv.SCALR_AGENT_PROVIDER_CACHE_ENABLED', 'does not set']],
  ['controller env list redefining the token', () => build({ agent: { controller: { extraEnv: [{ name: 'SCALR_AGENT_TOKEN', value: 'x' }] } } }), ['agent.controller.extraEnv[0]', '"SCALR_AGENT_TOKEN"']],
  ['runner env name starting with a digit', () => build({ task: { runner: { extraEnv: { '1VAR': 'x' } } } }), ['task.runner.extraEnv.1VAR', 'environment variable name']],
  ['data dir that is relative', () => build({ agent: { dataDir: 'data' } }), ['agent.dataDir', '"data"', 'absolute path']],
  // volumes and mounts
  ['extra volume named like a standard volume', () => build({ task: { extraVolumes: [{ name: 'cache-dir', emptyDir: {} }] } }), ['task.extraVolumes[0].name', '"cache-dir"', 'not used yet']],
  ['two extra volumes with one name', () => build({ task: { extraVolumes: [{ name: 'ca', emptyDir: {} }, { name: 'ca', emptyDir: {} }] } }), ['task.extraVolumes[1].name', '"ca"']],
  ['runner mount at a path already mounted', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'tmp-dir', mountPath: '/tmp' }] } } }), ['task.runner.extraVolumeMounts[0].mountPath', '"/tmp"', 'not mounted yet']],
  ['mount with an absolute subPath', () => build({ task: { worker: { extraVolumeMounts: [{ name: 'tmp-dir', mountPath: '/x', subPath: '/etc' }] } } }), ['task.worker.extraVolumeMounts[0].subPath', '"/etc"', "without '..'"]],
  ['mount with a subPath escaping the volume', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'data-dir', mountPath: '/x', subPath: 'run/../..' }] } } }), ['task.runner.extraVolumeMounts[0].subPath', '"run/../.."']],
  ['runner mount of the ServiceAccount token', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'sa-token', mountPath: '/token' }] } } }), ['task.runner.extraVolumeMounts[0].name', 'only the worker']],
  ['sidecar named worker', () => build({ task: { sidecars: [{ name: 'worker', image: 'busybox' }] } }), ['task.sidecars[0].name', '"worker"', 'not used yet']],
  ['sidecar named runner', () => build({ task: { sidecars: [{ name: 'runner', image: 'busybox' }] } }), ['task.sidecars[0].name', '"runner"']],
  ['sidecar without image', () => build({ task: { sidecars: [{ name: 'shipper' }] } }), ['task.sidecars[0].image', 'an image']],
  ['mount of a volume that does not exist', () => build({ task: { runner: { extraVolumeMounts: [{ name: 'nope', mountPath: '/x' }] } } }).synthYaml(), ['runner container', '"nope"', 'task.extraVolumes']],
  ['cache subPath that is absolute', () => build({ persistence: { cache: VolumeStorage.existingClaim('shared'), cacheSubPath: '/team-a' } }), ['persistence.cacheSubPath', '"/team-a"', 'relative path']],
  ['cache subPath with an emptyDir cache', () => build({ persistence: { cacheSubPath: 'team-a' } }), ['persistence.cacheSubPath', 'emptyDir']],
  ['RBAC rule without verbs', () => build({ rbac: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: [] }] } }), ['rbac.rules[0].verbs', 'non-empty list of verbs']],
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
    expect(message).not.toContain(TOKEN_TEXT);
  });
});

describe('the token stays secret', () => {
  test('no synthesized object carries the token in plain text, only the Secret in base64', () => {
    const yaml = build({}).synthYaml();
    expect(yaml).not.toContain(TOKEN_TEXT);
    expect(yaml).toContain(Buffer.from(TOKEN_TEXT).toString('base64'));
  });

  test('the token object does not print or serialise its value', () => {
    expect(String(token)).not.toContain(TOKEN_TEXT);
    expect(JSON.stringify(token)).not.toContain(TOKEN_TEXT);
    expect(inspect(token)).not.toContain(TOKEN_TEXT);
  });
});

describe('several pools in one app', () => {
  test('fails when two pools would create the same objects, naming both charts', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'team-a', { token, namespace: 'agents', includeCrd: false, releaseName: 'team-a' });
    new AgentJobChart(app, 'team-b', { token, namespace: 'agents', includeCrd: false, releaseName: 'team-b' });
    expect(() => app.synthYaml()).toThrow(/charts "team-a" and "team-b" both define Deployment.apps agents\/scalr-agent, AgentTask.scalr.io agents\/scalr-agent-task/);
  });

  test('fails when two pools both include the CRD, suggesting includeCrd', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'a', { token, namespace: 'team-a' });
    new AgentJobChart(app, 'b', { token, namespace: 'team-b' });
    expect(() => app.synthYaml()).toThrow(/CustomResourceDefinition.apiextensions.k8s.io atasks.scalr.io.*includeCrd: false/s);
  });

  test('pools in different namespaces with one CRD synthesize', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'a', { token, namespace: 'team-a', releaseName: 'team-a' });
    new AgentJobChart(app, 'b', { token, namespace: 'team-b', releaseName: 'team-b', includeCrd: false });
    expect(app.synthYaml()).toContain('namespace: team-b');
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
