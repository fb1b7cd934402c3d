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

/**
 * Finds objects that two charts of the app would both create (same kind, namespace and name):
 * applied together, one would silently overwrite the other. Returns one message per pair of
 * charts, for the charts `isPool` selects.
 */
export function findCollisions(root: IConstruct, isPool: (c: IConstruct) => boolean): Map<Chart, string[]> {
  const owners = new Map<string, Chart>();
  const result = new Map<Chart, string[]>();
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
  for (const [first, second] of pairs) {
    const ids = clashes.get(`${first.node.path}\u0000${second.node.path}`)!;
    const crdHint = ids.some((id) => id.startsWith('CustomResourceDefinition')) ? ' Put the CRD in one chart only (includeCrd: false on the others).' : '';
    const message = `charts "${first.node.path}" and "${second.node.path}" both define ${ids.join(', ')}; `
      + 'applied together, one would overwrite the other. Give the pools different namespaces or release names.' + crdHint;
    result.set(second, [...(result.get(second) ?? []), message]);
  }
  return result;
}
