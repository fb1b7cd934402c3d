import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { Json } from '../core/json';

/** A Kubernetes object rendered exactly as given (no defaults added). */
export function apiObject(scope: Construct, id: string, apiVersion: string, kind: string, metadata: Json, body: Json): ApiObject {
  return new ApiObject(scope, id, { apiVersion, kind, metadata, ...body });
}

/** A cluster-scoped object: never carries the chart's namespace. */
export function clusterObject(scope: Construct, id: string, apiVersion: string, kind: string, metadata: Json, body: Json): ApiObject {
  const obj = apiObject(scope, id, apiVersion, kind, metadata, body);
  if (Chart.of(scope).namespace) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}
