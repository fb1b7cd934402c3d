import { Testing } from 'cdk8s';
import { AgentJobChart, AgentRelease, AgentToken, ResourceNaming } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');
const synth = (props: any) => Testing.synth(new AgentJobChart(Testing.app(), 'pool', { token, namespace: 'agents', ...props }));
const named = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind).map((o) => o.metadata.name);

describe('resourceNames', () => {
  test('CHART_0_5 (the default) keeps the fixed names of chart 0.5.62', () => {
    for (const objects of [synth({}), synth({ resourceNames: ResourceNaming.CHART_0_5 })]) {
      expect(named(objects, 'Deployment')).toEqual(['scalr-agent']);
      expect(named(objects, 'AgentTask')).toEqual(['scalr-agent-task']);
      expect(named(objects, 'ClusterRole')).toEqual(['scalr-agent-agent-job-clusterrole']);
    }
  });

  test('PER_RELEASE names the Deployment and AgentTask after the release and the controller follows', () => {
    const objects = synth({ releaseName: 'team-a', resourceNames: ResourceNaming.PER_RELEASE });
    expect(named(objects, 'Deployment')).toEqual(['team-a-agent-job']);
    expect(named(objects, 'AgentTask')).toEqual(['team-a-agent-job-task']);
    const env = objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'SCALR_AGENT_KUBERNETES_JOB_TEMPLATE').value).toBe('team-a-agent-job-task');
  });

  test('PER_RELEASE prefixes the ClusterRole and its binding with the namespace', () => {
    const objects = synth({ releaseName: 'team-a', resourceNames: ResourceNaming.PER_RELEASE });
    expect(named(objects, 'ClusterRole')).toEqual(['agents-team-a-agent-job-clusterrole']);
    const binding = objects.find((o) => o.kind === 'RoleBinding' && o.roleRef.kind === 'ClusterRole');
    expect(binding.metadata.name).toBe('agents-team-a-agent-job-clusterrole-binding');
    expect(binding.roleRef.name).toBe('agents-team-a-agent-job-clusterrole');
  });

  test('two PER_RELEASE pools in one namespace synthesize; with CHART_0_5 they collide', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'a', { token, namespace: 'agents', releaseName: 'team-a', resourceNames: ResourceNaming.PER_RELEASE });
    new AgentJobChart(app, 'b', { token, namespace: 'agents', releaseName: 'team-b', resourceNames: ResourceNaming.PER_RELEASE, includeCrd: false });
    expect(() => app.synthYaml()).not.toThrow();
    const app2 = Testing.app();
    new AgentJobChart(app2, 'a', { token, namespace: 'agents', releaseName: 'team-a' });
    new AgentJobChart(app2, 'b', { token, namespace: 'agents', releaseName: 'team-b', includeCrd: false });
    expect(() => app2.synthYaml()).toThrow(/The Deployment and AgentTask names are fixed unless resourceNames is ResourceNaming\.PER_RELEASE/);
  });

  test('rejects an unknown naming', () => {
    expect(() => synth({ resourceNames: 'v2' })).toThrow(/^resourceNames: got "v2"; expected one of chart-0\.5, per-release/);
  });

  test('AgentRelease computes the names for standalone constructs', () => {
    const release = new AgentRelease({ releaseName: 'x' });
    expect(release.deploymentName()).toBe('scalr-agent');
    expect(release.taskTemplateName(ResourceNaming.PER_RELEASE)).toBe('x-agent-job-task');
  });
});
