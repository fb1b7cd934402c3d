import type * as kplus from 'cdk8s-plus-30';
import { invalid } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label: namespaces, container and volume names, release names. */
export function checkDnsLabel(path: string, value: unknown, maxLength = 63): string {
  if (typeof value !== 'string' || value.length > maxLength || !DNS1123_LABEL.test(value)) {
    invalid(path, value,
      `a DNS-1123 label: at most ${maxLength} lower-case letters, digits and '-', starting and ending with a letter or digit`);
  }
  return value;
}

/** Whether a value is a DNS-1123 subdomain (also a host name such as "nfs.internal" or "10.0.0.5"). */
export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A DNS-1123 subdomain: names of most objects (Secrets, ServiceAccounts, claims, ConfigMaps). */
export function checkDnsSubdomain(path: string, value: unknown): string {
  if (!isDnsSubdomain(value)) {
    invalid(path, value,
      "a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
  }
  return value;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Whether a value is a valid key of a Secret's data. */
export function isSecretKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && SECRET_KEY.test(value);
}

/** A key of a Secret's data. */
export function checkSecretKey(path: string, value: unknown): string {
  if (!isSecretKey(value)) invalid(path, value, "a Secret key: letters, digits, '-', '_' and '.'");
  return value;
}

/** Helm's `trunc 63 | trimSuffix "-"`. */
export function truncateName(name: string): string {
  const cut = name.slice(0, 63);
  return cut.endsWith('-') ? cut.slice(0, -1) : cut;
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkQualifiedKey(path: string, key: string, kind: string): void {
  if (key === 'constructor') {
    invalid(`${path}.${key}`, key, `another ${kind} key: cdk8s cannot render a map key "constructor" (its serializer fails on it)`);
  }
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || isDnsSubdomain(prefix);
  if (!prefixOk || name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    invalid(`${path} (${kind} key)`, key,
      "an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' and '.' that starts and ends with a letter or digit");
  }
}

/** Label keys and values (metadata.labels, selectors). */
export function checkLabels(path: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    checkQualifiedKey(path, key, 'label');
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      invalid(`${path}.${key}`, value,
        "a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or empty");
    }
  }
}

/** Annotation keys and values (values are free text; all of them together at most 256 KiB). */
export function checkAnnotations(path: string, annotations: { [key: string]: string } | undefined): void {
  let total = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    checkQualifiedKey(path, key, 'annotation');
    if (typeof value !== 'string') invalid(`${path}.${key}`, value, 'a string (quote numbers and booleans)');
    total += key.length + value.length;
  }
  if (total > 256 * 1024) invalid(path, `${total} bytes of annotations`, 'at most 262144 bytes in all');
}

/** The name of a cdk8s-plus Secret given as a reference (a Secret name is a DNS subdomain). */
export function checkSecretRef(path: string, secret: kplus.ISecret): string {
  if (!secret || typeof secret !== 'object' || typeof secret.name !== 'string') invalid(path, secret, 'a cdk8s-plus ISecret');
  return checkDnsSubdomain(`${path}.name`, secret.name);
}
