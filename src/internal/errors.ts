/**
 * Errors for wrong input. Every message names the prop path, the value received and what is
 * allowed, so that it can be fixed without reading the library's source.
 */
export class AgentJobConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentJobConfigError';
  }
}

/** Marker for values that must never appear in a message (the token). */
export const REDACTED = Symbol('redacted');

export function describe(value: unknown): string {
  if (value === REDACTED) return '(redacted)';
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list (${truncate(JSON.stringify(value))})`;
  if (typeof value === 'object') return `a map (${truncate(JSON.stringify(value))})`;
  return typeof value;
}

function truncate(text: string | undefined): string {
  if (text === undefined) return '';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Throws an error of the form `path: got X; expected Y`. */
export function invalid(path: string, received: unknown, expected: string): never {
  throw new AgentJobConfigError(`${path}: got ${describe(received)}; expected ${expected}`);
}
