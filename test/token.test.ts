import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { AgentToken } from '../src';
import { TOKEN_VALUE, configErrorOf, token } from './support/builders';

describe('AgentToken', () => {
  test('defaults the existing Secret key to "token"', () => {
    expect(AgentToken.fromSecretName('pool').key).toBe('token');
    expect(AgentToken.fromSecretName('pool').existingSecretName).toBe('pool');
  });

  test('keeps the value out of its string and JSON forms', () => {
    expect(`${token}`).toBe('AgentToken(value redacted)');
    expect(JSON.stringify({ token })).not.toContain(TOKEN_VALUE);
  });

  test('withKey stores the value under another key', () => {
    const t = token.withKey('pool-token');
    expect([t.key, t._secretValue()]).toEqual(['pool-token', TOKEN_VALUE]);
  });

  test('fails on whitespace inside a token without printing it', () => {
    const error = configErrorOf(() => AgentToken.fromValue('example agent-pool-token-with-a-space'));
    expect(error.message).toBe('token: got (redacted); expected a token without whitespace inside it');
  });

  test('fromSecret takes the name of a cdk8s-plus Secret and the key "token" by default', () => {
    const secret = kplus.Secret.fromSecretName(Testing.chart(), 'pool-token', 'pool-token');
    const t = AgentToken.fromSecret(secret);
    expect([t.existingSecretName, t.key]).toEqual(['pool-token', 'token']);
    expect(t.secret).toBe(secret);
    expect(AgentToken.fromSecret(secret, 'value').key).toBe('value');
  });

  test('isAgentToken recognises tokens only', () => {
    expect(AgentToken.isAgentToken(token)).toBe(true);
    expect(AgentToken.isAgentToken(AgentToken.fromSecretName('pool'))).toBe(true);
    expect(AgentToken.isAgentToken({ key: 'token' })).toBe(false);
    expect(AgentToken.isAgentToken(undefined)).toBe(false);
  });
});
