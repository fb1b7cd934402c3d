import { AgentOptions, ChartVersion } from '../src';
import { V0_5_62, V0_6_5, configErrorOf, controllerPodOf, find, poolObjects, taskPodOf } from './support/builders';

const podSpec = (agent: AgentOptions, version?: ChartVersion) => controllerPodOf(poolObjects({ version, agent }));

describe('agent.topologySpreadConstraints', () => {
  test.each([['0.5.62', 'agent-job', V0_5_62], ['0.6.5', 'scalr-agent', V0_6_5]])(
    '%s: spreads the controller pods, selecting them (name label %s) when no labelSelector is given', (_v, name, version) => {
      const spec = podSpec({ replicas: 3, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] },
        version as ChartVersion);
      const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'scalr-agent', 'app.kubernetes.io/component': 'agent' };
      expect(spec.topologySpreadConstraints).toEqual([{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selector },
      }]);
    });

  test('keeps a given labelSelector', () => {
    const spec = podSpec({ topologySpreadConstraints: [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { a: 'b' } } }] });
    expect(spec.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { a: 'b' } });
  });

  test('is absent by default and from task pods', () => {
    expect(podSpec({}).topologySpreadConstraints).toBeUndefined();
    const objects = poolObjects({ agent: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }] } });
    expect(find(objects, 'Deployment').spec.template.spec.topologySpreadConstraints).toHaveLength(1);
    expect(taskPodOf(objects).topologySpreadConstraints).toBeUndefined();
  });

  test.each([
    ['maxSkew', { maxSkew: 0, topologyKey: 'k', whenUnsatisfiable: 'DoNotSchedule' }, /maxSkew: got 0; expected a whole number of at least 1/],
    ['topologyKey', { maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule' }, /topologyKey: got ""; expected a node label key/],
    ['whenUnsatisfiable', { maxSkew: 1, topologyKey: 'k', whenUnsatisfiable: 'Never' }, /whenUnsatisfiable: got "Never"; expected DoNotSchedule or ScheduleAnyway/],
    ['minDomains', { maxSkew: 1, topologyKey: 'k', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }, /minDomains: got 2; expected nothing unless whenUnsatisfiable is DoNotSchedule/],
  ])('rejects a wrong %s with the constraint index', (field, constraint, expected) => {
    const error = configErrorOf(() => podSpec({ topologySpreadConstraints: [constraint] }));
    expect(error.path).toBe(`agent.topologySpreadConstraints[0].${field}`);
    expect(error.message).toMatch(expected);
  });
});
