import { ApiObject, Chart, DependencyGraph, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { REDACTED, invalid, problem } from '../core/errors';
import { findText, isPlainObject } from '../core/json';
import { redact } from '../core/redact';
import { isAmbiguousYaml11, yaml11TypeOf } from '../core/yaml11';

/**
 * The objects of one chart as JSON, in cdk8s's own order (its dependency graph), after
 * validating the chart's constructs. cdk8s's `Chart.toJson()` validates and resolves the
 * dependencies of the whole app again for every chart, which makes many charts quadratic; a
 * chart's own objects and their order depend only on its own constructs.
 */
export function renderChart(chart: Chart, options: { yaml11?: boolean } = {}): any[] {
  const constructs = chart.node.findAll();
  const errors: string[] = [];
  for (const construct of constructs) {
    for (const error of construct.node.validate()) errors.push(`[${construct.node.path}] ${redact(error)}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  resolveLocalDependencies(chart, constructs);
  const rendered: [ApiObject, any][] = new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart)
    .map((x) => [x, x.toJson()]);
  // cdk8s's writer would print YAML 1.1 look-alikes unquoted; the command has a writer of its own that quotes them.
  checkRendered(rendered, options.yaml11 ?? true);
  return rendered.map(([, json]) => json);
}

/** The checks of rendered objects: etcd's size limit, YAML 1.1 look-alikes (when cdk8s writes them), the pool token. */
function checkRendered(rendered: [ApiObject, any][], yaml11: boolean): void {
  for (const [, json] of rendered) {
    checkObjectSize(json);
    if (yaml11) checkYaml11(json);
  }
  checkSecretsKeptIn(rendered);
}

// What cdk8s's writer does with each ambiguous string, asked once: the same few strings ("0",
// "true", "180") recur in every pool.
const PLAIN_VALUES = new Map<string, boolean>();
const PLAIN_KEYS = new Map<string, boolean>();

/** Whether cdk8s writes this string (as a value or a key) without quotes. */
function plain(text: string, asKey: boolean): boolean {
  const known = (asKey ? PLAIN_KEYS : PLAIN_VALUES).get(text);
  if (known !== undefined) return known;
  const rendered = asKey ? Yaml.stringify({ [text]: 0 }) : Yaml.stringify(text);
  const result = !/^["']/.test(rendered);
  (asKey ? PLAIN_KEYS : PLAIN_VALUES).set(text, result);
  return result;
}

/** The largest object etcd stores by default (`--max-request-bytes`): the API server refuses larger ones. */
const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

/** Refuses an object the API server could not store. */
export function checkObjectSize(obj: any): void {
  const bytes = Buffer.byteLength(JSON.stringify(obj), 'utf8');
  if (bytes > MAX_OBJECT_BYTES) {
    problem(`${obj?.kind} ${obj?.metadata?.name}`, `is ${bytes} bytes as JSON; expected at most ${MAX_OBJECT_BYTES} bytes, `
      + 'the most etcd stores by default: move large data (certificates, scripts) into ConfigMaps or Secrets of their own');
  }
}

/**
 * Refuses a string that cdk8s's YAML writer would leave unquoted although YAML 1.1 readers such
 * as kubectl read it as something else (`0X1F` as the number 31): the manifest would not mean
 * what the object says. Only such rare strings are given to cdk8s's own writer to ask.
 */
export function checkYaml11(obj: any): void {
  const where = `${obj?.kind} ${obj?.metadata?.name}`;
  const fail = (path: string, text: string): never => problem(`${where}: ${path}`,
    `got ${JSON.stringify(text)}; expected a string that YAML 1.1 readers read back as a string: cdk8s writes it without quotes and `
    + `kubectl reads a${yaml11TypeOf(text) === 'int' ? 'n' : ''} ${yaml11TypeOf(text)}; use another value (the scalr-agent-job command quotes it)`);
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (isAmbiguousYaml11(value) && plain(value, false)) fail(path, value);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (isAmbiguousYaml11(key) && plain(key, true)) fail(`${path ? `${path}.` : ''}${key} (the key)`, key);
        walk(item, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(obj, '');
}

/**
 * Turns dependencies between constructs of the chart into dependencies between their API
 * objects, as cdk8s does for the whole app before it renders a chart.
 */
function resolveLocalDependencies(chart: Chart, constructs: IConstruct[]): void {
  const objectsOf = (c: IConstruct) => c.node.findAll().filter((x) => ApiObject.isApiObject(x) && Chart.of(x) === chart);
  for (const source of constructs) {
    const targets = source.node.dependencies.filter((target) => isInChart(target, chart));
    if (targets.length === 0 || Chart.of(source) !== chart) continue;
    const froms = objectsOf(source);
    for (const target of targets) {
      const tos = objectsOf(target);
      for (const from of froms) {
        for (const to of tos) if (from !== to) from.node.addDependency(to);
      }
    }
  }
}

function isInChart(construct: IConstruct, chart: Chart): boolean {
  try {
    return Chart.of(construct) === chart;
  } catch {
    return false;
  }
}

// Pools whose chart renders them through renderChart, which checks their YAML already.
const CHECKED_BY_CHART = new WeakSet<IConstruct>();

/** Marks a pool as rendered by a chart of this library (its own validation need not render it). */
export function renderedByOwnChart(pool: IConstruct): void {
  CHECKED_BY_CHART.add(pool);
}

/** The YAML check of a pool in a user's chart, as a validation (the user's chart renders it through cdk8s). */
export function yaml11Validation(pool: IConstruct): () => string[] {
  return () => {
    if (CHECKED_BY_CHART.has(pool)) return [];
    try {
      checkRendered(pool.node.findAll().filter(ApiObject.isApiObject).map((x) => [x, x.toJson()]), true);
      return [];
    } catch (error) {
      return [redact((error as Error).message)];
    }
  };
}

// The agent token of each pool, which must appear in no object but (base64) its Secret.
const POOL_SECRETS = new WeakMap<IConstruct, string>();

/** Keeps a pool's token out of every object but its Secret. */
export function guardSecret(pool: IConstruct, secret: string | undefined): void {
  if (secret !== undefined) POOL_SECRETS.set(pool, secret);
}

/** Refuses an object that holds the token of the pool it belongs to: it would show it in plain text. */
function checkSecretsKeptIn(objects: [ApiObject, any][]): void {
  for (const [construct, json] of objects) {
    const secret = poolSecretOf(construct);
    if (secret === undefined) continue;
    // The token Secret holds it as base64 in `data`: everything else is searched, in both forms.
    const searched = json?.kind === 'Secret' ? { ...json, data: undefined } : json;
    const base64 = Buffer.from(secret, 'utf8').toString('base64');
    const at = [secret, base64, base64.replace(/=+$/, '')].map((form) => findText(searched, form)).find((p) => p !== undefined);
    if (at !== undefined) {
      invalid(`${json?.kind} ${json?.metadata?.name}: ${at}`, REDACTED, 'the agent pool token only in its Secret: '
        + 'this field would show it in plain text to anyone who can read the object');
    }
  }
}

function poolSecretOf(construct: IConstruct): string | undefined {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    const secret = POOL_SECRETS.get(c);
    if (secret !== undefined) return secret;
  }
  return undefined;
}
