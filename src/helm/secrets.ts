// The values keys that hold secrets. The command registers each one with core/redact as soon as
// a values source is read, fromHelmValues before it looks at the values: no message shows them.
import { Json, hasKey, isPlainObject } from '../core/json';
import { registerSecret } from '../core/redact';

/** The secret-bearing values keys (`[*]` is every item of a list). Certificates are public: not here. */
export const SECRET_PATHS = [
  'agent.token',
  'agent.sentryDsn',
  'global.tls.clientKey',
  'agent.providerNetworkMirrors[*].token',
];

function child(value: unknown, key: string): unknown {
  return isPlainObject(value) && hasKey(value, key) ? value[key] : undefined;
}

/**
 * Registers one secret value: strings, numbers as --set makes them (`agent.token=123456`), and
 * whatever a map or list put at a secret's key holds (a mistake, whose message must not show it).
 */
function register(value: unknown, budget = { left: 100 }): void {
  if (budget.left-- <= 0) return;
  if (typeof value === 'string') {
    registerSecret(value);
  } else if (typeof value === 'number') {
    registerSecret(String(value));
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (budget.left <= 0) return;
      register((value as Json)[key], budget);
    }
  }
}

/** The values at a SECRET_PATHS path (`[*]` is every item of a list). */
function valuesAt(value: unknown, segments: string[]): unknown[] {
  if (segments.length === 0) return [value];
  const [first, ...rest] = segments;
  if (first.endsWith('[*]')) {
    const list = child(value, first.slice(0, -3));
    return Array.isArray(list) ? list.flatMap((item) => valuesAt(item, rest)) : [];
  }
  return valuesAt(child(value, first), rest);
}

/** Registers every secret the values hold at SECRET_PATHS. */
export function registerValueSecrets(values: unknown): void {
  for (const path of SECRET_PATHS) for (const value of valuesAt(values, path.split('.'))) register(value);
}

/** Whether a values key path (`agent.token`, `agent.providerNetworkMirrors[0].token`) is secret-bearing. */
export function isSecretPath(path: string): boolean {
  const general = path.replace(/\[\d+\]/g, '[*]');
  return SECRET_PATHS.includes(general);
}
