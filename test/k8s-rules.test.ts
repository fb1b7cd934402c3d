/**
 * What the API server refuses beyond the OpenAPI schema (found by the property tests against a
 * real API server): refused when the pool is built, with the prop path.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { ChartVersion } from '../src';
import { PoolProps, configErrorOf, pool } from './support/builders';

const CASES: [string, PoolProps, string, RegExp][] = [
  ['a negative fsGroup', { common: { podSecurityContext: { fsGroup: -1 } } }, 'common.podSecurityContext.fsGroup', /an ID from 0 to 2147483647/],
  ['runAsUser over int32', { agent: { controller: { securityContext: { runAsUser: 2147483648 } } } }, 'agent.controller.securityContext.runAsUser', /an ID from 0/],
  ['a supplemental group over int32', { task: { podSecurityContext: { supplementalGroups: [2147483648] } } }, 'task.podSecurityContext.supplementalGroups[0]', /an ID/],
  ['procMount Unmasked', { task: { worker: { securityContext: { procMount: 'Unmasked' } } } }, 'task.worker.securityContext.procMount', /"Default"/],
  ['no node selector terms', { agent: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } } },
    'agent.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', /at least one node selector term/],
  ['an unknown operator', { task: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Foo', values: ['a'] }] }] } } } } },
    'task.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator', /one of In, NotIn/],
  ['In without values', { task: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } } } },
    'task.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values', /at least one value/],
  ['an anti-affinity weight of 101', { agent: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } } } },
    'agent.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', /from 1 to 100/],
  ['a toleration value with a newline', { task: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'a\nb', effect: 'NoSchedule' }] } }, 'task.tolerations[0].value', /a taint value/],
  ['a toleration key with spaces', { task: { tolerations: [{ key: 'UPPER KEY', operator: 'Exists' }] } }, 'task.tolerations[0].key', /a taint key/],
  ['a container port of 70000', { task: { sidecars: [{ name: 'side', image: 'busybox:1.36', ports: [{ containerPort: 70000 }] }] } }, 'task.sidecars[0].ports[0].containerPort', /from 1 to 65535/],
  ['a sidecar memory limit of 1Ei', { task: { sidecars: [{ name: 'side', image: 'busybox:1.36', resources: { limits: { memory: kplus.k8s.Quantity.fromString('1Ei') } } }] } },
    'task.sidecars[0].resources.limits.memory', /got "1Ei"; expected at most 8Pi/],
  ['a sidecar ephemeral storage request of 100m bytes', { task: { sidecars: [{ name: 'side', image: 'busybox:1.36', resources: { requests: { 'ephemeral-storage': kplus.k8s.Quantity.fromString('100m') } } }] } },
    'task.sidecars[0].resources.requests["ephemeral-storage"]', /got "0\.1 bytes"; expected a whole number of bytes/],
  ['an empty valueFrom', { agent: { controller: { extraEnvVars: [{ name: 'X', valueFrom: {} }] } } }, 'agent.controller.extraEnvVars[0].valueFrom', /exactly one of fieldRef/],
  ['an empty envFrom', { agent: { controller: { extraEnvFrom: [{}] } } }, 'agent.controller.extraEnvFrom[0]', /exactly one of configMapRef, secretRef/],
  ['a volume without a source', { task: { extraVolumes: [{ name: 'nothing' }] } }, 'task.extraVolumes[0]', /exactly one volume source/],
];

describe.each(ChartVersion.all().map((v) => [v.version, v] as const))('chart %s', (_v, version) => {
  test.each(CASES)('refuses %s', (_name, props, path, expected) => {
    const error = configErrorOf(() => pool({ version, ...props }));
    expect(error.path).toBe(path);
    expect(error.message).toMatch(expected);
  });
});

test('refuses an image pull secret listed twice', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'refs');
  const secret = kplus.Secret.fromSecretName(chart, 'reg', 'regcred');
  const again = kplus.Secret.fromSecretName(chart, 'reg2', 'regcred');
  const error = configErrorOf(() => pool({ common: { imagePullSecrets: [secret, again] } }, app));
  expect(error.path).toBe('common.imagePullSecrets[1]');
});
