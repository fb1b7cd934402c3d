import * as fs from 'fs';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-30';
import * as YAML from 'yaml';
import { AgentJobConfigError } from '../src/core/errors';
import { registerSecret } from '../src/core/redact';
import { DEFINITIONS, K8S_VERSION } from '../src/imports/k8s-schema';
import { checkK8s, checkK8sList, K8S_TYPES, K8sType } from '../src/internal/k8s-schema';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require('../scripts/import-k8s-schema.js');

const SCENARIOS = path.join(__dirname, 'fixtures', 'agent-job-0.5.62', 'scenarios');
const SCENARIOS_0_6_5 = path.join(__dirname, 'fixtures', 'agent-job-0.6.5', 'scenarios');
const INT32_RANGE = 'from -2147483648 to 2147483647';

function scenario(name: string, file: 'values.yaml' | 'manifest.yaml'): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(SCENARIOS, name, file), 'utf8')).map((d) => d.toJSON());
}

/** The message checkK8s throws, or undefined. */
function message(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(AgentJobConfigError.isAgentJobConfigError(e)).toBe(true);
    return (e as Error).message;
  }
}

const ok = (pathName: string, type: K8sType, value: unknown) => expect(message(() => checkK8s(pathName, type, value))).toBeUndefined();

describe('the generated schema', () => {
  test('is Kubernetes 1.37.2, with the checked types and what they reference', () => {
    expect(K8S_VERSION).toBe('1.37.2');
    for (const type of K8S_TYPES) expect(DEFINITIONS).toHaveProperty(type);
    expect(Object.keys(DEFINITIONS)).toEqual(expect.arrayContaining(['NodeAffinity', 'Quantity', 'IntOrString', 'ObjectMeta']));
    expect(generator.rootTypes()).toEqual([...K8S_TYPES]);
  });

  test('k8s-validators.ts was generated from the DEFINITIONS of k8s-schema.ts', () => {
    const validators = fs.readFileSync(generator.VALIDATORS_OUT, 'utf8');
    const { definitions } = generator.readGenerated();
    expect(definitions).toEqual(JSON.parse(JSON.stringify(DEFINITIONS)));
    // If this fails, run: node scripts/import-k8s-schema.js --validators-only
    expect(validators).toContain(`DEFINITIONS sha256 ${generator.definitionsHash(definitions)}`);
  });

  test('neither the checks nor the generated validators load ajv', () => {
    const sources = ['src/internal/k8s-schema.ts', 'src/imports/k8s-validators.ts']
      .map((f) => fs.readFileSync(path.join(__dirname, '..', f), 'utf8'));
    for (const source of sources) {
      expect(source).not.toMatch(/require\(['"]ajv|from ['"]ajv/);
    }
    expect(sources[1]).not.toMatch(/\brequire\(|^import /m);
  });

  test('the generated validators agree with ajv compiling DEFINITIONS at run time', () => {
    const definitions = generator.readGenerated().definitions;
    const ajv = generator.newAjv(definitions, { ...generator.ajvOptions(), code: {} });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const standalone = require('../src/imports/k8s-validators');
    const samples: Array<[K8sType, unknown]> = [
      ['Affinity', { nodeAffinity: 'lol' }],
      ['Affinity', { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }] } }],
      ['Container', { name: 'a', ports: [{ containerPort: 2147483648 }] }],
      ['Container', { name: 'a', livenessProbe: { httpGet: { port: 1.5 } } }],
      ['Container', { name: 'a', resources: { limits: { cpu: 'lots' } } }],
      ['Container', { name: 'a', image: 'b', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }],
      ['Toleration', { tolerationSeconds: 1.5 }],
      ['Toleration', { key: 'a', operator: 'Exists', effect: 'NoSchedule' }],
      ['Volume', { name: 'v', ephemeral: { volumeClaimTemplate: { metadata: { labels: { a: 1 } }, spec: {} } } }],
      ['Volume', { name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }] } }],
      ['PolicyRule', { verbs: 'get' }],
      ['PolicyRule', { verbs: ['get'], resources: ['pods'] }],
      ['PodSecurityContext', { runAsUser: 'root' }],
      ['SecurityContext', { capabilities: { drop: ['ALL'] }, foo: 1 }],
    ];
    for (const [type, value] of samples) {
      const compiled = ajv.getSchema(`k8s#/definitions/${type}`);
      const expectedValid = compiled(value);
      expect([type, standalone[type](value)]).toEqual([type, expectedValid]);
      const strip = (errors: any[] | null) => (errors ?? [])
        .map((e: any) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params }));
      expect(strip(standalone[type].errors)).toEqual(strip(compiled.errors));
    }
  });
});

describe('valid structures pass', () => {
  test('the scheduling scenario (10-scheduling)', () => {
    const [values] = scenario('10-scheduling', 'values.yaml');
    ok('global.podSecurityContext', 'PodSecurityContext', values.global.podSecurityContext);
    ok('agent.podSecurityContext', 'PodSecurityContext', values.agent.podSecurityContext);
    ok('task.podSecurityContext', 'PodSecurityContext', values.task.podSecurityContext);
    ok('agent.affinity', 'Affinity', values.agent.affinity);
    checkK8sList('agent.tolerations', 'Toleration', values.agent.tolerations);
    checkK8sList('task.tolerations', 'Toleration', values.task.tolerations);
  });

  test('the extras scenario (11-extras)', () => {
    const [values] = scenario('11-extras', 'values.yaml');
    checkK8sList('agent.controller.extraEnv', 'EnvVar', values.agent.controller.extraEnv);
    checkK8sList('agent.controller.extraEnvFrom', 'EnvFromSource', values.agent.controller.extraEnvFrom);
    ok('agent.controller.securityContext', 'SecurityContext', values.agent.controller.securityContext);
    checkK8sList('task.extraVolumes', 'Volume', values.task.extraVolumes);
    checkK8sList('task.sidecars', 'Container', values.task.sidecars);
    checkK8sList('task.worker.extraVolumeMounts', 'VolumeMount', values.task.worker.extraVolumeMounts);
    ok('task.worker.resources', 'ResourceRequirements', values.task.worker.resources);
    ok('task.runner.resources', 'ResourceRequirements', values.task.runner.resources);
  });

  test('the custom RBAC scenario (18-custom-rbac)', () => {
    const [values] = scenario('18-custom-rbac', 'values.yaml');
    checkK8sList('rbac.rules', 'PolicyRule', values.rbac.rules);
    checkK8sList('rbac.clusterRules', 'PolicyRule', values.rbac.clusterRules);
  });

  test('every pod spec and RBAC rule the Helm chart renders in the reference scenarios', () => {
    let pods = 0;
    const checkPod = (where: string, spec: any) => {
      pods++;
      checkK8sList(`${where}.containers`, 'Container', spec.containers);
      checkK8sList(`${where}.initContainers`, 'Container', spec.initContainers ?? []);
      checkK8sList(`${where}.volumes`, 'Volume', spec.volumes ?? []);
      checkK8sList(`${where}.tolerations`, 'Toleration', spec.tolerations ?? []);
      checkK8sList(`${where}.topologySpreadConstraints`, 'TopologySpreadConstraint', spec.topologySpreadConstraints ?? []);
      checkK8sList(`${where}.imagePullSecrets`, 'LocalObjectReference', spec.imagePullSecrets ?? []);
      if (spec.securityContext !== undefined) checkK8s(`${where}.securityContext`, 'PodSecurityContext', spec.securityContext);
      if (spec.affinity !== undefined) checkK8s(`${where}.affinity`, 'Affinity', spec.affinity);
    };
    const walk = (where: string, node: any): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node.containers)) return checkPod(where, node);
      for (const [k, v] of Object.entries(node)) walk(`${where}.${k}`, v);
    };
    for (const name of [...fs.readdirSync(SCENARIOS), ...fs.readdirSync(SCENARIOS_0_6_5).map((n) => `../../agent-job-0.6.5/scenarios/${n}`)]) {
      for (const [i, object] of scenario(name, 'manifest.yaml').entries()) {
        if (object === null) continue;
        if (object.kind === 'Role' || object.kind === 'ClusterRole') checkK8sList(`${name}[${i}].rules`, 'PolicyRule', object.rules ?? []);
        walk(`${name}[${i}]`, object);
      }
    }
    expect(pods).toBeGreaterThan(20);
  });

  test('typed cdk8s-plus structs converted to JSON', () => {
    const k8s = kplus.k8s;
    ok('affinity', 'Affinity', k8s.toJson_Affinity({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'agent' } } },
        }],
      },
    }));
    ok('sidecar', 'Container', k8s.toJson_Container({
      name: 'proxy',
      image: 'envoy:1',
      ports: [{ containerPort: 8080, name: 'http' }],
      readinessProbe: { httpGet: { port: k8s.IntOrString.fromString('http'), path: '/ready' }, periodSeconds: 5 },
      livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(8080) } },
      resources: { limits: { 'cpu': k8s.Quantity.fromString('500m'), 'memory': k8s.Quantity.fromString('128Mi'), 'nvidia.com/gpu': k8s.Quantity.fromNumber(1) } },
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    }));
    ok('volume', 'Volume', k8s.toJson_Volume({ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Gi') } }));
    ok('volume', 'Volume', k8s.toJson_Volume({
      name: 'claim',
      ephemeral: { volumeClaimTemplate: { metadata: { labels: { a: 'b' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } } } },
    }));
    ok('spread', 'TopologySpreadConstraint', k8s.toJson_TopologySpreadConstraint({
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { a: 'b' } },
    }));
    ok('rule', 'PolicyRule', k8s.toJson_PolicyRule({ apiGroups: [''], resources: ['pods'], verbs: ['get'] }));
    ok('probe', 'Probe', k8s.toJson_Probe({ exec: { command: ['true'] }, failureThreshold: 3 }));
    ok('mount', 'VolumeMount', k8s.toJson_VolumeMount({ name: 'v', mountPath: '/v', subPath: 'a' }));
    ok('envFrom', 'EnvFromSource', k8s.toJson_EnvFromSource({ secretRef: { name: 's', optional: true }, prefix: 'X_' }));
    ok('ref', 'LocalObjectReference', k8s.toJson_LocalObjectReference({ name: 'regcred' }));
  });
});

describe('wrong structures are refused with the path of the offending field', () => {
  test('a map that is not a map', () => {
    expect(message(() => checkK8s('task.affinity', 'Affinity', { nodeAffinity: 'lol' })))
      .toBe('task.affinity.nodeAffinity: got "lol"; expected a NodeAffinity (a map)');
    expect(message(() => checkK8s('task.affinity', 'Affinity', 'anywhere')))
      .toBe('task.affinity: got "anywhere"; expected an Affinity (a map)');
    expect(message(() => checkK8s('task.affinity', 'Affinity', null)))
      .toBe('task.affinity: got null; expected an Affinity (a map)');
  });

  test('null fields are absent ones, as the API server decodes them, unless required', () => {
    ok('task.affinity', 'Affinity', { nodeAffinity: null });
    ok('task.sidecars[0]', 'Container', { name: 'a', env: null, resources: { limits: { cpu: null } }, securityContext: { capabilities: null } });
    expect(message(() => checkK8s('task.sidecars[0]', 'Container', { name: null, env: null })))
      .toBe('task.sidecars[0].name: got null; expected a string (required in a Container)');
    expect(message(() => checkK8s('task.sidecars[0]', 'Container', { name: 'a', env: null, ports: [{ containerPort: 1.5, hostIP: null }] })))
      .toBe('task.sidecars[0].ports[0].containerPort: got 1.5; expected an integer (int32)');
    const cyclic: any = { name: 'a', env: null, args: 'x' };
    cyclic.self = cyclic;
    expect(message(() => checkK8s('c', 'Container', cyclic))).toMatch(/^c: unknown field "self"; expected one of args, command, /);
    // A null list item is not an absent one.
    expect(message(() => checkK8sList('task.sidecars', 'Container', [null])))
      .toBe('task.sidecars[0]: got null; expected a Container (a map)');
  });

  test('a string where an integer is expected', () => {
    expect(message(() => checkK8s('agent.podSecurityContext', 'PodSecurityContext', { runAsUser: 'root' })))
      .toBe('agent.podSecurityContext.runAsUser: got "root"; expected an integer (int64)');
  });

  test('a fraction where an integer is expected, in a list', () => {
    expect(message(() => checkK8sList('task.tolerations', 'Toleration', [{ key: 'a', operator: 'Exists', tolerationSeconds: 1.5 }])))
      .toBe('task.tolerations[0].tolerationSeconds: got 1.5; expected an integer (int64)');
    expect(message(() => checkK8sList('task.tolerations', 'Toleration', [{}, { effect: 7 }])))
      .toBe('task.tolerations[1].effect: got 7; expected a string');
  });

  test('integers out of the int32 and int64 ranges', () => {
    expect(message(() => checkK8sList('task.sidecars', 'Container', [{ name: 'a', ports: [{ containerPort: 2147483648 }] }])))
      .toBe(`task.sidecars[0].ports[0].containerPort: got 2147483648; expected an integer (int32, ${INT32_RANGE})`);
    expect(message(() => checkK8s('agent.podSecurityContext', 'PodSecurityContext', { runAsUser: -2147483649, fsGroup: 2 ** 53 })))
      .toBe('agent.podSecurityContext.fsGroup: got 9007199254740992; expected an integer (int64, from -9007199254740991 to 9007199254740991)');
    ok('agent.podSecurityContext', 'PodSecurityContext', { runAsUser: -2147483649 });
    // The schema knows int32, not that a port is 1 to 65535: the API server's validation says that.
    ok('task.sidecars[0]', 'Container', { name: 'a', ports: [{ containerPort: 70000 }] });
  });

  test('an unknown field, with a suggestion when one is close', () => {
    const known = 'appArmorProfile, fsGroup, fsGroupChangePolicy, runAsGroup, runAsNonRoot, runAsUser, seLinuxChangePolicy, seLinuxOptions, seccompProfile, supplementalGroups, supplementalGroupsPolicy, sysctls, windowsOptions';
    expect(message(() => checkK8s('agent.podSecurityContext', 'PodSecurityContext', { runAsUSer: 1000 })))
      .toBe(`agent.podSecurityContext: unknown field "runAsUSer" (did you mean "runAsUser"?); expected one of ${known}`);
    expect(message(() => checkK8s('agent.podSecurityContext', 'PodSecurityContext', { foo: 1 })))
      .toBe(`agent.podSecurityContext: unknown field "foo"; expected one of ${known}`);
    expect(message(() => checkK8sList('task.sidecars', 'Container', [{ name: 'a', securityContext: { capabilities: { dorp: ['ALL'] } } }])))
      .toBe('task.sidecars[0].securityContext.capabilities: unknown field "dorp" (did you mean "drop"?); expected one of add, drop');
  });

  test('a missing required field', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a' }] }] } } };
    expect(message(() => checkK8s('agent.affinity', 'Affinity', affinity)))
      .toBe('agent.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: '
        + 'got nothing; expected a string (required in a NodeSelectorRequirement)');
    expect(message(() => checkK8sList('task.sidecars', 'Container', [{ image: 'x' }])))
      .toBe('task.sidecars[0].name: got nothing; expected a string (required in a Container)');
    expect(message(() => checkK8sList('rbac.rules', 'PolicyRule', [{ resources: ['pods'] }])))
      .toBe('rbac.rules[0].verbs: got nothing; expected a list of strings (required in a PolicyRule)');
    expect(message(() => checkK8s('spread', 'TopologySpreadConstraint', { maxSkew: 1, topologyKey: 'zone' })))
      .toBe('spread.whenUnsatisfiable: got nothing; expected a string (required in a TopologySpreadConstraint)');
  });

  test('lists and maps of the wrong things', () => {
    expect(message(() => checkK8sList('rbac.rules', 'PolicyRule', [{ verbs: 'get' }])))
      .toBe('rbac.rules[0].verbs: got "get"; expected a list of strings');
    expect(message(() => checkK8s('task.sidecars[0]', 'Container', { name: 'a', ports: { http: 80 } })))
      .toBe('task.sidecars[0].ports: got a map ({"http":80}); expected a list of ContainerPorts');
    expect(message(() => checkK8s('task.runner.resources', 'ResourceRequirements', { limits: '1Gi' })))
      .toBe('task.runner.resources.limits: got "1Gi"; expected a map of quantities (such as "512Mi" or "500m")');
    expect(message(() => checkK8sList('task.tolerations', 'Toleration', { key: 'a' } as any)))
      .toBe('task.tolerations: got a map ({"key":"a"}); expected a list of Tolerations');
  });

  test('quantities: numbers or strings of the Kubernetes grammar', () => {
    for (const q of ['512Mi', 1, '1.5', 0.5, '500m', '1e3', '+1', '.5', '2Gi', '10E']) {
      ok('task.runner.resources', 'ResourceRequirements', { limits: { cpu: q } });
    }
    for (const q of ['lots', '', '1.5.0', '512MB', ' 1', '1 Gi', true, [1]]) {
      expect(message(() => checkK8s('task.runner.resources', 'ResourceRequirements', { limits: { cpu: q } })))
        .toMatch(/^task\.runner\.resources\.limits\.cpu: got .*; expected a quantity: a number, or a string such as "512Mi", "1.5", "500m" or "2Gi"$/);
    }
    expect(message(() => checkK8s('task.runner.resources', 'ResourceRequirements', { limits: { 'nvidia.com/gpu': 'lots' } })))
      .toMatch(/^task\.runner\.resources\.limits\["nvidia\.com\/gpu"\]: got "lots"; expected a quantity/);
  });

  test('int-or-string: an int32 or a string', () => {
    ok('probe', 'Probe', { httpGet: { port: 'http' } });
    ok('probe', 'Probe', { httpGet: { port: 8080 } });
    expect(message(() => checkK8s('probe', 'Probe', { httpGet: { port: 1.5 } })))
      .toBe('probe.httpGet.port: got 1.5; expected an integer (int32) or a string');
    expect(message(() => checkK8s('probe', 'Probe', { httpGet: { port: 2147483648 } })))
      .toBe(`probe.httpGet.port: got 2147483648; expected an integer (int32, ${INT32_RANGE}) or a string`);
    expect(message(() => checkK8s('probe', 'Probe', { httpGet: {} })))
      .toBe('probe.httpGet.port: got nothing; expected an integer (int32) or a string (required in an HTTPGetAction)');
  });

  test('booleans are not strings', () => {
    expect(message(() => checkK8s('agent.controller.securityContext', 'SecurityContext', { readOnlyRootFilesystem: 'true' })))
      .toBe('agent.controller.securityContext.readOnlyRootFilesystem: got "true"; expected true or false');
  });

  test('the token is never shown', () => {
    registerSecret('super-secret-agent-token-value');
    const msg = message(() => checkK8s('env', 'EnvVar', { name: 'TOKEN', value: 'super-secret-agent-token-value', valueFrom: 3 }));
    expect(msg).toBe('env.valueFrom: got 3; expected an EnvVarSource (a map)');
    expect(message(() => checkK8s('env', 'EnvVar', { name: 'TOKEN', value: ['super-secret-agent-token-value'] })))
      .not.toContain('super-secret');
  });

  test('later checks are fast', () => {
    const [values] = scenario('11-extras', 'values.yaml');
    const sidecar = values.task.sidecars[0];
    checkK8s('s', 'Container', sidecar);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) checkK8s('s', 'Container', sidecar);
    const perCheck = Number(process.hrtime.bigint() - start) / 1000 / 1000; // µs
    expect(perCheck).toBeLessThan(200);
  });
});
