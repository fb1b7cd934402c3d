import { AgentRelease } from '../src';

describe('AgentRelease', () => {
  test('names objects <release>-agent-job by default', () => {
    expect(new AgentRelease().fullname).toBe('scalr-agent-agent-job');
  });

  test('uses the release name alone when it contains the chart name', () => {
    expect(new AgentRelease({ releaseName: 'agent-job-prod' }).fullname).toBe('agent-job-prod');
  });

  test('applies nameOverride to names and labels and fullnameOverride to names only', () => {
    const r = new AgentRelease({ nameOverride: 'tf-agent' });
    expect([r.fullname, r.selectorLabels()['app.kubernetes.io/name']]).toEqual(['scalr-agent-tf-agent', 'tf-agent']);
    const f = new AgentRelease({ fullnameOverride: 'agents' });
    expect([f.fullname, f.name]).toEqual(['agents', 'agent-job']);
  });

  test('truncates long names to 63 characters without a trailing dash, as the chart does', () => {
    const r = new AgentRelease({ releaseName: `${'a'.repeat(52)}b`, nameOverride: `${'c'.repeat(9)}-xyz` });
    expect(r.fullname).toHaveLength(63);
    expect(r.fullname.endsWith('-')).toBe(false);
  });

  test('labels every object with the agent version and cdk8s as manager', () => {
    expect(new AgentRelease().labels('agent')).toEqual({
      'app.kubernetes.io/name': 'agent-job',
      'app.kubernetes.io/instance': 'scalr-agent',
      'app.kubernetes.io/version': '0.55.2',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/component': 'agent',
    });
  });
});
