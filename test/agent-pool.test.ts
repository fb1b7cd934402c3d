import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AgentJobChart, AgentPool, AgentPoolProps, AgentTaskCrd, ResourceNaming } from '../src';
import { V0_5_62, V0_6_5, find, findAll, objectsOf, synthObjects, taskTemplateOf, token } from './support/builders';

/** An AgentPool in a user's chart of the given namespace (null: a chart without one). */
function poolInChart(props: Partial<AgentPoolProps> = {}, namespace: string | null = 'apps') {
  const chart = new Chart(Testing.app(), 'user', { namespace: namespace ?? undefined });
  const pool = new AgentPool(chart, 'pool', { token, ...props });
  return { chart, pool };
}
const namespacedKinds = (objects: any[]) => objects.filter((o) => !['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));

describe('AgentPool in a user\'s chart', () => {
  test('takes the namespace of the chart', () => {
    const { chart, pool } = poolInChart();
    const objects = objectsOf(chart);
    expect(pool.namespace).toBe('apps');
    for (const o of namespacedKinds(objects)) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, 'apps']);
    // The 0.6.5 ClusterRole and its binding carry the namespace in their names.
    expect(find(objects, 'ClusterRole').metadata.name).toBe('apps-scalr-agent-clusterrole');
  });

  test('or its own, which wins over the chart\'s', () => {
    const { chart, pool } = poolInChart({ namespace: 'scalr' });
    expect(pool.namespace).toBe('scalr');
    for (const o of namespacedKinds(objectsOf(chart))) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, 'scalr']);
    expect(find(objectsOf(chart), 'ClusterRoleBinding').subjects[0].namespace).toBe('scalr');
  });

  test('uses "default" in a chart without a namespace, as helm template without --namespace', () => {
    const { chart, pool } = poolInChart({}, null);
    expect(pool.namespace).toBe('default');
    expect(find(objectsOf(chart), 'Deployment').metadata.namespace).toBe('default');
  });

  test('finds the chart\'s namespace through intermediate constructs', () => {
    const chart = new Chart(Testing.app(), 'user', { namespace: 'apps' });
    const pool = new AgentPool(new Construct(new Construct(chart, 'platform'), 'ci'), 'pool', { token });
    expect(pool.namespace).toBe('apps');
  });

  test('renders what an AgentJobChart of the same props renders', () => {
    const { chart } = poolInChart({ version: V0_5_62, namespace: 'scalr' });
    const standalone = objectsOf(new AgentJobChart(Testing.app(), 'pool', { token, version: V0_5_62, namespace: 'scalr' }));
    const id = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(objectsOf(chart).map(id)).toEqual(standalone.map(id));
  });

  test('fails with a namespace that is not a DNS label', () => {
    expect(() => poolInChart({ namespace: 'Apps_1' })).toThrow(/^namespace: got "Apps_1"/);
  });
});

describe('AgentPool.isAgentPool', () => {
  test('recognises pools only', () => {
    const { chart, pool } = poolInChart();
    expect(AgentPool.isAgentPool(pool)).toBe(true);
    expect(AgentPool.isAgentPool(chart)).toBe(false);
    expect(AgentPool.isAgentPool(new AgentJobChart(Testing.app(), 'pool', { token }))).toBe(false);
    expect(AgentPool.isAgentPool({ namespace: 'apps' })).toBe(false);
    expect(AgentPool.isAgentPool(undefined)).toBe(false);
    expect(AgentPool.isAgentPool(null)).toBe(false);
  });

  test('AgentJobChart.isAgentJobChart tells the two apart', () => {
    const { pool } = poolInChart();
    expect(AgentJobChart.isAgentJobChart(pool)).toBe(false);
    expect(AgentJobChart.isAgentJobChart(new AgentJobChart(Testing.app(), 'pool', { token }))).toBe(true);
  });
});

describe('two pools in one user chart', () => {
  test.each([
    ['PER_RELEASE', ResourceNaming.PER_RELEASE],
    ['CHART_0_6', ResourceNaming.CHART_0_6],
  ])('with %s naming and different releases, they synthesize side by side', (_n, resourceNames) => {
    const objects = synthObjects((app) => {
      const chart = new Chart(app, 'user', { namespace: 'ci' });
      new AgentPool(chart, 'blue', { token, version: V0_5_62, releaseName: 'blue', resourceNames });
      new AgentPool(chart, 'green', { token, version: V0_5_62, releaseName: 'green', resourceNames, includeCrd: false });
    });
    const names = (kind: string) => findAll(objects, kind).map((o) => o.metadata.name).sort();
    expect(names('Deployment')).toEqual(['blue-agent-job', 'green-agent-job']);
    expect(names('AgentTask')).toEqual(resourceNames === ResourceNaming.PER_RELEASE
      ? ['blue-agent-job-task', 'green-agent-job-task']
      : ['blue-agent-job-task-template', 'green-agent-job-task-template']);
    expect(names('ClusterRole')).toEqual(['ci-blue-agent-job-clusterrole', 'ci-green-agent-job-clusterrole']);
    expect(findAll(objects, 'CustomResourceDefinition')).toHaveLength(1);
    // Each controller is told its own template.
    for (const d of findAll(objects, 'Deployment')) {
      const release = d.metadata.labels['app.kubernetes.io/instance'];
      expect(d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'SCALR_AGENT_KUBERNETES_JOB_TEMPLATE').value).toMatch(new RegExp(`^${release}-`));
    }
  });

  test('of different chart versions, they synthesize side by side, each with its own resource', () => {
    const objects = synthObjects((app) => {
      const chart = new Chart(app, 'user', { namespace: 'ci' });
      new AgentPool(chart, 'old', { token, version: V0_5_62, releaseName: 'old', resourceNames: ResourceNaming.PER_RELEASE });
      new AgentPool(chart, 'new', { token, version: V0_6_5, releaseName: 'new' });
    });
    expect(findAll(objects, 'CustomResourceDefinition').map((o) => o.metadata.name).sort()).toEqual(['agenttasktemplates.scalr.io', 'atasks.scalr.io']);
    expect(findAll(objects, 'AgentTask').map((o) => o.metadata.name)).toEqual(['old-agent-job-task']);
    expect(findAll(objects, 'AgentTaskTemplate').map((o) => o.metadata.name)).toEqual(['new-scalr-agent-task-template']);
  });

  test('with the chart 0.5 names, the fixed Deployment and AgentTask names collide, and the error names both pools', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'user', { namespace: 'ci' });
    new AgentPool(chart, 'blue', { token, version: V0_5_62, releaseName: 'blue' });
    new AgentPool(chart, 'green', { token, version: V0_5_62, releaseName: 'green', includeCrd: false });
    expect(() => app.synthYaml()).toThrow(/pools "user\/blue" and "user\/green" both define .*Deployment\.apps ci\/scalr-agent.*AgentTask\.scalr\.io ci\/scalr-agent-task/s);
    expect(() => app.synthYaml()).toThrow(/use ResourceNaming\.PER_RELEASE or CHART_0_6/);
  });

  test('with the same release in the same namespace, everything collides; the error names both pools', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'user', { namespace: 'ci' });
    new AgentPool(chart, 'a', { token });
    new AgentPool(chart, 'b', { token, includeCrd: false });
    expect(() => app.synthYaml()).toThrow(/pools "user\/a" and "user\/b" both define .*Secret\.core ci\/scalr-agent/s);
  });

  test('two pools that both include the CRD collide on it, with the hint to include it once', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'user', { namespace: 'ci' });
    new AgentPool(chart, 'blue', { token, releaseName: 'blue' });
    new AgentPool(chart, 'green', { token, releaseName: 'green' });
    expect(() => app.synthYaml()).toThrow(/CustomResourceDefinition\.apiextensions\.k8s\.io \(cluster\) agenttasktemplates\.scalr\.io.*includeCrd: false/s);
  });

  test('pools in different namespaces of different charts do not collide on namespaced objects, but on cluster-scoped ones', () => {
    const app = Testing.app();
    new AgentPool(new Chart(app, 'team-a', { namespace: 'team-a' }), 'pool', { token, version: V0_5_62 });
    new AgentPool(new Chart(app, 'team-b', { namespace: 'team-b' }), 'pool', { token, version: V0_5_62, includeCrd: false });
    // The 0.5 ClusterRole is <fullname>-clusterrole whatever the namespace.
    let message = '';
    try {
      app.synthYaml();
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).toMatch(/pools "team-a\/pool" and "team-b\/pool" both define ClusterRole\.rbac\.authorization\.k8s\.io \(cluster\) scalr-agent-agent-job-clusterrole/);
    expect(message).not.toMatch(/Deployment/);
  });
});

describe('the order of objects', () => {
  test.each([['0.5.62', V0_5_62], ['0.6.5', V0_6_5]])('chart %s: the CRD is written first, before the task template', (_v, version) => {
    for (const build of [
      () => objectsOf(poolInChart({ version }).chart),
      () => objectsOf(new AgentJobChart(Testing.app(), 'pool', { token, version })),
    ]) {
      const objects = build();
      const kinds = objects.map((o) => o.kind);
      expect(kinds.indexOf('CustomResourceDefinition')).toBeGreaterThanOrEqual(0);
      expect(kinds.indexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf(taskTemplateOf(objects).kind));
      expect(kinds[0]).toBe('CustomResourceDefinition');
    }
  });

  test('a CRD the app creates elsewhere can be ordered first by a chart dependency', () => {
    const objects = synthObjects((app) => {
      const crds = new Chart(app, 'crds');
      const crd = new AgentTaskCrd(crds, 'crd');
      const chart = new Chart(app, 'user', { namespace: 'ci' });
      new AgentPool(chart, 'pool', { token, includeCrd: false });
      chart.addDependency(crds);
      expect(crd.name).toBe('agenttasktemplates.scalr.io');
    });
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('AgentTaskTemplate'));
  });
});
