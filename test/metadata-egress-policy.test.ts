import { Chart, Testing } from 'cdk8s';
import { AgentJobChart, AgentRelease, AgentToken, MetadataEgressPolicy } from '../src';

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

describe('MetadataEgressPolicy options', () => {
  const render = (props: any) => {
    const scope = new Chart(Testing.app(), 'test', { namespace: 'agents' });
    new MetadataEgressPolicy(scope, 'policy', props);
    return Testing.synth(scope)[0].spec.egress;
  };

  test('blockIpv6Metadata adds ::/0 except the EC2 IPv6 endpoint beside the IPv4 block', () => {
    expect(render({ blockIpv6Metadata: true })[1]).toEqual({
      to: [
        { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } },
        { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } },
      ],
    });
  });

  test('allowClusterTraffic adds a rule to every pod in every namespace, on all ports', () => {
    const egress = render({ allowClusterTraffic: true });
    expect(egress).toHaveLength(3);
    expect(egress[1]).toEqual({ to: [{ namespaceSelector: {} }] });
    expect(egress[2].to[0].ipBlock.except).toEqual(['169.254.169.254/32']);
  });

  test('rejects options that are not booleans', () => {
    expect(() => render({ allowClusterTraffic: 'yes' })).toThrow(/^metadataPolicy\.allowClusterTraffic: got "yes"; expected true or false/);
  });
});

describe('task.metadataPolicy on AgentJobChart', () => {
  const token = AgentToken.fromValue('t');
  test('reaches the chart policy', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, task: { metadataPolicy: { blockIpv6Metadata: true, allowClusterTraffic: true } } });
    expect(Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy').spec.egress).toHaveLength(3);
  });

  test('is an error together with allowMetadataService', () => {
    expect(() => new AgentJobChart(Testing.app(), 'pool', { token, task: { allowMetadataService: true, metadataPolicy: { blockIpv6Metadata: true } } }))
      .toThrow(/^task\.metadataPolicy: got .*; expected nothing, because task\.allowMetadataService is true/);
  });
});
