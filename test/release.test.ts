import { AgentRelease, ChartVersion } from '../src';
import { V0_5_62, V0_6_5 } from './support/builders';

describe('AgentRelease', () => {
  test('defaults to the latest chart version (0.6.5)', () => {
    expect(ChartVersion.LATEST).toBe(V0_6_5);
    expect(new AgentRelease().version).toBe(V0_6_5);
  });

  test('names objects <release>-agent-job with chart 0.5.62, and <release>-scalr-agent with 0.6.5', () => {
    expect(new AgentRelease({ version: V0_5_62 }).fullname).toBe('scalr-agent-agent-job');
    expect(new AgentRelease({ version: V0_6_5, releaseName: 'team-a' }).fullname).toBe('team-a-scalr-agent');
  });

  test('uses the release name alone when it contains the chart name', () => {
    expect(new AgentRelease({ version: V0_5_62, releaseName: 'agent-job-prod' }).fullname).toBe('agent-job-prod');
    // With 0.6.5 the chart name is scalr-agent: the default release gives the fullname scalr-agent.
    expect(new AgentRelease({ version: V0_6_5 }).fullname).toBe('scalr-agent');
    expect(new AgentRelease({ version: V0_6_5, releaseName: 'scalr-agent-prod' }).fullname).toBe('scalr-agent-prod');
  });

  test('applies nameOverride to names and labels and fullnameOverride to names only', () => {
    const r = new AgentRelease({ version: V0_5_62, nameOverride: 'tf-agent' });
    expect([r.fullname, r.selectorLabels()['app.kubernetes.io/name']]).toEqual(['scalr-agent-tf-agent', 'tf-agent']);
    const f = new AgentRelease({ version: V0_5_62, fullnameOverride: 'agents' });
    expect([f.fullname, f.name]).toEqual(['agents', 'agent-job']);
    const g = new AgentRelease({ version: V0_6_5, fullnameOverride: 'agents' });
    expect([g.fullname, g.name]).toEqual(['agents', 'scalr-agent']);
  });

  test.each(ChartVersion.all().map((v) => [v.version, v] as const))(
    'chart %s: truncates long names to 63 characters without a trailing dash, as the chart does', (_v, version) => {
      const r = new AgentRelease({ version, releaseName: `${'a'.repeat(52)}b`, nameOverride: `${'c'.repeat(9)}-xyz` });
      expect(r.fullname).toHaveLength(63);
      expect(r.fullname.endsWith('-')).toBe(false);
    });

  test('labels every object with the agent version of the chart version and cdk8s as manager', () => {
    expect(new AgentRelease({ version: V0_5_62 }).labels('agent')).toEqual({
      'app.kubernetes.io/name': 'agent-job',
      'app.kubernetes.io/instance': 'scalr-agent',
      'app.kubernetes.io/version': '0.55.2',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/component': 'agent',
    });
    expect(new AgentRelease({ version: V0_6_5 }).labels('agent')).toEqual({
      'app.kubernetes.io/name': 'scalr-agent',
      'app.kubernetes.io/instance': 'scalr-agent',
      'app.kubernetes.io/version': '1.4.0',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/component': 'agent',
    });
  });

  test('rejects a version that is not a ChartVersion', () => {
    expect(() => new AgentRelease({ version: '0.6.5' as any })).toThrow(/^version: got "0\.6\.5"; expected a ChartVersion such as ChartVersion\.V0_6_5/);
  });
});
