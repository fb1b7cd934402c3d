import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentJobChart, AgentRelease, AgentTaskTemplate, BufferPods } from '../src';
import { PoolProps, V0_5_62, V0_6_5, VERSIONS, configErrorOf, containerOf, find, objectsOf, pool as basePool, token } from './support/builders';

process.env.CDK8S_SCALR_SILENCE_WARNINGS = '1';

/** A pool in namespace "agents" (chart 0.6.5 unless given). */
const pool = (props: PoolProps = {}) => basePool({ namespace: 'agents', ...props });
function render(chart: AgentJobChart, props: any = {}) {
  const buffer = new BufferPods(chart, 'Buffer', { taskTemplate: chart.taskTemplate, ...props });
  const objects = objectsOf(chart);
  return {
    buffer,
    priorityClass: find(objects, 'PriorityClass'),
    deployment: find(objects, 'Deployment', `${chart.release.fullname}-buffer`),
  };
}
const eachVersion = test.each(VERSIONS.map((v) => [v.version, v] as const));

describe('BufferPods', () => {
  const task = {
    nodeSelector: { 'node-pool': 'runs' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'runs', effect: 'NoSchedule' }],
    runner: { resources: { cpu: { request: kplus.Cpu.units(2) }, memory: { request: Size.gibibytes(4), limit: Size.gibibytes(8) } } },
  };

  // The fullname of release scalr-agent: scalr-agent-agent-job (0.5.62), scalr-agent (0.6.5).
  test.each([['0.5.62', 'agents-scalr-agent-agent-job-buffer', V0_5_62], ['0.6.5', 'agents-scalr-agent-buffer', V0_6_5]])(
    '%s: creates a never-preempting PriorityClass %s of value -10, named after the namespace and release', (_v, name, version) => {
      const { priorityClass, deployment } = render(pool({ version }));
      expect(priorityClass).toMatchObject({ metadata: { name }, value: -10, preemptionPolicy: 'Never', globalDefault: false });
      expect(priorityClass.metadata.namespace).toBeUndefined();
      expect(deployment.spec.template.spec.priorityClassName).toBe(name);
    });

  eachVersion('chart %s: mirrors the task pods: scheduling, images, pull secrets and the worker and runner resources', (_v, version) => {
    const app = Testing.app();
    const regcred = kplus.Secret.fromSecretName(new Chart(app, 'secrets'), 'regcred', 'regcred');
    const chart = basePool({ version, namespace: 'agents', task, common: { imagePullSecrets: [regcred] } }, app);
    const { deployment } = render(chart, { replicas: 3 });
    const job = chart.taskTemplate.jobTemplate().spec.template.spec;
    const spec = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(3);
    expect(spec.nodeSelector).toEqual({ 'node-pool': 'runs' });
    expect(spec.tolerations).toEqual(job.tolerations);
    expect(spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(spec.containers.map((c: any) => [c.name, c.image, c.resources])).toEqual([
      ['agent', containerOf(job, 'worker').image, containerOf(job, 'worker').resources],
      ['runner', containerOf(job, 'runner').image, containerOf(job, 'runner').resources],
    ]);
    expect(spec.containers[1].resources.requests).toEqual({ cpu: '2', memory: '4Gi' });
  });

  eachVersion('chart %s: runs a shell sleep that exits on SIGTERM, and is restricted-PSS compliant without an API token', (_v, version) => {
    const spec = render(pool({ version })).deployment.spec.template.spec;
    expect(spec.containers[0].command).toEqual(['/bin/sh', '-c', 'trap "exit 0" TERM INT; while true; do sleep 3600 & wait $!; done']);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of spec.containers) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    }
  });

  test('selects its own pods (component buffer), not the task pods the PDB and NetworkPolicy select', () => {
    const chart = pool();
    const { deployment } = render(chart);
    const objects = objectsOf(chart);
    expect(deployment.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('buffer');
    expect(find(objects, 'NetworkPolicy').spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('task');
    expect(find(objects, 'PodDisruptionBudget', 'scalr-agent-task').spec.selector.matchLabels['app.kubernetes.io/component']).toBe('task');
  });

  test('explicit scheduling wins field by field', () => {
    const spec = render(pool({ task }), { scheduling: { nodeSelector: { warm: 'yes' } } }).deployment.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ warm: 'yes' });
    expect(spec.tolerations).toHaveLength(1);
  });

  test.each([
    ['0.5.62', ['AgentTask', 'PriorityClass', 'Deployment'], V0_5_62],
    ['0.6.5', ['AgentTaskTemplate', 'PodDisruptionBudget', 'PriorityClass', 'Deployment'], V0_6_5],
  ])('%s: works with a standalone AgentTaskTemplate', (_v, kinds, version) => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const t = new AgentTaskTemplate(chart, 't', { token, release: new AgentRelease({ version }) });
    new BufferPods(chart, 'b', { taskTemplate: t });
    expect(objectsOf(chart).map((o) => o.kind)).toEqual(kinds);
  });

  test('warns when the priority is below the cluster autoscaler cutoff', () => {
    const { buffer } = render(pool(), { priority: -100 });
    expect(buffer.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data).join()).toMatch(/does not add nodes for pods below -10/);
  });

  test.each([
    ['bufferPods.priority', { priority: 0 }, /^bufferPods\.priority: got 0; expected a whole number from -1000000000 to -1/],
    ['bufferPods.priority', { priority: -1.5 }, /^bufferPods\.priority: got -1\.5/],
    ['bufferPods.replicas', { replicas: -1 }, /^bufferPods\.replicas: got -1; expected a whole number of at least 0/],
  ])('rejects a wrong %s', (_p, props, expected) => {
    expect(configErrorOf(() => render(pool(), props)).message).toMatch(expected);
  });

  test('requires an AgentTaskTemplate', () => {
    expect(configErrorOf(() => new BufferPods(new Chart(Testing.app(), 'c'), 'b', {} as any)).message)
      .toMatch(/^bufferPods\.taskTemplate: got nothing; expected an AgentTaskTemplate/);
  });

  test('the pool prop bufferPods creates the same placeholders', () => {
    const objects = objectsOf(pool({ bufferPods: { replicas: 2 } }));
    expect(find(objects, 'Deployment', 'scalr-agent-buffer').spec.replicas).toBe(2);
    expect(find(objects, 'PriorityClass').metadata.name).toBe('agents-scalr-agent-buffer');
  });
});
