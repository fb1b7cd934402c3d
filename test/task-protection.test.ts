import { Testing } from 'cdk8s';
import { AgentJobChart, AgentJobChartProps, AgentToken } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');
function synth(props: Omit<AgentJobChartProps, 'token'>) {
  return Testing.synth(new AgentJobChart(Testing.app(), 'pool', { token, namespace: 'agents', ...props }));
}
const job = (objs: any[]) => objs.find((o) => o.kind === 'AgentTask').spec.jobTemplate.spec;
const pdbs = (objs: any[]) => objs.filter((o) => o.kind === 'PodDisruptionBudget');

describe('task.podDisruptionBudget', () => {
  test('creates <fullname>-task with maxUnavailable 0 selecting the task pods', () => {
    const [pdb] = pdbs(synth({ task: { podDisruptionBudget: {} } }));
    expect(pdb.metadata.name).toBe('scalr-agent-agent-job-task');
    expect(pdb.spec).toEqual({
      maxUnavailable: 0,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'agent-job', 'app.kubernetes.io/instance': 'scalr-agent', 'app.kubernetes.io/component': 'task' } },
    });
  });

  test('takes minAvailable instead, and enabled false turns it off', () => {
    expect(pdbs(synth({ task: { podDisruptionBudget: { minAvailable: 1 } } }))[0].spec.minAvailable).toBe(1);
    expect(pdbs(synth({ task: { podDisruptionBudget: { enabled: false } } }))).toEqual([]);
    expect(pdbs(synth({}))).toEqual([]);
  });

  test('rejects both fields and negative numbers', () => {
    expect(() => synth({ task: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: 0 } } }))
      .toThrow(/^task\.podDisruptionBudget\.minAvailable: got 1; expected nothing, because task\.podDisruptionBudget\.maxUnavailable is set/);
    expect(() => synth({ task: { podDisruptionBudget: { maxUnavailable: -1 } } })).toThrow(/^task\.podDisruptionBudget\.maxUnavailable: got -1/);
  });
});

describe('task.job.podFailurePolicy', () => {
  test('fails the Job on a non-zero runner exit and ignores disruptions', () => {
    expect(job(synth({ task: { job: { podFailurePolicy: true } } })).podFailurePolicy).toEqual({
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'runner', operator: 'NotIn', values: [0] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    });
  });

  test('is off by default; the pod keeps restartPolicy Never, which the policy requires', () => {
    const spec = job(synth({}));
    expect(spec.podFailurePolicy).toBeUndefined();
    expect(job(synth({ task: { job: { podFailurePolicy: true } } })).template.spec.restartPolicy).toBe('Never');
  });

  test('rejects a value that is not a boolean', () => {
    expect(() => synth({ task: { job: { podFailurePolicy: 'yes' as any } } })).toThrow(/^task\.job\.podFailurePolicy: got "yes"; expected true or false/);
  });
});

describe('task.doNotEvict', () => {
  test('adds the cluster-autoscaler and Karpenter annotations to the task pods', () => {
    const annotations = job(synth({ task: { doNotEvict: true, podAnnotations: { team: 'a' } } })).template.metadata.annotations;
    expect(annotations).toEqual({ 'team': 'a', 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false', 'karpenter.sh/do-not-disrupt': 'true' });
  });

  test('accepts the same value from podAnnotations and rejects a contradicting one', () => {
    expect(() => synth({ task: { doNotEvict: true, podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' } } })).not.toThrow();
    expect(() => synth({ common: { podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } }, task: { doNotEvict: true } }))
      .toThrow(/^task\.podAnnotations\.cluster-autoscaler\.kubernetes\.io\/safe-to-evict: got "true"; expected "false" or nothing, because task\.doNotEvict sets it/);
  });

  test('does nothing when false', () => {
    expect(job(synth({ task: { doNotEvict: false } })).template.metadata.annotations).toBeUndefined();
  });
});
