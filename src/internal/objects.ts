import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { problem } from '../core/errors';
import { Json, unrenderableKey } from '../core/json';

/** Refuses a map key cdk8s cannot render, naming where it is. */
export function checkRenderable(what: string, value: unknown): void {
  const key = unrenderableKey(value);
  if (key !== undefined) {
    problem(`${what}: ${key}`, 'a map key "constructor" cannot be rendered by cdk8s (its serializer fails on it); expected another key');
  }
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
