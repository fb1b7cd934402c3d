import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { REFERENCE_VERSIONS, compareManifests, parseManifests, scenarios } from './support/compare';
import { parseSetInto } from '../src/cli/strvals';
import { mergeValues, parseValues } from '../src/cli/values';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'scalr-agent-job');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const TOKEN = 'sEcReT-cli-token-0815';

jest.setTimeout(120_000);

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the command exactly as a user would: `node bin/scalr-agent-job ARGS`. `template` renders
 * chart 0.5.62 (`--version 0.5.62`) unless the test gives a --version: most tests here were
 * written for 0.5.62 and keep checking it; the reference tests run both versions.
 */
function cli(args: string[], options: { input?: string; cwd?: string } = {}): Result {
  if (args[0] === 'template' && !args.includes('--version')) args = ['template', '--version', '0.5.62', ...args.slice(1)];
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT, input: options.input ?? '', encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts the error contract: status 1, one "Error: ..." line on stderr, nothing on stdout. */
function expectError(result: Result, message: RegExp | string): void {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
  expect(result.stderr).toMatch(/^Error: [^\n]+\n$/);
  if (typeof message === 'string') expect(result.stderr).toBe(`Error: ${message}\n`);
  else expect(result.stderr).toMatch(message);
}

let tmp: string;
/** Writes a file in this test's temporary directory and returns its path. */
function file(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}
const objectsOf = (result: Result) => {
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return parseManifests(result.stdout);
};
const kindOf = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);
const deployment = (objs: any[]) => kindOf(objs, 'Deployment')[0];
const controller = (objs: any[]) => deployment(objs).spec.template.spec.containers[0];
const env = (container: any, name: string) => container.env.find((e: any) => e.name === name)?.value;
const taskPod = (objs: any[]) => kindOf(objs, 'AgentTask')[0].spec.jobTemplate.spec.template.spec;

beforeAll(() => {
  if (!fs.existsSync(MAIN)) {
    throw new Error('lib/cli/main.js is missing: the CLI tests run the compiled program; run `npx projen compile` first');
  }
  // A stale build would test old code.
  const built = fs.statSync(MAIN).mtimeMs;
  const sources = [...fs.readdirSync(path.join(ROOT, 'src', 'cli')).map((f) => `cli/${f}`), 'core/redact.ts', 'helm/index.ts', 'helm/mapping.ts', 'chart.ts'];
  const newer = sources.filter((s) => fs.statSync(path.join(ROOT, 'src', s)).mtimeMs > built + 1000);
  if (newer.length > 0) throw new Error(`lib/ is older than src/${newer[0]}: run \`npx projen compile\` first`);
});

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-agent-job-cli-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('template reproduces every reference scenario of both chart versions, run as a user runs it', () => {
  const all = REFERENCE_VERSIONS.flatMap((v) => scenarios(v));

  test('every scenario of each version is run', () => {
    expect(REFERENCE_VERSIONS.map((v) => all.filter((s) => s.version === v).length)).toEqual([20, 20]);
  });

  test.each(all.map((s) => [s.version, s.name, s] as const))('chart %s, %s: template RELEASE -n NS -f values.yaml --include-crds --version', (_v, _name, scenario) => {
    const result = cli(['template', scenario.release, '-n', scenario.namespace, '-f', scenario.valuesFile, '--include-crds', '--version', scenario.version]);
    const actual = objectsOf(result);
    const expected = parseManifests(fs.readFileSync(scenario.manifestFile, 'utf8'));
    expect(compareManifests(actual, expected)).toEqual([]);
    // The CRD comes first, as with helm template --include-crds.
    expect(actual[0].kind).toBe('CustomResourceDefinition');
    expect(result.stdout.startsWith('---\n')).toBe(true);
  });
});

describe('output', () => {
  const extras = () => scenarios('0.5.62').find((s) => s.name === '11-extras')!;

  test('two runs with the same input give byte-identical output', () => {
    const args = ['template', 'scalr-agent', '-n', 'scalr', '-f', extras().valuesFile, '--include-crds', '--set', 'agent.replicaCount=2'];
    const first = cli(args);
    const second = cli(args);
    expect(first.status).toBe(0);
    expect(first.stdout.length).toBeGreaterThan(1000);
    expect(second.stdout).toBe(first.stdout);
  });

  test('without --include-crds there is no CRD, and objects are in helm install order', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', extras().valuesFile, '--set', 'agent.replicaCount=2']));
    expect(objs.map((o) => o.kind)).toEqual([
      'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'ClusterRole', 'Role', 'RoleBinding', 'RoleBinding', 'Deployment', 'AgentTask',
    ]);
    // -n defaults to "default", as helm's.
    expect(deployment(objs).metadata.namespace).toBe('default');
  });

  test('strings that YAML 1.1 reads as booleans or numbers are quoted (kubectl reads YAML 1.1)', () => {
    const result = cli(['template', 'pool', '--set-string', `agent.token=${TOKEN},agent.extraEnv.FLAG=yes,agent.extraEnv.MODE=0755`]);
    expect(result.stdout).toContain('value: "yes"');
    expect(result.stdout).toContain('value: "0755"');
  });
});

describe('values files', () => {
  test('several -f merge in order: maps merged, later files win', () => {
    const base = file('base.yaml', `agent:\n  token: ${TOKEN}\n  replicaCount: 2\n  url: https://a.scalr.io\n`);
    const over = file('over.yaml', 'agent:\n  url: https://b.scalr.io\n');
    const objs = objectsOf(cli(['template', 'pool', '-f', base, '-f', over]));
    expect(deployment(objs).spec.replicas).toBe(2);
    expect(env(controller(objs), 'SCALR_URL')).toBe('https://b.scalr.io');
    const reversed = objectsOf(cli(['template', 'pool', '-f', over, '-f', base]));
    expect(env(controller(reversed), 'SCALR_URL')).toBe('https://a.scalr.io');
  });

  test('a list in a later file replaces the list of an earlier one', () => {
    const base = file('base.yaml', `agent: {token: ${TOKEN}}\ntask:\n  tolerations:\n    - {key: a, operator: Exists}\n    - {key: b, operator: Exists}\n`);
    const over = file('over.yaml', 'task:\n  tolerations:\n    - {key: c, operator: Exists}\n');
    expect(taskPod(objectsOf(cli(['template', 'pool', '-f', base, '-f', over]))).tolerations).toEqual([{ key: 'c', operator: 'Exists' }]);
  });

  test('null in a later file deletes a key, also a default', () => {
    const base = file('base.yaml', `agent:\n  token: ${TOKEN}\n  extraEnv: {A: one, B: two}\n`);
    const over = file('over.yaml', 'agent:\n  extraEnv: {A: null}\n  replicaCount: 2\n  podDisruptionBudget: {minAvailable: null, maxUnavailable: 1}\n');
    const objs = objectsOf(cli(['template', 'pool', '-f', base, '-f', over]));
    expect(env(controller(objs), 'A')).toBeUndefined();
    expect(env(controller(objs), 'B')).toBe('two');
    expect(kindOf(objs, 'PodDisruptionBudget')[0].spec).toEqual({ maxUnavailable: 1, selector: expect.anything() });
  });

  test('-f - reads standard input', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', '-'], { input: `agent:\n  token: ${TOKEN}\n  url: https://stdin.scalr.io\n` }));
    expect(env(controller(objs), 'SCALR_URL')).toBe('https://stdin.scalr.io');
  });

  test('values files are read as helm reads them (YAML 1.1: yes is true)', () => {
    const values = file('v.yaml', `agent: {token: ${TOKEN}}\ntask:\n  allowMetadataService: yes\n`);
    expect(kindOf(objectsOf(cli(['template', 'pool', '-f', values])), 'NetworkPolicy')).toHaveLength(0);
  });

  test('an empty values file is no values', () => {
    const empty = file('empty.yaml', '# nothing here\n');
    expect(objectsOf(cli(['template', 'pool', '-f', empty, '--set-string', `agent.token=${TOKEN}`])).length).toBeGreaterThan(5);
  });
});

describe('--set and --set-string', () => {
  const token = () => file('token.yaml', `agent:\n  token: ${TOKEN}\n`);

  test('a.b=c sets a nested key, whole numbers are numbers', () => {
    expect(deployment(objectsOf(cli(['template', 'pool', '-f', token(), '--set', 'agent.replicaCount=3']))).spec.replicas).toBe(3);
  });

  test('a=1,b=2 sets several keys; --set wins over -f', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', token(), '--set', 'agent.replicaCount=2,agent.logFormat=plain,agent.token=other-token']));
    expect(deployment(objs).spec.replicas).toBe(2);
    expect(env(controller(objs), 'SCALR_AGENT_LOG_FORMAT')).toBe('plain');
    expect(kindOf(objs, 'Secret')[0].data.token).toBe(Buffer.from('other-token').toString('base64'));
  });

  test('a[0].b=c sets list items', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', token(),
      '--set', 'task.tolerations[0].key=dedicated,task.tolerations[0].operator=Exists,task.tolerations[1].key=other']));
    expect(taskPod(objs).tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }, { key: 'other' }]);
  });

  test('a={x,y} sets a list', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', token(),
      '--set', 'rbac.clusterRules[0].apiGroups={scalr.io},rbac.clusterRules[0].resources={atasks},rbac.clusterRules[0].verbs={get,list}']));
    expect(kindOf(objs, 'ClusterRole')[0].rules).toEqual([{ apiGroups: ['scalr.io'], resources: ['atasks'], verbs: ['get', 'list'] }]);
  });

  test('\\. and \\, escape dots in keys and commas in values', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', token(),
      '--set', 'agent.podAnnotations.prometheus\\.io/port=port-9090,agent.extraEnv.NO_PROXY=a\\,b']));
    expect(deployment(objs).spec.template.metadata.annotations['prometheus.io/port']).toBe('port-9090');
    expect(env(controller(objs), 'NO_PROXY')).toBe('a,b');
  });

  test('--set true/false are booleans and --set-string keeps strings', () => {
    const asBoolean = cli(['template', 'pool', '-f', token(), '--set', 'agent.podAnnotations.safe=false']);
    expectError(asBoolean, 'agent.podAnnotations.safe: got false; expected a string (quote numbers and booleans)');
    const asString = objectsOf(cli(['template', 'pool', '-f', token(), '--set-string', 'agent.podAnnotations.safe=false']));
    expect(deployment(asString).spec.template.metadata.annotations.safe).toBe('false');
    expect(kindOf(objectsOf(cli(['template', 'pool', '-f', token(), '--set', 'task.allowMetadataService=TRUE'])), 'NetworkPolicy')).toHaveLength(0);
  });

  test('--set makes whole numbers numbers: a string key then asks for --set-string', () => {
    expectError(cli(['template', 'pool', '-f', token(), '--set', 'agent.image.tag=2']), 'agent.image.tag: got 2; expected a string (quote it in the values file, or use --set-string)');
    expect(controller(objectsOf(cli(['template', 'pool', '-f', token(), '--set-string', 'agent.image.tag=2']))).image).toBe('scalr/agent:2');
  });

  test('--set null deletes a key and its default', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', token(),
      '--set', 'agent.replicaCount=2,agent.podDisruptionBudget.minAvailable=null,agent.podDisruptionBudget.maxUnavailable=0']));
    expect(kindOf(objs, 'PodDisruptionBudget')[0].spec).toEqual({ maxUnavailable: 0, selector: expect.anything() });
  });

  test('--set-string applies after every --set, whatever the order on the command line', () => {
    const objs = objectsOf(cli(['template', 'pool', '-f', token(), '--set-string', 'agent.url=https://string.scalr.io', '--set', 'agent.url=https://set.scalr.io']));
    expect(env(controller(objs), 'SCALR_URL')).toBe('https://string.scalr.io');
  });

  test('a --set syntax error names the argument, the character and the key, never the value', () => {
    expectError(cli(['template', 'pool', '--set', 'agent.replicaCount']), '--set #1 at character 7 (key "agent.replicaCount"): no value; expected KEY=VALUE');
    expectError(cli(['template', 'pool', '--set', 'a=1', '--set', 'task.tolerations[x].key=a']),
      '--set #2 at character 17 (key "task.tolerations"): a list index that is not a whole number');
  });

  test('a --set error about a token argument does not show the token', () => {
    const result = cli(['template', 'pool', '--set', `agent.token=${TOKEN},${TOKEN}tail`]);
    expectError(result, '--set #1 at character 35 (key not shown: it follows the value of a secret, which may hold an unescaped comma): no value; expected KEY=VALUE');
    expect(result.stderr).not.toContain(TOKEN);
  });

  describe('the parser (helm strvals)', () => {
    const parsed = (expression: string, stringsOnly = false, into: any = {}) => {
      parseSetInto(expression, into, stringsOnly);
      return into;
    };
    test('types values as helm does', () => {
      expect(parsed('a=true,b=False,c=null,d=0,e=42,f=-7,g=007,h=1.5,i=,j=1e3')).toEqual({
        a: true, b: false, c: null, d: 0, e: 42, f: -7, g: '007', h: '1.5', i: '', j: '1e3',
      });
      expect(parsed('a=true,e=42,c=null', true)).toEqual({ a: 'true', e: '42', c: 'null' });
    });
    test('sets into existing maps and lists', () => {
      expect(parsed('a.b=2,l[1]=y', false, { a: { c: 1 }, l: ['x', 'z'] })).toEqual({ a: { c: 1, b: 2 }, l: ['x', 'y'] });
      expect(parsed('l[2]=c')).toEqual({ l: [null, null, 'c'] });
      expect(parsed('m[0][1]=x,k={},e={a}')).toEqual({ m: [[null, 'x']], k: [''], e: ['a'] });
    });
    test('refuses what helm refuses', () => {
      expect(() => parsed('a')).toThrow('no value; expected KEY=VALUE');
      expect(() => parsed('a,b=1')).toThrow('no value (a comma ends it)');
      expect(() => parsed('a={x,y')).toThrow("a list value ({...}) without its closing '}'");
      expect(() => parsed('a[70000]=1')).toThrow('a list index greater than the maximum supported index of 65536');
      expect(() => parsed('a.b=1', false, { a: 'scalar' })).toThrow('the key holds a string, not a map');
    });
    test('a __proto__ key does not touch prototypes', () => {
      const values = parsed('__proto__.polluted=yes');
      expect(Object.keys(values)).toEqual(['__proto__']);
      expect(({} as any).polluted).toBeUndefined();
    });
  });
});

describe('values file helpers', () => {
  test('mergeValues merges maps, replaces lists and keeps nulls for the defaults step', () => {
    expect(mergeValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3], e: null } })).toEqual({ a: { b: 1, c: [3], e: null }, d: 1 });
  });
  test('parseValues reads YAML 1.1 scalars as helm does, dates and 1:20 stay strings', () => {
    expect(parseValues('a: on\nb: 0755\nc: 2024-01-01\nd: 1:20\ne: "x"\n', 'v.yaml')).toEqual({ a: true, b: 493, c: '2024-01-01', d: '1:20', e: 'x' });
  });
});

describe('errors: one message on stderr, nothing on stdout, status 1', () => {
  test('an unknown key names the closest known key', () => {
    const values = file('v.yaml', `agent:\n  token: ${TOKEN}\n  replicaCont: 2\n`);
    expectError(cli(['template', 'pool', '-f', values]), 'agent.replicaCont: unknown key; did you mean agent.replicaCount?');
  });

  test('a wrong type names the key, the type expected and what was got', () => {
    const values = file('v.yaml', `agent:\n  token: ${TOKEN}\n  replicaCount: two\n`);
    expectError(cli(['template', 'pool', '-f', values]), 'agent.replicaCount: got "two"; expected a whole number');
  });

  test('a missing values file', () => {
    expectError(cli(['template', 'pool', '-f', path.join(tmp, 'nope.yaml')]),
      `values file ${path.join(tmp, 'nope.yaml')}: cannot read it: no such file or directory (ENOENT)`);
  });

  test('a directory given as values file', () => {
    expectError(cli(['template', 'pool', '-f', tmp]), `values file ${tmp}: cannot read it: is a directory`);
  });

  test('unreadable YAML gives the line and column but not the content (it may hold the token)', () => {
    const values = file('bad.yaml', `agent:\n  token: ${TOKEN}: x\n`);
    const result = cli(['template', 'pool', '-f', values]);
    expectError(result, `values file ${values}: unreadable YAML at line 2, column 10: Nested mappings are not allowed in compact mappings`);
    expect(result.stderr).not.toContain(TOKEN);
  });

  test('a values file that is not a map', () => {
    expectError(cli(['template', 'pool', '-f', file('list.yaml', '- a\n- b\n')]),
      `values file ${path.join(tmp, 'list.yaml')}: got a list at the top level; expected a map of values`);
  });

  test('a values file with two documents', () => {
    expectError(cli(['template', 'pool', '-f', file('two.yaml', 'a: 1\n---\nb: 2\n')]), /unreadable YAML at line 2, column 1: Source contains multiple documents/);
  });

  test('a missing token fails as the chart does', () => {
    expectError(cli(['template', 'pool']), /^Error: agent\.token: got nothing; expected the agent pool token/);
  });

  test('a token error never shows the token', () => {
    const result = cli(['template', 'pool', '--set-string', `agent.token= ${TOKEN}`]);
    expectError(result, /^Error: agent\.token: got \(redacted\)/);
    expect(result.stderr).not.toContain(TOKEN);
  });

  test.each([
    [['template'], "missing required argument 'RELEASE'"],
    [['template', 'pool', '--bogus'], "unknown option '--bogus'"],
    [['template', 'pool', 'agent-job'], 'too many arguments'],
    [['templat', 'pool'], "unknown command 'templat' (Did you mean template?)"],
    [['template', 'pool', '-f'], "option '-f, --values <FILE>' argument missing"],
  ])('usage error %j', (args, message) => {
    const result = cli(args);
    expectError(result, /^Error: .+ \(see 'scalr-agent-job --help'\)\n$/);
    expect(result.stderr).toContain(message);
  });

  test('no command at all', () => {
    expectError(cli([]), "no command given; run 'scalr-agent-job template RELEASE -f values.yaml' (see 'scalr-agent-job --help')");
  });

  test('an invalid release name or namespace', () => {
    const token = file('t.yaml', `agent: {token: ${TOKEN}}\n`);
    expectError(cli(['template', 'Pool_A', '-f', token]), /^Error: releaseName: got "Pool_A"; expected a DNS-1123 label/);
    expectError(cli(['template', 'pool', '-n', 'Bad NS', '-f', token]), /^Error: namespace: got "Bad NS"/);
  });
});

describe('--output-dir', () => {
  const values = () => file('v.yaml', `agent:\n  token: ${TOKEN}\n  replicaCount: 2\n`);

  test('writes one file per object, named NN-<kind>-<name>.yaml, with the objects of standard output', () => {
    const out = path.join(tmp, 'manifests');
    const result = cli(['template', 'pool', '-n', 'agents', '-f', values(), '--include-crds', '--output-dir', out]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const files = fs.readdirSync(out).sort();
    // Named so that `kubectl apply -f DIR/` (name order) creates them in the install order.
    expect(files).toEqual([
      '00-customresourcedefinition-atasks.scalr.io.yaml', '03-networkpolicy-pool-agent-job-task-network-policy.yaml',
      '07-poddisruptionbudget-pool-agent-job-agent.yaml', '08-serviceaccount-pool-agent-job.yaml', '09-secret-pool-agent-job.yaml',
      '15-clusterrole-pool-agent-job-clusterrole.yaml', '19-role-pool-agent-job-role.yaml', '21-rolebinding-pool-agent-job-clusterrole-binding.yaml',
      '21-rolebinding-pool-agent-job-role-binding.yaml', '28-deployment-scalr-agent.yaml', '38-agenttask-scalr-agent-task.yaml',
    ]);
    expect(result.stdout).toBe(files.map((f) => `wrote ${path.join(out, f)}\n`).join(''));
    const fromFiles = files.flatMap((f) => parseManifests(fs.readFileSync(path.join(out, f), 'utf8')));
    const fromStdout = objectsOf(cli(['template', 'pool', '-n', 'agents', '-f', values(), '--include-crds']));
    expect(compareManifests(fromFiles, fromStdout)).toEqual([]);
    expect(fromFiles).toHaveLength(fromStdout.length);
    // Nothing else is left in the parent (no staging directory).
    expect(fs.readdirSync(tmp).sort()).toEqual(['manifests', 'v.yaml']);
  });

  test('a second run into the same directory replaces the files with identical bytes', () => {
    const out = path.join(tmp, 'manifests');
    expect(cli(['template', 'pool', '-f', values(), '--output-dir', out]).status).toBe(0);
    const first = fs.readFileSync(path.join(out, '28-deployment-scalr-agent.yaml'), 'utf8');
    expect(cli(['template', 'pool', '-f', values(), '--output-dir', out]).status).toBe(0);
    expect(fs.readFileSync(path.join(out, '28-deployment-scalr-agent.yaml'), 'utf8')).toBe(first);
    expect(parse(first).kind).toBe('Deployment');
  });

  test('a failure leaves nothing behind when the directory did not exist', () => {
    const out = path.join(tmp, 'deep', 'manifests');
    const bad = file('bad.yaml', `agent:\n  token: ${TOKEN}\n  replicaCount: two\n`);
    expectError(cli(['template', 'pool', '-f', bad, '--output-dir', out]), 'agent.replicaCount: got "two"; expected a whole number');
    expect(fs.readdirSync(tmp)).toEqual(['bad.yaml']);
  });

  test('a failure leaves an existing directory unchanged', () => {
    const out = path.join(tmp, 'manifests');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.yaml'), 'kept: true\n');
    const bad = file('bad.yaml', `agent:\n  token: ${TOKEN}\n  replicaCont: 2\n`);
    expectError(cli(['template', 'pool', '-f', bad, '--output-dir', out]), /did you mean agent\.replicaCount/);
    expect(fs.readdirSync(out)).toEqual(['keep.yaml']);
    expect(fs.readFileSync(path.join(out, 'keep.yaml'), 'utf8')).toBe('kept: true\n');
    expect(fs.readdirSync(tmp).sort()).toEqual(['bad.yaml', 'manifests']);
  });

  test('a file in the way is an error', () => {
    const out = file('manifests', 'not a directory');
    expectError(cli(['template', 'pool', '-f', values(), '--output-dir', out]), `--output-dir ${out}: exists and is not a directory`);
    expect(fs.readFileSync(out, 'utf8')).toBe('not a directory');
  });
});

describe('help and version', () => {
  test('--version prints the package version', () => {
    const result = cli(['--version']);
    expect(result).toEqual({ status: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`, stderr: '' });
  });

  test('template --help documents every option, the --set syntax and examples', () => {
    const result = cli(['template', '--help']);
    expect(result.status).toBe(0);
    for (const text of ['-n, --namespace', '-f, --values', '--set <PATH=VALUE>', '--set-string', '--include-crds', '--output-dir', 'a[0].b=c', 'Examples:']) {
      expect(result.stdout).toContain(text);
    }
  });

  test('--help lists the template command', () => {
    const result = cli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/template \[options\] <RELEASE>/);
  });
});

describe('wrong input through the command: one message naming the values key, status 1, no output, no files', () => {
  // [what, --set arguments, parts of the message]
  const CASES: [string, string[], string[]][] = [
    ['fullnameOverride with an underscore', ['fullnameOverride=my_pool'], ['fullnameOverride', '"my_pool"', 'DNS-1123 subdomain']],
    ['nameOverride with upper case', ['nameOverride=TF'], ['nameOverride', '"TF"', 'DNS-1123 label']],
    ['ServiceAccount name with a space', ['serviceAccount.name=my sa'], ['serviceAccount.name', '"my sa"']],
    ['existing Secret name with upper case', ['agent.tokenExistingSecret.name=Token'], ['agent.tokenExistingSecret.name', 'the name of an existing Secret']],
    ['existing claim name with upper case', ['persistence.cache.enabled=true', 'persistence.cache.persistentVolumeClaim.claimName=Shared'], ['persistence.cache.persistentVolumeClaim.claimName', '"Shared"']],
    ['pod label value too long', [`agent.podLabels.team=${'x'.repeat(64)}`], ['agent.podLabels.team', 'at most 63']],
    ['global pod label value with a space', ['global.podLabels.env=prod east'], ['global.podLabels.env', '"prod east"']],
    ['unknown toleration effect', ['agent.tolerations[0].key=a', 'agent.tolerations[0].effect=Sometimes'], ['agent.tolerations[0].effect', '"Sometimes"', 'NoExecute']],
    ['unknown seccomp profile type', ['task.podSecurityContext.seccompProfile.type=Strict'], ['task.podSecurityContext.seccompProfile.type', '"Strict"', 'RuntimeDefault']],
    ['pod annotation key with a bad prefix', ['task.podAnnotations.Bad_Prefix/x=y'], ['task.podAnnotations', '"Bad_Prefix/x"']],
    ['memory that is not a quantity', ['agent.resources.limits.memory=lots'], ['agent.resources.limits.memory', '"lots"', 'Kubernetes quantity']],
    ['cpu request above its limit', ['task.runner.resources.requests.cpu=8'], ['task.runner.resources.requests.cpu', 'at most the limit']],
    ['emptyDir size that is not a quantity', ['persistence.data.emptyDir.sizeLimit=big'], ['persistence.data.emptyDir.sizeLimit', '"big"']],
    ['provider cache size that is not a quantity', ['agent.providerCache.enabled=true', 'agent.providerCache.sizeLimit=40GB'], ['agent.providerCache.sizeLimit', '"40GB"']],
    ['negative replicas', ['agent.replicaCount=-1'], ['agent.replicaCount', '-1', 'from 0 to 2147483647']],
    ['negative backoffLimit', ['task.job.backoffLimit=-1'], ['task.job.backoffLimit', '-1']],
    ['token TTL below ten minutes', ['serviceAccount.tokenTTL=300'], ['serviceAccount.tokenTTL', '300', 'from 600']],
    ['PDB with both fields', ['agent.replicaCount=2', 'agent.podDisruptionBudget.maxUnavailable=1'], ['agent.podDisruptionBudget.minAvailable', 'agent.podDisruptionBudget.maxUnavailable', 'not both', 'set one of them to null']],
    ['PDB with neither field', ['agent.replicaCount=2', 'agent.podDisruptionBudget.minAvailable=null'], ['agent.podDisruptionBudget', 'neither minAvailable nor maxUnavailable']],
    ['unknown pull policy', ['agent.image.pullPolicy=Sometimes'], ['agent.image.pullPolicy', '"Sometimes"', 'Always']],
    ['unknown log format', ['agent.logFormat=xml'], ['agent.logFormat', '"xml"', '"json", "plain", "dev"']],
    ['unknown access mode', ['persistence.cache.enabled=true', 'persistence.cache.persistentVolumeClaim.accessMode=ReadWriteSometimes'], ['persistence.cache.persistentVolumeClaim.accessMode', '"ReadWriteSometimes"']],
    ['unknown toleration operator', ['task.tolerations[0].key=a', 'task.tolerations[0].operator=Maybe'], ['task.tolerations[0].operator', '"Maybe"']],
    ['repository with upper case', ['task.runner.image.repository=Custom/Runner'], ['task.runner.image.repository', '"Custom/Runner"']],
    ['registry with a scheme', ['global.imageRegistry=https://mirror.example.com'], ['global.imageRegistry', '"https://mirror.example.com"']],
    ['Scalr URL without scheme', ['agent.url=example.scalr.io'], ['agent.url', '(a value that is not a URL)', 'http(s) URL']],
    ['OpenTelemetry endpoint without port', ['otel.enabled=true', 'otel.endpoint=collector'], ['otel.endpoint', '"collector"']],
    ['extra env redefining SCALR_URL', ['agent.extraEnv.SCALR_URL=https://x.example.com'], ['agent.extraEnv.SCALR_URL', 'allowEnvOverrides']],
    ['extra env with an invalid name', ['task.runner.extraEnv.1VAR=x'], ['task.runner.extraEnv.1VAR', 'environment variable name']],
    ['sidecar named worker', ['task.sidecars[0].name=worker', 'task.sidecars[0].image=busybox'], ['task.sidecars[0].name', '"worker"']],
    ['mount with an absolute subPath', ['task.runner.extraVolumeMounts[0].name=tmp-dir', 'task.runner.extraVolumeMounts[0].mountPath=/x', 'task.runner.extraVolumeMounts[0].subPath=/etc'], ['task.runner.extraVolumeMounts[0].subPath', '"/etc"']],
    ['mount of a volume that does not exist', ['task.worker.extraVolumeMounts[0].name=nope', 'task.worker.extraVolumeMounts[0].mountPath=/x'], ['"nope"', 'task.extraVolumes']],
    // A leading '/' is dropped as both charts drop it; '..' is refused.
    ['cache subPath leaving the volume', ['persistence.cache.enabled=true', 'persistence.cache.persistentVolumeClaim.subPath=/team-a/../..'], ['persistence.cache.persistentVolumeClaim.subPath', '"/team-a/../.."']],
  ];

  test.each(CASES)('%s', (_what, sets, parts) => {
    const out = path.join(tmp, 'out');
    const result = cli(['template', 'pool', '--set-string', `agent.token=${TOKEN}`, ...sets.flatMap((s) => ['--set', s]), '--output-dir', out]);
    expectError(result, /^Error: /);
    for (const part of parts) expect(result.stderr).toContain(part);
    expect(result.stderr).not.toContain(TOKEN);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('the bundled command and its code cache', () => {
  const run = (cacheHome: string) => spawnSync(process.execPath, [BIN, 'template', 'pool', '--version', '0.5.62', '--set-string', `agent.token=${TOKEN}`], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome },
  });
  const cacheFiles = (cacheHome: string) => {
    const dir = path.join(cacheHome, 'cdk8s-scalr-agent-job');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8')) : [];
  };

  test('the build made the bundle the command runs', () => {
    expect(fs.existsSync(path.join(ROOT, 'lib', 'cli', 'bundle.js'))).toBe(true);
  });

  test('the first run writes a code cache and later runs print the same bytes', () => {
    const first = run(tmp);
    expect(first.status).toBe(0);
    expect(cacheFiles(tmp)).toHaveLength(1);
    const second = run(tmp);
    expect(second.stdout).toBe(first.stdout);
  });

  test('a damaged cache is ignored and replaced', () => {
    const first = run(tmp);
    const [name] = cacheFiles(tmp);
    const cacheFile = path.join(tmp, 'cdk8s-scalr-agent-job', name);
    fs.writeFileSync(cacheFile, 'not a V8 code cache');
    const again = run(tmp);
    expect({ status: again.status, stdout: again.stdout }).toEqual({ status: 0, stdout: first.stdout });
    expect(fs.readFileSync(cacheFile, 'utf8')).not.toBe('not a V8 code cache');
  });

  test('a cache directory that cannot be written only costs speed', () => {
    const blocked = path.join(tmp, 'blocked');
    fs.writeFileSync(blocked, 'a file where the cache directory would go');
    const result = run(blocked);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('kind: Deployment');
  });
});

describe('loading', () => {
  test('rendering values loads neither cdk8s-plus-30 nor the schema compiler (free-form values are Kubernetes JSON already)', () => {
    const values = scenarios('0.6.5').find((s) => s.name === '11-extras')!.valuesFile;
    const script = `
      const { renderObjects } = require('./lib/cli/template.js');
      const objects = renderObjects('pool', { namespace: 'scalr', values: [${JSON.stringify(values)}], set: [], setString: [], includeCrds: true, chartVersion: '0.6.5' });
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({ objects: objects.length, plus: loaded.some((f) => f.includes('cdk8s-plus-30')), ajv: loaded.some((f) => f.includes('/ajv/')) }));`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ objects: 11, plus: false, ajv: false });
  });
});
