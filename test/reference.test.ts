import * as fs from 'fs';
import { AgentJobChart } from '../src';
import { compareManifests, parseManifests, scenarios } from './support/compare';
import { synthObjects } from './support/synth';
import { TYPED } from './support/typed-scenarios';

describe('typed API reproduces the reference manifests', () => {
  const all = scenarios();

  test('every reference scenario has a typed counterpart', () => {
    expect(Object.keys(TYPED).sort()).toEqual(all.map((s) => s.name).sort());
  });

  test.each(all.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const actual = synthObjects((app) => new AgentJobChart(app, 'pool', {
      ...TYPED[scenario.name],
      releaseName: scenario.release,
      namespace: scenario.namespace,
    }));
    const expected = parseManifests(fs.readFileSync(scenario.manifestFile, 'utf8'));
    expect(compareManifests(actual, expected)).toEqual([]);
  });
});
