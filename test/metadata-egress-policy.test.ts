import { Chart, Testing } from 'cdk8s';
import { AgentRelease, ChartVersion, MetadataEgressPolicy, MetadataEgressPolicyProps, ResourceNaming } from '../src';
import { V0_5_62, V0_6_5, VERSIONS, configErrorOf, find, findAll, objectsOf, poolObjects } from './support/builders';
import { compareManifests } from './support/compare';
import { referenceObjects } from './support/reference-objects';

/** The policy of the given chart version on its own in a chart of namespace "agents". */
function render(props: MetadataEgressPolicyProps = {}) {
  const scope = new Chart(Testing.app(), 'test', { namespace: 'agents' });
  const policy = new MetadataEgressPolicy(scope, 'policy', props);
  return { policy, obj: find(objectsOf(scope), 'NetworkPolicy') };
}
const teamA = (version: ChartVersion) => new AgentRelease({ version, releaseName: 'team-a' });

describe('MetadataEgressPolicy', () => {
  test.each(VERSIONS.map((v) => [v.version, v] as const))('chart %s: is the NetworkPolicy of the reference 01-default', (_v, version) => {
    const scope = new Chart(Testing.app(), 'test', { namespace: 'scalr' });
    new MetadataEgressPolicy(scope, 'policy', { release: new AgentRelease({ version }) });
    expect(compareManifests(objectsOf(scope), findAll(referenceObjects(version, '01-default'), 'NetworkPolicy'))).toEqual([]);
  });

  test.each([
    ['0.5.62', 'agent-job', 'team-a-agent-job-task-network-policy', V0_5_62],
    ['0.6.5', 'scalr-agent', 'team-a-scalr-agent-network-policy', V0_6_5],
  ])('%s: selects the task pods of its release only (name label %s) and is named %s', (_v, name, policyName, version) => {
    const { obj, policy } = render({ release: teamA(version) });
    expect(obj.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'team-a', 'app.kubernetes.io/component': 'task',
    });
    expect(policy.networkPolicy.name).toBe(policyName);
    expect(obj.metadata.namespace).toBe('agents');
  });

  test('resourceNames picks the name independently of the version', () => {
    expect(render({ release: teamA(V0_6_5), resourceNames: ResourceNaming.CHART_0_5 }).policy.networkPolicy.name).toBe('team-a-scalr-agent-task-network-policy');
    expect(render({ release: teamA(V0_5_62), resourceNames: ResourceNaming.CHART_0_6 }).policy.networkPolicy.name).toBe('team-a-agent-job-network-policy');
  });

  test('allows DNS first, then everything except the metadata endpoint', () => {
    const { obj } = render();
    expect(obj.spec.policyTypes).toEqual(['Egress']);
    expect(obj.spec.egress[0]).toEqual({ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
    expect(obj.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] });
  });
});

describe('MetadataEgressPolicy options', () => {
  const egress = (props: MetadataEgressPolicyProps) => render(props).obj.spec.egress;

  test('blockIpv6Metadata adds ::/0 except the EC2 IPv6 endpoint beside the IPv4 block', () => {
    expect(egress({ blockIpv6Metadata: true })[1]).toEqual({
      to: [
        { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } },
        { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } },
      ],
    });
  });

  test('allowClusterTraffic adds a rule to every pod in every namespace, on all ports', () => {
    const rules = egress({ allowClusterTraffic: true });
    expect(rules).toHaveLength(3);
    expect(rules[1]).toEqual({ to: [{ namespaceSelector: {} }] });
    expect(rules[2].to[0].ipBlock.except).toEqual(['169.254.169.254/32']);
  });

  test('rejects options that are not booleans', () => {
    expect(configErrorOf(() => render({ allowClusterTraffic: 'yes' as any })).message)
      .toMatch(/^metadataPolicy\.allowClusterTraffic: got "yes"; expected true or false/);
  });
});

describe('task.metadataPolicy of a pool', () => {
  test('reaches the pool policy', () => {
    expect(find(poolObjects({ task: { metadataPolicy: { blockIpv6Metadata: true, allowClusterTraffic: true } } }), 'NetworkPolicy').spec.egress).toHaveLength(3);
  });

  test('no policy when task.allowMetadataService is true', () => {
    for (const version of VERSIONS) expect(findAll(poolObjects({ version, task: { allowMetadataService: true } }), 'NetworkPolicy')).toEqual([]);
  });

  test('is an error together with allowMetadataService', () => {
    expect(configErrorOf(() => poolObjects({ task: { allowMetadataService: true, metadataPolicy: { blockIpv6Metadata: true } } })).message)
      .toMatch(/^task\.metadataPolicy: got .*; expected nothing, because task\.allowMetadataService is true/);
  });
});
