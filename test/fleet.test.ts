import * as fs from 'fs';
import { Testing } from 'cdk8s';
import { AgentPoolFleet, AgentToken, ResourceNaming } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');

describe('AgentPoolFleet', () => {
  test('renders one chart per pool and the CRD once, in its own chart', () => {
    const app = Testing.app();
    const fleet = new AgentPoolFleet(app, 'fleet', {
      pools: [
        { releaseName: 'team-a', namespace: 'team-a', props: { token } },
        { releaseName: 'team-b', namespace: 'team-b', props: { token, agent: { replicas: 2 } } },
      ],
    });
    expect(fleet.pools.map((p) => [p.release.releaseName, p.namespace])).toEqual([['team-a', 'team-a'], ['team-b', 'team-b']]);
    expect(fleet.pools.every((p) => p.crd === undefined)).toBe(true);
    expect(Testing.synth(fleet.crdChart!).map((o) => o.kind)).toEqual(['CustomResourceDefinition']);
    const objects = app.charts.flatMap((c) => c.toJson());
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(1);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('two pools in one namespace need PER_RELEASE names, and get them from the fleet', () => {
    const pools = [
      { releaseName: 'team-a', props: { token } },
      { releaseName: 'team-b', props: { token } },
    ];
    expect(() => new AgentPoolFleet(Testing.app(), 'fleet', { pools, defaultNamespace: 'agents' }))
      .toThrow(/^fleet\.pools\[1\] \(release "team-b" in namespace "agents"\): got "Deployment\.apps agents\/scalr-agent, AgentTask\.scalr\.io agents\/scalr-agent-task"; expected objects that fleet\.pools\[0\] \(release "team-a" in namespace "agents"\) does not also define/);
    const fleet = new AgentPoolFleet(Testing.app(), 'fleet', { pools, defaultNamespace: 'agents', resourceNames: ResourceNaming.PER_RELEASE });
    expect(fleet.pools.map((p) => p.controller.deployment.name)).toEqual(['team-a-agent-job', 'team-b-agent-job']);
  });

  test('the same release in two namespaces collides on the ClusterRole with chart 0.5 names only', () => {
    const pools = [
      { releaseName: 'pool', namespace: 'a', props: { token } },
      { releaseName: 'pool', namespace: 'b', props: { token } },
    ];
    expect(() => new AgentPoolFleet(Testing.app(), 'fleet', { pools })).toThrow(/^fleet\.pools\[1\] .*ClusterRole\.rbac\.authorization\.k8s\.io pool-agent-job-clusterrole/);
    expect(() => new AgentPoolFleet(Testing.app(), 'fleet', { pools, resourceNames: ResourceNaming.PER_RELEASE })).not.toThrow();
  });

  test('rejects a pool listed twice, an empty list and conflicting props', () => {
    const pool = { releaseName: 'a', props: { token } };
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [pool, pool] }))
      .toThrow(/^fleet\.pools\[1\]\.releaseName: got "a"; expected a release name not used yet in namespace "default" \(fleet\.pools\[0\]/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [] })).toThrow(/^fleet\.pools: got a list \(\[\]\); expected a non-empty list of pools/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'a', props: { token, namespace: 'x' } }] }))
      .toThrow(/^fleet\.pools\[0\]\.props\.namespace: got "x"; expected nothing or "default"/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'a', props: { token, includeCrd: true } }] }))
      .toThrow(/^fleet\.pools\[0\]\.props\.includeCrd: got true; expected nothing or false: the fleet creates the CRD once/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'Team_A', props: { token } }] }))
      .toThrow(/^fleet\.pools\[0\]\.releaseName: got "Team_A"/);
  });

  test('can leave the CRD out', () => {
    const fleet = new AgentPoolFleet(Testing.app(), 'f', { includeCrd: false, pools: [{ releaseName: 'a', props: { token } }] });
    expect(fleet.crdChart).toBeUndefined();
  });
});

describe('AgentPoolFleet output order', () => {
  test('the CRD chart comes first, in synthYaml and in the files cdk8s writes', () => {
    const app = Testing.app();
    new AgentPoolFleet(app, 'fleet', {
      pools: [{ releaseName: 'team-b', namespace: 'team-b', props: { token: AgentToken.fromSecretName('t') } },
        { releaseName: 'team-a', namespace: 'team-a', props: { token: AgentToken.fromSecretName('t') } }],
    });
    expect(app.synthYaml().startsWith('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n')).toBe(true);
    app.synth();
    const files: string[] = fs.readdirSync(app.outdir).sort();
    expect(files[0]).toMatch(/^0000-.*crd.*\.k8s\.yaml$/);
    expect(files).toHaveLength(3);
  });
});
