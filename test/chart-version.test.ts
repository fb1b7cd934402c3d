import { Testing } from 'cdk8s';
import { AgentJobChart, AgentPool, ChartVersion, TaskTemplateResource } from '../src';
import { V0_5_62, V0_6_5, token } from './support/builders';

describe('ChartVersion', () => {
  test('lists the supported versions, oldest first; the latest is the default', () => {
    expect(ChartVersion.all()).toEqual([V0_5_62, V0_6_5]);
    expect(ChartVersion.LATEST).toBe(V0_6_5);
    expect(new AgentJobChart(Testing.app(), 'pool', { token }).version).toBe(V0_6_5);
  });

  test.each([
    [V0_5_62, '0.5.62', '0.55.2', 'agent-job', TaskTemplateResource.AGENT_TASK],
    [V0_6_5, '0.6.5', '1.4.0', 'scalr-agent', TaskTemplateResource.AGENT_TASK_TEMPLATE],
  ] as const)('%s: version, agent version, chart name and task template resource', (version, number, appVersion, name, resource) => {
    expect([version.version, version.appVersion, version.defaultName, String(version)]).toEqual([number, appVersion, name, number]);
    expect(version._profile.taskTemplateResource).toBe(resource);
    expect(ChartVersion.of(number)).toBe(version);
  });

  test('of() refuses an unknown version, naming the supported ones', () => {
    expect(() => ChartVersion.of('0.6.4')).toThrow(/^version: got "0\.6\.4"; expected a supported chart version: 0\.5\.62, 0\.6\.5$/);
  });

  test('isChartVersion recognises versions only, also from another copy of the package', () => {
    expect(ChartVersion.isChartVersion(V0_6_5)).toBe(true);
    expect(ChartVersion.isChartVersion({ version: '0.6.5' })).toBe(false);
    expect(ChartVersion.isChartVersion(null)).toBe(false);
    // A version from another copy carries the same marker and is looked up by number.
    const copy = Object.create(null);
    Object.defineProperty(copy, Symbol.for('cdk8s-scalr-agent-job.ChartVersion'), { value: true });
    copy.version = '0.5.62';
    expect(ChartVersion.isChartVersion(copy)).toBe(true);
    expect(new AgentJobChart(Testing.app(), 'pool', { token, version: copy }).version).toBe(V0_5_62);
  });

  test('a pool reproduces the version it is given', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, version: V0_5_62 });
    expect([chart.version, chart.release.version, chart.taskTemplate.resource]).toEqual([V0_5_62, V0_5_62, TaskTemplateResource.AGENT_TASK]);
    const pool = new AgentPool(Testing.chart(), 'pool', { token, version: V0_6_5 });
    expect([pool.version, pool.taskTemplate.resource]).toEqual([V0_6_5, TaskTemplateResource.AGENT_TASK_TEMPLATE]);
  });

  test('the typed structure options can be taken from the other version', () => {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, version: V0_6_5, taskTemplateResource: TaskTemplateResource.AGENT_TASK });
    expect(chart.taskTemplate.apiObject.kind).toBe('AgentTask');
    expect(chart.crd?.name).toBe('atasks.scalr.io');
  });
});
