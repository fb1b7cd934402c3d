import { parse, stringify } from 'yaml';
import { compareKinds, fileName, kindRank, toYaml, yaml11Of } from '../src/cli/yaml-out';
import { isAmbiguousYaml11 } from '../src/core/yaml11';

// What go-yaml v2 (kubectl's reader) makes of these plain scalars: anything but 'str' must be
// quoted in a manifest.
const GO_YAML_V2: [string, string][] = [
  // booleans: go-yaml v2's table, and nothing else
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((t) => [t, 'bool'] as [string, string]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((t) => [t, 'bool'] as [string, string]),
  ['yEs', 'str'], ['oN', 'str'], ['tRUE', 'str'], ['nO', 'str'], ['yes!', 'str'],
  // nulls
  ['', 'null'], ['~', 'null'], ['null', 'null'], ['Null', 'null'], ['NULL', 'null'], ['nULL', 'str'],
  // integers: Go's ParseInt(s without underscores, 0, 64) and ParseUint
  ['0', 'int'], ['-0', 'int'], ['+1', 'int'], ['42', 'int'], ['1_000', 'int'], ['1__0', 'int'], ['0755', 'int'], ['00', 'int'],
  ['0o022', 'int'], ['0O17', 'int'], ['0o1_7', 'int'], ['+0o7', 'int'], ['-0O7', 'int'],
  ['0x1f', 'int'], ['0X1F', 'int'], ['+0x1f', 'int'], ['-0x1F', 'int'], ['0x_1f', 'int'],
  ['0b101', 'int'], ['0B101', 'int'], ['-0b101', 'int'], ['0b-1', 'int'], ['0b+1', 'int'], ['0B1_0', 'int'],
  ['9223372036854775807', 'int'], ['-9223372036854775808', 'int'], ['18446744073709551615', 'int'],
  ['0xFFFFFFFFFFFFFFFF', 'int'], ['0xFFFFFFFFFFFFFFFFF', 'str'], ['+9223372036854775808', 'float'],
  // floats: go-yaml v2's pattern, and Go's ParseFloat for a leading dot
  ['08', 'float'], ['09', 'float'], ['1.5', 'float'], ['1.', 'float'], ['-.5', 'float'], ['.5', 'float'], ['.5_0', 'float'],
  ['1e3', 'float'], ['1E3', 'float'], ['1e3_', 'float'], ['1e_3', 'float'], ['1_e3', 'float'], ['+1e-3', 'float'],
  ['18446744073709551616', 'float'], ['1e400', 'str'], ['._5', 'str'], ['.e3', 'str'], ['.', 'str'],
  ['.nan', 'float'], ['.NaN', 'float'], ['.NAN', 'float'], ['.inf', 'float'], ['-.Inf', 'float'], ['+.INF', 'float'], ['.nAn', 'str'],
  ['0x1p-2', 'str'], ['1_000.5', 'float'], ['Infinity', 'str'], ['NaN', 'str'],
  // timestamps (Go layouts with range checks)
  ['2024-01-01', 'timestamp'], ['2024-1-2', 'timestamp'], ['2024-02-29', 'timestamp'], ['2023-02-29', 'str'], ['2024-13-01', 'str'],
  ['2024-01-01T10:00:00Z', 'timestamp'], ['2024-01-01t1:2:3.5+02:00', 'timestamp'], ['2024-01-01 10:00:00', 'timestamp'],
  ['2024-01-01 10:00:00Z', 'str'], ['2024-01-01T10:00:00', 'str'], ['2024-01-01T24:00:00Z', 'str'], ['20240101', 'int'],
  // the merge key
  ['<<', 'merge'],
  // strings
  ['1:20', 'str'], ['0x', 'str'], ['0b', 'str'], ['0o', 'str'], ['0b2', 'str'], ['0o8', 'str'], ['1.2.3', 'str'], ['-', 'str'], ['+', 'str'],
  ['v1', 'str'], ['1Gi', 'str'], ['500m', 'str'], ['scalr/agent:0.55.2', 'str'], ['x', 'str'], ['_1', 'str'], ['1_', 'int'],
];

describe('isAmbiguousYaml11: what go-yaml v2 (kubectl) would not read as a string', () => {
  test.each(GO_YAML_V2)('%j is read as %s', (text, type) => {
    expect(isAmbiguousYaml11(text)).toBe(type !== 'str');
  });
});

describe('the command writes those strings in double quotes', () => {
  const yamlOf = (v: unknown) => stringify(v, { version: '1.1', lineWidth: 0 });

  test.each(GO_YAML_V2.filter(([, type]) => type !== 'str'))('%j (%s) as a value and as a key', (text) => {
    const out = toYaml({ value: text, list: [text], map: { [text]: 'x' } });
    expect(out).toContain(`value: ${JSON.stringify(text)}\n`);
    expect(out).toContain(`  - ${JSON.stringify(text)}\n`);
    expect(out).toContain(`  ${JSON.stringify(text)}: x\n`);
    expect(parse(out, { version: '1.1' })).toEqual({ value: text, list: [text], map: { [text]: 'x' } });
  });

  test('the strings the yaml package wrote plain before: 0o022, 0X1F, 0B101, 0O17, <<', () => {
    for (const text of ['0o022', '0X1F', '0B101', '0O17', '0b-1', '1e3_', '<<']) {
      expect(yamlOf({ v: text })).toBe(`v: ${text}\n`);
      expect(toYaml({ v: text })).toBe(`v: "${text}"\n`);
    }
  });

  test('every other string is written as before, byte for byte', () => {
    const strings = GO_YAML_V2.filter(([, type]) => type === 'str').map(([text]) => text);
    for (const text of strings) {
      expect(toYaml({ v: text, [text]: [text] })).toBe(yamlOf({ v: text, [text]: [text] }));
    }
    // Also documents that go through the yaml package (multi-line strings, nulls).
    const slow = { a: 'one\ntwo', b: null, c: [['x']], d: '0o022', e: 'yes' };
    expect(toYaml(slow)).toBe(yamlOf(slow).replace('d: 0o022', 'd: "0o022"'));
    expect(yaml11Of(slow)).toBe(toYaml(slow));
  });

  test('ambiguous strings the yaml package quoted already are written as before', () => {
    for (const [text, type] of GO_YAML_V2) {
      if (type === 'str') continue;
      const before = yamlOf({ v: text });
      if (before !== `v: ${text}\n`) expect(toYaml({ v: text })).toBe(before);
    }
  });
});

describe('file names in --output-dir follow the install order', () => {
  test('NN is the rank of the kind; the CRD first, custom resources last', () => {
    expect(fileName({ kind: 'CustomResourceDefinition', metadata: { name: 'atasks.scalr.io' } })).toBe('00-customresourcedefinition-atasks.scalr.io.yaml');
    expect(fileName({ kind: 'NetworkPolicy', metadata: { name: 'p' } })).toBe('03-networkpolicy-p.yaml');
    expect(fileName({ kind: 'Deployment', metadata: { name: 'd' } })).toBe('28-deployment-d.yaml');
    expect(fileName({ kind: 'AgentTask', metadata: { name: 't' } })).toBe('38-agenttask-t.yaml');
    expect(fileName({ kind: 'AgentTaskTemplate', metadata: { name: 't' } })).toBe('38-agenttasktemplate-t.yaml');
    expect(kindRank('ValidatingWebhookConfiguration')).toBe(37);
  });

  test('name order is the order of standard output', () => {
    const kinds = ['AgentTask', 'Deployment', 'Secret', 'CustomResourceDefinition', 'ClusterRole', 'PodDisruptionBudget', 'ServiceAccount', 'RoleBinding', 'Role', 'NetworkPolicy'];
    const byOutput = [...kinds].sort(compareKinds);
    const byName = [...kinds].sort((a, b) => (fileName({ kind: a, metadata: { name: 'x' } }) < fileName({ kind: b, metadata: { name: 'x' } }) ? -1 : 1));
    expect(byName).toEqual(byOutput);
  });
});
