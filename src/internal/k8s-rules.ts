import { K8sType, memberPath } from './k8s-schema';
import { invalid } from '../core/errors';
import { Json, isPlainObject } from '../core/json';
import { INT32_MAX } from '../core/k8s-enums';
import { checkBytes, parseQuantity } from '../core/quantity';

// The API server's own validation of the free-form structures, where it goes beyond their
// OpenAPI schema (k8s-schema.ts checks the shape): ID ranges, operators and their values, weights,
// ports, exactly one source. Each rule is one the API server applies on create.

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];

type Rule = (path: string, value: Json) => void;

const list = (value: unknown): Json[] => (Array.isArray(value) ? value : []);

function ids(path: string, context: Json | undefined): void {
  if (!isPlainObject(context)) return;
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    const id = context[field];
    if (id !== undefined && id !== null && (id < 0 || id > INT32_MAX)) invalid(`${path}.${field}`, id, `an ID from 0 to ${INT32_MAX}`);
  }
  list(context.supplementalGroups).forEach((id, i) => {
    if (typeof id === 'number' && (id < 0 || id > INT32_MAX)) invalid(`${path}.supplementalGroups[${i}]`, id, `an ID from 0 to ${INT32_MAX}`);
  });
  if (context.procMount !== undefined && context.procMount !== 'Default') {
    invalid(`${path}.procMount`, context.procMount, '"Default": "Unmasked" needs a pod with hostUsers: false, which the library does not set');
  }
}

function requirement(path: string, r: Json, operators: string[]): void {
  if (typeof r.key !== 'string' || !QUALIFIED_NAME.test(r.key)) invalid(`${path}.key`, r.key, 'a label key such as "kubernetes.io/arch"');
  if (!operators.includes(r.operator)) invalid(`${path}.operator`, r.operator, `one of ${operators.join(', ')}`);
  const values = list(r.values);
  if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) invalid(`${path}.values`, r.values, `at least one value with operator ${r.operator}`);
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) invalid(`${path}.values`, r.values, `no values with operator ${r.operator}`);
  if ((r.operator === 'Gt' || r.operator === 'Lt') && (values.length !== 1 || !/^-?\d+$/.test(String(values[0])))) {
    invalid(`${path}.values`, r.values, `one whole number with operator ${r.operator}`);
  }
}

function nodeSelectorTerm(path: string, term: Json): void {
  list(term.matchExpressions).forEach((r, i) => requirement(`${path}.matchExpressions[${i}]`, r, NODE_OPERATORS));
  list(term.matchFields).forEach((r, i) => requirement(`${path}.matchFields[${i}]`, r, ['In', 'NotIn']));
}

function labelSelector(path: string, selector: Json | undefined): void {
  if (!isPlainObject(selector)) return;
  list(selector.matchExpressions).forEach((r, i) => requirement(`${path}.matchExpressions[${i}]`, r, LABEL_OPERATORS));
}

function podAffinityTerm(path: string, term: Json): void {
  if (typeof term.topologyKey !== 'string' || term.topologyKey === '') invalid(`${path}.topologyKey`, term.topologyKey, 'a node label key such as "kubernetes.io/hostname"');
  labelSelector(`${path}.labelSelector`, term.labelSelector);
  labelSelector(`${path}.namespaceSelector`, term.namespaceSelector);
}

function weight(path: string, value: unknown): void {
  if (typeof value !== 'number' || value < 1 || value > 100) invalid(`${path}.weight`, value, 'a weight from 1 to 100');
}

function env(path: string, e: Json): void {
  if (e.valueFrom === undefined || e.valueFrom === null) return;
  if (e.value !== undefined && e.value !== '') invalid(`${path}.value`, e.value, 'nothing when valueFrom is set');
  const sources = ENV_SOURCES.filter((s) => e.valueFrom[s] !== undefined && e.valueFrom[s] !== null);
  if (sources.length !== 1) invalid(`${path}.valueFrom`, e.valueFrom, `exactly one of ${ENV_SOURCES.join(', ')}`);
}

function envFrom(path: string, e: Json): void {
  const sources = ['configMapRef', 'secretRef'].filter((s) => e[s] !== undefined && e[s] !== null);
  if (sources.length !== 1) invalid(path, e, 'exactly one of configMapRef, secretRef');
}

/** Memory and ephemeral storage amounts, as the library's own (core/quantity checkBytes). */
function byteAmounts(path: string, resources: unknown): void {
  if (!isPlainObject(resources)) return;
  for (const side of ['limits', 'requests']) {
    for (const name of ['memory', 'ephemeral-storage']) {
      const amount = (resources as Json)[side]?.[name];
      const bytes = typeof amount === 'string' ? parseQuantity(amount)?.value : typeof amount === 'number' ? amount : undefined;
      if (bytes !== undefined) checkBytes(memberPath(`${path}.resources.${side}`, name), bytes, false);
    }
  }
}

const RULES: { [type: string]: Rule } = {
  PodSecurityContext: (path, value) => ids(path, value),
  SecurityContext: (path, value) => ids(path, value),
  Affinity: (path, value) => {
    const required = value.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) {
      const terms = list(required.nodeSelectorTerms);
      if (terms.length === 0) invalid(`${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, required.nodeSelectorTerms, 'at least one node selector term');
      terms.forEach((t, i) => nodeSelectorTerm(`${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`, t));
    }
    list(value.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
      const at = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      weight(at, p.weight);
      nodeSelectorTerm(`${at}.preference`, p.preference ?? {});
    });
    for (const kind of ['podAffinity', 'podAntiAffinity']) {
      const a = value[kind];
      if (!isPlainObject(a)) continue;
      list(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => podAffinityTerm(`${path}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, t));
      list(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
        const at = `${path}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
        weight(at, p.weight);
        podAffinityTerm(`${at}.podAffinityTerm`, p.podAffinityTerm ?? {});
      });
    }
  },
  Toleration: (path, value) => {
    if (value.key !== undefined && value.key !== '' && (typeof value.key !== 'string' || !QUALIFIED_NAME.test(value.key))) {
      invalid(`${path}.key`, value.key, 'a taint key such as "dedicated" or "node.kubernetes.io/unreachable"');
    }
    if (value.value !== undefined && (typeof value.value !== 'string' || !LABEL_VALUE.test(value.value))) {
      invalid(`${path}.value`, value.value, "a taint value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
    }
  },
  TopologySpreadConstraint: (path, value) => labelSelector(`${path}.labelSelector`, value.labelSelector),
  EnvVar: env,
  EnvFromSource: envFrom,
  Container: (path, value) => {
    list(value.ports).forEach((p, i) => {
      if (typeof p.containerPort !== 'number' || p.containerPort < 1 || p.containerPort > 65535) {
        invalid(`${path}.ports[${i}].containerPort`, p.containerPort, 'a port from 1 to 65535');
      }
      if (p.hostPort !== undefined && (p.hostPort < 0 || p.hostPort > 65535)) invalid(`${path}.ports[${i}].hostPort`, p.hostPort, 'a port from 0 to 65535');
    });
    list(value.env).forEach((e, i) => env(`${path}.env[${i}]`, e));
    list(value.envFrom).forEach((e, i) => envFrom(`${path}.envFrom[${i}]`, e));
    ids(`${path}.securityContext`, value.securityContext);
    byteAmounts(path, value.resources);
  },
  Volume: (path, value) => {
    const sources = Object.keys(value).filter((k) => k !== 'name' && value[k] !== undefined && value[k] !== null);
    if (sources.length !== 1) invalid(path, sources.length === 0 ? 'no source' : sources.join(', '), 'exactly one volume source (emptyDir, configMap, secret, ...)');
  },
};

/** Applies the API server's rules for one structure (after its schema check). */
export function checkRules(path: string, type: K8sType, value: unknown): void {
  const rule = RULES[type];
  if (rule && isPlainObject(value)) rule(path, value);
}
