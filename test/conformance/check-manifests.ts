/**
 * Server-side dry-run of a multi-document manifest against a real
 * kube-apiserver (see ./control-plane.ts).
 *
 * For one "case" (one manifest) checkManifests():
 *  1. creates (for real) every namespace the objects use, labelled
 *     pod-security.kubernetes.io/enforce=restricted and .../warn=restricted;
 *  2. `kubectl apply --server-side --dry-run=server` every object of the
 *     manifest (CustomResourceDefinitions are skipped: install them once,
 *     for real, before calling this), with strict server-side field
 *     validation (kubectl's default);
 *  3. for every AgentTask and AgentTaskTemplate (scalr.io/v1; the task
 *     templates of chart 0.5.62 and 0.6.5) builds the Job the agent controller
 *     would create from spec.jobTemplate and `kubectl create --dry-run=server`s it
 *     (named `atask-conformance` for an AgentTask, `<spec.basename>-conformance`
 *     for an AgentTaskTemplate; in the same kubectl call as the Pods of step 4);
 *  4. for every workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 *     CronJob, and the Jobs of step 3) builds a bare Pod from its pod template
 *     and dry-run creates it, so PodSecurity *enforce* applies (for workload
 *     objects PodSecurity only warns). The ServiceAccount admission plugin
 *     rejects pods whose ServiceAccount does not exist, so the service accounts
 *     the pods use are created for real for the duration of this step (from the
 *     manifest when it defines them, else empty) and deleted afterwards; so are
 *     the PriorityClasses the pods name, when the manifest defines them (the
 *     Priority admission plugin rejects pods of a missing PriorityClass).
 *
 * Any rejection or any warning (e.g. `Warning: would violate PodSecurity ...`)
 * counts as a failure of that object.
 *
 * kubectl is called once per step with all objects on stdin; only when that
 * batch is not entirely clean are the objects re-run one by one, so that
 * errors and warnings are attributed to the right object.
 */
import { parse as parseYaml } from 'yaml';
import { ControlPlane, KubectlResult } from './control-plane';

export type ObjectStatus = 'accepted' | 'rejected' | 'warned';

export interface ObjectResult {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** effective namespace ('' for cluster-scoped objects) */
  readonly namespace: string;
  /** 'manifest' for objects of the manifest, 'derived' for Jobs/Pods built from templates */
  readonly origin: 'manifest' | 'derived';
  /** for derived objects: what they were built from, e.g. "AgentTask scalr/scalr-agent-task spec.jobTemplate" */
  readonly derivedFrom?: string;
  readonly status: ObjectStatus;
  /** server warnings (kubectl "Warning: ..." lines, prefix removed) */
  readonly warnings: string[];
  /** error message when rejected */
  readonly error?: string;
  /**
   * the object as the server returned it (the dry-run result), when it was not
   * rejected: shows what the server kept (e.g. that a Pod's `image` volume was
   * not dropped as a disabled feature's field)
   */
  readonly server?: any;
}

export interface CheckResult {
  readonly caseName: string;
  readonly objects: ObjectResult[];
  /** objects not checked (CustomResourceDefinitions), as "Kind/name" */
  readonly skipped: string[];
  readonly accepted: number;
  /** rejected + warned */
  readonly rejected: number;
  /** true when every object was accepted without warnings */
  readonly ok: boolean;
  /** "case X: N accepted, M rejected (...)" */
  readonly summary: string;
  /** multi-line report of every failure (empty when ok) */
  readonly details: string;
}

export interface CheckOptions {
  /** PodSecurity level for enforce and warn labels. @default 'restricted' */
  readonly podSecurityLevel?: 'restricted' | 'baseline' | 'privileged';
  /** Check derived Jobs (from AgentTasks). @default true */
  readonly deriveJobs?: boolean;
  /** Check bare Pods built from pod templates. @default true */
  readonly derivePods?: boolean;
  /** name of the Job derived from an AgentTask. @default 'atask-conformance' */
  readonly jobName?: string;
}

type KObject = { apiVersion?: string; kind?: string; metadata?: any; spec?: any; [k: string]: any };

/** An object to check: what its result reports, plus what is sent to kubectl. */
interface Entry extends Omit<ObjectResult, 'status' | 'warnings' | 'error'> {
  readonly obj: KObject;
  /** text sent to kubectl (raw YAML document for manifest objects) */
  readonly text: string;
}

interface Outcome {
  status: ObjectStatus;
  warnings: string[];
  error?: string;
  /** object as returned by the server (dry-run result), when accepted */
  server?: KObject;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const keyOf = (apiVersion: string, kind: string, namespace: string, name: string) =>
  `${groupOf(apiVersion)}|${kind}|${namespace}|${name}`;
export const describeObject = (o: { kind: string; namespace: string; name: string }) =>
  `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

// ---------------------------------------------------------------------------
// discovery: which kinds are cluster-scoped (cached per control plane)

const clusterScopedCache = new WeakMap<ControlPlane, Set<string>>();

function clusterScopedKinds(cp: ControlPlane, refresh = false): Set<string> {
  let set = clusterScopedCache.get(cp);
  if (set && !refresh) return set;
  const r = cp.kubectl(['api-resources', '--namespaced=false', '--no-headers']);
  if (r.status !== 0) throw new Error(`kubectl api-resources failed: ${r.stderr}`);
  set = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) continue;
    // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND
    const kind = cols[cols.length - 1];
    const apiVersion = cols[cols.length - 3];
    set.add(`${groupOf(apiVersion)}|${kind}`);
  }
  clusterScopedCache.set(cp, set);
  return set;
}

const knownKindsCache = new WeakMap<ControlPlane, Set<string>>();
function isClusterScoped(cp: ControlPlane, apiVersion: string, kind: string): boolean {
  const k = `${groupOf(apiVersion)}|${kind}`;
  if (clusterScopedKinds(cp).has(k)) return true;
  // A kind we have not seen (e.g. a CRD installed after the first call):
  // refresh once per kind.
  let known = knownKindsCache.get(cp);
  if (!known) knownKindsCache.set(cp, (known = new Set()));
  if (!known.has(k)) {
    known.add(k);
    return clusterScopedKinds(cp, true).has(k);
  }
  return false;
}

// ---------------------------------------------------------------------------
// YAML

/**
 * Splits a multi-document YAML stream into raw documents, keeping each
 * document's text as written (it is what kubectl gets, so YAML 1.1 vs 1.2
 * parsing differences cannot hide anything).
 */
export function splitDocuments(yamlText: string): { text: string; obj: KObject }[] {
  const out: { text: string; obj: KObject }[] = [];
  const chunks = yamlText.split(/^---[ \t]*(?:#.*)?$/m);
  for (const chunk of chunks) {
    if (!chunk.trim()) continue;
    const obj = parseYaml(chunk);
    if (obj === null || obj === undefined) continue; // comments only
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      throw new Error(`YAML document is not an object:\n${chunk.slice(0, 500)}`);
    }
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      for (const item of obj.items) out.push({ text: JSON.stringify(item), obj: item });
    } else {
      out.push({ text: chunk, obj });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// kubectl helpers

function toStream(entries: Entry[]): string {
  return entries.map((e) => e.text.replace(/^\s*\n/, '')).join('\n---\n') + '\n';
}

function splitStderr(stderr: string): { warnings: string[]; other: string[] } {
  const warnings: string[] = [];
  const other: string[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.trim()) continue;
    const m = /^Warning:\s*(.*)$/.exec(line);
    if (m) warnings.push(m[1]);
    else other.push(line);
  }
  return { warnings, other };
}

function dryRunArgs(mode: 'apply' | 'create'): string[] {
  return mode === 'apply'
    ? ['apply', '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=conformance', '--validate=strict', '-o', 'json', '-f', '-']
    : ['create', '--dry-run=server', '--validate=strict', '-o', 'json', '-f', '-'];
}

/**
 * The objects kubectl printed with `-o json`: `apply` prints one object or a
 * List, `create` one JSON document per object, one after the other.
 */
function parseServerObjects(stdout: string): KObject[] {
  const out: KObject[] = [];
  for (const text of splitJsonStream(stdout)) {
    const o = JSON.parse(text);
    if (o && o.kind === 'List' && Array.isArray(o.items)) out.push(...o.items);
    else out.push(o);
  }
  return out;
}

/** Splits concatenated top-level JSON objects (`{...}\n{...}`) into their texts. */
function splitJsonStream(text: string): string[] {
  const docs: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) docs.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c)) {
      throw new Error(`unexpected ${JSON.stringify(c)} between JSON documents at offset ${i}`);
    }
  }
  if (depth !== 0) throw new Error('truncated JSON document');
  return docs;
}

function serverKey(cp: ControlPlane, o: KObject): string {
  const ns = isClusterScoped(cp, o.apiVersion ?? '', o.kind ?? '') ? '' : (o.metadata?.namespace ?? 'default');
  return keyOf(o.apiVersion ?? '', o.kind ?? '', ns, o.metadata?.name ?? '');
}

/**
 * Dry-runs the entries: one batch call; if the batch is not perfectly clean
 * (non-zero exit, any stderr output, or a missing result), re-runs every
 * entry alone to attribute errors and warnings.
 */
function dryRun(cp: ControlPlane, entries: Entry[], mode: 'apply' | 'create'): Outcome[] {
  if (entries.length === 0) return [];
  const batch = cp.kubectl(dryRunArgs(mode), toStream(entries));
  if (batch.status === 0 && !batch.stderr.trim()) {
    try {
      const byKey = new Map(parseServerObjects(batch.stdout).map((o) => [serverKey(cp, o), o]));
      const outcomes = entries.map((e) => byKey.get(keyOf(e.apiVersion, e.kind, e.namespace, e.name)));
      if (outcomes.every((o) => o !== undefined)) {
        return outcomes.map((server) => ({ status: 'accepted' as const, warnings: [], server }));
      }
    } catch {
      // fall through to the per-object path
    }
  }
  return entries.map((e) => outcomeOf(cp.kubectl(dryRunArgs(mode), toStream([e]))));
}

function outcomeOf(r: KubectlResult): Outcome {
  const { warnings, other } = splitStderr(r.stderr);
  if (r.status !== 0) {
    return {
      status: 'rejected',
      warnings,
      error: other.join('\n').trim() || `kubectl exited with status ${r.status}`,
    };
  }
  let server: KObject | undefined;
  try {
    server = parseServerObjects(r.stdout)[0];
  } catch {
    /* ignore */
  }
  // anything else on stderr is treated like a warning
  const allWarnings = [...warnings, ...other];
  return { status: allWarnings.length ? 'warned' : 'accepted', warnings: allWarnings, server };
}

// ---------------------------------------------------------------------------
// derived objects

/** Removes null values (as a typed Go/Python client would when decoding). */
function stripNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripNulls) as unknown as T;
  if (v && typeof v === 'object') {
    const out: any = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = stripNulls(x);
    return out;
  }
  return v;
}

function derivedEntry(obj: KObject, derivedFrom: string): Entry {
  return {
    obj,
    text: JSON.stringify(obj),
    apiVersion: obj.apiVersion!,
    kind: obj.kind!,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace ?? '',
    origin: 'derived',
    derivedFrom,
  };
}

function podFromTemplate(template: any, name: string, namespace: string, derivedFrom: string): Entry {
  const t = stripNulls(template ?? {});
  const md = t.metadata ?? {};
  return derivedEntry(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        ...(md.labels ? { labels: md.labels } : {}),
        ...(md.annotations ? { annotations: md.annotations } : {}),
      },
      spec: t.spec,
    },
    derivedFrom,
  );
}

/** k8s names are at most 253 chars (pods) / 63 for some; keep it short */
function childName(parent: string, suffix: string): string {
  const base = parent.length > 40 ? parent.slice(0, 40).replace(/[-.]+$/, '') : parent;
  return `${base}-${suffix}`;
}

// ---------------------------------------------------------------------------

/** Installs a CRD for real and waits until it is Established. */
export function installCrd(cp: ControlPlane, file: string) {
  const applied = cp.kubectl(['apply', '--server-side', '--field-manager=conformance-setup', '-f', file]);
  if (applied.status !== 0) throw new Error(`installing CRD ${file} failed:\n${applied.stderr}`);
  const name = applied.stdout.trim().split(/\s+/)[0]; // customresourcedefinition.apiextensions.k8s.io/atasks.scalr.io
  const waited = cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', name]);
  if (waited.status !== 0) throw new Error(`CRD ${name} not established:\n${waited.stderr}`);
  // wait until discovery serves the new resource (kubectl apply relies on it)
  const resource = name.split('/')[1];
  let last: KubectlResult | undefined;
  for (let i = 0; i < 100; i++) {
    last = cp.kubectl(['get', resource, '-A', '-o', 'name']);
    if (last.status === 0) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  throw new Error(`${resource} not served after its CRD became Established: ${last?.stderr}`);
}

const setupNamespacesCache = new WeakMap<ControlPlane, Map<string, string>>();

function ensureNamespaces(cp: ControlPlane, namespaces: string[], level: string) {
  let done = setupNamespacesCache.get(cp);
  if (!done) setupNamespacesCache.set(cp, (done = new Map()));
  const todo = namespaces.filter((ns) => done!.get(ns) !== level);
  if (todo.length === 0) return;
  const docs = todo.map((ns) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': level,
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
      },
    }),
  );
  const r = cp.kubectl(
    ['apply', '--server-side', '--force-conflicts', '--field-manager=conformance-setup', '-f', '-'],
    docs.join('\n---\n'),
  );
  if (r.status !== 0) throw new Error(`creating namespaces ${todo.join(', ')} failed:\n${r.stderr}`);
  for (const ns of todo) done.set(ns, level);
}

/** The kinds (group scalr.io, version v1) whose spec.jobTemplate is the Job of a run. */
const TASK_TEMPLATE_KINDS = ['AgentTask', 'AgentTaskTemplate'];

const WORKLOAD_TEMPLATE: Record<string, (o: KObject) => any> = {
  'apps|Deployment': (o) => o.spec?.template,
  'apps|StatefulSet': (o) => o.spec?.template,
  'apps|DaemonSet': (o) => o.spec?.template,
  'apps|ReplicaSet': (o) => o.spec?.template,
  '|ReplicationController': (o) => o.spec?.template,
  'batch|Job': (o) => o.spec?.template,
  'batch|CronJob': (o) => o.spec?.jobTemplate?.spec?.template,
};

/**
 * Server-side dry-runs every object of a multi-document manifest, plus the
 * Jobs and Pods derived from it (see the module comment). Never throws for a
 * rejected object; throws only when the control plane itself misbehaves.
 */
export function checkManifests(cp: ControlPlane, caseName: string, yamlText: string, opts: CheckOptions = {}): CheckResult {
  const level = opts.podSecurityLevel ?? 'restricted';
  const jobName = opts.jobName ?? 'atask-conformance';
  const skipped: string[] = [];

  // --- parse ----------------------------------------------------------
  const manifest: Entry[] = [];
  for (const { text, obj } of splitDocuments(yamlText)) {
    const apiVersion = String(obj.apiVersion ?? '');
    const kind = String(obj.kind ?? '');
    const name = String(obj.metadata?.name ?? '');
    if (kind === 'CustomResourceDefinition') {
      skipped.push(`${kind}/${name}`);
      continue;
    }
    const namespace = isClusterScoped(cp, apiVersion, kind) ? '' : String(obj.metadata?.namespace ?? 'default');
    manifest.push({ obj, text, apiVersion, kind, name, namespace, origin: 'manifest' });
  }

  // outcome of every checked object; results are reported in the order
  // manifest objects (document order), derived Jobs, derived Pods
  const outcomes = new Map<Entry, Outcome>();

  // --- 1. namespaces --------------------------------------------------
  ensureNamespaces(cp, [...new Set(manifest.map((e) => e.namespace).filter((ns) => ns))], level);

  // --- 2. the manifest's objects (bare Pods wait for step 4) ----------
  const isPod = (e: Entry) => e.apiVersion === 'v1' && e.kind === 'Pod';
  const nonPods = manifest.filter((e) => !isPod(e));
  dryRun(cp, nonPods, 'apply').forEach((o, i) => outcomes.set(nonPods[i], o));
  // prefer the server's view of an object (what a controller would read)
  const serverView = (e: Entry) => outcomes.get(e)?.server ?? e.obj;

  // --- 3. Jobs the agent controller would create from each task template
  //        (AgentTask of chart 0.5.62, AgentTaskTemplate of chart 0.6.5) ---
  const jobs: Entry[] = [];
  if (opts.deriveJobs ?? true) {
    const perName = new Map<string, number>();
    for (const e of manifest) {
      if (!(e.apiVersion === 'scalr.io/v1' && TASK_TEMPLATE_KINDS.includes(e.kind))) continue;
      const view = serverView(e);
      const tmpl = stripNulls(view.spec?.jobTemplate ?? {});
      // The controller names its Jobs `<basename>-<run>-<stage>` (`<metadata.name>-...` without a basename).
      const suffix = 'conformance';
      const named = `${String(view.spec?.basename || e.name)}-${suffix}`;
      // a Job's name becomes its pods' job-name label (63 characters at most);
      // for a basename too long for that, name the Job by the suffix alone
      const base = e.kind === 'AgentTask' ? jobName : named.length > 63 ? suffix : named;
      const n = (perName.get(`${e.namespace}/${base}`) ?? 0) + 1;
      perName.set(`${e.namespace}/${base}`, n);
      jobs.push(
        derivedEntry(
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              ...(tmpl.metadata ?? {}),
              name: n === 1 ? base : `${base}-${n}`,
              namespace: e.namespace,
            },
            spec: tmpl.spec,
          },
          `${describeObject(e)} spec.jobTemplate`,
        ),
      );
    }
  }
  // (the Jobs are dry-run together with the derived Pods, in step 4: one kubectl call)

  // --- 4. Pods: the manifest's own and bare Pods built from pod templates
  //        (PodSecurity enforce only applies to Pods) ---------------------
  const derivedPods: Entry[] = [];
  if (opts.derivePods ?? true) {
    // a manifest workload's template as the server stored it; a derived Job's as built
    // (the server would only add the Job's selector labels and defaults the Pod gets anyway)
    for (const owner of [...nonPods, ...jobs]) {
      const tmpl = WORKLOAD_TEMPLATE[`${groupOf(owner.apiVersion)}|${owner.kind}`]?.(owner.origin === 'derived' ? owner.obj : serverView(owner));
      if (!tmpl) continue;
      derivedPods.push(
        podFromTemplate(tmpl, childName(owner.name, 'pod'), owner.namespace, `${describeObject(owner)} pod template`),
      );
    }
  }
  const manifestPods = manifest.filter(isPod);
  const allPods = [...manifestPods, ...derivedPods];
  const dryRunJobsAndPods = () => {
    const created = [...jobs, ...derivedPods];
    dryRun(cp, created, 'create').forEach((o, i) => outcomes.set(created[i], o));
  };
  if (allPods.length === 0) {
    dryRunJobsAndPods();
  } else {
    ensureNamespaces(cp, [...new Set(allPods.map((e) => e.namespace))], level);
    // The ServiceAccount admission plugin rejects a Pod whose ServiceAccount
    // does not exist, so create those for real for the duration of this step.
    const needed = new Map<string, { ns: string; name: string }>();
    for (const p of allPods) {
      const sa = p.obj.spec?.serviceAccountName || p.obj.spec?.serviceAccount || 'default';
      needed.set(`${p.namespace}/${sa}`, { ns: p.namespace, name: sa });
    }
    const saDocs = [...needed.values()].map(({ ns, name }) => {
      const fromManifest = manifest.find(
        (e) => e.kind === 'ServiceAccount' && e.apiVersion === 'v1' && e.namespace === ns && e.name === name,
      );
      return fromManifest
        ? { ...fromManifest.obj, metadata: { ...fromManifest.obj.metadata, namespace: ns } }
        : { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
    });
    // Likewise the Priority admission plugin rejects a Pod whose
    // priorityClassName does not exist: create the PriorityClasses the pods
    // use for real for this step when the manifest defines them (a class the
    // manifest does not define stays missing, and the pod is rejected).
    const priorityClasses = manifest.filter(
      (e) => e.kind === 'PriorityClass' && e.apiVersion === 'scheduling.k8s.io/v1' &&
        allPods.some((p) => p.obj.spec?.priorityClassName === e.name),
    );
    const pcDocs = priorityClasses.map((e) => e.obj);
    const created = cp.kubectl(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=conformance-setup', '-o', 'name', '-f', '-'],
      [...saDocs, ...pcDocs].map((d) => JSON.stringify(d)).join('\n---\n'),
    );
    try {
      if (created.status !== 0) {
        const what = [...needed.keys(), ...priorityClasses.map((e) => `PriorityClass ${e.name}`)].join(', ');
        const msg = `creating ServiceAccounts/PriorityClasses ${what} (prerequisites of the pods) failed: ${created.stderr.trim()}`;
        for (const p of allPods) outcomes.set(p, { status: 'rejected', warnings: [], error: msg });
        dryRun(cp, jobs, 'create').forEach((o, i) => outcomes.set(jobs[i], o));
      } else {
        dryRun(cp, manifestPods, 'apply').forEach((o, i) => outcomes.set(manifestPods[i], o));
        dryRunJobsAndPods();
      }
    } finally {
      // back to a clean slate for the next case (there is no
      // controller-manager, so nothing blocks the deletion)
      for (const ns of new Set([...needed.values()].map((v) => v.ns))) {
        const names = [...needed.values()].filter((v) => v.ns === ns).map((v) => v.name);
        cp.kubectl(['delete', 'serviceaccount', '-n', ns, '--ignore-not-found', '--wait=false', ...names]);
      }
      if (priorityClasses.length) {
        cp.kubectl(['delete', 'priorityclass', '--ignore-not-found', '--wait=false', ...priorityClasses.map((e) => e.name)]);
      }
    }
  }

  const results: ObjectResult[] = [...manifest, ...jobs, ...derivedPods].map((e) => {
    const o = outcomes.get(e)!;
    return {
      apiVersion: e.apiVersion,
      kind: e.kind,
      name: e.name,
      namespace: e.namespace,
      origin: e.origin,
      derivedFrom: e.derivedFrom,
      status: o.status,
      warnings: o.warnings,
      error: o.error,
      server: o.status === 'rejected' ? undefined : o.server,
    };
  });

  // --- summary --------------------------------------------------------
  const accepted = results.filter((r) => r.status === 'accepted').length;
  const rejected = results.length - accepted;
  const warned = results.filter((r) => r.status === 'warned').length;
  const derived = results.filter((r) => r.origin === 'derived').length;
  const summary =
    `case ${caseName}: ${accepted} accepted, ${rejected} rejected` +
    (warned ? ` (${warned} of them only with warnings)` : '') +
    ` [${results.length - derived} manifest + ${derived} derived objects` +
    (skipped.length ? `; skipped ${skipped.join(', ')}` : '') +
    ']';
  const details = results
    .filter((r) => r.status !== 'accepted')
    .map((r) => {
      const head = `  ${r.status.toUpperCase()} ${describeObject(r)}${r.derivedFrom ? ` (derived from ${r.derivedFrom})` : ''}`;
      const body = [...(r.error ? [r.error] : []), ...r.warnings.map((w) => `Warning: ${w}`)];
      return [head, ...body.map((l) => `      ${l}`)].join('\n');
    })
    .join('\n');
  return { caseName, objects: results, skipped, accepted, rejected, ok: rejected === 0, summary, details };
}

/** Prints one line per case, and the details only when something failed. */
export function reportResult(r: CheckResult): void {
  console.log(r.ok ? r.summary : `${r.summary}\n${r.details}`);
}
