import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { problem } from '../core/errors';
import { Json, findUnrenderable } from '../core/json';

/** Refuses what cannot be rendered into a manifest, naming where it is. */
export function checkRenderable(what: string, value: unknown): void {
  const found = findUnrenderable(value);
  if (found !== undefined) problem(`${what}: ${found.path}`, `got ${found.problem}; expected text that can be written as UTF-8 YAML`);
}

/** A Kubernetes object rendered exactly as given (no defaults added). */
export function apiObject(scope: Construct, id: string, apiVersion: string, kind: string, metadata: Json, body: Json): ApiObject {
  checkRenderable(`${kind} ${metadata.name}`, { metadata, ...body });
  return new ApiObject(scope, id, { apiVersion, kind, metadata, ...body });
}

/** A cluster-scoped object: never carries the chart's namespace. */
export function clusterObject(scope: Construct, id: string, apiVersion: string, kind: string, metadata: Json, body: Json): ApiObject {
  const obj = apiObject(scope, id, apiVersion, kind, metadata, body);
  if (Chart.of(scope).namespace) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}
