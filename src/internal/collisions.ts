import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { redact } from '../core/redact';

const CLUSTER_SCOPED = new Set([
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Namespace', 'PersistentVolume', 'PriorityClass',
  'StorageClass', 'Node',
]);

/** `Kind.group [namespace/]name`: what the API server keys an object by. */
export function identity(obj: ApiObject): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : 'core';
  const cluster = CLUSTER_SCOPED.has(obj.kind);
  const namespace = cluster ? '' : (obj.metadata.namespace ?? '');
  return `${obj.kind}.${group} ${cluster ? '(cluster) ' : ''}${namespace ? `${namespace}/` : ''}${obj.name}`;
}

/** Two pools that define the same objects. */
export interface CollisionPair {
  readonly first: IConstruct;
  readonly second: IConstruct;
  /** The shared objects, as `Kind.group [namespace/]name`. */
  readonly ids: string[];
}

/**
 * Objects that two pools would both create (same kind, namespace and name): applied together,
 * one would silently overwrite the other.
 */
export function findCollisionPairs(pools: Iterable<IConstruct>): CollisionPair[] {
  const owners = new Map<string, IConstruct>();
  const pairs = new Map<string, CollisionPair>();
  for (const pool of pools) {
    for (const construct of pool.node.findAll()) {
      if (!ApiObject.isApiObject(construct)) continue;
      const id = identity(construct);
      const owner = owners.get(id);
      if (owner === undefined) {
        owners.set(id, pool);
      } else if (owner !== pool) {
        const key = `${owner.node.path}\u0000${pool.node.path}`;
        const pair = pairs.get(key) ?? { first: owner, second: pool, ids: [] };
        pair.ids.push(id);
        pairs.set(key, pair);
      }
    }
  }
  return [...pairs.values()];
}

/** Why the ids collide and how to fix it. */
export function collisionHints(ids: string[]): string {
  const hints: string[] = [];
  if (ids.some((id) => /^(Deployment\.apps \S+\/scalr-agent|AgentTask\.scalr\.io \S+\/scalr-agent-task)$/.test(id))) {
    hints.push('The chart 0.5 names of the Deployment and AgentTask are fixed: use ResourceNaming.PER_RELEASE or CHART_0_6.');
  }
  if (ids.some((id) => id.includes('(cluster)') && !id.startsWith('CustomResourceDefinition'))) {
    hints.push('Cluster-scoped objects (ClusterRole, PriorityClass, PersistentVolume) do not differ by namespace: '
      + 'use another release name, or a naming scheme that puts the namespace in their names (PER_RELEASE, CHART_0_6).');
  }
  if (ids.some((id) => id.startsWith('CustomResourceDefinition'))) hints.push('Create the CRD in one place only (includeCrd: false on the others).');
  return hints.length > 0 ? ` ${hints.join(' ')}` : '';
}

/** A message per pool that collides with an earlier one. */
export function collisionMessages(pools: Iterable<IConstruct>): Map<IConstruct, string[]> {
  const result = new Map<IConstruct, string[]>();
  for (const { first, second, ids } of findCollisionPairs(pools)) {
    const namespaced = ids.some((id) => !id.includes('(cluster)'));
    const message = `pools "${first.node.path}" and "${second.node.path}" both define ${ids.join(', ')}; `
      + `applied together, one would overwrite the other. Give the pools different ${namespaced ? 'namespaces or ' : ''}release names.`
      + collisionHints(ids);
    // cdk8s prints validation messages as they are: names may hold a secret typed in the wrong place.
    result.set(second, [...(result.get(second) ?? []), redact(message)]);
  }
  return result;
}

// Every pool of an app, so that a pool's validation can compare it with the others.
const POOLS = new WeakMap<IConstruct, Set<IConstruct>>();
// One scan serves every pool validated in the same synchronous pass (cdk8s validates all
// constructs in one loop); the next pass, or a new pool, scans again.
const MEMO = new WeakMap<IConstruct, { count: number; result: Map<IConstruct, string[]> }>();

/** Registers a pool of its app. */
export function registerPool(pool: IConstruct): void {
  const root = pool.node.root;
  const pools = POOLS.get(root) ?? new Set<IConstruct>();
  pools.add(pool);
  POOLS.set(root, pools);
}

/** The collision messages of one pool with the other pools of its app. */
export function poolCollisions(pool: IConstruct): string[] {
  const root = pool.node.root;
  const pools = POOLS.get(root) ?? new Set<IConstruct>();
  let memo = MEMO.get(root);
  if (!memo || memo.count !== pools.size) {
    memo = { count: pools.size, result: collisionMessages(pools) };
    MEMO.set(root, memo);
    queueMicrotask(() => MEMO.delete(root));
  }
  return memo.result.get(pool) ?? [];
}
