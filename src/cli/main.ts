// The `scalr-agent-job` command (bin/scalr-agent-job). Only commander is loaded up front: the
// library and cdk8s are loaded by the command that needs them.
import { errorLine, run, safeIo } from './program';
import { describeFsError } from './read-input';

let failed = false;
/** Standard output was closed by its reader (EPIPE): nothing more is written to it. */
let closed = false;

/** Standard error that cannot be written (closed, full) is not worth a crash. */
function writeStderr(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // nowhere left to report it
  }
}
process.stderr.on('error', () => undefined);

// The one writer of standard error: every line goes through core/redact (safeIo).
const io = safeIo({
  stdout: (text) => {
    if (!text || closed) return;
    try {
      process.stdout.write(text);
    } catch (error) {
      outputFailed(error);
    }
  },
  stderr: writeStderr,
});

/**
 * Standard output that cannot be written: a closed pipe (`| head`) ends the program quietly;
 * anything else (a full disk: `> /dev/full`) is one error line and status 1.
 */
function outputFailed(error: unknown): void {
  if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') closed = true;
  if (failed || closed) return;
  failed = true;
  process.exitCode = 1;
  io.stderr(`Error: cannot write to standard output: ${describeFsError(error)}\n`);
}
process.stdout.on('error', outputFailed);

// A last resort: whatever escaped is one line, not a stack trace.
process.on('uncaughtException', (error) => {
  if (failed) return;
  failed = true;
  io.stderr(errorLine(error));
  process.exitCode = 1;
});

void run(process.argv.slice(2), io).then((status) => {
  process.exitCode = failed ? 1 : status;
  // An error line was written: no second one.
  if (status !== 0) failed = true;
}, (error) => {
  if (!failed) io.stderr(errorLine(error));
  failed = true;
  process.exitCode = 1;
});
