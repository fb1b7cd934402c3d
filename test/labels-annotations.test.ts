import { Testing } from 'cdk8s';
import { AgentJobChart, AgentJobChartProps, AgentToken, VolumeStorage } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');
function synth(props: Omit<AgentJobChartProps, 'token'>) {
  return Testing.synth(new AgentJobChart(Testing.app(), 'pool', { token, namespace: 'agents', ...props }));
}
const byKind = (objs: any[], kind: string) => objs.find((o) => o.kind === kind);

describe('labels and annotations (common, agent, task.job*)', () => {
  const objects = synth({
    common: { labels: { 'team': 'platform', 'cost-center': 'c1' }, annotations: { owner: 'platform@example.com' } },
    agent: { replicas: 2, labels: { team: 'agents' }, annotations: { 'owner': 'agents@example.com', 'argocd.argoproj.io/sync-wave': '1' } },
    task: { jobLabels: { 'cost-center': 'runs' }, jobAnnotations: { runs: 'yes' } },
    persistence: { cache: VolumeStorage.newClaim() },
  });

  test('common labels and annotations reach every object except the shared CRD', () => {
    for (const obj of objects.filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Deployment')) {
      expect([obj.kind, obj.metadata.labels?.['cost-center'], obj.metadata.annotations?.owner]).toEqual([obj.kind, 'c1', 'platform@example.com']);
    }
    expect(byKind(objects, 'CustomResourceDefinition').metadata.labels).toBeUndefined();
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['PersistentVolumeClaim', 'PodDisruptionBudget', 'NetworkPolicy', 'ClusterRole']));
  });

  test('the library labels stay beside the user labels', () => {
    expect(byKind(objects, 'Secret').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'agent-job',
      'app.kubernetes.io/instance': 'scalr-agent',
      'app.kubernetes.io/version': '0.55.2',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'team': 'platform',
      'cost-center': 'c1',
    });
  });

  test('agent.labels and agent.annotations win over the common ones on the Deployment only', () => {
    const deployment = byKind(objects, 'Deployment');
    expect(deployment.metadata.labels).toMatchObject({ 'team': 'agents', 'cost-center': 'c1', 'app.kubernetes.io/component': 'agent' });
    expect(deployment.metadata.annotations).toEqual({ 'owner': 'agents@example.com', 'argocd.argoproj.io/sync-wave': '1' });
    expect(deployment.spec.template.metadata.labels.team).toBeUndefined();
    expect(byKind(objects, 'Role').metadata.labels.team).toBe('platform');
  });

  test('task.jobLabels and task.jobAnnotations go to the Job metadata, merged over the common ones', () => {
    const job = byKind(objects, 'AgentTask').spec.jobTemplate;
    expect(job.metadata).toEqual({
      labels: { 'team': 'platform', 'cost-center': 'runs' },
      annotations: { owner: 'platform@example.com', runs: 'yes' },
    });
    expect(byKind(objects, 'AgentTask').metadata.labels['cost-center']).toBe('c1');
  });

  test('without them the objects carry no extra metadata and the Job template has none', () => {
    const plain = synth({});
    expect(byKind(plain, 'Role').metadata.labels).toBeUndefined();
    expect(byKind(plain, 'AgentTask').spec.jobTemplate.metadata).toBeUndefined();
    expect(byKind(plain, 'Deployment').metadata.annotations).toBeUndefined();
  });

  test.each([
    ['common.labels', { common: { labels: { 'app.kubernetes.io/instance': 'other' } } }],
    ['agent.labels', { agent: { labels: { 'app.kubernetes.io/component': 'x' } } }],
    ['task.jobLabels', { task: { jobLabels: { 'app.kubernetes.io/name': 'x' } } }],
  ])('a selector label key in %s is an error naming the key', (path, props) => {
    expect(() => synth(props as any)).toThrow(new RegExp(`^${path.replace('.', '\\.')}\\.app\\.kubernetes\\.io/\\w+: got .*the library sets these and selects pods by them`));
  });

  test('malformed label values and annotation keys are errors with their path', () => {
    expect(() => synth({ common: { labels: { team: 'has spaces' } } })).toThrow(/^common\.labels\.team: got "has spaces"; expected a label value/);
    expect(() => synth({ task: { jobAnnotations: { 'bad key!': 'x' } } })).toThrow(/^task\.jobAnnotations \(annotation key\): got "bad key!"/);
  });
});
