/**
 * Property-based tests (fast-check): generated values files and --set flags, valid and hostile,
 * of both chart versions. For every generated input, EITHER
 *
 * - the library throws an AgentJobConfigError (and nothing else: a TypeError, a RangeError or a
 *   cdk8s error is a failure) whose message is one line without the token in any form; through
 *   the command: status 1, nothing on standard output, exactly one "Error: ..." line on standard
 *   error without the token, no file in --output-dir and no staging directory left behind;
 * - OR it succeeds, and the output is well-formed: every object has apiVersion, kind and
 *   metadata.name; no string holds the token except the token Secret's base64 data; the YAML
 *   reads back, with go-yaml v2's (kubectl's) YAML 1.1 rules, as the same objects (no string that
 *   YAML 1.1 takes for something else is written plain); the same input gives the same bytes;
 *   the command writes the library's bytes.
 *
 * The seed is fixed and the number of runs bounded (the whole file takes well under a minute):
 * most properties run in-process (`AgentJobChart.fromHelmValues`), a smaller number through the
 * compiled command (bin/scalr-agent-job, after `npx tsc -p tsconfig.json` and the bundle step).
 *
 * More cases: PROPERTY_RUNS=1000 (in-process runs per property; the command runs a tenth of it,
 * or PROPERTY_CLI_RUNS) and PROPERTY_SEED=<n> (another seed), for example
 *   PROPERTY_RUNS=1000 PROPERTY_SEED=$RANDOM npx jest test/property.test.ts --coverage=false
 * A failure prints the seed and the path that replays it (fast-check's `seed` and `path`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { AgentJobChart, AgentJobConfigError, ChartVersion } from '../src';
import {
  HOSTILE_KEYS, Json, Rendering, SCHEMA_KEYS, SetArg, TOKEN_PREFIX, VERSION_NAMES, ValuesCase, VersionName, copy, describeJs, groupsOf,
  hostileCase, jsHostileCase, mapOf, renderValues, setArgsArb, setArgsCopyToken, setOwn, setPath, tokenArb, tokenCopyCase, tokenForms, validCase,
  valuesCopyToken, wrappedTokenCase,
} from './support/arbitraries';
import { UsageError } from '../src/cli/errors';
import { errorLine } from '../src/cli/program';
import { collectValues } from '../src/cli/values';
import { compareKinds, fileName, toYaml } from '../src/cli/yaml-out';
import { redact } from '../src/core/redact';
import { isAmbiguousYaml11, resolveYaml11, yaml11TypeOf } from '../src/core/yaml11';
import { renderChart } from '../src/internal/render';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'scalr-agent-job');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');

// ---------------------------------------------------------------------------------------------
// Settings: a fixed seed and bounded runs in CI; more with PROPERTY_RUNS / PROPERTY_SEED.

const SEED = Number(process.env.PROPERTY_SEED ?? 20261129);
const MORE = process.env.PROPERTY_RUNS ? Number(process.env.PROPERTY_RUNS) : undefined;
/** Runs of an in-process property. */
const runs = (ci: number) => MORE ?? ci;
/** Runs of a property that spawns the command (~250 ms each). */
const cliRuns = (ci: number) => {
  if (process.env.PROPERTY_CLI_RUNS) return Number(process.env.PROPERTY_CLI_RUNS);
  return MORE ? Math.max(ci, Math.round(MORE / 10)) : ci;
};
const params = (numRuns: number): fc.Parameters<any> => ({ seed: SEED, numRuns });
/**
 * The command's properties: a failure is shrunk for at most 25 s (each step spawns the command).
 * The limit also ends a run on a machine more than ~4 times slower than expected, with fewer runs.
 */
const cliParams = (numRuns: number): fc.Parameters<any> => ({ seed: SEED, numRuns, ...(MORE ? {} : { interruptAfterTimeLimit: 25_000 }) });

jest.setTimeout(MORE ? 3_600_000 : 120_000);

/** The largest message a user should have to read (one line). */
const MAX_MESSAGE_BYTES = 2048;

// ---------------------------------------------------------------------------------------------
// Reports: a case prints as a short description and its values (long strings shortened).

/** A string as JSON, every character outside printable ASCII escaped. */
function quote(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON with long strings and lists shortened and every character outside printable ASCII escaped. */
function shortJson(value: unknown): string {
  return rawShortJson(value).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function rawShortJson(value: unknown): string {
  const seen = new Set<unknown>();
  const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 40)}...(${text.length} chars)` : text);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return shorten(v);
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return `(${Object.is(v, -0) ? '-0' : v})`;
    if (typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' || v === undefined) return `(${describeJs(v)})`;
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '(cycle)';
    seen.add(v);
    if (Array.isArray(v)) return v.length > 5 ? [...v.slice(0, 3).map(walk), `...(${v.length} items)`] : v.map(walk);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return `(${describeJs(v)})`;
    return mapOf(Object.keys(v).map((k) => [shorten(k), walk((v as Json)[k])]));
  };
  return JSON.stringify(walk(value)) ?? String(value);
}

function withReport<T extends object>(arb: fc.Arbitrary<T>, describe: (t: T) => string): fc.Arbitrary<T> {
  return arb.map((t) => {
    Object.defineProperty(t, fc.toStringMethod, { value: () => describe(t), enumerable: false });
    return t;
  });
}

const caseReport = (c: ValuesCase) =>
  `chart ${c.version}, release ${JSON.stringify(c.release)}, namespace ${JSON.stringify(c.namespace)}, includeCrd ${c.includeCrd}, [${c.notes.join('; ')}], values ${shortJson(c.values)}`;
const reported = (arb: fc.Arbitrary<ValuesCase>) => withReport(arb, caseReport);

/** What was thrown, for a failure message. */
function thrown(error: unknown): string {
  if (error instanceof Error || AgentJobConfigError.isAgentJobConfigError(error)) {
    const e = error as Error;
    const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 4).map((l) => l.trim()).join(' | ');
    return `${e.constructor?.name ?? 'Error'} (name ${e.name}): ${quote(String(e.message).slice(0, 400))} [${frames}]`;
  }
  return `a thrown ${describeJs(error)}: ${shortJson(error)}`;
}

// ---------------------------------------------------------------------------------------------
// The library, in-process

type Outcome = { ok: true; objects: Json[]; yaml: string } | { ok: false; error: unknown };

/** The objects in the command's order, as the command writes them. */
function render(objects: Json[]): string {
  return objects.map((obj, index) => ({ obj, index }))
    .sort((a, b) => compareKinds(a.obj.kind, b.obj.kind) || a.index - b.index)
    .map(({ obj }) => `---\n${toYaml(obj)}`).join('');
}

/**
 * The library: fromHelmValues, the app's validation, the chart's objects (Testing.synth, which
 * refuses strings cdk8s would write plain that kubectl misreads). `asCommand`: what the command
 * renders instead (its own writer quotes those strings).
 */
function synthesize(options: Json, asCommand = false): Outcome {
  try {
    const app = new App();
    const chart = AgentJobChart.fromHelmValues(app, 'pool', options as any);
    const problems = app.node.findAll().flatMap((c) => c.node.validate());
    if (problems.length > 0) return { ok: false, error: new Error(`cdk8s validation: ${problems.join('; ')}`) };
    const objects = asCommand ? renderChart(chart, { yaml11: false }) : Testing.synth(chart);
    return { ok: true, objects, yaml: render(objects) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Outcomes of cases already synthesized (synthesis is deterministic: a property of its own). */
const OUTCOMES = new Map<string, Outcome>();

function cachedSynthesize(c: ValuesCase): Outcome {
  const key = `${c.version}|${fc.stringify([c.release, c.namespace, c.includeCrd, c.values])}`;
  let outcome = OUTCOMES.get(key);
  if (outcome === undefined) {
    outcome = synthesize(optionsOf(c));
    if (OUTCOMES.size > 2000) OUTCOMES.clear();
    OUTCOMES.set(key, outcome);
  }
  return outcome;
}

const optionsOf = (c: ValuesCase): Json => ({
  values: c.values, version: ChartVersion.of(c.version), releaseName: c.release, namespace: c.namespace, includeCrd: c.includeCrd,
});

/** The token in any of its forms in this text (the form found), or undefined. */
function leakIn(text: string, token: string): string | undefined {
  return tokenForms(token).find((form) => text.includes(form));
}

/** A message the user sees: one line (no line terminator of any kind), no token in any form. */
function expectCleanMessage(message: string, token: string, what: string): void {
  if (/[\n\v\f\r\u0085\u2028\u2029]/.test(message)) throw new Error(`${what}: the message has more than one line: ${quote(message.slice(0, 300))}`);
  const leak = leakIn(message, token);
  if (leak !== undefined) throw new Error(`${what}: the message shows the token (${leak === token ? 'as it is' : `as ${quote(leak)}`}): ${quote(message.slice(0, 300))}`);
}

/** The library failed as it should: an AgentJobConfigError, one line, no token. */
function expectConfigError(error: unknown, token: string): void {
  if (!AgentJobConfigError.isAgentJobConfigError(error)) throw new Error(`expected an AgentJobConfigError, got ${thrown(error)}`);
  const e = error as AgentJobConfigError;
  expectCleanMessage(e.message, token, 'AgentJobConfigError');
  for (const [field, text] of [['path', e.path], ['received', e.received ?? ''], ['expected', e.expected]]) {
    const leak = leakIn(text, token);
    if (leak !== undefined) throw new Error(`AgentJobConfigError.${field} shows the token: ${JSON.stringify(text.slice(0, 200))}`);
  }
}

/** Every string (keys too) of a structure, with its path. */
function* stringsOf(value: unknown, at = ''): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [at, value];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* stringsOf(value[i], `${at}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [`${at}.${k} (key)`, k];
      yield* stringsOf(v, `${at}.${k}`);
    }
  }
}

/** The token nowhere but in the token Secret's data (base64, exactly). */
function expectNoTokenOutsideSecret(objects: Json[], token: string): void {
  const base64 = Buffer.from(token).toString('base64');
  for (const obj of objects) {
    for (const [at, text] of stringsOf(obj)) {
      const leak = leakIn(text, token);
      if (leak === undefined) continue;
      if (obj.kind === 'Secret' && /^\.data\.[^.]+$/.test(at) && text === base64) continue;
      throw new Error(`the token (${leak === token ? 'as it is' : `as ${JSON.stringify(leak)}`}) is in ${obj.kind} ${obj.metadata?.name} at ${at}: ${JSON.stringify(text.slice(0, 120))}`);
    }
  }
}

/**
 * Reads YAML as go-yaml v2 (kubectl, sigs.k8s.io/yaml) reads it: a plain scalar is resolved by
 * its YAML 1.1 rules (the command's yaml11.ts), map keys become strings as in the YAML-to-JSON
 * step; a timestamp or merge key where a string was meant stays visibly different.
 */
function readAsKubectl(text: string): unknown[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe' } as any);
  if (!Array.isArray(docs)) throw new Error('no YAML documents');
  return docs.map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`document ${i}: ${doc.errors[0].message}`);
    return kubectlValue(doc.contents, `document ${i}`);
  });
}

function kubectlValue(node: unknown, at: string): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) throw new Error(`an alias at ${at}`);
  if (isMap(node)) {
    const out: Json = {};
    for (const pair of node.items) {
      const key = kubectlValue(pair.key, at);
      const name = typeof key === 'string' ? key : key === null ? 'null' : typeof key === 'object' ? JSON.stringify(key) : String(key);
      setOwn(out, name, kubectlValue(pair.value, `${at}.${name}`));
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, i) => kubectlValue(item, `${at}[${i}]`));
  if (isScalar(node)) {
    const text = node.value === null || node.value === undefined ? '' : String(node.value);
    if (node.type !== 'PLAIN') return text;
    const type = yaml11TypeOf(text);
    if (type === 'timestamp' || type === 'merge') return { [`(YAML 1.1 ${type})`]: text };
    return resolveYaml11(text);
  }
  throw new Error(`an unexpected YAML node at ${at}`);
}

/** Every plain scalar of the text that YAML 1.1 takes for something else, while the object held a string there. */
function ambiguousPlainStrings(objects: Json[], text: string): string[] {
  const found: string[] = [];
  const docs = parseAllDocuments(text, { schema: 'failsafe' } as any) as any[];
  const visit = (node: any, value: unknown, at: string) => {
    if (isMap(node)) {
      for (const pair of node.items as any[]) {
        const key = String((pair.key as any)?.value ?? '');
        if ((pair.key as any)?.type === 'PLAIN' && isAmbiguousYaml11(key)) found.push(`${at} key ${JSON.stringify(key)}`);
        visit(pair.value, (value as Json)?.[key], `${at}.${key}`);
      }
    } else if (isSeq(node)) {
      (node.items as any[]).forEach((item, i) => visit(item, (value as unknown[])?.[i], `${at}[${i}]`));
    } else if (isScalar(node) && node.type === 'PLAIN' && typeof value === 'string' && isAmbiguousYaml11(String(node.value ?? ''))) {
      found.push(`${at} ${JSON.stringify(value)}`);
    }
  };
  docs.forEach((doc, i) => visit(doc.contents, objects[i], `document ${i}`));
  return found;
}

/**
 * The library's output is well-formed (see the header). `tokenCopied`: the input holds the token
 * elsewhere than agent.token (whether it may then be written is a property of its own).
 */
function expectWellFormed(objects: Json[], yamlText: string, token: string, tokenCopied = false): void {
  expect(objects.length).toBeGreaterThan(0);
  for (const obj of objects) {
    const ok = typeof obj.apiVersion === 'string' && obj.apiVersion !== '' && typeof obj.kind === 'string' && obj.kind !== ''
      && typeof obj.metadata?.name === 'string' && obj.metadata.name !== '';
    if (!ok) throw new Error(`an object without apiVersion, kind or metadata.name: ${shortJson(obj).slice(0, 300)}`);
  }
  if (!tokenCopied) expectNoTokenOutsideSecret(objects, token);
  const ordered = objects.map((obj, index) => ({ obj, index }))
    .sort((a, b) => compareKinds(a.obj.kind, b.obj.kind) || a.index - b.index).map((r) => r.obj);
  const plain = ambiguousPlainStrings(ordered, yamlText);
  if (plain.length > 0) throw new Error(`strings that YAML 1.1 reads as something else are written plain: ${plain.slice(0, 5).join(', ')}`);
  expect(readAsKubectl(yamlText)).toEqual(JSON.parse(JSON.stringify(ordered)));
}

// ---------------------------------------------------------------------------------------------
// The command

interface Run {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

function command(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, input: '', encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

interface CommandCase {
  readonly c: ValuesCase;
  readonly sets: SetArg[];
  readonly rendering: Rendering;
  readonly outputDir: boolean;
}

/** Arguments cannot hold NUL (the operating system ends them there). */
const argSafe = (s: string) => s.replace(/\u0000/g, '');

/**
 * Runs the command on a case in a fresh directory and checks the contract. Returns what the
 * library gives for the same input (collectValues + fromHelmValues in-process), so that callers
 * can compare.
 */
function expectCommandContract(cc: CommandCase): Run {
  const { c, sets, rendering, outputDir } = cc;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-agent-job-property-'));
  try {
    const valuesFile = path.join(dir, 'values.yaml');
    fs.writeFileSync(valuesFile, renderValues(c.values, rendering));
    const out = path.join(dir, 'out');
    const args = ['template', argSafe(c.release), '-n', argSafe(c.namespace), '-f', valuesFile, '--version', c.version,
      ...sets.flatMap((s) => [s.option, argSafe(s.expression)]), ...(c.includeCrd ? ['--include-crds'] : []), ...(outputDir ? ['--output-dir', out] : [])];
    const run = command(args);
    const left = fs.readdirSync(dir).sort();
    if (run.status !== 0) {
      expect({ status: run.status, signal: run.signal, stdout: run.stdout }).toEqual({ status: 1, signal: null, stdout: '' });
      if (!/^Error: [^\n]*\n$/.test(run.stderr)) throw new Error(`standard error is not one "Error: ..." line: ${JSON.stringify(run.stderr.slice(0, 500))}`);
      expectCleanMessage(run.stderr.slice(0, -1), c.token, 'standard error');
      // No file written: no output directory, no staging directory.
      expect(left).toEqual(['values.yaml']);
      return run;
    }
    expect(run.stderr).toBe('');
    // The library, in-process, with the same inputs.
    const values = collectValues({ files: [valuesFile], set: sets.filter((s) => s.option === '--set').map((s) => argSafe(s.expression)), setString: sets.filter((s) => s.option === '--set-string').map((s) => argSafe(s.expression)) });
    const library = synthesize({
      values, version: ChartVersion.of(c.version), releaseName: argSafe(c.release), namespace: argSafe(c.namespace), includeCrd: c.includeCrd,
    }, true);
    if (!library.ok) throw new Error(`the command succeeded where the library fails: ${thrown(library.error)}`);
    expectWellFormed(library.objects, library.yaml, c.token, setArgsCopyToken(sets, c.token) || valuesCopyToken(c.values, c.token));
    if (!outputDir) {
      expect(left).toEqual(['values.yaml']);
      if (run.stdout !== library.yaml) throw new Error('the command\'s output differs from the library\'s (same values, same version)');
      return run;
    }
    expect(left).toEqual(['out', 'values.yaml']);
    const files = fs.readdirSync(out).sort();
    expect(run.stdout).toBe(files.map((f) => `wrote ${path.join(out, f)}\n`).join(''));
    const expected = new Map(library.objects.map((obj) => [fileName(obj), `---\n${toYaml(obj)}`]));
    expect(files).toEqual([...expected.keys()].sort());
    for (const f of files) {
      if (fs.readFileSync(path.join(out, f), 'utf8') !== expected.get(f)) throw new Error(`--output-dir: ${f} differs from the library's object`);
    }
    return run;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(() => {
  if (!fs.existsSync(MAIN)) throw new Error('lib/cli/main.js is missing: the command properties run the compiled program; run `npx tsc -p tsconfig.json` first');
});

// ---------------------------------------------------------------------------------------------
// The generators themselves

describe('the generators', () => {
  test.each(VERSION_NAMES)('chart %s: the valid groups write only keys of the version', (version) => {
    const groups = groupsOf(version);
    expect(groups.length).toBeGreaterThanOrEqual(30);
    const samples = fc.sample(validCase(version), { seed: SEED, numRuns: 200 });
    const unknown = new Set<string>();
    const walk = (node: unknown, prefix: string) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      for (const [k, v] of Object.entries(node)) {
        const p = prefix ? `${prefix}.${k}` : k;
        if (SCHEMA_KEYS[version].has(p)) continue;
        if ([...SCHEMA_KEYS[version]].some((key) => key.startsWith(`${p}.`))) walk(v, p);
        else unknown.add(p);
      }
    };
    for (const s of samples) walk(s.values, '');
    expect([...unknown]).toEqual([]);
  });

  test.each(VERSION_NAMES)('chart %s: the valid values cover most keys of the schema', (version) => {
    const written = new Set<string>();
    const walk = (node: unknown, prefix: string) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      for (const [k, v] of Object.entries(node)) {
        const p = prefix ? `${prefix}.${k}` : k;
        if (SCHEMA_KEYS[version].has(p)) written.add(p);
        walk(v, p);
      }
    };
    for (const s of fc.sample(validCase(version), { seed: SEED, numRuns: 400 })) walk(s.values, '');
    const missing = [...SCHEMA_KEYS[version]].filter((k) => !written.has(k));
    // Not generated on purpose: rbac rules (kept as the chart's), inline PEM certificates and
    // keys, hostPath (Pod Security privileged), tokenExistingSecret pairs covered elsewhere.
    const NOT_GENERATED = [
      'rbac.rules', 'rbac.clusterRules', 'global.tls.caBundle', 'global.tls.clientCert', 'global.tls.clientKey', 'persistence.cache.hostPath.path',
      'persistence.cache.hostPath.type', 'global.podSecurityContext.runAsNonRoot', 'global.podSecurityContext.seccompProfile.type',
      'global.podSecurityContext.sysctls', 'global.podSecurityContext.seLinuxOptions', 'task.runner.securityContext.seLinuxOptions',
      'task.runner.securityContext.runAsNonRoot', 'task.runner.securityContext.privileged', 'task.runner.securityContext.allowPrivilegeEscalation',
      'task.runner.securityContext.capabilities.drop', 'global.tls.clientCertSecret.certKey', 'global.tls.clientCertSecret.keyKey',
    ];
    expect(missing.filter((k) => !NOT_GENERATED.includes(k))).toEqual([]);
  });

  test('the hostile keys include prototype keys, and values files keep them as own keys', () => {
    expect(HOSTILE_KEYS).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    const values: Json = {};
    setPath(values, ['agent', '__proto__', 'x'], 1);
    expect(Object.keys(values.agent)).toEqual(['__proto__']);
    expect(({} as any).x).toBeUndefined();
    expect(renderValues(mapOf([['__proto__', 1]]), 'json')).toContain('"__proto__": 1');
  });
});

// ---------------------------------------------------------------------------------------------
// In-process properties

describe.each(VERSION_NAMES)('chart %s, in-process (fromHelmValues)', (version) => {
  test('valid values synthesize, well-formed, deterministic, without changing the values', () => {
    fc.assert(fc.property(reported(validCase(version)), (c) => {
      const before = JSON.stringify(c.values);
      const outcome = synthesize(optionsOf(c));
      if (!outcome.ok) throw new Error(`valid values were refused: ${thrown(outcome.error)}`);
      expectWellFormed(outcome.objects, outcome.yaml, c.token);
      // The token Secret holds the token (unless an existing Secret is named).
      if (!c.values.agent?.tokenExistingSecret?.name) {
        const secret = outcome.objects.find((o) => o.kind === 'Secret' && Object.values(o.data ?? {}).includes(Buffer.from(c.token).toString('base64')));
        expect(secret).toBeDefined();
      }
      expect(JSON.stringify(c.values)).toBe(before);
      const again = synthesize(optionsOf(c));
      expect(again.ok && again.yaml).toBe(outcome.yaml);
    }), params(runs(60)));
  });

  // One property per clause of the contract, over the same generated cases (the outcomes are
  // cached: each case is synthesized once), so that each kind of failure has its own report.
  const hostile = reported(hostileCase(version));

  test('hostile values: the library throws nothing but an AgentJobConfigError', () => {
    fc.assert(fc.property(hostile, (c) => {
      const outcome = cachedSynthesize(c);
      if (!outcome.ok && !AgentJobConfigError.isAgentJobConfigError(outcome.error)) throw new Error(`expected an AgentJobConfigError, got ${thrown(outcome.error)}`);
    }), params(runs(150)));
  });

  test('hostile values: every AgentJobConfigError message is one line without the token', () => {
    fc.assert(fc.property(hostile, (c) => {
      const outcome = cachedSynthesize(c);
      if (!outcome.ok && AgentJobConfigError.isAgentJobConfigError(outcome.error)) expectConfigError(outcome.error, c.token);
    }), params(runs(150)));
  });

  test('hostile values: what synthesizes is well-formed (apiVersion, kind, name; no token; YAML 1.1 reads it back)', () => {
    fc.assert(fc.property(hostile, (c) => {
      const outcome = cachedSynthesize(c);
      if (outcome.ok) expectWellFormed(outcome.objects, outcome.yaml, c.token, valuesCopyToken(c.values, c.token));
    }), params(runs(150)));
  });

  const js = withReport(jsHostileCase(version), (c) => `chart ${c.version}, [${c.notes.join('; ')}]`);

  test('JavaScript values no values file holds (undefined, BigInt, functions, cycles, class instances): nothing but an AgentJobConfigError', () => {
    fc.assert(fc.property(js, (c) => {
      const outcome = synthesize(c.options);
      if (!outcome.ok && !AgentJobConfigError.isAgentJobConfigError(outcome.error)) throw new Error(`expected an AgentJobConfigError, got ${thrown(outcome.error)}`);
      if (!outcome.ok) expectCleanMessage((outcome.error as AgentJobConfigError).message, c.token, 'AgentJobConfigError');
      else expectNoTokenOutsideSecret(outcome.objects, c.token);
    }), params(runs(100)));
  });

  test('a token with whitespace around it (a block scalar\'s newline, CRLF) is refused, and the bare token is never shown either', () => {
    fc.assert(fc.property(reported(wrappedTokenCase(version)), (c) => {
      const outcome = cachedSynthesize(c);
      if (!outcome.ok && AgentJobConfigError.isAgentJobConfigError(outcome.error)) expectConfigError(outcome.error, c.token);
      if (!outcome.ok && !AgentJobConfigError.isAgentJobConfigError(outcome.error)) throw new Error(`expected an AgentJobConfigError, got ${thrown(outcome.error)}`);
      if (outcome.ok) throw new Error('a token with whitespace around it was accepted');
    }), params(runs(40)));
  });

  const copies = reported(tokenCopyCase(version));

  test('the token copied into other fields (url, labels, names, env, namespace, release): refused with a message without it', () => {
    fc.assert(fc.property(copies, (c) => {
      const outcome = cachedSynthesize(c);
      if (!outcome.ok) expectConfigError(outcome.error, c.token);
    }), params(runs(60)));
  });

  test('the token copied into other fields: never written outside its Secret', () => {
    fc.assert(fc.property(copies, (c) => {
      const outcome = cachedSynthesize(c);
      if (outcome.ok) expectNoTokenOutsideSecret(outcome.objects, c.token);
    }), params(runs(60)));
  });
});

describe('messages', () => {
  /** Long and multi-line keys and values, where a message would name or show them. */
  const longCase = (version: VersionName) => fc.record({
    base: validCase(version, 2),
    where: fc.constantFrom('', 'agent', 'task.worker', 'agent.extraEnv', 'agent.podLabels', 'agent.podAnnotations', 'agent.nodeSelector', 'global.podSecurityContext',
      'agent.resources.requests', 'task.tolerations.0', 'agent.affinity'),
    key: fc.oneof(
      fc.integer({ min: 1000, max: 20000 }).map((n) => 'k'.repeat(n)),
      fc.constantFrom('a\nb', 'line1\r\nline2', 'x\u2028y', 'tab\there', 'PROP\nX'),
      fc.integer({ min: 100, max: 2000 }).map((n) => `PROP_${'X'.repeat(n)}`),
    ),
    value: fc.oneof(fc.constant<unknown>('v'), fc.integer({ min: 1000, max: 20000 }).map((n) => 'v\n'.repeat(n)), fc.constant<unknown>(2 ** 40), fc.constant<unknown>(['x'])),
    release: fc.option(fc.integer({ min: 100, max: 5000 }).map((n) => 'r'.repeat(n)), { nil: undefined, freq: 5 }),
  }).map(({ base, where, key, value, release }) => {
    const values = copy(base.values);
    const segments = where === '' ? [] : where.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    setPath(values, [...segments, key], value);
    return { ...base, values, release: release ?? base.release, notes: [...base.notes, `${key.length}-character key at ${where || 'the top level'}`] };
  });

  describe.each(VERSION_NAMES)('chart %s', (version) => {
    const long = reported(longCase(version));

    test('every message is one line, also for keys and values with line breaks', () => {
      fc.assert(fc.property(long, (c) => {
        const outcome = cachedSynthesize(c);
        if (!outcome.ok && AgentJobConfigError.isAgentJobConfigError(outcome.error)) expectCleanMessage((outcome.error as AgentJobConfigError).message, c.token, 'AgentJobConfigError');
      }), params(runs(60)));
    });

    test('every message is at most 2 KB, also for long keys and values', () => {
      fc.assert(fc.property(long, (c) => {
        const outcome = cachedSynthesize(c);
        if (outcome.ok) return;
        if (!AgentJobConfigError.isAgentJobConfigError(outcome.error)) throw new Error(`expected an AgentJobConfigError, got ${thrown(outcome.error)}`);
        const message = (outcome.error as AgentJobConfigError).message;
        const bytes = Buffer.byteLength(message);
        if (bytes > MAX_MESSAGE_BYTES) throw new Error(`a message of ${bytes} bytes: ${quote(message.slice(0, 100))}...${quote(message.slice(-100))}`);
      }), params(runs(60)));
    });
  });
});

describe('--set and values files, in-process (the command\'s collectValues, then fromHelmValues)', () => {
  const setCase = (version: VersionName) => fc.record({ c: validCase(version, 4, false), rendering: fc.constantFrom<Rendering>('json', 'yaml', 'plain') })
    .chain(({ c, rendering }) => setArgsArb(version, c.token).map((sets) => ({ c, rendering, sets })));

  test.each(VERSION_NAMES)('chart %s: a UsageError or AgentJobConfigError (one line, no token), or well-formed output', (version) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-agent-job-property-set-'));
    try {
      const arb = withReport(setCase(version), (x) => `${caseReport(x.c)}, rendered as ${x.rendering}, ${x.sets.map((s) => `${s.option} ${JSON.stringify(s.expression)}`).join(' ')}`);
      fc.assert(fc.property(arb, ({ c, rendering, sets }) => {
        const file = path.join(dir, 'values.yaml');
        fs.writeFileSync(file, renderValues(c.values, rendering));
        let values: Json;
        try {
          values = collectValues({ files: [file], set: sets.filter((s) => s.option === '--set').map((s) => s.expression), setString: sets.filter((s) => s.option === '--set-string').map((s) => s.expression) });
        } catch (error) {
          if (!(error instanceof UsageError)) throw new Error(`collectValues threw ${thrown(error)}`);
          // What the command shows: errorLine, then redact.
          expectCleanMessage(redact(errorLine(error)).replace(/\n$/, ''), c.token, 'UsageError');
          return;
        }
        const outcome = synthesize({ ...optionsOf(c), values }, true);
        if (!outcome.ok) expectConfigError(outcome.error, c.token);
        else expectWellFormed(outcome.objects, outcome.yaml, c.token, setArgsCopyToken(sets, c.token) || valuesCopyToken(c.values, c.token));
      }), params(runs(70)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Through the command

describe('the command (bin/scalr-agent-job template)', () => {
  test.each(VERSION_NAMES)('chart %s: valid values files give the library\'s bytes, on standard output or in --output-dir', (version) => {
    // Also strings the library refuses to hand to cdk8s's writer (0X1F, 0o17): the command quotes them.
    const arb = withReport(fc.record({ c: validCase(version, 8, false), outputDir: fc.boolean() }), (x) => `${caseReport(x.c)}, output-dir ${x.outputDir}`);
    fc.assert(fc.property(arb, ({ c, outputDir }) => {
      const run = expectCommandContract({ c, sets: [], rendering: 'json', outputDir });
      if (run.status !== 0) throw new Error(`valid values were refused: ${run.stderr.trim()}`);
    }), cliParams(cliRuns(8)));
  });

  test.each(VERSION_NAMES)('chart %s: hostile values files and --set flags: status 1 with one line and no file, or the library\'s output', (version) => {
    const arb = fc.record({
      c: fc.oneof(hostileCase(version), validCase(version, 4, false)),
      rendering: fc.constantFrom<Rendering>('json', 'yaml', 'plain'),
      outputDir: fc.boolean(),
    }).chain((x) => fc.oneof({ arbitrary: fc.constant<SetArg[]>([]), weight: 1 }, { arbitrary: setArgsArb(version, x.c.token), weight: 2 })
      .map((sets) => ({ ...x, sets })));
    const reportedArb = withReport(arb, (x) => `${caseReport(x.c)}, rendered as ${x.rendering}, output-dir ${x.outputDir}, ${x.sets.map((s) => `${s.option} ${JSON.stringify(s.expression)}`).join(' ')}`);
    fc.assert(fc.property(reportedArb, (cc) => {
      expectCommandContract(cc);
    }), cliParams(cliRuns(16)));
  });

  test('a token read from a block scalar (`token: |`, with its newline) is not shown bare either', () => {
    fc.assert(fc.property(tokenArb, fc.constantFrom<VersionName>('0.5.62', '0.6.5'), fc.constantFrom('set', 'key', 'namespace'), (token, version, where) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-agent-job-property-'));
      try {
        const file = path.join(dir, 'values.yaml');
        fs.writeFileSync(file, `agent:\n  token: |\n    ${token}\n${where === 'key' ? `  ${token}: x\n` : ''}`);
        const run = command(['template', 'pool', '--version', version, '-f', file, ...(where === 'set' ? ['--set', token] : []), ...(where === 'namespace' ? ['-n', token] : [])]);
        expect(run.status).toBe(1);
        expectCleanMessage(run.stderr.replace(/\n$/, ''), token, 'standard error');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }), cliParams(cliRuns(3)));
  });

  test('a token given only by --set-string is never shown either', () => {
    fc.assert(fc.property(tokenArb, fc.constantFrom('0.5.62', '0.6.5'), fc.constantFrom('UPPER', 'x y', '-n'), (token, version, namespace) => {
      const run = command(['template', 'pool', '--version', version, '--set-string', `agent.token=${token}`, '-n', namespace, '--set', `agent.url=${token}`]);
      expect(run.status).toBe(1);
      expectCleanMessage(run.stderr.replace(/\n$/, ''), token, 'standard error');
    }), cliParams(cliRuns(3)));
  });
});

// Keep the token prefix distinctive: nothing in the chart's defaults holds it.
test('the token prefix appears nowhere in the chart defaults', () => {
  for (const v of VERSION_NAMES) expect(JSON.stringify(ChartVersion.of(v)._profile.values)).not.toContain(TOKEN_PREFIX);
});
