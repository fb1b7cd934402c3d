/**
 * cdk8s writes some strings without quotes that YAML 1.1 readers such as kubectl read as numbers
 * (`0X1F`, `0o022`, `0B101`): the library refuses to hand cdk8s such a string, naming the field,
 * and its command (which writes YAML itself) quotes it.
 */
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { parse } from 'yaml';
import { AgentJobChart, AgentPool, AgentPoolFleet } from '../src';
import { V0_5_62, configErrorOf, token } from './support/builders';
import { isAmbiguousYaml11 } from '../src/core/yaml11';
import { renderChart } from '../src/internal/render';

const MISREAD = ['0X1F', '0o022', '0B101', '0O17'];

test.each(MISREAD)('cdk8s itself writes %s without quotes, and a YAML 1.1 reader takes it for a number', (text) => {
  expect(Yaml.stringify({ value: text })).toBe(`value: ${text}\n`);
  expect(isAmbiguousYaml11(text)).toBe(true);
});

test.each(MISREAD)('an AgentJobChart refuses %s in an env value, naming the object and field', (text) => {
  const chart = new AgentJobChart(Testing.app(), 'pool', { token, agent: { extraEnv: { MODE: text } } });
  const error = configErrorOf(() => chart.toJson());
  expect(error.path).toMatch(/^Deployment scalr-agent: spec\.template\.spec\.containers\[0\]\.env\[\d+\]\.value$/);
  expect(error.message).toContain(`got "${text}"`);
  expect(error.message).toContain('kubectl reads an int');
});

test('strings cdk8s quotes itself are accepted (yes, 0x1f, 0755, 1e3)', () => {
  for (const text of ['yes', '0x1f', '0755', '1e3', '~']) {
    const chart = new AgentJobChart(Testing.app(), 'pool', { token, version: V0_5_62, agent: { extraEnv: { MODE: text } } });
    const env = chart.toJson().find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'MODE').value).toBe(text);
    expect(parse(Yaml.stringify(...chart.toJson()).split('---\n').find((d) => d.includes('kind: Deployment'))!, { version: '1.1' })
      .spec.template.spec.containers[0].env.find((e: any) => e.name === 'MODE').value).toBe(text);
  }
});

test('a key is checked too (a label key cdk8s would write plain)', () => {
  const chart = new AgentJobChart(Testing.app(), 'pool', { token, agent: { nodeSelector: { '0X1F': 'a' } } });
  expect(configErrorOf(() => chart.toJson()).path).toMatch(/spec\.template\.spec\.nodeSelector\.0X1F \(the key\)$/);
});

test('an AgentPool in a user chart is checked when the app is synthesized, and a fleet when it renders', () => {
  const app = new App({ outdir: 'unused' });
  new AgentPool(new Chart(app, 'mine', { namespace: 'agents' }), 'pool', { token, agent: { extraEnv: { MODE: '0X1F' } } });
  expect(() => app.synthYaml()).toThrow(/Deployment scalr-agent: spec\.template\.spec\.containers\[0\]\.env\[\d+\]\.value: got "0X1F"/);
  const fleet = new AgentPoolFleet(Testing.app(), 'fleet', { pools: [{ releaseName: 'a', props: { token, agent: { extraEnv: { MODE: '0X1F' } } } }] });
  expect(configErrorOf(() => fleet.toJson()).message).toContain('got "0X1F"');
});

test('the command\'s rendering (its own writer quotes) does not refuse it', () => {
  const chart = new AgentJobChart(Testing.app(), 'pool', { token, agent: { extraEnv: { MODE: '0X1F' } } });
  const deployment = renderChart(chart, { yaml11: false }).find((o) => o.kind === 'Deployment');
  expect(deployment.spec.template.spec.containers[0].env.find((e: any) => e.name === 'MODE').value).toBe('0X1F');
});

test('an object larger than etcd stores (1.5 MiB) is refused, naming it', () => {
  const sidecar = { name: 'big', image: 'busybox:1.36', args: ['x'.repeat(1_600_000)] };
  const chart = new AgentJobChart(Testing.app(), 'pool', { token, task: { sidecars: [sidecar] } });
  const error = configErrorOf(() => chart.toJson());
  expect(error.path).toBe('AgentTaskTemplate scalr-agent-task-template');
  expect(error.message).toMatch(/is \d+ bytes as JSON; expected at most 1572864 bytes/);
});
