// The command's YAML: the yaml package's YAML 1.1 output (through the fast writer of
// internal/fast-yaml.ts), with every string that kubectl's YAML reader (go-yaml v2) would take for
// something else in double quotes.
import { Document, stringify, visit } from 'yaml';
import { isAmbiguousYaml11 } from '../core/yaml11';
import { fastStringify } from '../internal/fast-yaml';

const OPTIONS = { version: '1.1', lineWidth: 0 } as const;
const WITHOUT_MERGE = (tags: any[]) => tags.filter((t) => t.tag !== 'tag:yaml.org,2002:merge');

/** Whether the value holds a string (value or key) that isAmbiguousYaml11 but yaml may write plain. */
function holdsAmbiguous(value: unknown): boolean {
  if (typeof value === 'string') return isAmbiguousYaml11(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsAmbiguous);
  for (const [key, item] of Object.entries(value)) {
    if (isAmbiguousYaml11(key) || holdsAmbiguous(item)) return true;
  }
  return false;
}

/**
 * One document as YAML 1.1. Strings that go-yaml v2 would read as a boolean, a number, a null or
 * a timestamp are double-quoted; every other string is written as the yaml package writes it.
 */
export function yaml11Of(value: unknown): string {
  if (!holdsAmbiguous(value)) return stringify(value, OPTIONS);
  // The same document stringify builds, with those scalars forced to double quotes (and without
  // the merge tag, which would write the string "<<" plain whatever its type).
  const doc = new Document(value, { ...OPTIONS, customTags: WITHOUT_MERGE } as any);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && isAmbiguousYaml11(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(OPTIONS);
}

// The same bytes as yaml11Of, written directly where it can (see internal/fast-yaml.ts).
const fastYaml = fastStringify((...docs: unknown[]) => docs.map(yaml11Of).join('---\n'));

/** One object as YAML (1.1-safe quoting: "yes", "0755" and "0o022" stay strings for kubectl). */
export function toYaml(obj: unknown): string {
  return fastYaml(obj);
}

/** Helm's install order of kinds (`helm template` prints objects in it); other kinds go last. */
export const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

/** The kinds in the command's order: the CRD first (as with --include-crds), then INSTALL_ORDER. */
const RANKED = ['CustomResourceDefinition', ...INSTALL_ORDER.filter((k) => k !== 'CustomResourceDefinition')];
const RANKS = new Map(RANKED.map((kind, i) => [kind, i]));

/**
 * The rank of a kind in the install order: 0 for CustomResourceDefinition, then the kinds of
 * Helm's install order (1 PriorityClass ... 37 ValidatingWebhookConfiguration), and 38 for every
 * other kind (custom resources such as AgentTask, after their CRD).
 */
export function kindRank(kind: string): number {
  return RANKS.get(kind) ?? RANKED.length;
}

/** Helm's order: the CRD first, then INSTALL_ORDER, then other kinds by name. */
export function compareKinds(a: string, b: string): number {
  const byRank = kindRank(a) - kindRank(b);
  if (byRank !== 0 || a === b) return byRank;
  return kindRank(a) === RANKED.length ? (a < b ? -1 : 1) : 0;
}

/**
 * The file name of an object in --output-dir: `NN-<kind>-<name>.yaml`, the kind in lower case, where NN is
 * the two-digit kindRank, so that `kubectl apply -f DIR/` (which reads files in name order)
 * creates the CRD first and every kind in Helm's install order.
 */
export function fileName(obj: { kind?: unknown; metadata?: { name?: unknown } }): string {
  const rank = String(kindRank(String(obj.kind))).padStart(2, '0');
  return `${rank}-${String(obj.kind).toLowerCase()}-${String(obj.metadata?.name)}.yaml`;
}
