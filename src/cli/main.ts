// The `scalr-agent-job` command (bin/scalr-agent-job). Only commander is loaded up front: the
// library and cdk8s are loaded by the command that needs them.
import { run } from './program';

// A closed pipe (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

void run(process.argv.slice(2), {
  stdout: (text) => {
    if (text) process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
}).then((status) => {
  process.exitCode = status;
});
