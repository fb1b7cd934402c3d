// Reading a values source (a file, a pipe or standard input) with a size limit, checked while
// reading: an endless stream (`yes |`, /dev/zero as standard input) stops at the limit.
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './errors';

/** The most a values source (one -f file, or standard input) may hold: 8 MiB. */
export const MAX_VALUES_BYTES = 8 * 1024 * 1024;

const CHUNK = 64 * 1024;

/** Paths that name this process's standard input. */
const STDIN_PATHS = new Set(['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** Whether a -f argument is standard input (`-` or /dev/stdin). */
export function isStdin(file: string): boolean {
  return STDIN_PATHS.has(file) || STDIN_PATHS.has(path.resolve(file));
}

/** How the command names a source in messages. */
export function sourceName(file: string): string {
  return file === '-' ? 'standard input (-)' : file;
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EXDEV: 'on another file system',
  EBADF: 'not open (bad file descriptor)',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  EMFILE: 'too many open files',
  EBUSY: 'busy',
  ETXTBSY: 'text file busy',
  EINVAL: 'invalid argument',
  EFBIG: 'file too large',
};

/** A file system error as words, without Node's syscall and path (the caller names the path). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string') return FS_ERRORS[code] ? `${FS_ERRORS[code]} (${code})` : code;
  return error instanceof Error ? error.message : String(error);
}

/** What a file of this type is, when it cannot be a values source; undefined when it can. */
function refusedType(stats: fs.Stats): string | undefined {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device; expected a file or a pipe';
  if (stats.isSocket()) return 'is a socket; expected a file or a pipe';
  return undefined;
}

function isDevNull(file: string): boolean {
  try {
    return fs.realpathSync(file) === '/dev/null';
  } catch {
    return false;
  }
}

function tooLarge(source: string): UsageError {
  return new UsageError(`values file ${source}: larger than the limit of 8 MiB per values file`);
}

/** Sleeps a few milliseconds (a non-blocking standard input without data yet). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Reads an open descriptor up to the limit; throws as soon as there is more. */
function readBounded(fd: number, source: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, MAX_VALUES_BYTES + 1 - total));
    let n: number;
    try {
      n = fs.readSync(fd, buffer, 0, buffer.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        pause(5);
        continue;
      }
      throw new UsageError(`values file ${source}: cannot read it: ${describeFsError(e)}`);
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_VALUES_BYTES) throw tooLarge(source);
    chunks.push(n === buffer.length ? buffer : buffer.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/**
 * The bytes of a values source: `-` (or /dev/stdin) is standard input, anything else a path. A
 * regular file or a pipe (a FIFO, `<(cmd)`) is read, /dev/null is empty; a directory, another
 * device or a socket is refused before it is opened. At most MAX_VALUES_BYTES are read.
 */
export function readSource(file: string): Buffer {
  const source = sourceName(file);
  if (isStdin(file)) return readBounded(0, source);

  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch (e) {
    throw new UsageError(`values file ${source}: cannot read it: ${describeFsError(e)}`);
  }
  // /dev/null is the one device read: no values (as `helm template -f /dev/null`).
  if (stats.isCharacterDevice() && isDevNull(file)) return Buffer.alloc(0);
  const refused = refusedType(stats);
  if (refused) throw new UsageError(`values file ${source}: cannot read it: ${refused}`);
  if (stats.isFile() && stats.size > MAX_VALUES_BYTES) throw tooLarge(source);

  let fd: number;
  try {
    // Flags are distinct bits: their sum is their union.
    fd = fs.openSync(file, fs.constants.O_RDONLY + (fs.constants.O_NOCTTY ?? 0));
  } catch (e) {
    throw new UsageError(`values file ${source}: cannot read it: ${describeFsError(e)}`);
  }
  try {
    // The path may have been replaced between stat and open.
    const opened = fs.fstatSync(fd);
    const refusedNow = refusedType(opened);
    if (refusedNow) throw new UsageError(`values file ${source}: cannot read it: ${refusedNow}`);
    return readBounded(fd, source);
  } finally {
    fs.closeSync(fd);
  }
}
