/**
 * The reference comparison of test/fixtures/reference/README.md ("How to compare"), and only it:
 * objects matched by apiVersion, kind, namespace and name; the labels helm.sh/chart and
 * app.kubernetes.io/managed-by ignored; the value of the checksum/secrets annotation ignored;
 * empty maps, empty lists and nulls treated as absent; quantities under resources.requests /
 * resources.limits, PVC storage and emptyDir.sizeLimit compared by value; everything else,
 * list order included, compared as YAML parses it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** The chart versions whose reference manifests are in test/fixtures/agent-job-<version>. */
export const REFERENCE_VERSIONS = ['0.5.62', '0.6.5'];

/** The folder of one chart version's reference vectors. */
export function referenceDir(version: string): string {
  return path.join(__dirname, '..', 'fixtures', `agent-job-${version}`);
}

export interface Scenario {
  readonly version: string;
  readonly name: string;
  readonly release: string;
  readonly namespace: string;
  readonly valuesFile: string;
  readonly manifestFile: string;
}

/** The reference scenarios of one chart version. */
export function scenarios(version: string): Scenario[] {
  const dir = referenceDir(version);
  const list = JSON.parse(fs.readFileSync(path.join(dir, 'scenarios.json'), 'utf8'));
  return list.map((s: any) => ({
    version,
    name: s.name,
    release: s.release,
    namespace: s.namespace,
    valuesFile: path.join(dir, 'scenarios', s.name, 'values.yaml'),
    manifestFile: path.join(dir, 'scenarios', s.name, 'manifest.yaml'),
  }));
}

export function parseManifests(text: string): any[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`YAML error: ${doc.errors[0].message}`);
      return doc.toJS();
    })
    .filter((obj) => obj !== null && obj !== undefined);
}

const IGNORED_LABELS = ['helm.sh/chart', 'app.kubernetes.io/managed-by'];
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A quantity's value; an unparseable one stays as it is so that the difference shows. */
export function quantityValue(q: unknown): unknown {
  const text = String(q);
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(text);
  if (!m) return q;
  const [, num, suffix] = m;
  const factor = !suffix ? 1 : BINARY[suffix] ?? DECIMAL[suffix] ?? 10 ** Number(suffix.slice(1));
  // Round away float noise: quantities are exact decimals.
  return { quantity: Number((Number(num) * factor).toPrecision(15)) };
}

function normalise(value: any, key: string | undefined, parents: string[]): any {
  if (value === null || value === undefined) return undefined;
  const parent = parents[parents.length - 1];
  const grandparent = parents[parents.length - 2];
  if (typeof value !== 'object') {
    if ((grandparent === 'resources' && (parent === 'requests' || parent === 'limits')) || (parent === 'emptyDir' && key === 'sizeLimit')) {
      return quantityValue(value);
    }
    return value;
  }
  if (Array.isArray(value)) {
    const list = value.map((v) => normalise(v, undefined, [...parents, key ?? '']));
    return list.length === 0 ? undefined : list;
  }
  const result: any = {};
  for (const [k, v] of Object.entries(value)) {
    if (key === 'labels' && IGNORED_LABELS.includes(k)) continue;
    let n = normalise(v, k, [...parents, key ?? '']);
    if (key === 'annotations' && k === 'checksum/secrets' && n !== undefined) n = '<checksum>';
    if (n !== undefined) result[k] = n;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function identity(obj: any): string {
  return [obj?.apiVersion, obj?.kind, obj?.metadata?.namespace ?? '', obj?.metadata?.name].join(' ');
}

function diff(a: any, b: any, at: string, out: string[]): void {
  if (out.length > 50) return;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
    return;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) out.push(`${at}: expected a list of ${b.length}, got ${a.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], `${at}[${i}]`, out);
    return;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], `${at}.${k}`, out);
}

/** The differences between two sets of objects, under the reference normalisation; [] when equal. */
export function compareManifests(actual: any[], expected: any[]): string[] {
  const index = (objs: any[], side: string) => {
    const map = new Map<string, any>();
    for (const obj of objs) {
      const id = identity(obj);
      if (map.has(id)) throw new Error(`${side} has two objects ${id}`);
      map.set(id, normalise(obj, undefined, []));
    }
    return map;
  };
  const a = index(actual, 'actual');
  const e = index(expected, 'expected');
  const out: string[] = [];
  for (const id of e.keys()) if (!a.has(id)) out.push(`missing object: ${id}`);
  for (const id of a.keys()) if (!e.has(id)) out.push(`unexpected object: ${id}`);
  for (const [id, obj] of e) if (a.has(id)) diff(a.get(id), obj, id, out);
  return out;
}
