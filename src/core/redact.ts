// Every message the library or its command shows passes through `redact`, which removes the
// values registered as secrets (the agent token, private keys, mirror tokens), wherever they
// appear and in the forms a message could show them: as they are, JSON-escaped and base64.
//
// The registry lives on globalThis under a Symbol.for key, so that two copies of the package in
// one app (a user's app and a library that depends on another version) share it.

const REGISTRY = Symbol.for('cdk8s-scalr-agent-job.secrets');
const PLACEHOLDER = '(redacted)';
/** The shortest value treated as a secret. */
export const MIN_SECRET_LENGTH = 8;

interface Registry {
  readonly forms: Set<string>;
  /** The forms, longest first (a secret inside another is replaced after it); rebuilt when a form is added. */
  sorted?: string[];
}

function registry(): Registry {
  const scope = globalThis as unknown as { [REGISTRY]?: Registry };
  scope[REGISTRY] ??= { forms: new Set<string>() };
  return scope[REGISTRY];
}

/** The forms in which a secret can appear in a message or a rendered value. */
function formsOf(secret: string): string[] {
  // A value read with its line end (a token file, a YAML block) is also the value without it.
  return [...new Set([secret, secret.trimEnd(), secret.trim()])].flatMap(encodingsOf);
}

/** The ways a message can show one string. */
function encodingsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  forms.push(base64, base64.replace(/=+$/, ''));
  // A value written into a URL, a query or a YAML single-quoted string.
  forms.push(encodeURIComponent(secret), secret.replace(/'/g, "''"));
  return forms.filter((form) => form.length > 0);
}

/**
 * Registers a secret: from now on no message shows it.
 * @param secret the secret's value
 */
export function registerSecret(secret: unknown): void {
  // Shorter values are no secrets the library accepts (a token has at least 8 characters), and
  // redacting them would garble every message.
  if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_LENGTH) return;
  const reg = registry();
  for (const form of formsOf(secret)) {
    if (!reg.forms.has(form)) {
      reg.forms.add(form);
      reg.sorted = undefined;
    }
  }
}

/** Whether a secret has been registered that this text contains. */
export function containsSecret(text: string): boolean {
  return redact(text) !== text;
}

/**
 * The text without any registered secret.
 * @param text a message, or anything about to be shown
 */
export function redact(text: string): string {
  const reg = registry();
  if (reg.forms.size === 0 || typeof text !== 'string') return text;
  reg.sorted ??= [...reg.forms].sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of reg.sorted) {
    if (out.includes(form)) out = out.split(form).join(PLACEHOLDER);
  }
  return out;
}
