import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AgentTask, AgentTaskCrd } from '../src';

describe('AgentTaskCrd', () => {
  test('is the CRD kept in imports/, without a namespace even in a namespaced chart', () => {
    const scope = new Chart(Testing.app(), 'crds', { namespace: 'scalr' });
    new AgentTaskCrd(scope, 'crd');
    const expected = parse(fs.readFileSync(path.join(__dirname, '..', 'imports', 'atasks.scalr.io.yaml'), 'utf8'));
    expect(Testing.synth(scope)).toEqual([expected]);
  });

  test('matches the kind of the generated AgentTask class', () => {
    expect(AgentTask.GVK).toEqual({ apiVersion: 'scalr.io/v1', kind: 'AgentTask' });
  });
});
