import { redact } from './redact';

const MARKER = Symbol.for('cdk8s-scalr-agent-job.AgentJobConfigError');

/** A value that is never shown in a message (the token): `describe` renders it as "(redacted)". */
export const REDACTED = Symbol.for('cdk8s-scalr-agent-job.redacted');

const MAX_SHOWN = 80;

/** How a received value is shown in a message: redacted first, then shortened. */
export function describe(value: unknown): string {
  if (value === REDACTED) return '(redacted)';
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return shorten(redact(JSON.stringify(value)));
  if (Array.isArray(value)) return `a list (${shorten(redact(safeJson(value)))})`;
  if (typeof value === 'object') return `a map (${shorten(redact(safeJson(value)))})`;
  return typeof value;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    // Cyclic structures and BigInts cannot be shown, only named.
    return '…';
  }
}

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** Characters that would break a one-line message (line ends, control characters, bidi overrides). */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The longest path shown (a values key can be as long as the user makes it). */
const MAX_PATH = 200;

/** A message part on one line: unprintable characters escaped as \uXXXX. */
function oneLine(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A path of reasonable length for a message. */
function shortPath(path: string): string {
  const line = oneLine(path);
  return line.length > MAX_PATH ? `${line.slice(0, MAX_PATH / 2)}…${line.slice(-MAX_PATH / 2 + 1)}` : line;
}

/** A function that renames prop paths (for example to the Helm values keys they come from). */
export type PathMapper = (path: string) => string;

/**
 * Wrong input for a construct, a value type or `AgentJobChart.fromHelmValues`.
 *
 * The message says where (`path`), what was received (`received`, never the token) and what is
 * allowed (`expected`): `agent.replicas: got -1; expected a whole number of at least 0`.
 * Thrown values are JavaScript `Error`s; test for one with
 * `AgentJobConfigError.isAgentJobConfigError(e)`, which also works across two copies of the
 * package. In Python and Go the message reaches you as the jsii runtime's error.
 */
export class AgentJobConfigError {
  /**
   * Whether a value is an AgentJobConfigError, from any copy of this package.
   * @param x anything, typically a caught error
   */
  public static isAgentJobConfigError(x: any): x is AgentJobConfigError {
    return x !== null && typeof x === 'object' && (x as any)[MARKER] === true;
  }

  /**
   * @internal an error of the form `path: got <received>; expected <expected>`. `{0}`, `{1}`…
   * in `expected` stand for the `related` paths, so that they can be renamed with the path.
   */
  public static _invalid(path: string, received: string, expected: string, related: string[] = []): AgentJobConfigError {
    return new AgentJobConfigError(path, received, expected, related);
  }

  /** @internal an error with a free text after the path: `path: text`. */
  public static _other(path: string, text: string, related: string[] = []): AgentJobConfigError {
    return new AgentJobConfigError(path, undefined, text, related);
  }

  /** Always "AgentJobConfigError". */
  public readonly name: string;
  /** The whole message: `path: got X; expected Y`. */
  public readonly message: string;
  /** Where the wrong input is: a prop path such as `task.runner.resources.memory.limit`, or a values key. */
  public readonly path: string;
  /** The value received, as shown in the message (never the token); undefined for other problems. */
  public readonly received?: string;
  /** What is allowed, or what is wrong. */
  public readonly expected: string;
  /** The stack trace. */
  public readonly stack?: string;

  private readonly template: string;
  private readonly related: string[];

  private constructor(path: string, received: string | undefined, template: string, related: string[]) {
    this.name = 'AgentJobConfigError';
    this.path = shortPath(redact(path));
    this.received = received === undefined ? undefined : oneLine(redact(received));
    this.template = oneLine(redact(template));
    this.related = related.map((p) => shortPath(redact(p)));
    this.expected = this.template.replace(/\{(\d+)\}/g, (m, i) => this.related[Number(i)] ?? m);
    this.message = this.received === undefined
      ? `${this.path}: ${this.expected}`
      : `${this.path}: got ${this.received}; expected ${this.expected}`;
    Object.defineProperty(this, MARKER, { value: true });
    Error.captureStackTrace(this, AgentJobConfigError);
  }

  /**
   * @internal the same error with its paths renamed (the Helm layer names values keys).
   * @param map the renaming
   */
  public _withPaths(map: PathMapper): AgentJobConfigError {
    return new AgentJobConfigError(map(this.path), this.received, this.template, this.related.map(map));
  }

  /** The message, as `Error.prototype.toString` gives it. */
  public toString(): string {
    return `${this.name}: ${this.message}`;
  }
}
// Thrown values are real Errors (stack traces, `instanceof Error`), although jsii cannot declare
// a class that extends Error.
Object.setPrototypeOf(AgentJobConfigError.prototype, Error.prototype);

/** Throws `path: got <value>; expected <expected>`. `{0}`… in expected name the related paths. */
export function invalid(path: string, received: unknown, expected: string, related?: string[]): never {
  throw AgentJobConfigError._invalid(path, describe(received), expected, related);
}

/** Throws `path: <text>`. */
export function problem(path: string, text: string, related?: string[]): never {
  throw AgentJobConfigError._other(path, text, related);
}

/** The Levenshtein distance between two strings (short keys only: both are at most a few dozen characters). */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
