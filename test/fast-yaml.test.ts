import { Testing, Yaml } from 'cdk8s';
import { AgentJobChart, AgentToken } from '../src';
import { REFERENCE_VERSIONS, scenarios } from './support/compare';
import { TypedScenario, TYPED_0_5_62 } from './support/typed-scenarios';
import { TYPED_0_6_5 } from './support/typed-scenarios-0.6.5';
import { FastYamlStats, fastStringify } from '../src/internal/fast-yaml';

const TYPED: Record<string, Record<string, TypedScenario>> = { '0.5.62': TYPED_0_5_62, '0.6.5': TYPED_0_6_5 };
// Every typed reference scenario of both chart versions.
const TYPED_SCENARIOS = REFERENCE_VERSIONS.flatMap((version) => scenarios(version)
  .filter((s) => TYPED[version][s.name] !== undefined)
  .map((s) => [`${version} ${s.name}`, s, TYPED[version][s.name]] as const));

const original = Yaml.stringify.bind(Yaml);
const fast = fastStringify(original);

// Strings and keys the yaml package writes in many different ways (plain, quoted, escaped,
// block scalars, YAML 1.1 booleans, numbers, dates...).
const STRINGS = [
  '', ' ', 'a', 'scalr-agent', 'scalr/agent:0.55.2', '0.55.2', '0.0.0.0/0', '169.254.169.254/32', 'fd00:ec2::254/128',
  '/tmp', '1000', '0', '-1', '1.5', '1e3', '0x1A', '0755', '2026-01-01', '1:20', 'yes', 'No', 'ON', 'off', 'y', 'n', 'true',
  'False', 'null', 'Null', '~', '.inf', '-.inf', '.NaN', 'a: b', 'a:b', 'x #y', 'x#y', '#x', '-x', '- x', '? x', '!tag', '&a',
  '*a', '|', '>', '%x', '@x', '`x', "'x'", '"x"', 'x"y', "x'y", 'line1\nline2', 'trailing ', ' leading', 'tab\there',
  'ü', '日本', 'emoji 🙂', '{a}', '[a]', 'a,b', 'http://proxy.internal:3128', 'a'.repeat(200), `${'b'.repeat(90)} ${'c'.repeat(90)}`,
  '\\', 'a\\b', '\u0007', 'key: value # c', '---', '...', '<<',
];
const KEYS = ['a', 'app.kubernetes.io/name', 'x-kubernetes-preserve-unknown-fields', 'ephemeral-storage', '1', 'true', 'a b',
  'a: b', '', '-', '? q', 'yes', 'checksum/secrets', 'Ünï', 'a\nb', '<<', '~'];

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function randomValue(rnd: () => number, depth: number): unknown {
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const r = rnd();
  if (depth > 3 || r < 0.45) {
    const kind = rnd();
    if (kind < 0.6) return pick(STRINGS);
    if (kind < 0.75) return pick([0, 1, -3, 53, 1000, 2 ** 40, 1.5, -0.25, 1e21, -0]);
    if (kind < 0.9) return pick([true, false]);
    return pick([null, {}, []]);
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) + 1 }, () => randomValue(rnd, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 4) + 1; i > 0; i--) obj[pick(KEYS)] = randomValue(rnd, depth + 1);
  return obj;
}

describe('the fast YAML writer', () => {
  test('writes 3,000 random documents byte for byte as cdk8s does', () => {
    const rnd = random(42);
    const docs = Array.from({ length: 3000 }, () => {
      const doc: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5) + 1; i > 0; i--) doc[KEYS[Math.floor(rnd() * KEYS.length)]] = randomValue(rnd, 0);
      return doc;
    });
    const stats: FastYamlStats = { fast: 0, fallback: 0 };
    const counted = fastStringify(original, stats);
    for (const doc of docs) expect(counted(doc)).toBe(original(doc));
    expect(fast(...docs)).toBe(original(...docs));
    // Both paths are exercised: the comparison is not only of the yaml package with itself.
    expect(stats.fast).toBeGreaterThan(300);
    expect(stats.fallback).toBeGreaterThan(300);
  });

  test('handles documents that are not maps, and undefined documents, as cdk8s does', () => {
    const docs = [undefined, 'text', 3, [1, 2], {}, { a: 1 }];
    expect(fast(...docs)).toBe(original(...docs));
  });

  test('covers the typed scenarios of both chart versions', () => {
    expect(TYPED_SCENARIOS.length).toBe(Object.keys(TYPED_0_5_62).length + Object.keys(TYPED_0_6_5).length);
  });

  test.each(TYPED_SCENARIOS)('synthesizes chart %s with the same bytes as cdk8s, on the fast path', (_name, scenario, typed) => {
    const app = Testing.app();
    const chart = new AgentJobChart(app, 'pool', { ...typed(app), releaseName: scenario.release, namespace: scenario.namespace });
    const objects = chart.toJson();
    const stats: FastYamlStats = { fast: 0, fallback: 0 };
    expect(fastStringify(original, stats)(...objects)).toBe(original(...objects));
    expect(stats).toEqual({ fast: objects.length, fallback: 0 });
    expect(app.synthYaml()).toBe(original(...objects));
  });

  test('is only in place while an app synthesizes', () => {
    const app = Testing.app();
    new AgentJobChart(app, 'pool', { token: AgentToken.fromSecretName('t') });
    app.synthYaml();
    expect(Yaml.stringify).not.toBe(fast);
    expect(Yaml.stringify({ a: 'yes' })).toBe('a: "yes"\n');
  });
});
