import { PoolProps, V0_5_62, V0_6_5, VERSIONS, configErrorOf, find, findAll, jobSpecOf, poolObjects } from './support/builders';
import { referenceObjects } from './support/reference-objects';

const synth = (props: PoolProps) => poolObjects({ namespace: 'agents', ...props });
const taskPdbs = (objs: any[]) => findAll(objs, 'PodDisruptionBudget').filter((o) => o.metadata.labels['app.kubernetes.io/component'] === 'task');
const eachVersion = test.each(VERSIONS.map((v) => [v.version, v] as const));

describe('task.podDisruptionBudget', () => {
  test.each([['0.5.62', 'scalr-agent-agent-job-task', 'agent-job', V0_5_62], ['0.6.5', 'scalr-agent-task', 'scalr-agent', V0_6_5]])(
    '%s: creates %s with maxUnavailable 0 selecting the task pods', (_v, name, chartName, version) => {
      const [pdb] = taskPdbs(synth({ version, task: { podDisruptionBudget: {} } }));
      expect(pdb.metadata.name).toBe(name);
      expect(pdb.spec).toEqual({
        maxUnavailable: 0,
        selector: { matchLabels: { 'app.kubernetes.io/name': chartName, 'app.kubernetes.io/instance': 'scalr-agent', 'app.kubernetes.io/component': 'task' } },
      });
    });

  test('is on by default in 0.6.5, as the reference 01-default shows, and off in 0.5.62', () => {
    const expected = find(referenceObjects(V0_6_5, '01-default'), 'PodDisruptionBudget', 'scalr-agent-task');
    const [pdb] = taskPdbs(poolObjects({ version: V0_6_5 }));
    expect([pdb.metadata.name, pdb.spec]).toEqual([expected.metadata.name, expected.spec]);
    expect(findAll(referenceObjects(V0_5_62, '01-default'), 'PodDisruptionBudget')).toEqual([]);
    expect(taskPdbs(synth({ version: V0_5_62 }))).toEqual([]);
  });

  eachVersion('chart %s: takes minAvailable instead, and enabled false turns it off', (_v, version) => {
    const [pdb] = taskPdbs(synth({ version, task: { podDisruptionBudget: { minAvailable: 1 } } }));
    expect([pdb.spec.minAvailable, pdb.spec.maxUnavailable]).toEqual([1, undefined]);
    expect(taskPdbs(synth({ version, task: { podDisruptionBudget: { enabled: false } } }))).toEqual([]);
  });

  test('keeps minAvailable 0 (the chart drops it, G2)', () => {
    expect(taskPdbs(synth({ task: { podDisruptionBudget: { minAvailable: 0 } } }))[0].spec.minAvailable).toBe(0);
  });

  eachVersion('chart %s: fails when both minAvailable and maxUnavailable are set, saying which to drop', (_v, version) => {
    const error = configErrorOf(() => synth({ version, task: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: 0 } } }));
    expect(error.message).toMatch(/^task\.podDisruptionBudget\.minAvailable: got 1; expected nothing, because task\.podDisruptionBudget\.maxUnavailable is set/);
    expect(error.expected).toMatch(/drop one of them/);
  });

  test('fails with a negative number', () => {
    expect(configErrorOf(() => synth({ task: { podDisruptionBudget: { maxUnavailable: -1 } } })).message).toMatch(/^task\.podDisruptionBudget\.maxUnavailable: got -1/);
  });
});

describe('task.job.podFailurePolicy', () => {
  test('0.5.62: fails the Job on a non-zero runner exit and ignores disruptions', () => {
    expect(jobSpecOf(synth({ version: V0_5_62, task: { job: { podFailurePolicy: true } } })).podFailurePolicy).toEqual({
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'runner', operator: 'NotIn', values: [0] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    });
  });

  test('0.6.5: is on by default with the rules and backoffLimit of the reference 01-default', () => {
    const expected = jobSpecOf(referenceObjects(V0_6_5, '01-default'));
    const spec = jobSpecOf(synth({}));
    expect([spec.podFailurePolicy, spec.backoffLimit]).toEqual([expected.podFailurePolicy, expected.backoffLimit]);
    expect(spec.podFailurePolicy.rules.map((r: any) => r.action)).toEqual(['FailJob', 'Ignore']);
  });

  test('is off by default in 0.5.62 and can be turned off in 0.6.5; the pod keeps restartPolicy Never, which the policy requires', () => {
    expect(jobSpecOf(synth({ version: V0_5_62 })).podFailurePolicy).toBeUndefined();
    expect(jobSpecOf(synth({ task: { job: { podFailurePolicy: false } } })).podFailurePolicy).toBeUndefined();
    expect(jobSpecOf(synth({ version: V0_5_62, task: { job: { podFailurePolicy: true } } })).template.spec.restartPolicy).toBe('Never');
    expect(jobSpecOf(synth({})).template.spec.restartPolicy).toBe('Never');
  });

  test('rejects a value that is not a boolean', () => {
    expect(configErrorOf(() => synth({ task: { job: { podFailurePolicy: 'yes' as any } } })).message)
      .toMatch(/^task\.job\.podFailurePolicy: got "yes"; expected true or false/);
  });
});

describe('task.doNotEvict', () => {
  test('0.5.62: adds the cluster-autoscaler and Karpenter annotations to the task pods', () => {
    const annotations = jobSpecOf(synth({ version: V0_5_62, task: { doNotEvict: true, podAnnotations: { team: 'a' } } })).template.metadata.annotations;
    expect(annotations).toEqual({ 'team': 'a', 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false', 'karpenter.sh/do-not-disrupt': 'true' });
  });

  test('0.6.5: adds the four annotations of the reference 01-default by default', () => {
    const expected = jobSpecOf(referenceObjects(V0_6_5, '01-default')).template.metadata.annotations;
    expect(Object.keys(expected)).toHaveLength(4);
    expect(jobSpecOf(synth({})).template.metadata.annotations).toEqual(expected);
    expect(jobSpecOf(synth({ task: { podAnnotations: { team: 'a' } } })).template.metadata.annotations).toEqual({ ...expected, team: 'a' });
  });

  test('accepts the same value from podAnnotations and rejects a contradicting one when asked for explicitly', () => {
    expect(() => synth({ task: { doNotEvict: true, podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' } } })).not.toThrow();
    expect(configErrorOf(() => synth({ common: { podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } }, task: { doNotEvict: true } })).message)
      .toMatch(/^task\.podAnnotations\.cluster-autoscaler\.kubernetes\.io\/safe-to-evict: got "true"; expected "false" or nothing, because task\.doNotEvict sets it/);
  });

  test('by default (0.6.5) the user\'s annotation wins over the version default', () => {
    const annotations = jobSpecOf(synth({ task: { podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } } })).template.metadata.annotations;
    expect(annotations['cluster-autoscaler.kubernetes.io/safe-to-evict']).toBe('true');
  });

  eachVersion('chart %s: does nothing when false', (_v, version) => {
    expect(jobSpecOf(synth({ version, task: { doNotEvict: false } })).template.metadata.annotations).toBeUndefined();
  });
});
