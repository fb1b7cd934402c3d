import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors';
import { ChartVersion } from '../chart-version';
import { redact } from '../core/redact';

const NAME = 'scalr-agent-job';

const TEMPLATE_HELP = `
Values are read as helm reads them: the chart's defaults, then each -f file in order (maps are
merged key by key, lists replaced, null removes a key and its default), then every --set, then
every --set-string. Unknown keys and values of the wrong type are errors that name the key.
docs/migration.md lists every key and the differences from the chart.

Values files: YAML 1.1 as helm reads it (yes/on are booleans, 0755 and 0o755 are octal, dates
stay strings), UTF-8, one document, at most 8 MiB and 1,000,000 YAML tokens (about 100,000
lines of keys and values) each: a file, a pipe such as <(sops -d x.yaml), or standard input with
"-"; directories and devices other than /dev/null are refused. A key twice in one map, tags
other than the standard ones (!!binary, !foo...), nesting deeper than 200 levels and aliases
that repeat more than 1,000,000 values are errors.

--set syntax (helm's):
  a.b=c              nested key
  a=1,b=2            several keys in one argument
  a[0].b=c, a[0]=c   list items
  a={x,y}            a list
  a\\.b=c             a backslash escapes the next character (here: the key "a.b"); a=x\\,y gives "x,y"
  --set: true/false are booleans, null removes the key, whole numbers are numbers, the rest strings
  --set-string: every value is a string
  A syntax error names the option, the argument's number (--set #2), the character and the key;
  never the value.

Output: the objects as multi-document YAML ("---" before each), in helm's install order, the
CRD first with --include-crds. Strings that kubectl's YAML 1.1 reader would take for booleans,
numbers, nulls or dates ("yes", "0755", "0o17", "1e3", "2024-1-2") are double-quoted. The same
input gives the same bytes.

--output-dir DIR: one file per object, DIR/NN-<kind>-<name>.yaml, where NN is the kind's rank
in the install order (00 the CustomResourceDefinition, 03 NetworkPolicy, 07 PodDisruptionBudget,
08 ServiceAccount, 09 Secret, 15 ClusterRole, 19 Role, 21 RoleBinding, 28 Deployment, and 38
other kinds such as the AgentTask custom resource), so that \`kubectl apply -f DIR/\` creates
them in that order. All files or none: they are written into a staging directory first (beside
a new DIR, or hidden inside an existing one) and then moved into place; if a move fails, what
was moved is put back. Files in DIR that this run does not write are left alone. New files get
mode 0666 and a new DIR 0777, less the umask; a replaced file keeps its mode.

On an error: one "Error: ..." line on standard error, nothing on standard output, no file
written, exit status 1. Messages never show the token or other secrets (agent.token,
agent.sentryDsn, global.tls.clientKey, agent.providerNetworkMirrors[*].token).

Examples:
  $ ${NAME} template scalr-agent -n scalr -f values.yaml --include-crds | kubectl apply --server-side -f -
  $ ${NAME} template scalr-agent -n scalr -f values.yaml -f prod.yaml --set agent.replicaCount=2
  $ ${NAME} template scalr-agent --version 0.5.62 --set-string agent.token=$SCALR_TOKEN --set agent.url=https://example.scalr.io
  $ sops -d values.enc.yaml | ${NAME} template scalr-agent -n scalr -f - --output-dir manifests/
`;

function version(): string {
  // lib/cli/program.js and src/cli/program.ts are both two levels below the package root.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return pkg.version;
}

/** Repeated options: one list, appended to in place (10,000 --set arguments in linear time). */
function collect(value: string, previous: string[] | undefined): string[] {
  const list = previous ?? [];
  list.push(value);
  return list;
}

/** The chart versions `template --version` takes, from the library's data (chart-version.ts loads neither cdk8s nor cdk8s-plus). */
const CHART_VERSIONS = ChartVersion.all().map((v) => v.version);
const DEFAULT_CHART_VERSION = ChartVersion.LATEST.version;

function chartVersion(value: string): string {
  if (!CHART_VERSIONS.includes(value)) {
    throw new InvalidArgumentError(`The chart versions supported are ${CHART_VERSIONS.join(' and ')} (the default)`);
  }
  return value;
}

interface TemplateFlags {
  readonly namespace: string;
  readonly values?: string[];
  readonly set?: string[];
  readonly setString?: string[];
  readonly includeCrds?: boolean;
  readonly outputDir?: string;
  readonly version: string;
}

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function buildProgram(io: Io, result: { output: string }): Command {
  const program = new Command(NAME)
    .description('Render the Kubernetes objects of a Scalr agent pool (a typed re-implementation of the agent-job Helm chart).')
    .version(version(), '-V, --version', 'print the version of this program')
    // Options of the program before the command, of the command after it: `template --version`
    // is the chart version.
    .enablePositionalOptions()
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      // Commander's own error output is replaced by one "Error: ..." line.
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true);

  program.command('template')
    .description("Render a release's manifests from helm values files, like `helm template RELEASE agent-job`.")
    .argument('<RELEASE>', 'the release name (as in helm install RELEASE); at most 53 characters')
    .option('-n, --namespace <NS>', 'the namespace of the namespaced objects', 'default')
    .addOption(new Option('-f, --values <FILE>', 'a values file, at most 8 MiB (repeatable; later files win; "-" reads standard input)').argParser(collect))
    .addOption(new Option('--set <PATH=VALUE>', 'set values (repeatable; helm syntax, see below)').argParser(collect))
    .addOption(new Option('--set-string <PATH=VALUE>', 'set values as strings (repeatable)').argParser(collect))
    .option('--include-crds', 'include the CustomResourceDefinition of the task template (agenttasktemplates.scalr.io for 0.6.5, atasks.scalr.io for 0.5.62)')
    .option('--output-dir <DIR>', 'write one file per object into DIR instead of standard output (see below)')
    .addOption(new Option('--version <CHART_VERSION>', `the chart version to render: ${CHART_VERSIONS.join(' or ')}`)
      .default(DEFAULT_CHART_VERSION).argParser(chartVersion))
    .addHelpText('after', TEMPLATE_HELP)
    .action(async (release: string, flags: TemplateFlags) => {
      if (release === '') {
        throw new UsageError('RELEASE: the release name is empty; expected a name such as scalr-agent (as in helm install RELEASE)');
      }
      // Loaded here, so that --help and --version do not load cdk8s.
      const { template } = await import('./template.js');
      result.output = template(release, {
        namespace: flags.namespace,
        values: flags.values ?? [],
        set: flags.set ?? [],
        setString: flags.setString ?? [],
        includeCrds: flags.includeCrds ?? false,
        outputDir: flags.outputDir,
        chartVersion: flags.version,
      });
    });
  return program;
}

/**
 * Error messages are one line, without control characters (a file name or an argument could
 * hold terminal escape sequences): those are shown as \u001b.
 */
function oneLine(message: string): string {
  return message.trim().replace(/\s*[\r\n]+\s*/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Commander quotes the arguments it did not take ('--set-strin=agent.token=...'): what follows an
 * "=" in a quoted argument is not shown, it may be a value.
 */
function withoutValues(message: string): string {
  return message.replace(/'([^'=]*)=[^']*'/g, "'$1=...'");
}

/** The one line shown for an error: never a stack trace. */
export function errorLine(error: unknown): string {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.help' || error.code === 'commander.missingCommand') {
      return `Error: no command given; run '${NAME} template RELEASE -f values.yaml' (see '${NAME} --help')\n`;
    }
    return `Error: ${oneLine(withoutValues(error.message.replace(/^error: /, '')))} (see '${NAME} --help')\n`;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return 'Error: the values are nested too deeply\n';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Error: ${oneLine(message) || 'unknown error'}\n`;
}

const SAFE = Symbol('redacted io');

/**
 * Every line the program writes to standard error goes through here: secrets registered with
 * core/redact (the token, keys) are removed.
 */
export function safeIo(io: Io): Io {
  if ((io as any)[SAFE]) return io;
  return Object.assign({ stdout: io.stdout, stderr: (text: string) => io.stderr(redact(text)) }, { [SAFE]: true });
}

/**
 * Runs the program with these arguments (without `node` and the script).
 * @returns the exit status
 */
export async function run(args: string[], unsafeIo: Io): Promise<number> {
  const io = safeIo(unsafeIo);
  const result = { output: '' };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    io.stderr(errorLine(error));
    return 1;
  }
  io.stdout(result.output);
  return 0;
}
