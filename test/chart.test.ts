import { Testing } from 'cdk8s';
import { AgentJobChart, AgentToken, ChartVersion } from '../src';
import { V0_5_62, V0_6_5, containerOf, envOf, objectsOf, token } from './support/builders';
import { parseManifests } from './support/compare';

const VERSIONS = ChartVersion.all().map((v) => [v.version, v] as const);

describe('AgentJobChart', () => {
  test('defaults to chart 0.6.5, release scalr-agent in namespace default, as helm template without flags', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token });
    const objects = objectsOf(chart);
    expect(chart.version).toBe(V0_6_5);
    expect(chart.release.fullname).toBe('scalr-agent');
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set([undefined, 'default']));
    expect(objects.map((o) => o.kind)).toEqual([
      'CustomResourceDefinition', 'NetworkPolicy', 'Secret', 'ServiceAccount', 'ClusterRole', 'Role', 'RoleBinding',
      'ClusterRoleBinding', 'Deployment', 'AgentTaskTemplate', 'PodDisruptionBudget',
    ]);
  });

  test('chart 0.5.62: release scalr-agent in namespace default, as helm template without flags', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, version: V0_5_62 });
    const objects = objectsOf(chart);
    expect(chart.release.fullname).toBe('scalr-agent-agent-job');
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set([undefined, 'default']));
    expect(objects.map((o) => o.kind)).toEqual([
      'CustomResourceDefinition', 'NetworkPolicy', 'Secret', 'ServiceAccount', 'ClusterRole', 'Role', 'RoleBinding',
      'RoleBinding', 'Deployment', 'AgentTask',
    ]);
  });

  test.each(VERSIONS)('chart %s: leaves out the CRD and the metadata policy when asked', (_v, version) => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, version, includeCrd: false, task: { allowMetadataService: true } });
    expect(chart.crd).toBeUndefined();
    expect(chart.metadataPolicy).toBeUndefined();
    expect(objectsOf(chart).map((o) => o.kind)).not.toContain('NetworkPolicy');
    expect(objectsOf(chart).map((o) => o.kind)).not.toContain('CustomResourceDefinition');
  });

  test.each(VERSIONS)('chart %s: wires the controller, the task template and the volumes together', (_v, version) => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, version, serviceAccount: { name: 'agents' } });
    const pod = chart.taskTemplate.jobTemplate().spec.template.spec;
    expect(pod.serviceAccountName).toBe('agents');
    expect(chart.taskTemplate.cache).toBe(chart.cache);
    expect(envOf(containerOf(pod, 'worker')).SCALR_AGENT_TOKEN.secretKeyRef.name).toBe(chart.controller.tokenSecretName);
    expect(chart.tokenSecret.name).toBe(chart.controller.tokenSecretName);
    expect(chart.serviceAccount.name).toBe('agents');
    expect(chart.taskPods).toBe(chart.taskTemplate.taskPods);
  });

  test.each(VERSIONS)('chart %s: the CRD is the first object of the chart, as helm writes CRDs first', (_v, version) => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, version });
    const kinds = objectsOf(chart).map((o) => o.kind);
    expect(kinds[0]).toBe('CustomResourceDefinition');
    expect(kinds.indexOf(chart.taskTemplate.apiObject.kind)).toBeGreaterThan(0);
  });

  test('isAgentJobChart recognises charts only', () => {
    expect(AgentJobChart.isAgentJobChart(new AgentJobChart(Testing.app(), 'pool', { token }))).toBe(true);
    expect(AgentJobChart.isAgentJobChart({})).toBe(false);
    expect(AgentJobChart.isAgentJobChart(null)).toBe(false);
  });
});

describe('synthesis of many pools', () => {
  const secretToken = AgentToken.fromSecretName('pool-token');
  const fleet = (n: number, version: ChartVersion) => {
    const app = Testing.app();
    for (let i = 0; i < n; i++) {
      new AgentJobChart(app, `pool-${i}`, { token: secretToken, version, namespace: `team-${i}`, releaseName: `pool-${i}`, includeCrd: i === 0 });
    }
    return app;
  };

  test.each(VERSIONS)('chart %s: app.synthYaml() renders each pool exactly as the pool alone renders it', (_v, version) => {
    const app = fleet(3, version);
    const together = app.synthYaml();
    const alone = app.charts.map((c) => Testing.synth(c)).flat();
    expect(parseManifests(together)).toEqual(alone);
  });

  test.each(VERSIONS)('chart %s: still validates the whole app once per synthesis', (_v, version) => {
    const app = fleet(2, version);
    app.synthYaml();
    // A pool added after a first synthesis is checked against the others in the next one.
    new AgentJobChart(app, 'late', { token: secretToken, version, namespace: 'team-1', releaseName: 'pool-1', includeCrd: false });
    expect(() => app.synthYaml()).toThrow(/pools "pool-1" and "late" both define/);
  });
});

describe('buffer pods from the chart props', () => {
  test.each([[V0_5_62.version, V0_5_62, 'scalr-agent-agent-job-buffer'], [V0_6_5.version, V0_6_5, 'scalr-agent-buffer']] as const)(
    'chart %s: creates BufferPods for the chart\'s task template when bufferPods is given', (_v, version, name) => {
      const chart = new AgentJobChart(Testing.app(), 'pool', { token: AgentToken.fromSecretName('t'), version, namespace: 'agents', bufferPods: { replicas: 3 } });
      const objects = objectsOf(chart);
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
      expect(deployment.spec.replicas).toBe(3);
      expect(objects.filter((o) => o.kind === 'PriorityClass')).toHaveLength(1);
      expect(chart.bufferPods?.deployment).toBeDefined();
    });

  test('creates none by default', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token: AgentToken.fromSecretName('t') });
    expect(chart.bufferPods).toBeUndefined();
    expect(objectsOf(chart).map((o) => o.kind)).not.toContain('PriorityClass');
  });
});
