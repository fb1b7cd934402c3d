import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { collectValues, UsageError } from './values';
import { AgentJobChart } from '../chart';
import { ChartVersion } from '../chart-version';
import { fastStringify } from '../internal/fast-yaml';

export interface TemplateOptions {
  readonly namespace: string;
  readonly values: string[];
  readonly set: string[];
  readonly setString: string[];
  readonly includeCrds: boolean;
  readonly outputDir?: string;
  readonly chartVersion?: string;
}

type Json = { [key: string]: any };

/** Helm's install order of kinds (`helm template` prints objects in it); other kinds go last. */
const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

/** The objects of the release, in the order `helm template` prints them (the CRD first). */
export function renderObjects(release: string, options: TemplateOptions): Json[] {
  const values = collectValues({ files: options.values, set: options.set, setString: options.setString });
  const app = new App();
  const chart = AgentJobChart.fromHelmValues(app, release, {
    releaseName: release,
    namespace: options.namespace,
    values,
    includeCrd: options.includeCrds,
    version: ChartVersion.of(options.chartVersion ?? ChartVersion.LATEST.version),
  });
  // What app.synth() checks, without writing files.
  const problems = app.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length > 0) throw new UsageError(problems.join('; '));

  // A stable sort: objects of one kind keep the library's (deterministic) order.
  return chart.toJson()
    .map((obj: Json, index: number) => ({ obj, index }))
    .sort((a: Ranked, b: Ranked) => compareKinds(a.obj.kind, b.obj.kind) || a.index - b.index)
    .map((ranked: Ranked) => ranked.obj);
}

interface Ranked {
  readonly obj: Json;
  readonly index: number;
}

/** Helm's order: the CRD first, then INSTALL_ORDER, then other kinds by name. */
function compareKinds(a: string, b: string): number {
  const rank = (kind: string) => {
    if (kind === 'CustomResourceDefinition') return -1;
    const i = INSTALL_ORDER.indexOf(kind);
    return i < 0 ? INSTALL_ORDER.length : i;
  };
  const byRank = rank(a) - rank(b);
  if (byRank !== 0 || a === b) return byRank;
  return rank(a) === INSTALL_ORDER.length ? (a < b ? -1 : 1) : 0;
}

/** One object as YAML (1.1-safe quoting: "yes" and "0755" stay strings for kubectl). */
const yamlOf = (obj: unknown): string => stringify(obj, { version: '1.1', lineWidth: 0 });
// The same bytes as yamlOf, written directly where it can (see internal/fast-yaml.ts).
const fastYaml = fastStringify((...docs: unknown[]) => docs.map(yamlOf).join('---\n'));

export function toYaml(obj: Json): string {
  return fastYaml(obj);
}

/** The file name of an object in --output-dir: `<kind>-<name>.yaml`, lower case. */
export function fileName(obj: Json): string {
  return `${String(obj.kind).toLowerCase()}-${obj.metadata?.name}.yaml`;
}

/**
 * Writes one file per object into `dir`: first into a new directory beside it, then moved into
 * place, so that a failure leaves `dir` as it was (absent, or with its previous files).
 * @returns the paths written
 */
export function writeOutputDir(dir: string, objects: Json[]): string[] {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(target);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isDirectory()) throw new UsageError(`--output-dir ${dir}: exists and is not a directory`);

  const files = new Map<string, string>();
  for (const obj of objects) {
    const name = fileName(obj);
    if (files.has(name)) throw new UsageError(`--output-dir ${dir}: two objects would be written to ${name}`);
    files.set(name, `---\n${toYaml(obj)}`);
  }

  let createdParent: string | undefined;
  let staging: string | undefined;
  try {
    createdParent = fs.mkdirSync(parent, { recursive: true });
    staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
    for (const [name, text] of files) fs.writeFileSync(path.join(staging, name), text);
    if (!existing) {
      fs.renameSync(staging, target);
      staging = undefined;
    } else {
      // Each file is replaced at once; files of earlier runs that this run does not write stay.
      for (const name of files.keys()) fs.renameSync(path.join(staging, name), path.join(target, name));
    }
  } catch (e) {
    if (createdParent) fs.rmSync(createdParent, { recursive: true, force: true });
    throw new UsageError(`--output-dir ${dir}: ${(e as Error).message}`);
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  }
  return [...files.keys()].map((name) => path.join(dir, name));
}

/**
 * `scalr-agent-job template RELEASE`: the release's manifests on standard output, or one file per
 * object in --output-dir. Everything is computed before anything is written.
 */
export function template(release: string, options: TemplateOptions): string {
  const objects = renderObjects(release, options);
  if (options.outputDir !== undefined) {
    return writeOutputDir(options.outputDir, objects).map((file) => `wrote ${file}\n`).join('');
  }
  return objects.map((obj) => `---\n${toYaml(obj)}`).join('');
}
