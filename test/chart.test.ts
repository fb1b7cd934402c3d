import { Testing } from 'cdk8s';
import { AgentJobChart, AgentToken } from '../src';
import { parseManifests } from './support/compare';

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

describe('synthesis of many pools', () => {
  const token = AgentToken.fromSecretName('pool-token');
  const fleet = (n: number) => {
    const app = Testing.app();
    for (let i = 0; i < n; i++) new AgentJobChart(app, `pool-${i}`, { token, namespace: `team-${i}`, releaseName: `pool-${i}`, includeCrd: i === 0 });
    return app;
  };

  test('app.synthYaml() renders each pool exactly as the pool alone renders it', () => {
    const app = fleet(3);
    const together = app.synthYaml();
    const alone = app.charts.map((c) => Testing.synth(c)).flat();
    expect(parseManifests(together)).toEqual(alone);
  });

  test('still validates the whole app once per synthesis', () => {
    const app = fleet(2);
    app.synthYaml();
    // A pool added after a first synthesis is checked against the others in the next one.
    new AgentJobChart(app, 'late', { token, namespace: 'team-1', releaseName: 'pool-1', includeCrd: false });
    expect(() => app.synthYaml()).toThrow(/charts "pool-1" and "late" both define/);
  });
});

describe('buffer pods from the chart props', () => {
  test('creates BufferPods for the chart\'s task template when bufferPods is given', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token: AgentToken.fromSecretName('t'), namespace: 'agents', bufferPods: { replicas: 3 } });
    const objects = Testing.synth(chart);
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'scalr-agent-agent-job-buffer');
    expect(deployment.spec.replicas).toBe(3);
    expect(objects.filter((o) => o.kind === 'PriorityClass')).toHaveLength(1);
    expect(chart.bufferPods?.deployment).toBeDefined();
  });

  test('creates none by default', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token: AgentToken.fromSecretName('t') });
    expect(chart.bufferPods).toBeUndefined();
    expect(Testing.synth(chart).map((o) => o.kind)).not.toContain('PriorityClass');
  });
});
