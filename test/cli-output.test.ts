// The command's writing: --output-dir all or nothing and safe, file system errors as one line
// and fast, standard output errors, and the code cache of bin/scalr-agent-job.
import { spawn, spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, CliResult, expectCliError, leaksOf, runCli } from './support/cli';
import { parseManifests } from './support/compare';
import { writeOutputDir } from '../src/cli/output-dir';

const TOKEN = 'tok-SECRET-123456';
const LEAKS = leaksOf(TOKEN);
const IS_ROOT = process.getuid?.() === 0;

jest.setTimeout(120_000);

type Result = CliResult;

const TEMPLATE = ['template', 'pool', '--version', '0.5.62', '-n', 'agents', '--set-string', `agent.token=${TOKEN}`, '--include-crds'];

/** Runs `node bin/scalr-agent-job ARGS`, killed after 30 s (a hang fails the test, it does not block it). */
function cli(args: string[], options: SpawnSyncOptions = {}): Result {
  return runCli(args, { timeout: 30_000, ...options });
}

function expectError(result: Result, message: RegExp | string): void {
  expectCliError(result, message, LEAKS);
}

function expectOk(result: Result): void {
  expect({ status: result.status, signal: result.signal, stderr: result.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
}

/** A directory's files (names, contents, modes), hidden ones included. */
function snapshot(dir: string): Record<string, { text: string; mode: number } | 'dir'> {
  const out: Record<string, { text: string; mode: number } | 'dir'> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const stats = fs.lstatSync(p);
    out[name] = stats.isDirectory() ? 'dir' : { text: fs.readFileSync(p, 'utf8'), mode: stats.mode % 0o1000 };
  }
  return out;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-agent-job-cli-output-'));
});
afterEach(() => {
  spawnSync('chattr', ['-R', '-i', tmp], { stdio: 'ignore' });
  fs.chmodSync(tmp, 0o700);
  for (const name of fs.readdirSync(tmp)) fs.chmodSync(path.join(tmp, name), 0o700);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('--output-dir: all or nothing, and safe', () => {
  /** The objects in a stable order (within one kind, files are in name order, standard output in the library's). */
  const sorted = (objs: any[]) => [...objs].sort((a, b) => (`${a.kind}/${a.metadata.name}` < `${b.kind}/${b.metadata.name}` ? -1 : 1));
  const expected = () => sorted(parseManifests(cli(TEMPLATE).stdout));

  test('a new DIR: complete, mode 0777 less the umask, files 0666 less the umask, nothing else left', () => {
    const out = path.join(tmp, 'a', 'b', 'manifests');
    const result = spawnSync('sh', ['-c', 'umask 027 && exec "$0" "$@"', process.execPath, BIN, ...TEMPLATE, '--output-dir', out], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.statSync(out).mode % 0o1000).toBe(0o750);
    const files = fs.readdirSync(out).sort();
    expect(files[0]).toBe('00-customresourcedefinition-atasks.scalr.io.yaml');
    for (const f of files) expect(fs.statSync(path.join(out, f)).mode % 0o1000).toBe(0o640);
    expect(sorted(files.flatMap((f) => parseManifests(fs.readFileSync(path.join(out, f), 'utf8'))))).toEqual(expected());
    // No staging directory is left beside DIR.
    expect(fs.readdirSync(path.dirname(out))).toEqual(['manifests']);
  });

  test('an existing DIR: files replaced keep their mode, other files are left alone, no staging left inside', () => {
    const out = path.join(tmp, 'manifests');
    fs.mkdirSync(out, 0o755);
    fs.writeFileSync(path.join(out, 'keep.yaml'), 'kept: true\n', { mode: 0o644 });
    fs.writeFileSync(path.join(out, '09-secret-pool-agent-job.yaml'), 'old\n', { mode: 0o600 });
    const result = cli([...TEMPLATE, '--output-dir', out]);
    expectOk(result);
    const after = snapshot(out);
    expect(after['keep.yaml']).toEqual({ text: 'kept: true\n', mode: 0o644 });
    expect(after['09-secret-pool-agent-job.yaml']).toMatchObject({ mode: 0o600 });
    expect((after['09-secret-pool-agent-job.yaml'] as any).text).toContain('kind: Secret');
    expect(Object.keys(after).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(fs.statSync(out).mode % 0o1000).toBe(0o755);
    expect(fs.readdirSync(tmp)).toEqual(['manifests']);
  });

  test('an existing DIR is staged inside DIR, not in its parent (DIR may be a mount point)', () => {
    const parent = path.join(tmp, 'locked');
    const out = path.join(parent, 'manifests');
    fs.mkdirSync(out, { recursive: true });
    // A parent where nothing can be created: immutable (also for root), or read-only for others.
    const locked = spawnSync('chattr', ['+i', parent]).status === 0 || (!IS_ROOT && (fs.chmodSync(parent, 0o555), true));
    if (!locked) return; // neither chattr nor a non-root user: nothing to lock the parent with
    expect(() => fs.mkdirSync(path.join(parent, 'probe'))).toThrow();
    expectOk(cli([...TEMPLATE, '--output-dir', out]));
    expect(fs.readdirSync(out)).toContain('28-deployment-scalr-agent.yaml');
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual(['manifests']);
  });

  test('a move that fails puts back what the run moved: DIR ends as it was', () => {
    const out = path.join(tmp, 'manifests');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, '00-customresourcedefinition-atasks.scalr.io.yaml'), 'old crd\n', { mode: 0o640 });
    fs.writeFileSync(path.join(out, '09-secret-pool-agent-job.yaml'), 'old secret\n', { mode: 0o600 });
    fs.writeFileSync(path.join(out, 'keep.yaml'), 'kept\n');
    // A directory where the Deployment's file goes: the rename fails after earlier files were moved.
    fs.mkdirSync(path.join(out, '28-deployment-scalr-agent.yaml'));
    fs.writeFileSync(path.join(out, '28-deployment-scalr-agent.yaml', 'inside'), 'x');
    const before = snapshot(out);
    const result = cli([...TEMPLATE, '--output-dir', out]);
    expectError(result, `--output-dir ${out}: cannot replace ${path.join(out, '28-deployment-scalr-agent.yaml')}: is a directory (EISDIR)`);
    expect(snapshot(out)).toEqual(before);
    expect(fs.readdirSync(path.join(out, '28-deployment-scalr-agent.yaml'))).toEqual(['inside']);
    expect(fs.readdirSync(tmp)).toEqual(['manifests']);
  });

  test('parallel runs into one new DIR all succeed with complete output', async () => {
    const out = path.join(tmp, 'shared', 'manifests');
    const runs = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...TEMPLATE, '--output-dir', out], { env: { ...process.env, NODE_OPTIONS: '' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.resume();
      child.on('close', (status) => resolve({ status, stderr }));
    })));
    expect(runs).toEqual(Array(4).fill({ status: 0, stderr: '' }));
    const files = fs.readdirSync(out).sort();
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    expect(sorted(files.flatMap((f) => parseManifests(fs.readFileSync(path.join(out, f), 'utf8'))))).toEqual(expected());
    expect(fs.readdirSync(path.dirname(out))).toEqual(['manifests']);
  });

  test('two objects for one file name, or a file in the way, change nothing', () => {
    const blocker = path.join(tmp, 'file');
    fs.writeFileSync(blocker, 'x');
    expectError(cli([...TEMPLATE, '--output-dir', path.join(blocker, 'out')]),
      `--output-dir ${path.join(blocker, 'out')}: cannot use ${path.join(blocker, 'out')}: a part of the path is not a directory (ENOTDIR)`);
    expectError(cli([...TEMPLATE, '--output-dir', path.join(blocker, 'a', 'b')]), /^Error: --output-dir .*: cannot use .*: a part of the path is not a directory \(ENOTDIR\)\n$/);
    expect(fs.readdirSync(tmp)).toEqual(['file']);
  });
});

describe('file system errors are one line, fast', () => {
  test.each([
    ['/proc/nope/out', 'cannot create directory /proc/nope: no such file or directory (ENOENT)'],
    ['/proc/nope/a/b/c', 'cannot create directory /proc/nope: no such file or directory (ENOENT)'],
    ['/proc/self/out', /cannot create directory \/proc\/self\/\.out\.tmp-[0-9a-f-]+: no such file or directory \(ENOENT\)/],
  ])('--output-dir %s', (dir, message) => {
    const result = cli([...TEMPLATE, '--output-dir', dir]);
    expectError(result, typeof message === 'string' ? `--output-dir ${dir}: ${message}` : message);
    expect(result.ms).toBeLessThan(15_000);
  });

  test('--output-dir under a read-only parent', () => {
    if (IS_ROOT) {
      // Root writes anywhere but in sysfs.
      const result = cli([...TEMPLATE, '--output-dir', '/sys/scalr-agent-job-test/out']);
      expectError(result, /^Error: --output-dir \/sys\/scalr-agent-job-test\/out: cannot create directory \/sys\/scalr-agent-job-test: operation not permitted \(EPERM\)\n$/);
    } else {
      const parent = path.join(tmp, 'ro');
      fs.mkdirSync(parent, 0o555);
      const result = cli([...TEMPLATE, '--output-dir', path.join(parent, 'out')]);
      expectError(result, /: cannot create directory .*ro\/\.out\.tmp-.*: permission denied \(EACCES\)\n$/);
      expect(fs.readdirSync(parent)).toEqual([]);
    }
  });

  test('standard output on a full disk (> /dev/full): one error line, status 1', () => {
    if (!fs.existsSync('/dev/full')) return;
    const full = fs.openSync('/dev/full', 'w');
    try {
      const result = cli(TEMPLATE, { stdio: ['pipe', full, 'pipe'] });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('Error: cannot write to standard output: no space left on device (ENOSPC)\n');
      const help = cli(['--help'], { stdio: ['pipe', full, 'pipe'] });
      expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 1, stderr: 'Error: cannot write to standard output: no space left on device (ENOSPC)\n' });
    } finally {
      fs.closeSync(full);
    }
  });

  test('a closed pipe (| head) ends the program quietly', () => {
    const result = spawnSync('bash', ['-c', '"$0" "$@" | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}"', process.execPath, BIN, ...TEMPLATE], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('0\n');
  });
});

describe('the code cache of bin/scalr-agent-job never blocks or loops', () => {
  test.each([
    ['XDG_CACHE_HOME in /proc', { XDG_CACHE_HOME: '/proc/scalr-agent-job-nope' }],
    ['XDG_CACHE_HOME in /proc, deeper', { XDG_CACHE_HOME: '/proc/nope/deeper/still' }],
    ['XDG_CACHE_HOME in /sys', { XDG_CACHE_HOME: '/sys/scalr-agent-job-nope' }],
    ['XDG_CACHE_HOME under /dev/null', { XDG_CACHE_HOME: '/dev/null/cache' }],
    ['HOME in /proc', { XDG_CACHE_HOME: '', HOME: '/proc/scalr-agent-job-nope' }],
  ])('%s', (_what, env) => {
    const result = cli(TEMPLATE, { env, timeout: 20_000 });
    expectOk(result);
    expect(result.stdout).toContain('kind: Deployment');
  });

  test('XDG_CACHE_HOME is a file, and the cache file is a FIFO', () => {
    const blocker = path.join(tmp, 'cache-file');
    fs.writeFileSync(blocker, 'x');
    expectOk(cli(TEMPLATE, { env: { XDG_CACHE_HOME: blocker }, timeout: 20_000 }));
    // A first run writes the cache; then every cache file becomes a FIFO (reading one would block).
    const cacheHome = path.join(tmp, 'cache');
    expectOk(cli(['--help'], { env: { XDG_CACHE_HOME: cacheHome } }));
    const dir = path.join(cacheHome, 'cdk8s-scalr-agent-job');
    for (const f of fs.readdirSync(dir)) {
      fs.unlinkSync(path.join(dir, f));
      expect(spawnSync('mkfifo', [path.join(dir, f)]).status).toBe(0);
    }
    const result = cli(['--help'], { env: { XDG_CACHE_HOME: cacheHome }, timeout: 20_000 });
    expect({ status: result.status, signal: result.signal, stderr: result.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  });
});

describe('writeOutputDir, in process (failures injected)', () => {
  // The fs module itself (the namespace import above is read-only): output-dir.ts reads it at each call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const realFs = require('fs') as typeof fs;
  const files = () => new Map([['00-a-x.yaml', 'a\n'], ['03-b-x.yaml', 'b\n'], ['09-c-x.yaml', 'c\n'], ['28-d-x.yaml', 'd\n']]);
  afterEach(() => jest.restoreAllMocks());

  test('a move that fails with EXDEV: the files moved before it are put back', () => {
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, '00-a-x.yaml'), 'old a\n', { mode: 0o600 });
    fs.writeFileSync(path.join(out, 'other.yaml'), 'other\n');
    const before = snapshot(out);
    // The third file is new: it is linked into place; that fails.
    const target = path.join(out, '09-c-x.yaml');
    const link = realFs.linkSync;
    jest.spyOn(realFs, 'linkSync').mockImplementation((from, to) => {
      if (to === target) throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      return link(from, to);
    });
    expect(() => writeOutputDir(out, files())).toThrow(`--output-dir ${out}: cannot create ${target}: on another file system (EXDEV)`);
    expect(snapshot(out)).toEqual(before);
    jest.restoreAllMocks();
    // The same when replacing an existing file fails.
    const existing = path.join(out, '28-d-x.yaml');
    fs.writeFileSync(existing, 'old d\n', { mode: 0o640 });
    const before2 = snapshot(out);
    const rename = realFs.renameSync;
    jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (to === existing) throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      return rename(from, to);
    });
    expect(() => writeOutputDir(out, files())).toThrow(`--output-dir ${out}: cannot replace ${existing}: on another file system (EXDEV)`);
    expect(snapshot(out)).toEqual(before2);
  });

  test('a new DIR that another run creates meanwhile: written as into an existing DIR', () => {
    const out = path.join(tmp, 'new');
    const rename = realFs.renameSync;
    jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (to === out && !fs.existsSync(out)) {
        // The other run wins the race, with a file of its own.
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, '00-a-x.yaml'), 'theirs\n', { mode: 0o644 });
        fs.writeFileSync(path.join(out, 'theirs.yaml'), 'theirs\n');
      }
      return rename(from, to);
    });
    writeOutputDir(out, files());
    expect(Object.keys(snapshot(out))).toEqual(['00-a-x.yaml', '03-b-x.yaml', '09-c-x.yaml', '28-d-x.yaml', 'theirs.yaml']);
    expect(snapshot(out)['00-a-x.yaml']).toEqual({ text: 'a\n', mode: 0o644 });
    expect(fs.readdirSync(tmp)).toEqual(['new']);
  });

  test('a write that fails (a full disk) leaves nothing, also no parent it made', () => {
    const out = path.join(tmp, 'x', 'y', 'out');
    const write = realFs.writeFileSync;
    let calls = 0;
    jest.spyOn(realFs, 'writeFileSync').mockImplementation((...args: any[]) => {
      if (++calls === 2) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      return (write as any)(...args);
    });
    expect(() => writeOutputDir(out, files())).toThrow(/^--output-dir .*: cannot write .*\/03-b-x\.yaml: no space left on device \(ENOSPC\)$/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('a FIFO where a file goes is not replaced (nor read): an error, and everything put back', () => {
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, '00-a-x.yaml'), 'old a\n');
    expect(spawnSync('mkfifo', [path.join(out, '09-c-x.yaml')]).status).toBe(0);
    expect(() => writeOutputDir(out, files())).toThrow(`--output-dir ${out}: cannot replace ${path.join(out, '09-c-x.yaml')}: not a regular file`);
    expect(fs.readdirSync(out).sort()).toEqual(['00-a-x.yaml', '09-c-x.yaml']);
    expect(fs.readFileSync(path.join(out, '00-a-x.yaml'), 'utf8')).toBe('old a\n');
    expect(fs.lstatSync(path.join(out, '09-c-x.yaml')).isFIFO()).toBe(true);
  });

  test('a symbolic link where a file goes is replaced by the file; the link is put back on a failure', () => {
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(tmp, 'elsewhere.yaml'), 'elsewhere\n');
    fs.symlinkSync(path.join(tmp, 'elsewhere.yaml'), path.join(out, '00-a-x.yaml'));
    fs.mkdirSync(path.join(out, '28-d-x.yaml'));
    expect(() => writeOutputDir(out, files())).toThrow(/is a directory \(EISDIR\)/);
    expect(fs.readlinkSync(path.join(out, '00-a-x.yaml'))).toBe(path.join(tmp, 'elsewhere.yaml'));
    fs.rmdirSync(path.join(out, '28-d-x.yaml'));
    writeOutputDir(out, files());
    expect(fs.lstatSync(path.join(out, '00-a-x.yaml')).isFile()).toBe(true);
    // The file the link pointed to is not written through the link.
    expect(fs.readFileSync(path.join(tmp, 'elsewhere.yaml'), 'utf8')).toBe('elsewhere\n');
  });

  test('a file name that is not one path component is refused', () => {
    expect(() => writeOutputDir(path.join(tmp, 'out'), new Map([['../x.yaml', '']]))).toThrow('cannot write an object to the file name "../x.yaml"');
    expect(() => writeOutputDir(path.join(tmp, 'out'), new Map([['.hidden.yaml', '']]))).toThrow(/cannot write an object/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
