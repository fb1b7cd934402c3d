import * as fs from 'fs';
import { parse } from 'yaml';
import { AgentJobChart, ChartVersion } from '../src';
import { synthObjects } from './support/builders';
import { REFERENCE_VERSIONS, Scenario, compareManifests, parseManifests, scenarios } from './support/compare';
import { TypedScenario, TYPED_0_5_62 } from './support/typed-scenarios';
import { TYPED_0_6_5 } from './support/typed-scenarios-0.6.5';

/** The typed scenarios of each chart version. */
const TYPED: Record<string, Record<string, TypedScenario>> = { '0.5.62': TYPED_0_5_62, '0.6.5': TYPED_0_6_5 };
/** How many reference scenarios each chart version has: none may be skipped silently. */
const SCENARIO_COUNT = 20;
/** At least this many reference scenarios of a version are written with the typed API. */
const MIN_TYPED: Record<string, number> = { '0.5.62': 20, '0.6.5': 10 };

const expectedOf = (scenario: Scenario) => parseManifests(fs.readFileSync(scenario.manifestFile, 'utf8'));

test('the reference versions are the chart versions the library supports', () => {
  expect(REFERENCE_VERSIONS).toEqual(ChartVersion.all().map((v) => v.version));
});

describe.each(REFERENCE_VERSIONS)('chart %s', (version) => {
  const all = scenarios(version);
  const typed = TYPED[version];

  test(`chart ${version} has ${SCENARIO_COUNT} reference scenarios, each with values and a manifest`, () => {
    expect(all).toHaveLength(SCENARIO_COUNT);
    for (const s of all) {
      expect(fs.existsSync(s.valuesFile)).toBe(true);
      expect(fs.existsSync(s.manifestFile)).toBe(true);
    }
  });

  test.each(all.map((s) => [s.name, s] as const))(`chart ${version}: fromHelmValues(values.yaml of %s) gives the reference manifest`, (_name, scenario) => {
    const values = parse(fs.readFileSync(scenario.valuesFile, 'utf8'));
    const actual = synthObjects((app) => AgentJobChart.fromHelmValues(app, 'pool', {
      values, releaseName: scenario.release, namespace: scenario.namespace, version: ChartVersion.of(version),
    }));
    expect(compareManifests(actual, expectedOf(scenario))).toEqual([]);
  });

  test(`chart ${version}: at least ${MIN_TYPED[version]} scenarios are written with the typed API, each a reference scenario`, () => {
    expect(Object.keys(typed).length).toBeGreaterThanOrEqual(MIN_TYPED[version]);
    expect(Object.keys(typed).filter((name) => !all.some((s) => s.name === name))).toEqual([]);
  });

  const typedScenarios = all.filter((s) => typed[s.name] !== undefined);
  test.each(typedScenarios.map((s) => [s.name, s] as const))(`chart ${version}: the typed API reproduces %s`, (_name, scenario) => {
    const actual = synthObjects((app) => {
      const props = typed[scenario.name](app);
      expect(props.version).toBe(ChartVersion.of(version));
      new AgentJobChart(app, 'pool', { ...props, releaseName: scenario.release, namespace: scenario.namespace });
    });
    expect(compareManifests(actual, expectedOf(scenario))).toEqual([]);
  });
});

test('every chart 0.5.62 scenario has a typed counterpart', () => {
  expect(Object.keys(TYPED_0_5_62).sort()).toEqual(scenarios('0.5.62').map((s) => s.name).sort());
});
