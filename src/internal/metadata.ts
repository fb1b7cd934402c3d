import { Construct } from 'constructs';
import { invalid } from '../core/errors';
import { Json } from '../core/json';
import { checkAnnotations, checkLabels } from '../core/names';
import { redact } from '../core/redact';


/** Label keys the library uses in selectors: users may not set or change them. */
export const SELECTOR_LABEL_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component'];

/** Extra labels and annotations for the metadata of objects (not pods). */
export interface ExtraMetadata {
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
}

/** Validates user labels: well-formed, and none of the selector keys. */
export function checkUserLabels(path: string, labels: { [key: string]: string } | undefined): { [key: string]: string } {
  checkLabels(path, labels);
  for (const key of Object.keys(labels ?? {})) {
    if (SELECTOR_LABEL_KEYS.includes(key)) {
      invalid(`${path}.${key}`, key,
        `a label key other than ${SELECTOR_LABEL_KEYS.join(', ')}: the library sets these and selects pods by them`);
    }
  }
  return { ...labels };
}

/** One layer of user metadata, with the prop paths for error messages. */
export interface MetadataLayer {
  readonly labelsPath: string;
  readonly labels?: { [key: string]: string };
  readonly annotationsPath: string;
  readonly annotations?: { [key: string]: string };
}

/** Validates and merges metadata layers, from the most general to the most specific (which wins). */
export function extraMetadata(...layers: MetadataLayer[]): ExtraMetadata {
  let labels: { [key: string]: string } = {};
  let annotations: { [key: string]: string } = {};
  for (const layer of layers) {
    labels = { ...labels, ...checkUserLabels(layer.labelsPath, layer.labels) };
    checkAnnotations(layer.annotationsPath, layer.annotations);
    annotations = { ...annotations, ...layer.annotations };
  }
  return { labels, annotations };
}

/** The common layer (`common.labels`, `common.annotations`). */
export function commonLayer(common: { labels?: { [key: string]: string }; annotations?: { [key: string]: string } } | undefined): MetadataLayer {
  return { labelsPath: 'common.labels', labels: common?.labels, annotationsPath: 'common.annotations', annotations: common?.annotations };
}

/**
 * Metadata with the extra labels (after the library's) and annotations (after the object's own).
 * Nothing changes when there are none, so default output stays as it is.
 */
export function withExtraMetadata(metadata: Json, extra: ExtraMetadata | undefined): Json {
  if (!extra) return metadata;
  const result: Json = { ...metadata };
  if (Object.keys(extra.labels).length > 0) result.labels = { ...metadata.labels, ...extra.labels };
  if (Object.keys(extra.annotations).length > 0) result.annotations = { ...metadata.annotations, ...extra.annotations };
  return result;
}

/**
 * Records a warning on the construct (`node.metadata`, type "warning") and prints it once, so
 * that `cdk8s synth` shows it.
 */
export function addWarning(scope: Construct, message: string): void {
  const text = redact(message);
  scope.node.addMetadata('warning', text);
  if (!process.env.CDK8S_SCALR_SILENCE_WARNINGS) {
    // eslint-disable-next-line no-console
    console.warn(`[WARNING] ${scope.node.path}: ${text}`);
  }
}
