import { Testing } from 'cdk8s';
import { AgentJobChart, AgentToken } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');
const podSpec = (agent: any) => Testing.synth(new AgentJobChart(Testing.app(), 'pool', { token, agent }))
  .find((o) => o.kind === 'Deployment').spec.template.spec;

describe('agent.topologySpreadConstraints', () => {
  test('spreads the controller pods, selecting them when no labelSelector is given', () => {
    const spec = podSpec({ replicas: 3, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] });
    expect(spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'agent-job', 'app.kubernetes.io/instance': 'scalr-agent', 'app.kubernetes.io/component': 'agent' } },
    }]);
  });

  test('keeps a given labelSelector', () => {
    const spec = podSpec({ topologySpreadConstraints: [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { a: 'b' } } }] });
    expect(spec.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { a: 'b' } });
  });

  test('is absent by default and from task pods', () => {
    expect(podSpec({}).topologySpreadConstraints).toBeUndefined();
  });

  test.each([
    ['maxSkew', { maxSkew: 0, topologyKey: 'k', whenUnsatisfiable: 'DoNotSchedule' }, /maxSkew: got 0; expected a whole number of at least 1/],
    ['topologyKey', { maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule' }, /topologyKey: got ""; expected a node label key/],
    ['whenUnsatisfiable', { maxSkew: 1, topologyKey: 'k', whenUnsatisfiable: 'Never' }, /whenUnsatisfiable: got "Never"; expected DoNotSchedule or ScheduleAnyway/],
    ['minDomains', { maxSkew: 1, topologyKey: 'k', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }, /minDomains: got 2; expected nothing unless whenUnsatisfiable is DoNotSchedule/],
  ])('rejects a wrong %s with the constraint index', (_f, constraint, expected) => {
    expect(() => podSpec({ topologySpreadConstraints: [constraint] })).toThrow(/^agent\.topologySpreadConstraints\[0\]\./);
    expect(() => podSpec({ topologySpreadConstraints: [constraint] })).toThrow(expected);
  });
});
