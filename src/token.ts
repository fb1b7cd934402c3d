import * as kplus from 'cdk8s-plus-30';
import { invalid, REDACTED } from './internal/errors';
import { checkDnsSubdomain, checkSecretKey } from './internal/names';

/**
 * The Scalr agent pool token the agent authenticates with.
 *
 * Either a value, which the library stores in a Secret it creates, or a key of a Secret that
 * already exists in the namespace (created by an operator such as external-secrets).
 */
export class AgentToken {
  /**
   * A token value. The library creates a Secret holding it under the key `token`.
   * The value never appears in an error message.
   * @param value the agent pool token from Scalr
   */
  public static fromValue(value: string): AgentToken {
    if (typeof value !== 'string' || value.length === 0) {
      invalid('token', typeof value === 'string' ? value : REDACTED, 'a non-empty agent pool token');
    }
    if (value.trim() !== value) {
      invalid('token', REDACTED, 'a token without leading or trailing whitespace or newlines (check how it was read from a file)');
    }
    if (/[\s]/.test(value)) invalid('token', REDACTED, 'a token without whitespace inside it');
    return new AgentToken(undefined, 'token', value);
  }

  /**
   * A key of an existing Secret in the release namespace. No Secret is created.
   * @param secretName the Secret's name
   * @param key the key that holds the token
   * @default key "token"
   */
  public static fromSecretName(secretName: string, key?: string): AgentToken {
    checkDnsSubdomain('token.secretName', secretName);
    return new AgentToken(secretName, checkSecretKey('token.key', key ?? 'token'), undefined);
  }

  /**
   * A key of an existing cdk8s-plus Secret (imported with `Secret.fromSecretName` or defined
   * in the same app).
   * @param secret the Secret
   * @param key the key that holds the token
   * @default key "token"
   */
  public static fromSecret(secret: kplus.ISecret, key?: string): AgentToken {
    return AgentToken.fromSecretName(secret.name, key);
  }

  /**
   * The name of the existing Secret, when the token comes from one.
   */
  public readonly existingSecretName?: string;

  /** The Secret key that holds the token. */
  public readonly key: string;

  private readonly value?: string;

  private constructor(existingSecretName: string | undefined, key: string, value: string | undefined) {
    this.existingSecretName = existingSecretName;
    this.key = key;
    // Not enumerable: the token stays out of JSON.stringify, console.log and test diffs.
    Object.defineProperty(this, 'value', { value, enumerable: false });
  }

  /**
   * Returns a copy of this token stored under another Secret key. For a token value this is
   * the key of the Secret the library creates (the chart's `agent.tokenExistingSecret.key`
   * without a name).
   * @param key the Secret key
   */
  public withKey(key: string): AgentToken {
    return new AgentToken(this.existingSecretName, checkSecretKey('token.key', key), this.value);
  }

  /** @internal the token value, when the library creates the Secret */
  public _secretValue(): string | undefined {
    return this.value;
  }

  public toString(): string {
    return this.existingSecretName ? `AgentToken(secret ${this.existingSecretName}/${this.key})` : 'AgentToken(value redacted)';
  }
}
