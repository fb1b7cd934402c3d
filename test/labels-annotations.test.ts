import { VolumeStorage } from '../src';
import {
  PoolProps, V0_5_62, V0_6_5, VERSIONS, configErrorOf, find, jobSpecOf, poolObjects, taskTemplateOf,
} from './support/builders';
import { referenceObjects } from './support/reference-objects';

const IGNORED = ['helm.sh/chart', 'app.kubernetes.io/managed-by', 'checksum/secrets'];
const without = (map: any) => (map ? Object.fromEntries(Object.entries(map).filter(([k]) => !IGNORED.includes(k))) : undefined);
const eachVersion = test.each(VERSIONS.map((v) => [v.version, v] as const));

describe('labels and annotations (common, agent, task.job*)', () => {
  const props: PoolProps = {
    namespace: 'agents',
    common: { labels: { 'team': 'platform', 'cost-center': 'c1' }, annotations: { owner: 'platform@example.com' } },
    agent: { replicas: 2, labels: { team: 'agents' }, annotations: { 'owner': 'agents@example.com', 'argocd.argoproj.io/sync-wave': '1' } },
    task: { jobLabels: { 'cost-center': 'runs' }, jobAnnotations: { runs: 'yes' } },
    persistence: { cache: VolumeStorage.newClaim() },
  };
  const byVersion = Object.fromEntries(VERSIONS.map((v) => [v.version, poolObjects({ ...props, version: v })]));

  eachVersion('chart %s: common labels and annotations reach every object except the shared CRD', (v) => {
    const objects = byVersion[v];
    for (const obj of objects.filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Deployment')) {
      expect([obj.kind, obj.metadata.labels?.['cost-center'], obj.metadata.annotations?.owner]).toEqual([obj.kind, 'c1', 'platform@example.com']);
    }
    expect(find(objects, 'CustomResourceDefinition').metadata.labels).toBeUndefined();
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['PersistentVolumeClaim', 'PodDisruptionBudget', 'NetworkPolicy', 'ClusterRole']));
  });

  test.each([['0.5.62', 'agent-job', '0.55.2'], ['0.6.5', 'scalr-agent', '1.4.0']])('%s: the library labels (name %s, version %s) stay beside the user labels', (v, name, appVersion) => {
    expect(find(byVersion[v], 'Secret').metadata.labels).toEqual({
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': 'scalr-agent',
      'app.kubernetes.io/version': appVersion,
      'app.kubernetes.io/managed-by': 'cdk8s',
      'team': 'platform',
      'cost-center': 'c1',
    });
  });

  eachVersion('chart %s: agent.labels and agent.annotations win over the common ones on the Deployment only', (v) => {
    const deployment = find(byVersion[v], 'Deployment');
    expect(deployment.metadata.labels).toMatchObject({ 'team': 'agents', 'cost-center': 'c1', 'app.kubernetes.io/component': 'agent' });
    expect(deployment.metadata.annotations).toEqual({ 'owner': 'agents@example.com', 'argocd.argoproj.io/sync-wave': '1' });
    expect(find(byVersion[v], 'Role').metadata.labels.team).toBe('platform');
  });

  test('common labels reach the pods in 0.6.5 (common.labelPods), not in 0.5.62; agent.labels never do', () => {
    expect(find(byVersion['0.5.62'], 'Deployment').spec.template.metadata.labels.team).toBeUndefined();
    expect(find(byVersion['0.6.5'], 'Deployment').spec.template.metadata.labels).toMatchObject({ 'team': 'platform', 'cost-center': 'c1' });
    expect(jobSpecOf(byVersion['0.6.5']).template.metadata.labels).toMatchObject({ 'team': 'platform', 'cost-center': 'c1' });
    expect(jobSpecOf(byVersion['0.5.62']).template.metadata.labels.team).toBeUndefined();
  });

  test('common.labelPods overrides the version default both ways', () => {
    const podLabels = (version: typeof V0_5_62, labelPods: boolean) =>
      find(poolObjects({ ...props, version, common: { ...props.common, labelPods } }), 'Deployment').spec.template.metadata.labels;
    expect(podLabels(V0_5_62, true).team).toBe('platform');
    expect(podLabels(V0_6_5, false).team).toBeUndefined();
  });

  eachVersion('chart %s: task.jobLabels and task.jobAnnotations go to the Job metadata, merged over the common ones', (v) => {
    const template = taskTemplateOf(byVersion[v]);
    expect(template.spec.jobTemplate.metadata).toEqual({
      labels: { 'team': 'platform', 'cost-center': 'runs' },
      annotations: { owner: 'platform@example.com', runs: 'yes' },
    });
    expect(template.metadata.labels['cost-center']).toBe('c1');
  });

  test('without them the objects carry no extra metadata and the Job template has none', () => {
    for (const version of VERSIONS) {
      const plain = poolObjects({ version });
      expect(taskTemplateOf(plain).spec.jobTemplate.metadata).toBeUndefined();
      expect(find(plain, 'Deployment').metadata.annotations).toBeUndefined();
    }
    // The 0.5.62 RBAC objects have no labels at all; the 0.6.5 ones only the release's.
    expect(find(poolObjects({ version: V0_5_62 }), 'Role').metadata.labels).toBeUndefined();
    expect(Object.keys(find(poolObjects({ version: V0_6_5 }), 'Role').metadata.labels).every((k) => k.startsWith('app.kubernetes.io/'))).toBe(true);
  });

  test.each([
    ['common.labels', { common: { labels: { 'app.kubernetes.io/instance': 'other' } } }],
    ['agent.labels', { agent: { labels: { 'app.kubernetes.io/component': 'x' } } }],
    ['task.jobLabels', { task: { jobLabels: { 'app.kubernetes.io/name': 'x' } } }],
  ])('a selector label key in %s is an error naming the key', (path, given) => {
    expect(configErrorOf(() => poolObjects(given as PoolProps)).message)
      .toMatch(new RegExp(`^${path.replace('.', '\\.')}\\.app\\.kubernetes\\.io/\\w+: got .*the library sets these and selects pods by them`));
  });

  test('malformed label values and annotation keys are errors with their path', () => {
    expect(configErrorOf(() => poolObjects({ common: { labels: { team: 'has spaces' } } })).message).toMatch(/^common\.labels\.team: got "has spaces"; expected a label value/);
    expect(configErrorOf(() => poolObjects({ task: { jobAnnotations: { 'bad key!': 'x' } } })).message).toMatch(/^task\.jobAnnotations \(annotation key\): got "bad key!"/);
  });
});

describe('labels and annotations of the 0.6.5 reference 14-labels-annotations', () => {
  const reference = referenceObjects(V0_6_5, '14-labels-annotations');
  const objects = poolObjects({
    version: V0_6_5,
    common: { labels: { org: 'acme', env: 'prod' }, annotations: { shared: 'from-global', contact: 'platform@example.com' } },
    agent: { url: 'https://example.scalr.io', labels: { 'component-owner': 'agent-team' }, annotations: { note: 'from-agent', shared: 'from-agent' } },
    serviceAccount: { labels: { 'sa-label': 'present' }, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/scalr-agent' } },
    task: { jobLabels: { 'job-kind': 'scalr-run' }, jobAnnotations: { shared: 'from-job' } },
  });

  test.each(reference.map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))('%s has the labels and annotations of the reference', (_id, expected) => {
    const actual = find(objects, expected.kind, expected.metadata.name);
    expect([without(actual.metadata.labels), without(actual.metadata.annotations)])
      .toEqual([without(expected.metadata.labels), without(expected.metadata.annotations)]);
  });

  test('the controller pod, the Job and the task pod have the metadata of the reference', () => {
    const podMetadata = (objs: any[]) => {
      const m = find(objs, 'Deployment').spec.template.metadata;
      return [without(m.labels), without(m.annotations)];
    };
    expect(podMetadata(objects)).toEqual(podMetadata(reference));
    expect(taskTemplateOf(objects).spec.jobTemplate.metadata).toEqual(taskTemplateOf(reference).spec.jobTemplate.metadata);
    expect(jobSpecOf(objects).template.metadata).toEqual(jobSpecOf(reference).template.metadata);
  });
});
