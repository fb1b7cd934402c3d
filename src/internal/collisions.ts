import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

const CLUSTER_SCOPED = new Set([
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Namespace', 'PersistentVolume', 'PriorityClass',
  'StorageClass', 'Node',
]);

function identity(obj: ApiObject): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : 'core';
  const namespace = CLUSTER_SCOPED.has(obj.kind) ? '' : (obj.metadata.namespace ?? '');
  return `${obj.kind}.${group} ${namespace ? `${namespace}/` : ''}${obj.name}`;
}

/** Two charts that define the same objects. */
export interface CollisionPair {
  readonly first: Chart;
  readonly second: Chart;
  /** The shared objects, as `Kind.group [namespace/]name`. */
  readonly ids: string[];
}

/**
 * Finds objects that two charts of the app would both create (same kind, namespace and name):
 * applied together, one would silently overwrite the other.
 */
export function findCollisionPairs(root: IConstruct, isPool: (c: IConstruct) => boolean): CollisionPair[] {
  const owners = new Map<string, Chart>();
  const clashes = new Map<string, string[]>();
  const pairs: [Chart, Chart][] = [];
  for (const construct of root.node.findAll()) {
    if (!ApiObject.isApiObject(construct)) continue;
    const chart = Chart.of(construct);
    if (!isPool(chart)) continue;
    const id = identity(construct);
    const owner = owners.get(id);
    if (owner === undefined) {
      owners.set(id, chart);
    } else if (owner !== chart) {
      const key = `${owner.node.path}\u0000${chart.node.path}`;
      if (!clashes.has(key)) {
        clashes.set(key, []);
        pairs.push([owner, chart]);
      }
      clashes.get(key)!.push(id);
    }
  }
  return pairs.map(([first, second]) => ({ first, second, ids: clashes.get(`${first.node.path}\u0000${second.node.path}`)! }));
}

/** Why the ids collide and how to fix it. */
export function collisionHints(ids: string[]): string {
  const fixedNames = ids.some((id) => /^(Deployment\.apps \S+\/scalr-agent|AgentTask\.scalr\.io \S+\/scalr-agent-task)$/.test(id))
    ? ' The Deployment and AgentTask names are fixed unless resourceNames is ResourceNaming.PER_RELEASE.' : '';
  const crdHint = ids.some((id) => id.startsWith('CustomResourceDefinition')) ? ' Put the CRD in one chart only (includeCrd: false on the others).' : '';
  return fixedNames + crdHint;
}

/**
 * Finds objects that two charts of the app would both create (same kind, namespace and name):
 * applied together, one would silently overwrite the other. Returns one message per pair of
 * charts, for the charts `isPool` selects.
 */
export function findCollisions(root: IConstruct, isPool: (c: IConstruct) => boolean): Map<Chart, string[]> {
  const result = new Map<Chart, string[]>();
  for (const { first, second, ids } of findCollisionPairs(root, isPool)) {
    const message = `charts "${first.node.path}" and "${second.node.path}" both define ${ids.join(', ')}; `
      + 'applied together, one would overwrite the other. Give the pools different namespaces or release names.' + collisionHints(ids);
    result.set(second, [...(result.get(second) ?? []), message]);
  }
  return result;
}
