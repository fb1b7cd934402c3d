import * as kplus from 'cdk8s-plus-30';
import { REDACTED, invalid } from './core/errors';
import { checkDnsSubdomain, checkSecretKey, checkSecretRef } from './core/names';
import { MIN_SECRET_LENGTH, registerSecret } from './core/redact';

const MARKER = Symbol.for('cdk8s-scalr-agent-job.AgentToken');

/**
 * The Scalr agent pool token the agent authenticates with.
 *
 * Either a value, which the library stores in a Secret it creates, or a key of a Secret that
 * already exists in the namespace (created by an operator such as external-secrets).
 */
export class AgentToken {
  /**
   * A token value. The library creates a Secret holding it under the key `token`.
   * The value never appears in a message, wherever else it is also written.
   * @param value the agent pool token from Scalr
   */
  public static fromValue(value: string): AgentToken {
    if (typeof value !== 'string' || value.length === 0) {
      invalid('token', typeof value === 'string' ? value : REDACTED, 'a non-empty agent pool token');
    }
    if (value.trim().length < MIN_SECRET_LENGTH) {
      invalid('token', REDACTED, `an agent pool token: Scalr's tokens are long, this value has ${value.trim().length} characters`);
    }
    registerSecret(value);
    if (value.trim() !== value) {
      invalid('token', REDACTED, 'a token without leading or trailing whitespace or newlines (check how it was read from a file)');
    }
    if (/[\s]/.test(value)) invalid('token', REDACTED, 'a token without whitespace inside it');
    if (/[^\x21-\x7e]/.test(value)) invalid('token', REDACTED, 'a token of printable ASCII characters');
    return new AgentToken(undefined, undefined, 'token', value);
  }

  /**
   * A key of an existing Secret in the release namespace. No Secret is created.
   * @param secretName the Secret's name
   * @param key the key that holds the token
   * @default key "token"
   */
  public static fromSecretName(secretName: string, key?: string): AgentToken {
    checkDnsSubdomain('token.secretName', secretName);
    return new AgentToken(secretName, undefined, checkSecretKey('token.key', key ?? 'token'), undefined);
  }

  /**
   * A key of a cdk8s-plus Secret (imported with `Secret.fromSecretName` or defined in the same
   * app). A Secret defined in another namespace than the pool's is an error.
   * @param secret the Secret
   * @param key the key that holds the token
   * @default key "token"
   */
  public static fromSecret(secret: kplus.ISecret, key?: string): AgentToken {
    checkSecretRef('token.secret', secret);
    return new AgentToken(secret.name, secret, checkSecretKey('token.key', key ?? 'token'), undefined);
  }

  /**
   * Whether a value is an AgentToken, from any copy of this package.
   * @param x anything
   */
  public static isAgentToken(x: any): x is AgentToken {
    return x !== null && typeof x === 'object' && x[MARKER] === true;
  }

  /** The name of the existing Secret, when the token comes from one. */
  public readonly existingSecretName?: string;

  /** The cdk8s-plus Secret, when the token comes from one given as an object. */
  public readonly secret?: kplus.ISecret;

  /** The Secret key that holds the token. */
  public readonly key: string;

  private readonly value?: string;

  /** A value given but not used (the chart's `agent.token` next to `agent.tokenExistingSecret.name`). */
  private readonly unusedValue?: string;

  private constructor(existingSecretName: string | undefined, secret: kplus.ISecret | undefined, key: string, value: string | undefined,
    unusedValue?: string) {
    this.existingSecretName = existingSecretName;
    this.secret = secret;
    this.key = key;
    // Not enumerable: the token stays out of JSON.stringify, console.log and test diffs.
    Object.defineProperty(this, 'value', { value, enumerable: false });
    Object.defineProperty(this, 'unusedValue', { value: unusedValue, enumerable: false });
    Object.defineProperty(this, MARKER, { value: true });
  }

  /**
   * Returns a copy of this token stored under another Secret key. For a token value this is
   * the key of the Secret the library creates (the chart's `agent.tokenExistingSecret.key`
   * without a name).
   * @param key the Secret key
   */
  public withKey(key: string): AgentToken {
    return new AgentToken(this.existingSecretName, this.secret, checkSecretKey('token.key', key), this.value, this.unusedValue);
  }

  /**
   * @internal This token, also holding a token value that is given but not used: the chart
   * ignores `agent.token` when `agent.tokenExistingSecret.name` is set. The value is still the
   * user's secret, so it is kept out of every object as the used one is.
   */
  public _withUnusedValue(value: unknown): AgentToken {
    if (typeof value !== 'string' || value.trim().length < MIN_SECRET_LENGTH) return this;
    registerSecret(value);
    return new AgentToken(this.existingSecretName, this.secret, this.key, this.value, value.trim());
  }

  /** @internal the token value, when the library creates the Secret */
  public _secretValue(): string | undefined {
    return this.value;
  }

  /** @internal the value no object but the token Secret may hold: the used one, or one given but not used */
  public _guardedValue(): string | undefined {
    return this.value ?? this.unusedValue;
  }

  /** A description without the value. */
  public toString(): string {
    return this.existingSecretName ? `AgentToken(secret ${this.existingSecretName}/${this.key})` : 'AgentToken(value redacted)';
  }

  /** A description without the value (what JSON.stringify and error messages show). */
  public toJSON(): string {
    return this.toString();
  }
}
