import { AgentToken } from '../src';

describe('AgentToken', () => {
  test('defaults the existing Secret key to "token"', () => {
    expect(AgentToken.fromSecretName('pool').key).toBe('token');
  });

  test('keeps the value out of its string form', () => {
    expect(`${AgentToken.fromValue('abc123')}`).toBe('AgentToken(value redacted)');
  });

  test('withKey stores the value under another key', () => {
    const t = AgentToken.fromValue('abc').withKey('pool-token');
    expect([t.key, t._secretValue()]).toEqual(['pool-token', 'abc']);
  });

  test('fails on whitespace inside a token without printing it', () => {
    expect(() => AgentToken.fromValue('ab c')).toThrow('token: got (redacted); expected a token without whitespace inside it');
  });
});
