import { Chart, Testing } from 'cdk8s';
import { AgentRelease, MetadataEgressPolicy } from '../src';

describe('MetadataEgressPolicy', () => {
  const scope = new Chart(Testing.app(), 'test', { namespace: 'agents' });
  const policy = new MetadataEgressPolicy(scope, 'policy', { release: new AgentRelease({ releaseName: 'team-a' }) });
  const [obj] = Testing.synth(scope);

  test('selects the task pods of its release only', () => {
    expect(obj.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'agent-job', 'app.kubernetes.io/instance': 'team-a', 'app.kubernetes.io/component': 'task',
    });
    expect(policy.networkPolicy.name).toBe('team-a-agent-job-task-network-policy');
  });

  test('allows DNS first, then everything except the metadata endpoint', () => {
    expect(obj.spec.policyTypes).toEqual(['Egress']);
    expect(obj.spec.egress[0]).toEqual({ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
    expect(obj.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] });
  });
});
