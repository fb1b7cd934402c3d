// The command against hostile input: secrets never shown, bounded reading and parsing, values
// files read as Helm reads them, and the command's own options. Each failure: status 1, one
// "Error: ..." line, nothing on standard output, no file written.
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, CliResult, ROOT, expectCliError, leaksOf, runCli } from './support/cli';
import { parseManifests } from './support/compare';
import { parseSetInto } from '../src/cli/strvals';
import { collectValues, parseValues } from '../src/cli/values';
import { firstInvalidUtf8 } from '../src/cli/yaml-in';
import { containsSecret } from '../src/core/redact';

const TOKEN = 'tok-SECRET-123456';
/** The forms in which a token could leak. */
const LEAKS = [...leaksOf(TOKEN), 'SECRET-123456'];

jest.setTimeout(120_000);

type Result = CliResult;

/**
 * Runs `node bin/scalr-agent-job ARGS` (template renders chart 0.5.62 unless --version is given).
 * Unless `toStdout`, template writes into --output-dir OUT, so that a failure can be seen to write
 * no file.
 */
function cli(args: string[], options: SpawnSyncOptions & { input?: string; toStdout?: boolean } = {}): Result {
  if (args[0] === 'template' && !args.includes('--version')) args = ['template', '--version', '0.5.62', ...args.slice(1)];
  if (args[0] === 'template' && !options.toStdout && !args.includes('--help')) args = [...args, '--output-dir', path.join(tmp, 'out')];
  const { toStdout: _toStdout, ...spawnOptions } = options;
  return runCli(args, spawnOptions);
}

/** Runs a shell command line (pipes, process substitution); $BIN is the command. */
function sh(script: string, env: NodeJS.ProcessEnv = {}): Result {
  const start = Date.now();
  const result = spawnSync('bash', ['-c', script], {
    cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', BIN, NODE: process.execPath, ...env },
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - start };
}

/** The error contract: status 1, one "Error: ..." line, empty stdout, no secret in any form. */
function expectError(result: Result, message: RegExp | string): void {
  expectCliError(result, message, LEAKS);
  // No file written: no output directory, no staging directory.
  expect(fs.readdirSync(tmp).filter((f) => f === 'out' || f.startsWith('.'))).toEqual([]);
}

let tmp: string;
function file(name: string, text: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-agent-job-cli-input-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('secrets are never shown', () => {
  test.each([
    ['a values file', () => ['-f', file('v.yaml', `agent:\n  token: ${TOKEN}\n`)], ''],
    ['--set', () => ['--set', `agent.token=${TOKEN}`], ''],
    ['--set-string', () => ['--set-string', `agent.token=${TOKEN}`], ''],
    ['standard input', () => ['-f', '-'], `agent:\n  token: ${TOKEN}\n`],
  ])('the token from %s is redacted in every message', (_from, args, input) => {
    // The namespace and agent.url messages would show the value.
    const result = cli(['template', 'pool', ...args(), '-n', TOKEN], { input });
    expectError(result, /^Error: namespace: got "\(redacted\)"; expected a DNS-1123 label/);
    const url = cli(['template', 'pool', ...args(), '--set', `agent.url=${Buffer.from(TOKEN).toString('base64')}`], { input });
    // Not a URL: the value is not repeated at all (it may be a secret pasted in the wrong place).
    expectError(url, /^Error: agent\.url: got "\(a value that is not a URL\)"/);
  });

  test('every secret-bearing key of every source is registered as soon as it is read', () => {
    const secrets = Array.from({ length: 10 }, (_, i) => `reg-${i}-${Date.now()}-secret`);
    const [fromFile, dsn, key, mirror, mirror2, fromSet, fromString, partial] = secrets;
    const values = file('v.yaml', [
      `agent:\n  token: ${fromFile}\n  sentryDsn: https://${dsn}@sentry.example.com/1`,
      `  providerNetworkMirrors:\n    - {url: https://m.example.com, token: ${mirror}}\n    - {token: ${mirror2}}`,
      `global:\n  tls:\n    clientKey: ${key}\n`,
    ].join('\n'));
    collectValues({ files: [values], set: [`agent.token=${fromSet}`], setString: [`agent.providerNetworkMirrors[0].token=${fromString}`] });
    for (const secret of [fromFile, `https://${dsn}@sentry.example.com/1`, key, mirror, mirror2, fromSet, fromString]) {
      expect(containsSecret(`message with ${secret} in it`)).toBe(true);
    }
    // Also what a --set set before its syntax error.
    expect(() => collectValues({ files: [], set: [`agent.token=${partial},oops`], setString: [] })).toThrow(/--set #1/);
    expect(containsSecret(partial)).toBe(true);
  });

  test.each([
    ['a bad escape', `a: "\\q${TOKEN}"\n`, 'line 1, column 5: invalid escape sequence in a double-quoted string'],
    ['an unknown directive', `%${TOKEN} x\n---\na: 1\n`, /line \d+, column \d+/],
    ['a custom tag', `a: !${TOKEN} x\n`, 'line 1, column 4: a custom tag'],
    ['a verbatim tag', `a: !<${TOKEN}> x\n`, 'line 1, column 4: a custom tag'],
    ['an unknown tag handle', `a: !e!${TOKEN} x\n`, 'line 1, column 4'],
    ['an alias to nothing', `a: *${TOKEN}\n`, 'an alias at line 1, column 4 refers to an anchor that is not defined before it'],
    ['a block scalar header', `a: |${TOKEN}\n  x\n`, 'line 1, column 5: Block scalar header includes extra characters'],
    ['an unclosed flow list', `a: [${TOKEN}\n`, 'line 2, column 1'],
    ['an unclosed quote', `a: '${TOKEN}\n`, "line 2, column 1: Missing closing 'quote"],
    ['two anchors', `a: &${TOKEN} &b x\n`, 'at most one anchor'],
    ['a reserved character', `a: @${TOKEN}\n`, 'line 1, column 4: Plain value cannot start with this character'],
    ['a compact nested map', `agent:\n  token: ${TOKEN}: x\n`, 'line 2, column 10: Nested mappings are not allowed in compact mappings'],
    ['a duplicate key', `agent:\n  token: ${TOKEN}\n  token: ${TOKEN}\n`, 'duplicate key at line 3, column 3 (a key appears twice in one map)'],
    ['a list as key', `[${TOKEN}]: 1\n`, 'a key at line 1, column 1 is a map or a list; keys are strings'],
    ['a tab', `a:\n\t- ${TOKEN}\n`, 'line 2, column 1: Tabs are not allowed as indentation'],
  ])('a YAML error (%s) names file, line and column, never content', (_what, text, message) => {
    const values = file('bad.yaml', text);
    const result = cli(['template', 'pool', '-f', values]);
    expectError(result, new RegExp(`^Error: values file ${values.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    if (typeof message === 'string') expect(result.stderr).toContain(message);
    else expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/line \d+, column \d+/);
  });

  test('a --set syntax error names option, argument number, character and key, never the value', () => {
    const result = cli(['template', 'pool', '--set-string', 'agent.token=abcdefgh', '--set', 'agent.replicaCount=2', '--set', `agent.url=${TOKEN},oops`]);
    expectError(result, '--set #2 at character 29 (key "oops"): no value; expected KEY=VALUE');
    const other = cli(['template', 'pool', '--set-string', `agent.url=${TOKEN},a[x]=1`]);
    expectError(other, '--set-string #1 at character 30 (key "a"): a list index that is not a whole number');
  });

  test('after a secret key in the same --set, the key is not shown either (an unescaped comma splits the secret)', () => {
    const result = cli(['template', 'pool', '--set', 'agent.token=tok-SECRET,123456']);
    expectError(result, '--set #1 at character 24 (key not shown: it follows the value of a secret, which may hold an unescaped comma): no value; expected KEY=VALUE');
  });

  test('arguments commander did not take are not shown after "="', () => {
    expectError(cli(['template', 'pool', `--set-strin=agent.token=${TOKEN}`]), /^Error: unknown option '--set-strin=\.\.\.'/);
    expectError(cli([`agent.token=${TOKEN}`]), /^Error: unknown command 'agent\.token=\.\.\.'/);
  });
});

describe('bounded reading: 8 MiB per source, devices refused', () => {
  test.each(['/dev/zero', '/dev/urandom', '/dev/tty', '/dev/full'].filter((d) => fs.existsSync(d)))('-f %s is refused before it is opened', (device) => {
    const result = cli(['template', 'pool', '-f', device]);
    expectError(result, `values file ${device}: cannot read it: is a device; expected a file or a pipe`);
    expect(result.ms).toBeLessThan(10_000);
  });

  test('-f /dev/null is no values, as with helm', () => {
    const result = cli(['template', 'pool', '-f', '/dev/null', '--set-string', `agent.token=${TOKEN}`]);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test('an endless standard input stops at the limit: yes | scalr-agent-job template r -f -', () => {
    const result = sh('yes | "$NODE" "$BIN" template r --version 0.5.62 -f -');
    expectError(result, 'values file standard input (-): larger than the limit of 8 MiB per values file');
    expect(result.ms).toBeLessThan(20_000);
  });

  test('/dev/zero as standard input stops at the limit', () => {
    const result = sh('"$NODE" "$BIN" template r --version 0.5.62 -f /dev/stdin < /dev/zero');
    expectError(result, 'values file /dev/stdin: larger than the limit of 8 MiB per values file');
  });

  test('a file over the limit fails at once, without being read', () => {
    const big = path.join(tmp, 'big.yaml');
    fs.writeFileSync(big, '# big\n');
    fs.truncateSync(big, 8 * 1024 * 1024 + 1);
    expectError(cli(['template', 'pool', '-f', big]), `values file ${big}: larger than the limit of 8 MiB per values file`);
  });

  test('a pipe over the limit fails at the limit; one at the limit is read', () => {
    const line = `# ${'x'.repeat(1021)}\n`;
    const over = sh(`"$NODE" "$BIN" template r --version 0.5.62 -f <("$NODE" -e 'process.stdout.write(${JSON.stringify(line)}.repeat(8193))')`);
    expectError(over, /^Error: values file \/dev\/fd\/\d+: larger than the limit of 8 MiB per values file\n$/);
    const at = sh(`"$NODE" "$BIN" template r --version 0.5.62 -f <("$NODE" -e 'process.stdout.write(${JSON.stringify(line)}.repeat(8191) + "agent: {token: abcdefgh}\\n")')`);
    expect({ status: at.status, stderr: at.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test('pipes are read: -f <(cmd), -f /dev/stdin, a FIFO', () => {
    const sub = sh('"$NODE" "$BIN" template r --version 0.5.62 -f <(printf "agent:\\n  token: abcdefgh\\n  replicaCount: 3\\n")');
    expect(sub.status).toBe(0);
    expect(parseManifests(sub.stdout).find((o) => o.kind === 'Deployment').spec.replicas).toBe(3);
    const stdin = cli(['template', 'r', '-f', '/dev/stdin'], { input: 'agent:\n  token: abcdefgh\n  replicaCount: 4\n', toStdout: true });
    expect(parseManifests(stdin.stdout).find((o) => o.kind === 'Deployment').spec.replicas).toBe(4);
    const fifo = sh('mkfifo f.yaml && (printf "agent:\\n  token: abcdefgh\\n  replicaCount: 5\\n" > f.yaml &) && "$NODE" "$BIN" template r --version 0.5.62 -f f.yaml');
    expect(parseManifests(fifo.stdout).find((o) => o.kind === 'Deployment').spec.replicas).toBe(5);
  });

  test('standard input can be read once: - and /dev/stdin are the same', () => {
    expectError(cli(['template', 'r', '-f', '-', '-f', '/dev/stdin']), '-f -: standard input can be read only once');
  });

  test('a directory, a socket-less missing file', () => {
    expectError(cli(['template', 'r', '-f', tmp]), `values file ${tmp}: cannot read it: is a directory`);
    const inFile = path.join(file('plain', 'x'), 'values.yaml');
    expectError(cli(['template', 'r', '-f', inFile]), `values file ${inFile}: cannot read it: a part of the path is not a directory (ENOTDIR)`);
  });
});

describe('parsing is linear in the input', () => {
  test('40,000 keys in one map: seconds, not minutes', () => {
    const lines = ['agent:', '  token: abcdefgh', 'extra:'];
    for (let i = 0; i < 40_000; i++) lines.push(`  key${i}: value${i}`);
    const values = file('big.yaml', `${lines.join('\n')}\n`);
    const result = cli(['template', 'pool', '-f', values]);
    expectError(result, /^Error: extra: unknown key/);
    expect(result.ms).toBeLessThan(15_000);
  });

  test('40,000 keys with a duplicate at the end: the line of the duplicate', () => {
    const lines = ['extra:'];
    for (let i = 0; i < 40_000; i++) lines.push(`  key${i}: value${i}`);
    lines.push('  key7: again');
    const values = file('dup.yaml', `${lines.join('\n')}\n`);
    const result = cli(['template', 'pool', '-f', values]);
    expectError(result, `values file ${values}: duplicate key at line 40002, column 3 (a key appears twice in one map)`);
    expect(result.ms).toBeLessThan(15_000);
  });

  test('10,000 --set arguments: seconds, not minutes', () => {
    const args = ['template', 'pool', '--set-string', 'agent.token=abcdefgh'];
    for (let i = 0; i < 10_000; i++) args.push('--set', `agent.podAnnotations.k${i}=v${i}`);
    const result = cli(args, { toStdout: true });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const annotations = parseManifests(result.stdout).find((o) => o.kind === 'Deployment').spec.template.metadata.annotations;
    expect(annotations.k9999).toBe('v9999');
    expect(result.ms).toBeLessThan(15_000);
  });

  test('10,000 list items set one by one', () => {
    const args = ['template', 'pool', '--set-string', 'agent.token=abcdefgh'];
    for (let i = 0; i < 10_000; i++) args.push('--set', `extra[${i}]=x`);
    const result = cli(args);
    expectError(result, /^Error: extra: unknown key/);
    expect(result.ms).toBeLessThan(15_000);
  });

  test('--set lists in lists: 200 levels at most (no stack overflow)', () => {
    expectError(cli(['template', 'pool', '--set', `a${'[0]'.repeat(5000)}=1`]), /^Error: --set #1 at character \d+ \(key "a\[0\]\[0\].*\.\.\."\): lists nested deeper than 200 levels\n$/);
    const values = {};
    parseSetInto(`a${'[0]'.repeat(200)}=1`, values);
    expect(JSON.stringify(values)).toBe(`{"a":${'['.repeat(200)}1${']'.repeat(200)}}`);
  });

  test('an alias bomb fails fast at the alias limit', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const result = cli(['template', 'pool', '-f', file('bomb.yaml', `${lines.join('\n')}\n`)]);
    expectError(result, /^Error: values file .*bomb\.yaml: aliases repeat more than 1000000 values in all \(the limit is reached at line \d+, column \d+\)\n$/);
    expect(result.ms).toBeLessThan(15_000);
  });

  test('50,000 distinct anchors and aliases: linear', () => {
    const lines: string[] = ['extra:'];
    for (let i = 0; i < 50_000; i++) lines.push(`  a${i}: &x${i} v`, `  b${i}: *x${i}`);
    const result = cli(['template', 'pool', '-f', file('aliases.yaml', `${lines.join('\n')}\n`)]);
    expectError(result, /^Error: extra: unknown key/);
    expect(result.ms).toBeLessThan(20_000);
  });

  test('8 MiB of tiny values stops at the token limit, in seconds and without gigabytes', () => {
    const values = file('items.yaml', `extra:\n${'  - x\n'.repeat(1_398_000)}`);
    expect(fs.statSync(values).size).toBeLessThan(8 * 1024 * 1024);
    const result = cli(['template', 'pool', '-f', values]);
    expectError(result, `values file ${values}: more than 1000000 YAML tokens, the limit for one values file (about 100,000 lines of keys and values); `
      + 'the limit is reached at line 166667, column 6');
    expect(result.ms).toBeLessThan(20_000);
    const flow = file('flow.yaml', `a: [${'1,'.repeat(4_000_000)}1]\n`);
    expectError(cli(['template', 'pool', '-f', flow]), /more than 1000000 YAML tokens/);
  });

  test('deep nesting is one error line', () => {
    const deep = file('deep.yaml', `a: ${'['.repeat(8_000_000)}\n`);
    const result = cli(['template', 'pool', '-f', deep]);
    expectError(result, `values file ${deep}: nested deeper than 200 levels at line 1, column 205`);
    expect(result.ms).toBeLessThan(10_000);
    const maps = `${Array.from({ length: 300 }, () => '{a: ').join('')}1${'}'.repeat(300)}`;
    expectError(cli(['template', 'pool', '-f', file('deep2.yaml', `x: ${maps}\n`)]), /: nested deeper than 200 levels at line 1, column \d+\n$/);
    expectError(cli(['template', 'pool', '-f', file('deep3.yaml', `${'- '.repeat(2000)}x\n`)]), /: nested deeper than 200 levels at line 1, column \d+\n$/);
    // Just under the limit: read (and refused by the chart's keys, not by the parser).
    expectError(cli(['template', 'pool', '-f', file('deep4.yaml', `extra: ${'['.repeat(195)}${']'.repeat(195)}\n`)]), /^Error: extra: unknown key/);
  });
});

describe('values files are read as helm reads them', () => {
  const token = 'agent:\n  token: abcdefgh\n';
  const objs = (values: string, extra: string[] = []) => {
    const result = cli(['template', 'pool', '-f', file('v.yaml', values), ...extra], { toStdout: true });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    return parseManifests(result.stdout);
  };

  test('plain scalars resolve as go-yaml v2 (Helm) resolves them', () => {
    const text = ['a: 0o17', 'b: 0X1F', 'c: .', 'd: 0x_', 'e: <<', 'f: 1e3', 'g: y', 'h: 2024-01-01', 'i: 1:20', 'j: 0b-1', 'k: "0o17"',
      'l: 1_000', 'm: 08', 'nn: ~', 'on: as in helm', 'o: !!str 0755', 'p: 0755', '0o10: key', 'q: .5', 'r: 9007199254740993'].join('\n');
    expect(parseValues(text, 'v.yaml')).toEqual({
      a: 15,
      b: 31,
      c: '.',
      d: '0x_',
      e: '<<',
      f: 1000,
      g: true,
      h: '2024-01-01',
      i: '1:20',
      j: -1,
      k: '0o17',
      l: 1000,
      m: 8,
      nn: null,
      true: 'as in helm',
      o: '0755',
      p: 493,
      8: 'key',
      q: 0.5,
      r: 9007199254740992,
    });
  });

  test('YAML 1.1: yes/on are booleans, 0755 is octal, dates stay strings', () => {
    const out = objs(`${token}  replicaCount: 0o3\ntask:\n  allowMetadataService: on\n  job:\n    backoffLimit: 010\n`);
    expect(out.filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(0);
    expect(out.find((o) => o.kind === 'AgentTask').spec.jobTemplate.spec.backoffLimit).toBe(8);
  });

  test('anchors, aliases and merge keys work; an alias is a copy that --set does not change twice', () => {
    const values = `${token}  podAnnotations: &ann {team: a}\n  podLabels:\n    <<: *ann\n    app: x\n`;
    const out = objs(values, ['--set', 'agent.podAnnotations.extra=yes']);
    const pod = out.find((o) => o.kind === 'Deployment').spec.template.metadata;
    expect(pod.labels.team).toBe('a');
    expect(pod.labels.app).toBe('x');
    expect(pod.labels.extra).toBeUndefined();
    expect(pod.annotations.extra).toBe('yes');
  });

  test.each([
    ['!foo bar', 'a custom tag'],
    ['!!binary aGVsbG8=', 'the tag !!binary'],
    ['!!set {a}', 'the tag !!set'],
    ['!!omap [a: 1]', 'the tag !!omap'],
    ['!!timestamp 2024-01-01', 'the tag !!timestamp'],
    ['!!int abc', 'the tag !!int'],
  ])('an unsupported tag (%s) is an error naming file, line and column', (value, named) => {
    const values = file('tag.yaml', `${token}extra:\n  x: ${value}\n`);
    expectError(cli(['template', 'pool', '-f', values]),
      `values file ${values}: unsupported YAML at line 4, column 6: ${named} (values are plain maps, lists, strings, numbers, booleans and nulls)`);
  });

  test('invalid UTF-8 names the byte offset and line', () => {
    const values = file('latin1.yaml', Buffer.concat([Buffer.from(`${token}extra: caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    expectError(cli(['template', 'pool', '-f', values]), `values file ${values}: not valid UTF-8 at byte 35 (line 3); save the file as UTF-8`);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(Buffer.from('ok ✓ 😀'))).toBe(Buffer.from('ok ✓ 😀').length);
  });

  test('a BOM is dropped', () => {
    const out = objs(`\ufeff${token}  replicaCount: 2\n`);
    expect(out.find((o) => o.kind === 'Deployment').spec.replicas).toBe(2);
  });

  test('keys that are maps are an error, without a Node.js warning', () => {
    const values = file('k.yaml', `${token}? {a: 1}\n: x\n`);
    expectError(cli(['template', 'pool', '-f', values]), `values file ${values}: a key at line 3, column 3 is a map or a list; keys are strings`);
  });
});

describe('the command line', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

  test('--version and -V before the command print the program version', () => {
    for (const flag of ['--version', '-V']) {
      expect(cli([flag])).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  test('template --version selects the chart version: 0.5.62 or 0.6.5, the default', () => {
    expect(cli(['template', 'pool', '--version', '0.5.62', '--set-string', 'agent.token=abcdefgh'], { toStdout: true }).status).toBe(0);
    expectError(cli(['template', 'pool', '--version', '1.2.3', '--set-string', `agent.token=${TOKEN}`]),
      "option '--version <CHART_VERSION>' argument '1.2.3' is invalid. The chart versions supported are 0.5.62 and 0.6.5 (the default) (see 'scalr-agent-job --help')");
    // 0.6.5 is the default: the same output with and without --version 0.6.5, an AgentTaskTemplate.
    const latest = cli(['template', 'pool', '--version', '0.6.5', '--set-string', 'agent.token=abcdefgh'], { toStdout: true });
    const noVersion = spawnSync(process.execPath, [BIN, 'template', 'pool', '--set-string', 'agent.token=abcdefgh'], { encoding: 'utf8' });
    expect(latest.status).toBe(0);
    expect(noVersion.stdout).toBe(latest.stdout);
    expect(noVersion.stdout).toContain('kind: AgentTaskTemplate');
    expect(cli(['template', '--help']).stdout).toContain('--version <CHART_VERSION>');
  });

  test('an empty release name', () => {
    expectError(cli(['template', '', '--set-string', `agent.token=${TOKEN}`]),
      'RELEASE: the release name is empty; expected a name such as scalr-agent (as in helm install RELEASE)');
  });

  test('the CLI makes no cdk8s.outdir.* (or any other) folder in the temporary directory', () => {
    const temp = path.join(tmp, 'temp');
    fs.mkdirSync(temp);
    const env = { TMPDIR: temp, TMP: temp, TEMP: temp };
    expect(cli(['template', 'pool', '--set-string', 'agent.token=abcdefgh'], { env }).status).toBe(0);
    expect(cli(['template', 'pool', '--set', 'agent.replicaCount=x'], { env }).status).toBe(1);
    expect(fs.readdirSync(temp)).toEqual([]);
  });
});

