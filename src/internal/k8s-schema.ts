import { describe, invalid, levenshtein, problem } from '../core/errors';

/**
 * Checks free-form Kubernetes JSON (typed cdk8s-plus structs converted with `toJson_*`, or raw
 * values from a Helm values file) against the Kubernetes OpenAPI schema, so that a wrong shape is
 * refused with the prop path of the offending field, instead of later by the API server.
 *
 * The schema (src/imports/k8s-schema.ts) and the validation functions ajv generates from it at
 * generate time (src/imports/k8s-validators.ts, ajv's standalone code) come from
 * scripts/import-k8s-schema.js. Neither ajv nor its compiler is loaded at run time: compiling these
 * schemas takes over half a second, loading the generated functions about 10 ms, on first use.
 */

/** The Kubernetes structures that can be checked: the short names of their OpenAPI definitions. */
export type K8sType =
  | 'Affinity'
  | 'Container'
  | 'EnvFromSource'
  | 'EnvVar'
  | 'LocalObjectReference'
  | 'PodSecurityContext'
  | 'PolicyRule'
  | 'Probe'
  | 'ResourceRequirements'
  | 'SecurityContext'
  | 'Toleration'
  | 'TopologySpreadConstraint'
  | 'Volume'
  | 'VolumeMount';

/** Every K8sType. */
export const K8S_TYPES: readonly K8sType[] = [
  'Affinity', 'Container', 'EnvFromSource', 'EnvVar', 'LocalObjectReference', 'PodSecurityContext',
  'PolicyRule', 'Probe', 'ResourceRequirements', 'SecurityContext', 'Toleration',
  'TopologySpreadConstraint', 'Volume', 'VolumeMount',
];

/**
 * Checks that `value` is a valid Kubernetes `type` (field names, types, integer ranges, required
 * fields, quantities); throws an AgentJobConfigError naming the offending field under `path`:
 * `task.affinity.nodeAffinity: got "lol"; expected a NodeAffinity (a map)`.
 */
export function checkK8s(path: string, type: K8sType, value: unknown): void {
  const validate = validator(type);
  if (validate(value)) return;
  let errors = validate.errors ?? [];
  // The API server decodes a null field as an absent one (the Helm chart itself renders `env:`
  // with no value): check again without them, only when the value is refused, as nulls are rare.
  const withoutNulls = dropNullFields(value);
  if (withoutNulls !== value) {
    if (validate(withoutNulls)) return;
    errors = validate.errors ?? [];
  }
  fail(path, type, value, errors);
}

/** checkK8s for each item of a list, named `path[i]`; also refuses anything but a list. */
export function checkK8sList(path: string, type: K8sType, values: unknown[]): void {
  if (!Array.isArray(values)) invalid(path, values, `a list of ${plural({ $ref: `#/definitions/${type}` })}`);
  values.forEach((value, i) => checkK8s(`${path}[${i}]`, type, value));
}

/**
 * The value without its null fields, at any depth (list items stay: a null Container is not an
 * absent one); the value itself when it has none. The schemas are not recursive, so a depth
 * limit only stops at cycles.
 */
function dropNullFields(value: unknown, level: number = 0): unknown {
  if (value === null || typeof value !== 'object' || level > 64) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => dropNullFields(item, level + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  let copy: { [key: string]: unknown } | undefined;
  for (const [key, field] of Object.entries(value)) {
    const kept = field === null ? undefined : dropNullFields(field, level + 1);
    if (kept !== field) {
      copy ??= { ...(value as { [key: string]: unknown }) };
      if (kept === undefined) delete copy[key];
      else copy[key] = kept;
    }
  }
  return copy ?? value;
}

// ---------------------------------------------------------------------------------------------
// The generated validators, loaded on first use.

interface ValidationError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: { readonly [key: string]: any };
}

type Validator = ((data: unknown) => boolean) & { errors?: ValidationError[] | null };

let validators: Record<K8sType, Validator> | undefined;

function validator(type: K8sType): Validator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validators ??= require('../imports/k8s-validators') as Record<K8sType, Validator>;
  const validate = validators[type];
  if (typeof validate !== 'function') throw new Error(`no Kubernetes schema for ${String(type)}`);
  return validate;
}

// ---------------------------------------------------------------------------------------------
// Messages: the error ajv reports is located in the schema by walking the definitions along its
// instance path (the definitions have no composition but the anyOf of IntOrString and Quantity,
// so the path leads to exactly one schema).

interface Schema {
  readonly '$ref'?: string;
  readonly 'type'?: string;
  readonly 'format'?: string;
  readonly 'enum'?: readonly unknown[];
  readonly 'pattern'?: string;
  readonly 'minimum'?: number;
  readonly 'maximum'?: number;
  readonly 'properties'?: { readonly [name: string]: Schema };
  readonly 'additionalProperties'?: Schema | boolean;
  readonly 'items'?: Schema;
  readonly 'anyOf'?: readonly Schema[];
  readonly 'required'?: readonly string[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
}

let definitions: { readonly [name: string]: Schema } | undefined;

function defs(): { readonly [name: string]: Schema } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  definitions ??= (require('../imports/k8s-schema') as typeof import('../imports/k8s-schema')).DEFINITIONS as unknown as { [name: string]: Schema };
  return definitions;
}

const REF_PREFIX = '#/definitions/';

/** The schema behind a reference, and the name of the (last) definition it is. */
function resolve(schema: Schema, name?: string): { schema: Schema; name?: string } {
  let current = schema;
  let currentName = name;
  while (current.$ref !== undefined) {
    currentName = current.$ref.slice(REF_PREFIX.length);
    current = defs()[currentName];
  }
  return { schema: current, name: currentName };
}

interface Location {
  readonly path: string;
  readonly value: unknown;
  readonly schema: Schema;
  readonly name?: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of a map member: `a.b`, or `a["b-c"]` for a key that is no identifier. */
export function memberPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function childPath(path: string, parent: unknown, key: string): string {
  return Array.isArray(parent) ? `${path}[${key}]` : memberPath(path, key);
}

function childSchema(schema: Schema, parent: unknown, key: string): Schema | undefined {
  if (Array.isArray(parent)) return schema.items;
  const prop = schema.properties?.[key];
  if (prop !== undefined) return prop;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** The prop path, value and schema at an instance path (a JSON pointer) of the checked value. */
function locate(path: string, type: K8sType, value: unknown, pointer: string): Location {
  let here = { path, value, ...resolve({ $ref: `${REF_PREFIX}${type}` }) };
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const child = childSchema(here.schema, here.value, key);
    const parent = here.value as any;
    const next = { path: childPath(here.path, parent, key), value: parent?.[key] };
    // Should not happen (ajv reports errors where the schema is); say what is known.
    if (child === undefined) return { ...next, schema: {} };
    here = { ...next, ...resolve(child) };
  }
  return here;
}

function depth(error: ValidationError): number {
  const segments = error.instancePath === '' ? 0 : error.instancePath.split('/').length - 1;
  return segments + (error.keyword === 'required' ? 1 : 0);
}

/** The most useful error: the deepest, and of those the anyOf that lists the alternatives. */
function mostUseful(errors: readonly ValidationError[]): ValidationError | undefined {
  let best: ValidationError | undefined;
  for (const error of errors) {
    if (best === undefined || depth(error) > depth(best)
      || (depth(error) === depth(best) && (error.keyword === 'anyOf' || error.keyword === 'oneOf'))) {
      best = error;
    }
  }
  return best;
}

function fail(path: string, type: K8sType, value: unknown, errors: readonly ValidationError[]): never {
  const error = mostUseful(errors);
  if (error === undefined) invalid(path, value, expected(resolve({ $ref: `${REF_PREFIX}${type}` }), value));
  const at = locate(path, type, value, error.instancePath);
  switch (error.keyword) {
    case 'required': {
      const field = String(error.params.missingProperty);
      const sub = at.schema.properties?.[field];
      const what = sub === undefined ? 'a value' : expected(resolve(sub), undefined);
      const where = at.name === undefined ? 'required' : `required in ${article(at.name)}`;
      invalid(childPath(at.path, at.value, field), (at.value as any)?.[field], `${what} (${where})`);
    }
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const known = Object.keys(at.schema.properties ?? {});
      const guess = closest(field, known);
      const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
      problem(at.path, `unknown field ${describe(field)}${hint}; expected one of ${known.join(', ')}`);
    }
    default:
      invalid(at.path, at.value, expected(at, at.value));
  }
}

/** "a" or "an": an Affinity, an HTTPGetAction, an NFSVolumeSource, a CSIVolumeSource. */
function article(noun: string): string {
  const spelt = /^[A-Z]{2}/.test(noun); // an acronym, read letter by letter
  return /^[AEIOUaeiou]/.test(noun) || (spelt && /^[FHLMNRSX]/.test(noun)) ? `an ${noun}` : `a ${noun}`;
}

function integer(schema: Schema, value: unknown): string {
  const format = schema.format ?? 'integer';
  const outOfRange = typeof value === 'number' && Number.isInteger(value)
    && ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum));
  return outOfRange ? `an integer (${format}, from ${schema.minimum} to ${schema.maximum})` : `an integer (${format})`;
}

const QUANTITY = 'a quantity: a number, or a string such as "512Mi", "1.5", "500m" or "2Gi"';

/** What a schema allows, for "expected …" (value: the value received, for integer ranges). */
function expected(at: { schema: Schema; name?: string }, value: unknown): string {
  const { schema, name } = at;
  if (name === 'Quantity') return QUANTITY;
  if (schema.anyOf !== undefined) return schema.anyOf.map((s) => expected(resolve(s), value)).join(' or ');
  if (schema.enum !== undefined) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (schema.type) {
    case 'object':
      if (name !== undefined) return `${article(name)} (a map)`;
      if (typeof schema.additionalProperties === 'object') return `a map of ${plural(schema.additionalProperties)}`;
      return 'a map';
    case 'array':
      return schema.items === undefined ? 'a list' : `a list of ${plural(schema.items)}`;
    case 'string':
      if (schema.pattern !== undefined) return `a string matching ${schema.pattern}`;
      return schema.format === 'date-time' ? 'a date and time (RFC 3339)' : 'a string';
    case 'integer':
      return integer(schema, value);
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return 'any value';
  }
}

/** What the items of a list or the values of a map must be, in the plural. */
function plural(items: Schema): string {
  const { schema, name } = resolve(items);
  if (name === 'Quantity') return 'quantities (such as "512Mi" or "500m")';
  if (schema.anyOf !== undefined) return schema.anyOf.map(plural).join(' or ');
  switch (schema.type) {
    case 'object': return name === undefined ? 'maps' : `${name}s`;
    case 'array': return 'lists';
    case 'string': return 'strings';
    case 'integer': return `integers (${schema.format ?? 'integer'})`;
    case 'number': return 'numbers';
    case 'boolean': return 'booleans';
    default: return 'values';
  }
}

/** The known field closest to a misspelt one, if any is close (case, or up to 2 edits). */
function closest(field: string, known: readonly string[]): string | undefined {
  const lower = field.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  if (field.length < 4) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = levenshtein(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
