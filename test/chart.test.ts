import { Testing } from 'cdk8s';
import { AgentJobChart, AgentToken } from '../src';

describe('AgentJobChart', () => {
  const token = AgentToken.fromValue('example-agent-pool-token');

  test('defaults to release scalr-agent in namespace default, as helm template without flags', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token });
    const objects = Testing.synth(chart);
    expect(chart.release.fullname).toBe('scalr-agent-agent-job');
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set([undefined, 'default']));
    expect(objects.map((o) => o.kind)).toEqual([
      'CustomResourceDefinition', 'NetworkPolicy', 'Secret', 'ServiceAccount', 'ClusterRole', 'Role', 'RoleBinding',
      'RoleBinding', 'Deployment', 'AgentTask',
    ]);
  });

  test('leaves out the CRD and the metadata policy when asked', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, includeCrd: false, task: { allowMetadataService: true } });
    expect(chart.crd).toBeUndefined();
    expect(chart.metadataPolicy).toBeUndefined();
    expect(Testing.synth(chart).map((o) => o.kind)).not.toContain('NetworkPolicy');
  });

  test('wires the controller, the task template and the volumes together', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, serviceAccount: { name: 'agents' } });
    const pod = chart.taskTemplate.jobTemplate().spec.template.spec;
    expect(pod.serviceAccountName).toBe('agents');
    expect(chart.taskTemplate.cache).toBe(chart.cache);
    expect(pod.initContainers[0].env.find((e: any) => e.name === 'SCALR_AGENT_TOKEN').valueFrom.secretKeyRef.name)
      .toBe(chart.controller.tokenSecretName);
  });
});
