import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentPool, AgentPoolFleet, AgentTaskCrd, AgentToken, ResourceNaming, TaskTemplateResource } from '../src';
import { V0_5_62, V0_6_5, objectsOf, token } from './support/builders';

const kindsOf = (objects: any[]) => objects.map((o) => o.kind);
const secretToken = AgentToken.fromSecretName('t');

describe('AgentPoolFleet', () => {
  test('is one chart: one AgentPool per pool and the CRD once, under the construct crd', () => {
    const app = Testing.app();
    const fleet = new AgentPoolFleet(app, 'fleet', {
      pools: [
        { releaseName: 'team-a', namespace: 'team-a', props: { token } },
        { releaseName: 'team-b', namespace: 'team-b', props: { token, agent: { replicas: 2 } } },
      ],
    });
    expect(Chart.isChart(fleet)).toBe(true);
    expect(app.charts).toEqual([fleet]);
    expect(fleet.pools.every((p) => AgentPool.isAgentPool(p))).toBe(true);
    expect(fleet.pools.map((p) => [p.release.releaseName, p.namespace, p.node.id])).toEqual([
      ['team-a', 'team-a', 'team-a-team-a'], ['team-b', 'team-b', 'team-b-team-b'],
    ]);
    expect(fleet.pools.every((p) => p.crd === undefined)).toBe(true);
    // Both pools use the default chart version, 0.6.5: one AgentTaskTemplate CRD.
    expect(fleet.crds.map((c) => [c.name, c.node.path])).toEqual([[AgentTaskCrd.TEMPLATE_NAME, 'fleet/crd/TemplateCrd']]);
    const objects = objectsOf(fleet);
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(1);
    expect(objects.filter((o) => o.kind === 'AgentTaskTemplate')).toHaveLength(2);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('pools of different chart versions get both CRDs; each task template depends on its CRD and is written after it', () => {
    const fleet = new AgentPoolFleet(Testing.app(), 'fleet', {
      pools: [
        { releaseName: 'old', namespace: 'legacy', props: { token, version: V0_5_62 } },
        { releaseName: 'new', namespace: 'agents', props: { token, version: V0_6_5 } },
      ],
    });
    expect(fleet.pools.map((p) => p.version)).toEqual([V0_5_62, V0_6_5]);
    expect(fleet.crds.map((c) => [c.resource, c.name, c.node.id])).toEqual([
      [TaskTemplateResource.AGENT_TASK, AgentTaskCrd.NAME, 'Crd'],
      [TaskTemplateResource.AGENT_TASK_TEMPLATE, AgentTaskCrd.TEMPLATE_NAME, 'TemplateCrd'],
    ]);
    const [old, latest] = fleet.pools;
    expect(old.taskTemplate.apiObject.kind).toBe('AgentTask');
    expect(latest.taskTemplate.apiObject.kind).toBe('AgentTaskTemplate');

    const objects = objectsOf(fleet);
    const at = (kind: string, name: string) => objects.findIndex((o) => o.kind === kind && o.metadata.name === name);
    expect(at('CustomResourceDefinition', 'atasks.scalr.io')).toBeGreaterThanOrEqual(0);
    expect(at('CustomResourceDefinition', 'atasks.scalr.io')).toBeLessThan(at('AgentTask', 'scalr-agent-task'));
    expect(at('CustomResourceDefinition', 'agenttasktemplates.scalr.io')).toBeGreaterThanOrEqual(0);
    expect(at('CustomResourceDefinition', 'agenttasktemplates.scalr.io')).toBeLessThan(at('AgentTaskTemplate', 'new-scalr-agent-task-template'));
  });

  test('the fleet version applies to pools that do not set one', () => {
    const fleet = new AgentPoolFleet(Testing.app(), 'fleet', {
      version: V0_5_62,
      pools: [
        { releaseName: 'a', namespace: 'a', props: { token } },
        { releaseName: 'b', namespace: 'b', props: { token, version: V0_6_5 } },
      ],
    });
    expect(fleet.pools.map((p) => p.version)).toEqual([V0_5_62, V0_6_5]);
    expect(fleet.crds.map((c) => c.name)).toEqual([AgentTaskCrd.NAME, AgentTaskCrd.TEMPLATE_NAME]);
  });

  test('two chart 0.5.62 pools in one namespace need PER_RELEASE names, and get them from the fleet', () => {
    const pools = [
      { releaseName: 'team-a', props: { token } },
      { releaseName: 'team-b', props: { token } },
    ];
    expect(() => new AgentPoolFleet(Testing.app(), 'fleet', { pools, version: V0_5_62, defaultNamespace: 'agents' }))
      .toThrow(/^fleet\.pools\[1\] \(release "team-b" in namespace "agents"\): got "Deployment\.apps agents\/scalr-agent, AgentTask\.scalr\.io agents\/scalr-agent-task"; expected objects that fleet\.pools\[0\] \(release "team-a" in namespace "agents"\) does not also define.*use ResourceNaming\.PER_RELEASE or CHART_0_6/);
    const fleet = new AgentPoolFleet(Testing.app(), 'fleet', { pools, version: V0_5_62, defaultNamespace: 'agents', resourceNames: ResourceNaming.PER_RELEASE });
    expect(fleet.pools.map((p) => p.controller.deployment.name)).toEqual(['team-a-agent-job', 'team-b-agent-job']);
  });

  test('two chart 0.6.5 pools in one namespace have names of their own', () => {
    const pools = [
      { releaseName: 'team-a', props: { token } },
      { releaseName: 'team-b', props: { token } },
    ];
    const fleet = new AgentPoolFleet(Testing.app(), 'fleet', { pools, defaultNamespace: 'agents' });
    expect(fleet.pools.map((p) => p.controller.deployment.name)).toEqual(['team-a-scalr-agent', 'team-b-scalr-agent']);
  });

  test('the same release in two namespaces collides on the ClusterRole with chart 0.5 names only', () => {
    const pools = [
      { releaseName: 'pool', namespace: 'a', props: { token } },
      { releaseName: 'pool', namespace: 'b', props: { token } },
    ];
    expect(() => new AgentPoolFleet(Testing.app(), 'fleet', { pools, version: V0_5_62 }))
      .toThrow(/^fleet\.pools\[1\] .*ClusterRole\.rbac\.authorization\.k8s\.io \(cluster\) pool-agent-job-clusterrole/);
    expect(() => new AgentPoolFleet(Testing.app(), 'fleet', { pools, version: V0_5_62, resourceNames: ResourceNaming.PER_RELEASE })).not.toThrow();
    expect(() => new AgentPoolFleet(Testing.app(), 'fleet', { pools })).not.toThrow();
  });

  test('rejects a pool listed twice, an empty list and conflicting props', () => {
    const pool = { releaseName: 'a', props: { token } };
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [pool, pool] }))
      .toThrow(/^fleet\.pools\[1\]\.releaseName: got "a"; expected a release name not used yet in namespace "default" \(fleet\.pools\[0\]/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [] })).toThrow(/^fleet\.pools: got a list \(\[\]\); expected a non-empty list of pools/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'a', props: { token, namespace: 'x' } }] }))
      .toThrow(/^fleet\.pools\[0\]\.props\.namespace: got "x"; expected nothing or "default"/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'a', props: { token, releaseName: 'b' } }] }))
      .toThrow(/^fleet\.pools\[0\]\.props\.releaseName: got "b"; expected nothing or "a"/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'a', props: { token, includeCrd: true } }] }))
      .toThrow(/^fleet\.pools\[0\]\.props\.includeCrd: got true; expected nothing or false: the fleet creates the CRDs once/);
    expect(() => new AgentPoolFleet(Testing.app(), 'f', { pools: [{ releaseName: 'Team_A', props: { token } }] }))
      .toThrow(/^fleet\.pools\[0\]\.releaseName: got "Team_A"/);
  });

  test('can leave the CRDs out', () => {
    const fleet = new AgentPoolFleet(Testing.app(), 'f', { includeCrd: false, pools: [{ releaseName: 'a', props: { token } }] });
    expect(fleet.crds).toEqual([]);
    expect(kindsOf(objectsOf(fleet))).not.toContain('CustomResourceDefinition');
  });
});

describe('AgentPoolFleet output', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-test-'));
  });
  afterEach(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('the fleet is one file', () => {
    const app = new App({ outdir });
    new AgentPoolFleet(app, 'fleet', {
      pools: [{ releaseName: 'team-b', namespace: 'team-b', props: { token: secretToken } },
        { releaseName: 'team-a', namespace: 'team-a', props: { token: secretToken, version: V0_5_62 } }],
    });
    app.synth();
    expect(fs.readdirSync(outdir)).toEqual(['fleet.k8s.yaml']);
  });

  test('adding a fleet does not rename the user\'s other output files', () => {
    const app = new App({ outdir });
    const platform = new Chart(app, 'platform');
    new kplus.ConfigMap(platform, 'settings', { data: { a: 'b' } });
    new AgentPoolFleet(app, 'fleet', {
      pools: [{ releaseName: 'team-a', namespace: 'team-a', props: { token: secretToken } },
        { releaseName: 'legacy', namespace: 'legacy', props: { token: secretToken, version: V0_5_62 } }],
    });
    app.synth();
    const files = fs.readdirSync(outdir).sort();
    expect(files).toEqual(['fleet.k8s.yaml', 'platform.k8s.yaml']);
    expect(files).not.toContain('0000-platform.k8s.yaml');
    expect(fs.readFileSync(path.join(outdir, 'platform.k8s.yaml'), 'utf8')).toContain('kind: ConfigMap');
  });

  test('the fleet\'s CRDs are its first objects, in synthYaml and in the file cdk8s writes', () => {
    const orderDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-fleet-order-'));
    try {
      const app = new App({ outdir: orderDir });
      new AgentPoolFleet(app, 'fleet', {
        pools: [
          { releaseName: 'new', namespace: 'agents', props: { token } },
          { releaseName: 'old', namespace: 'legacy', props: { token, version: V0_5_62 } },
        ],
      });
      const firstKinds = (text: string) => text.split(/^---$/m).map((doc) => /^kind: (\S+)$/m.exec(doc)?.[1]).slice(0, 3);
      expect(firstKinds(app.synthYaml())).toEqual(['CustomResourceDefinition', 'CustomResourceDefinition', 'NetworkPolicy']);
      app.synth();
      expect(firstKinds(fs.readFileSync(path.join(orderDir, 'fleet.k8s.yaml'), 'utf8')))
        .toEqual(['CustomResourceDefinition', 'CustomResourceDefinition', 'NetworkPolicy']);
    } finally {
      fs.rmSync(orderDir, { recursive: true, force: true });
    }
  });
});
