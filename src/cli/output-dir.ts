// --output-dir: all files or none. Everything is written into a staging directory on the target's
// file system first, then moved into place; a failure while moving puts back what this run moved.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './errors';
import { describeFsError } from './read-input';

/** How many missing ancestors mkdirp creates at most (a guard: paths are far shorter). */
const MAX_LEVELS = 256;

/** A file system step that failed: what was done, on which path. */
class StepError extends Error {
  constructor(what: string, file: string, reason: unknown) {
    super(`cannot ${what} ${file}: ${describeFsError(reason)}`);
  }
}

function step<T>(what: string, file: string, action: () => T): T {
  try {
    return action();
  } catch (e) {
    throw new StepError(what, file, e);
  }
}

/**
 * Creates a directory and its missing ancestors, like `mkdir -p`, with a bounded number of steps
 * (Node's recursive mkdir loops forever on some paths, such as /proc/nope/out). New directories
 * get mode 0777 less the umask.
 * @returns the directories created, outermost first
 */
export function mkdirp(dir: string): string[] {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (let level = 0; ; level++) {
    let stats: fs.Stats | undefined;
    try {
      stats = fs.statSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StepError('create directory', current, e);
    }
    if (stats) {
      if (!stats.isDirectory()) throw new StepError('create directory', missing[missing.length - 1] ?? current, Object.assign(new Error(), { code: 'ENOTDIR' }));
      break;
    }
    const up = path.dirname(current);
    if (up === current || level >= MAX_LEVELS) throw new StepError('create directory', current, Object.assign(new Error(), { code: 'ENOENT' }));
    missing.push(current);
    current = up;
  }
  const created: string[] = [];
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d, 0o777);
      created.push(d);
    } catch (e) {
      // Made by someone else meanwhile: fine.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && isDirectory(d)) continue;
      removeEmptyDirs(created);
      throw new StepError('create directory', d, e);
    }
  }
  return created;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Removes directories this run created, innermost first, if they are empty. */
function removeEmptyDirs(created: string[]): void {
  for (const d of [...created].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      // not empty (someone else's files) or gone: left alone
    }
  }
}

/** A new directory with a unique name and mode 0777 less the umask (mkdtemp makes 0700). */
function uniqueDir(parent: string, prefix: string): string {
  for (let attempt = 0; ; attempt++) {
    const dir = path.join(parent, `${prefix}${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      fs.mkdirSync(dir, 0o777);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw new StepError('create directory', dir, e);
    }
  }
}

/** Writes the files into a directory; new files get mode 0666 less the umask. */
function writeAll(dir: string, files: Map<string, string>): void {
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    step('write', file, () => fs.writeFileSync(file, text, { flag: 'wx', mode: 0o666 }));
  }
}

/** One move of this run, to undo on failure. */
type Move = { readonly name: string; readonly kind: 'created'; readonly ino: number } | { readonly name: string; readonly kind: 'replaced' };

/**
 * Moves the staged files into the existing directory `target`, one atomic rename each. A file
 * that exists is first hard-linked into the staging directory as a backup, and the new file takes
 * its mode; a new file is linked into place (never over a file someone else created meanwhile).
 * On a failure, the moves are undone in reverse order.
 */
function moveInto(target: string, staging: string, names: string[]): void {
  const backups = path.join(staging, '.backup');
  step('create directory', backups, () => fs.mkdirSync(backups, 0o700));
  const done: Move[] = [];
  try {
    for (const name of names) {
      const from = path.join(staging, name);
      const to = path.join(target, name);
      for (let attempt = 0; ; attempt++) {
        let existing: fs.Stats | undefined;
        try {
          existing = fs.lstatSync(to);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StepError('replace', to, e);
        }
        if (!existing) {
          const ino = step('read', from, () => fs.statSync(from).ino);
          try {
            fs.linkSync(from, to);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            // Created by someone else meanwhile: replace it as an existing file.
            if (code === 'EEXIST' && attempt < 3) continue;
            // A file system without hard links: a rename (which would replace a file created
            // between the check above and now).
            if (code !== undefined && NO_LINKS.includes(code)) step('create', to, () => fs.renameSync(from, to));
            else throw new StepError('create', to, e);
          }
          done.push({ name, kind: 'created', ino });
          break;
        }
        // Only a file or a symbolic link is replaced: a directory, a FIFO, a socket or a device
        // in its place is an error (and everything moved before is put back).
        if (existing.isDirectory()) throw new StepError('replace', to, Object.assign(new Error(), { code: 'EISDIR' }));
        if (!existing.isFile() && !existing.isSymbolicLink()) throw new StepError('replace', to, new Error('not a regular file'));
        // A hard link keeps the old file (or symbolic link) as it is, to put back.
        step('keep a backup of', to, () => backUp(to, path.join(backups, name), existing!));
        // A replaced file keeps its mode.
        const mode = modeOf(to, existing);
        if (mode !== undefined) step('set the mode of', from, () => fs.chmodSync(from, mode));
        step('replace', to, () => fs.renameSync(from, to));
        done.push({ name, kind: 'replaced' });
        break;
      }
    }
  } catch (error) {
    const failures = rollBack(target, backups, done);
    if (failures.length > 0) {
      throw new Error(`${(error as Error).message}; could not put back ${failures.join(', ')}`);
    }
    throw error;
  }
}

/** Errors of link() on file systems without hard links. */
const NO_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS'];

/** Keeps a file (or symbolic link) as it is, to put it back: a hard link, or a copy where there are none. */
function backUp(file: string, backup: string, stats: fs.Stats): void {
  try {
    fs.linkSync(file, backup);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined || !NO_LINKS.includes(code)) throw e;
    if (stats.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(file), backup);
    } else {
      fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(backup, stats.mode % 0o10000);
    }
  }
}

/** The mode a replaced file had (of its target, for a symbolic link); undefined for other kinds of file. */
function modeOf(file: string, stats: fs.Stats): number | undefined {
  if (stats.isFile()) return stats.mode % 0o10000;
  if (!stats.isSymbolicLink()) return undefined;
  try {
    const target = fs.statSync(file);
    return target.isFile() ? target.mode % 0o10000 : undefined;
  } catch {
    return undefined;
  }
}

/** Undoes the moves: restores replaced files from their backups, removes created ones. @returns what could not be undone */
function rollBack(target: string, backups: string, done: Move[]): string[] {
  const failures: string[] = [];
  for (const move of [...done].reverse()) {
    const file = path.join(target, move.name);
    try {
      if (move.kind === 'replaced') {
        fs.renameSync(path.join(backups, move.name), file);
      } else {
        // Only the file this run put there.
        if (fs.lstatSync(file).ino === move.ino) fs.unlinkSync(file);
      }
    } catch {
      failures.push(file);
    }
  }
  return failures;
}

function removeTree(dir: string | undefined): void {
  if (dir === undefined) return;
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 0 });
  } catch {
    // best effort: a staging directory of this run
  }
}

/** Checks the names: one path component each, no hidden or special names. */
function checkNames(files: Map<string, string>, dir: string): void {
  for (const name of files.keys()) {
    if (!/^[a-z0-9][a-zA-Z0-9._-]*\.yaml$/.test(name) || name.length > 255) {
      throw new UsageError(`--output-dir ${dir}: cannot write an object to the file name ${JSON.stringify(name.slice(0, 80))}`);
    }
  }
}

/** Writes into a directory that exists: staged in a hidden directory inside it, then moved. */
function writeIntoExisting(target: string, files: Map<string, string>): void {
  let staging: string | undefined;
  try {
    staging = uniqueDir(target, '.scalr-agent-job-staging-');
    writeAll(staging, files);
    moveInto(target, staging, [...files.keys()]);
  } finally {
    removeTree(staging);
  }
}

/**
 * Writes one file per entry of `files` into `dir`, all or nothing.
 *
 * - A new DIR: its missing parents are made, the files written into a new directory beside it
 *   (`.DIR.tmp-*` in its parent), which is renamed to DIR. If another run made DIR meanwhile, the
 *   files are written as into an existing DIR.
 * - An existing DIR: the files are written into a hidden directory inside DIR (so on DIR's file
 *   system, even when DIR is a mount point), then each moved into place; a file that exists is
 *   replaced (keeping its mode), with a backup that is put back if a later move fails. Files that
 *   this run does not write are left alone.
 *
 * New files get mode 0666 and a new DIR 0777, less the umask. On a failure, DIR is as it was.
 */
export function writeOutputDir(dir: string, files: Map<string, string>): void {
  checkNames(files, dir);
  const target = path.resolve(dir);
  const fail = (e: unknown): never => {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--output-dir ${dir}: ${(e as NodeJS.ErrnoException)?.code === undefined && e instanceof Error ? e.message : describeFsError(e)}`);
  };

  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') fail(new StepError('use', target, e));
  }
  if (existing && !existing.isDirectory()) throw new UsageError(`--output-dir ${dir}: exists and is not a directory`);
  if (existing) {
    try {
      writeIntoExisting(target, files);
    } catch (e) {
      fail(e);
    }
    return;
  }

  let created: string[] = [];
  let staging: string | undefined;
  try {
    const parent = path.dirname(target);
    created = mkdirp(parent);
    staging = uniqueDir(parent, `.${path.basename(target)}.tmp-`);
    writeAll(staging, files);
    try {
      fs.renameSync(staging, target);
      staging = undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Another run made DIR meanwhile.
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && isDirectory(target)) {
        removeTree(staging);
        staging = undefined;
        writeIntoExisting(target, files);
        return;
      }
      throw new StepError('create directory', target, e);
    }
  } catch (e) {
    removeTree(staging);
    removeEmptyDirs(created);
    fail(e);
  }
}
