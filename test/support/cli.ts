/** Running the command as a user runs it (`node bin/scalr-agent-job ARGS`), shared by the CLI tests. */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'scalr-agent-job');

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The forms in which a secret could leak into a message. */
export function leaksOf(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [secret, base64, base64.replace(/=+$/, '')];
}

/** Runs the command, killed after `timeout` (a hang fails the test, it does not block it). */
export function runCli(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const start = Date.now();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
  });
  return { status: result.status, signal: result.signal, stdout: String(result.stdout), stderr: String(result.stderr), ms: Date.now() - start };
}

/** The error contract: status 1, one "Error: ..." line, nothing on stdout, no stack trace, no leak. */
export function expectCliError(result: CliResult, message: RegExp | string, leaks: string[] = []): void {
  expect({ status: result.status, signal: result.signal, stdout: result.stdout }).toEqual({ status: 1, signal: null, stdout: '' });
  expect(result.stderr).toMatch(/^Error: [^\n]+\n$/);
  if (typeof message === 'string') expect(result.stderr).toBe(`Error: ${message}\n`);
  else expect(result.stderr).toMatch(message);
  for (const leak of leaks) expect(result.stderr).not.toContain(leak);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
