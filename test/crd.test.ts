import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AgentTaskCrd, TaskTemplateResource, crds } from '../src';
import { V0_5_62, V0_6_5, find, findAll, objectsOf, poolObjects } from './support/builders';
import { referenceDir } from './support/compare';

/** The CRD a chart version installs (its crds/ folder). */
const chartCrd = (version: string, file: string) => parse(fs.readFileSync(path.join(referenceDir(version), 'crds', file), 'utf8'));
const AGENT_TASK_CRD = chartCrd('0.5.62', 'atasks.scalr.io.yaml');
const AGENT_TASK_TEMPLATE_CRD = chartCrd('0.6.5', 'agenttasktemplates.scalr.io.yaml');

describe('AgentTaskCrd', () => {
  test('is the chart 0.6.5 CRD agenttasktemplates.scalr.io by default, without a namespace even in a namespaced chart', () => {
    const scope = new Chart(Testing.app(), 'crds', { namespace: 'scalr' });
    const crd = new AgentTaskCrd(scope, 'crd');
    expect(objectsOf(scope)).toEqual([AGENT_TASK_TEMPLATE_CRD]);
    expect([crd.name, crd.resource]).toEqual(['agenttasktemplates.scalr.io', TaskTemplateResource.AGENT_TASK_TEMPLATE]);
  });

  test('is the chart 0.5.62 CRD atasks.scalr.io for the AgentTask resource', () => {
    const scope = new Chart(Testing.app(), 'crds', { namespace: 'scalr' });
    const crd = new AgentTaskCrd(scope, 'crd', { resource: TaskTemplateResource.AGENT_TASK });
    expect(objectsOf(scope)).toEqual([AGENT_TASK_CRD]);
    expect(crd.name).toBe('atasks.scalr.io');
  });

  test('NAME and TEMPLATE_NAME are the names of the two CRDs', () => {
    expect(AgentTaskCrd.NAME).toBe(AGENT_TASK_CRD.metadata.name);
    expect(AgentTaskCrd.TEMPLATE_NAME).toBe(AGENT_TASK_TEMPLATE_CRD.metadata.name);
  });

  test('the generated classes have the group, version and kind their CRDs define', () => {
    const gvk = (crd: any) => ({ apiVersion: `${crd.spec.group}/${crd.spec.versions[0].name}`, kind: crd.spec.names.kind });
    expect(crds.AgentTask.GVK).toEqual(gvk(AGENT_TASK_CRD));
    expect(crds.AgentTaskTemplate.GVK).toEqual(gvk(AGENT_TASK_TEMPLATE_CRD));
  });

  test('fails with a resource it does not know', () => {
    expect(() => new AgentTaskCrd(new Chart(Testing.app(), 'c'), 'crd', { resource: 'Task' as TaskTemplateResource }))
      .toThrow(/^resource: got "Task"; expected one of AgentTask, AgentTaskTemplate/);
  });
});

describe('the CRD of a pool', () => {
  test('is the CRD of the pool\'s chart version', () => {
    expect(find(poolObjects({ version: V0_5_62 }), 'CustomResourceDefinition')).toEqual(AGENT_TASK_CRD);
    expect(find(poolObjects({ version: V0_6_5 }), 'CustomResourceDefinition')).toEqual(AGENT_TASK_TEMPLATE_CRD);
  });

  test('follows taskTemplateResource rather than the version', () => {
    const objects = poolObjects({ version: V0_6_5, taskTemplateResource: TaskTemplateResource.AGENT_TASK });
    expect(find(objects, 'CustomResourceDefinition').metadata.name).toBe('atasks.scalr.io');
    expect(findAll(objects, 'AgentTask')).toHaveLength(1);
  });

  test('is left out with includeCrd false', () => {
    expect(findAll(poolObjects({ includeCrd: false }), 'CustomResourceDefinition')).toEqual([]);
  });
});
