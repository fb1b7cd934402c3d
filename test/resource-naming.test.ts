import { Testing } from 'cdk8s';
import { AgentJobChart, AgentRelease, ResourceNaming } from '../src';
import { PoolProps, V0_5_62, V0_6_5, envOf, find, poolObjects, token } from './support/builders';

const synth = (props: PoolProps) => poolObjects({ namespace: 'agents', ...props });
const named = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind).map((o) => o.metadata.name);
const controllerEnv = (objs: any[]) => envOf(find(objs, 'Deployment').spec.template.spec.containers[0]);

describe('resourceNames', () => {
  test('CHART_0_5 (the default of chart 0.5.62) keeps the fixed names of chart 0.5.62', () => {
    for (const objects of [synth({ version: V0_5_62 }), synth({ version: V0_5_62, resourceNames: ResourceNaming.CHART_0_5 })]) {
      expect(named(objects, 'Deployment')).toEqual(['scalr-agent']);
      expect(named(objects, 'AgentTask')).toEqual(['scalr-agent-task']);
      expect(named(objects, 'ClusterRole')).toEqual(['scalr-agent-agent-job-clusterrole']);
      expect(named(objects, 'NetworkPolicy')).toEqual(['scalr-agent-agent-job-task-network-policy']);
    }
  });

  test('CHART_0_6 (the default of chart 0.6.5) names everything after the release, as chart 0.6.5', () => {
    for (const objects of [synth({ releaseName: 'team-a' }), synth({ version: V0_6_5, releaseName: 'team-a', resourceNames: ResourceNaming.CHART_0_6 })]) {
      expect(named(objects, 'Deployment')).toEqual(['team-a-scalr-agent']);
      expect(named(objects, 'AgentTaskTemplate')).toEqual(['team-a-scalr-agent-task-template']);
      expect(named(objects, 'NetworkPolicy')).toEqual(['team-a-scalr-agent-network-policy']);
      expect(named(objects, 'ClusterRole')).toEqual(['agents-team-a-scalr-agent-clusterrole']);
      expect(named(objects, 'ClusterRoleBinding')).toEqual(['agents-team-a-scalr-agent-clusterrole-binding']);
      expect(controllerEnv(objects).SCALR_AGENT_KUBERNETES_TASK_TEMPLATE).toBe('team-a-scalr-agent-task-template');
    }
  });

  test('CHART_0_6 names the controller PodDisruptionBudget <fullname> and labels the RBAC objects', () => {
    const objects = synth({ releaseName: 'team-a', agent: { replicas: 2 } });
    expect(named(objects, 'PodDisruptionBudget').sort()).toEqual(['team-a-scalr-agent', 'team-a-scalr-agent-task']);
    for (const kind of ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']) {
      expect(find(objects, kind).metadata.labels?.['app.kubernetes.io/instance']).toBe('team-a');
    }
    const old = synth({ version: V0_5_62, releaseName: 'team-a', agent: { replicas: 2 } });
    expect(named(old, 'PodDisruptionBudget')).toEqual(['team-a-agent-job-agent']);
    expect(find(old, 'ClusterRole').metadata.labels).toBeUndefined();
  });

  test('PER_RELEASE names the Deployment and AgentTask after the release and the controller follows', () => {
    const objects = synth({ version: V0_5_62, releaseName: 'team-a', resourceNames: ResourceNaming.PER_RELEASE });
    expect(named(objects, 'Deployment')).toEqual(['team-a-agent-job']);
    expect(named(objects, 'AgentTask')).toEqual(['team-a-agent-job-task']);
    expect(controllerEnv(objects).SCALR_AGENT_KUBERNETES_JOB_TEMPLATE).toBe('team-a-agent-job-task');
  });

  test('PER_RELEASE prefixes the ClusterRole and its binding with the namespace', () => {
    const objects = synth({ version: V0_5_62, releaseName: 'team-a', resourceNames: ResourceNaming.PER_RELEASE });
    expect(named(objects, 'ClusterRole')).toEqual(['agents-team-a-agent-job-clusterrole']);
    const binding = objects.find((o) => o.kind === 'RoleBinding' && o.roleRef.kind === 'ClusterRole');
    expect(binding.metadata.name).toBe('agents-team-a-agent-job-clusterrole-binding');
    expect(binding.roleRef.name).toBe('agents-team-a-agent-job-clusterrole');
  });

  test('two PER_RELEASE (or CHART_0_6) pools in one namespace synthesize; with CHART_0_5 they collide', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'a', { token, version: V0_5_62, namespace: 'agents', releaseName: 'team-a', resourceNames: ResourceNaming.PER_RELEASE });
    new AgentJobChart(app, 'b', { token, version: V0_5_62, namespace: 'agents', releaseName: 'team-b', resourceNames: ResourceNaming.PER_RELEASE, includeCrd: false });
    expect(() => app.synthYaml()).not.toThrow();
    const app6 = Testing.app();
    new AgentJobChart(app6, 'a', { token, version: V0_6_5, namespace: 'agents', releaseName: 'team-a' });
    new AgentJobChart(app6, 'b', { token, version: V0_6_5, namespace: 'agents', releaseName: 'team-b', includeCrd: false });
    expect(() => app6.synthYaml()).not.toThrow();
    const app2 = Testing.app();
    new AgentJobChart(app2, 'a', { token, version: V0_5_62, namespace: 'agents', releaseName: 'team-a' });
    new AgentJobChart(app2, 'b', { token, version: V0_5_62, namespace: 'agents', releaseName: 'team-b', includeCrd: false });
    expect(() => app2.synthYaml()).toThrow(/The chart 0\.5 names of the Deployment and AgentTask are fixed: use ResourceNaming\.PER_RELEASE or CHART_0_6/);
  });

  test('rejects an unknown naming', () => {
    expect(() => synth({ resourceNames: 'v2' as any })).toThrow(/^resourceNames: got "v2"; expected one of chart-0\.5, per-release, chart-0\.6/);
  });

  test('AgentRelease computes the names for standalone constructs', () => {
    const release = new AgentRelease({ releaseName: 'x', version: V0_5_62 });
    expect(release.deploymentName(ResourceNaming.CHART_0_5)).toBe('scalr-agent');
    expect(release.taskTemplateName(ResourceNaming.PER_RELEASE)).toBe('x-agent-job-task');
    const latest = new AgentRelease({ releaseName: 'x' });
    expect(latest.deploymentName(ResourceNaming.CHART_0_6)).toBe('x-scalr-agent');
    expect(latest.taskTemplateName(ResourceNaming.CHART_0_6)).toBe('x-scalr-agent-task-template');
    expect(latest.networkPolicyName(ResourceNaming.CHART_0_6)).toBe('x-scalr-agent-network-policy');
    expect(latest.controllerDisruptionBudgetName(ResourceNaming.CHART_0_6)).toBe('x-scalr-agent');
    expect(latest.clusterRoleName(ResourceNaming.CHART_0_6, 'agents')).toBe('agents-x-scalr-agent-clusterrole');
    expect([latest.labelsRbac(ResourceNaming.CHART_0_6), latest.labelsRbac(ResourceNaming.CHART_0_5)]).toEqual([true, false]);
  });
});
