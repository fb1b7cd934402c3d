import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';

const NAME = 'scalr-agent-job';

const TEMPLATE_HELP = `
Values are read as helm reads them: the chart's defaults (agent-job 0.5.62), then each -f file in
order (maps are merged key by key, lists replaced, null removes a key and its default), then
every --set, then every --set-string. Unknown keys and values of the wrong type are errors that
name the key. docs/migration.md lists every key and the differences from the chart.

--set syntax (helm's):
  a.b=c              nested key
  a=1,b=2            several keys in one argument
  a[0].b=c, a[0]=c   list items
  a={x,y}            a list
  a\\.b=c             a backslash escapes the next character (here: the key "a.b"); a=x\\,y gives "x,y"
  --set: true/false are booleans, null removes the key, whole numbers are numbers, the rest strings
  --set-string: every value is a string

Output: the objects as multi-document YAML ("---" before each), in helm's install order, the
AgentTask CRD first with --include-crds. With --output-dir, one file per object,
DIR/<kind>-<name>.yaml (a failure leaves DIR as it was). The same input gives the same bytes.

On an error: one "Error: ..." line on standard error, nothing on standard output, exit status 1.

Examples:
  $ ${NAME} template scalr-agent -n scalr -f values.yaml --include-crds | kubectl apply --server-side -f -
  $ ${NAME} template scalr-agent -n scalr -f values.yaml -f prod.yaml --set agent.replicaCount=2
  $ ${NAME} template scalr-agent --set-string agent.token=$SCALR_TOKEN --set agent.url=https://example.scalr.io
  $ sops -d values.enc.yaml | ${NAME} template scalr-agent -n scalr -f - --output-dir manifests/
`;

function version(): string {
  // lib/cli/program.js and src/cli/program.ts are both two levels below the package root.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return pkg.version;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

interface TemplateFlags {
  readonly namespace: string;
  readonly values?: string[];
  readonly set?: string[];
  readonly setString?: string[];
  readonly includeCrds?: boolean;
  readonly outputDir?: string;
}

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function buildProgram(io: Io, result: { output: string }): Command {
  const program = new Command(NAME)
    .description('Render the Kubernetes objects of a Scalr agent pool (a typed re-implementation of the agent-job Helm chart 0.5.62).')
    .version(version(), '-V, --version', 'print the version')
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
    .addOption(new Option('-f, --values <FILE>', 'a values file (repeatable; later files win; "-" reads standard input)').argParser(collect))
    .addOption(new Option('--set <PATH=VALUE>', 'set values (repeatable; helm syntax, see below)').argParser(collect))
    .addOption(new Option('--set-string <PATH=VALUE>', 'set values as strings (repeatable)').argParser(collect))
    .option('--include-crds', 'include the AgentTask CustomResourceDefinition (atasks.scalr.io)')
    .option('--output-dir <DIR>', 'write one file per object into DIR instead of standard output')
    .addHelpText('after', TEMPLATE_HELP)
    .action(async (release: string, flags: TemplateFlags) => {
      // Loaded here, so that --help and --version do not load cdk8s.
      const { template } = await import('./template.js');
      result.output = template(release, {
        namespace: flags.namespace,
        values: flags.values ?? [],
        set: flags.set ?? [],
        setString: flags.setString ?? [],
        includeCrds: flags.includeCrds ?? false,
        outputDir: flags.outputDir,
      });
    });
  return program;
}

/** Error messages are one line. */
function oneLine(message: string): string {
  return message.trim().replace(/\s*\n\s*/g, ' ');
}

/**
 * Runs the program with these arguments (without `node` and the script).
 * @returns the exit status
 */
export async function run(args: string[], io: Io): Promise<number> {
  const result = { output: '' };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      if (error.code === 'commander.help' || error.code === 'commander.missingCommand') {
        io.stderr(`Error: no command given; run '${NAME} template RELEASE -f values.yaml' (see '${NAME} --help')\n`);
        return 1;
      }
      io.stderr(`Error: ${oneLine(error.message.replace(/^error: /, ''))} (see '${NAME} --help')\n`);
      return 1;
    }
    io.stderr(`Error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
  io.stdout(result.output);
  return 0;
}
