import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentJobChart, AgentTaskTemplate, AgentToken, BufferPods } from '../src';

process.env.CDK8S_SCALR_SILENCE_WARNINGS = '1';
const token = AgentToken.fromValue('example-agent-pool-token');

function pool(task: any = {}, common: any = {}) {
  const app = Testing.app();
  const chart = new AgentJobChart(app, 'pool', { token, namespace: 'agents', task, common });
  return chart;
}
function render(chart: AgentJobChart, props: any = {}) {
  const buffer = new BufferPods(chart, 'Buffer', { taskTemplate: chart.taskTemplate, ...props });
  const objects = Testing.synth(chart);
  return {
    buffer,
    priorityClass: objects.find((o) => o.kind === 'PriorityClass'),
    deployment: objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('-buffer')),
  };
}

describe('BufferPods', () => {
  const task = {
    nodeSelector: { 'node-pool': 'runs' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'runs', effect: 'NoSchedule' }],
    runner: { resources: { cpu: { request: kplus.Cpu.units(2) }, memory: { request: Size.gibibytes(4), limit: Size.gibibytes(8) } } },
  };

  test('creates a never-preempting PriorityClass of value -10, named after the namespace and release', () => {
    const { priorityClass } = render(pool());
    expect(priorityClass).toMatchObject({
      metadata: { name: 'agents-scalr-agent-agent-job-buffer' }, value: -10, preemptionPolicy: 'Never', globalDefault: false,
    });
    expect(priorityClass.metadata.namespace).toBeUndefined();
  });

  test('mirrors the task pods: scheduling, images, pull secrets and the worker and runner resources', () => {
    const chart = pool(task, { imagePullSecrets: ['regcred'] });
    const { deployment } = render(chart, { replicas: 3 });
    const job = chart.taskTemplate.jobTemplate().spec.template.spec;
    const spec = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(3);
    expect(spec.priorityClassName).toBe('agents-scalr-agent-agent-job-buffer');
    expect(spec.nodeSelector).toEqual({ 'node-pool': 'runs' });
    expect(spec.tolerations).toEqual(job.tolerations);
    expect(spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(spec.containers.map((c: any) => [c.name, c.image, c.resources])).toEqual([
      ['agent', job.initContainers[0].image, job.initContainers[0].resources],
      ['runner', job.containers[0].image, job.containers[0].resources],
    ]);
    expect(spec.containers[1].resources.requests).toEqual({ cpu: '2', memory: '4Gi' });
  });

  test('runs a shell sleep that exits on SIGTERM, and is restricted-PSS compliant without an API token', () => {
    const spec = render(pool()).deployment.spec.template.spec;
    expect(spec.containers[0].command).toEqual(['/bin/sh', '-c', 'trap "exit 0" TERM INT; while true; do sleep 3600 & wait $!; done']);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of spec.containers) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    }
  });

  test('selects its own pods (component buffer), not the task pods the PDB and NetworkPolicy select', () => {
    const { deployment } = render(pool());
    expect(deployment.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('buffer');
  });

  test('explicit scheduling wins field by field', () => {
    const spec = render(pool(task), { scheduling: { nodeSelector: { warm: 'yes' } } }).deployment.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ warm: 'yes' });
    expect(spec.tolerations).toHaveLength(1);
  });

  test('works with a standalone AgentTaskTemplate', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const t = new AgentTaskTemplate(chart, 't', { token });
    new BufferPods(chart, 'b', { taskTemplate: t });
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual(['AgentTask', 'PriorityClass', 'Deployment']);
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
    expect(() => render(pool(), props)).toThrow(expected);
  });

  test('requires an AgentTaskTemplate', () => {
    expect(() => new BufferPods(new Chart(Testing.app(), 'c'), 'b', {} as any)).toThrow(/^bufferPods\.taskTemplate: got nothing; expected an AgentTaskTemplate/);
  });
});
