import { cdk8s, javascript } from 'projen';

// The peer ranges are open to every 2.x: `test:compat` runs the suite against the newest ones.
const CDK8S_PLUS = 'cdk8s-plus-30@^2.4.10';
// Both task template CRDs (chart 0.5.62's AgentTask, chart 0.6.5's AgentTaskTemplate), as the charts ship them.
const CRD_FILE = 'imports/scalr.io.yaml';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-scalr-agent-job',
  description:
    'cdk8s constructs that run Scalr agent pools on Kubernetes (a typed re-implementation of the agent-job Helm chart)',
  author: 'Scalr agent cdk8s maintainers',
  authorAddress: 'platform@example.com',
  repositoryUrl: 'https://github.com/example/cdk8s-scalr-agent-job.git',
  keywords: ['cdk8s', 'scalr', 'terraform', 'opentofu', 'kubernetes', 'agent'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdk8sVersion: '2.68.12',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  peerDeps: [CDK8S_PLUS],
  // Runtime dependencies of the command-line program; jsii needs them bundled.
  bundledDeps: ['yaml@^2.9.1', 'commander@^14.0.3'],
  devDeps: ['cdk8s-cli@2.207.60', 'esbuild@0.25.9', 'fast-check@^4.11.0', 'ajv@^8.20.0'],

  bin: { 'scalr-agent-job': 'bin/scalr-agent-job' },

  publishToPypi: {
    distName: 'cdk8s-scalr-agent-job',
    module: 'cdk8s_scalr_agent_job',
  },
  publishToGo: {
    moduleName: 'github.com/example/cdk8s-scalr-agent-job-go',
    packageName: 'scalragentjob',
  },

  // No GitHub workflows: CI is `.ci/run` on the project's own machine.
  github: false,
  release: false,

  jestOptions: {
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/test/conformance/', '/examples/'],
      // A temporary directory per run, removed afterwards (cdk8s's Testing.app() makes one per app).
      globalSetup: '<rootDir>/test/support/global-setup.js',
      globalTeardown: '<rootDir>/test/support/global-teardown.js',
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['examples/**/*.ts', 'bench/**/*.ts'],
  },
  gitignore: ['/examples/typescript/dist/', '/.cache/', '/.bench/'],
});

// The task template CRDs are kept as YAML in imports/ and its typed class is generated from it, so
// regenerating after a CRD change is `npx projen import:crd`. The build runs it too, which keeps
// the committed output honest.
const importCrd = project.addTask('import:crd', {
  description: 'Generate src/imports/scalr.io.ts from the task template CRDs in imports/',
  exec: `cdk8s import ${CRD_FILE} --language typescript --output src/imports --no-check-upgrade`,
});
project.preCompileTask.spawn(importCrd);
project.eslint?.addIgnorePattern('src/imports/');

// Layers point one way (docs/design.md): chart and fleet -> constructs -> internal building
// blocks -> options and value types -> core -> generated imports. eslint keeps it so.
const CONSTRUCTS = ['agent-pool', 'buffer-pods', 'cache-persistence', 'controller', 'crd', 'data-persistence',
  'metadata-egress-policy', 'task-template'];
const VALUE_TYPES = ['chart-version', 'release', 'storage', 'tls', 'token'];
const layer = (files: string[], forbidden: string[], message: string) => project.eslint?.addOverride({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
});
const up = (prefix: string, names: string[]) => names.map((n) => `${prefix}${n}`);
project.eslint?.addRules({ 'import/no-cycle': ['error', { ignoreExternal: true }] });
layer(['src/core/**/*.ts'], ['../*', '!../imports/*', '!../core/*'],
  'core/ is the bottom layer: it imports only generated imports/ and other core/ modules.');
layer(['src/versions/**/*.ts', 'src/options/**/*.ts', ...VALUE_TYPES.map((v) => `src/${v}.ts`)],
  ['*/internal/*', '*/helm/*', '*/cli/*', './chart', './fleet', '../chart', '../fleet', ...up('./', CONSTRUCTS), ...up('../', CONSTRUCTS)],
  'options and value types may import only core/, versions/, options/, other value types and imports/.');
layer(['src/internal/**/*.ts'], ['../helm/*', '../cli/*', '../chart', '../fleet', ...up('../', CONSTRUCTS)],
  'internal/ building blocks may import only core/, value types, options and imports/: never a construct, the charts or helm/.');
layer(CONSTRUCTS.map((c) => `src/${c}.ts`), ['./helm/*', './cli/*', './chart', './fleet'],
  'constructs may not import the charts, helm/ or cli/.');
layer(['src/helm/**/*.ts'], ['../cli/*', '../chart', '../fleet'], 'helm/ sits below the charts and the command.');
layer(['src/chart.ts', 'src/fleet.ts'], ['./cli/*'], 'the charts may not import the command.');

// The example installs the packed library, exactly as a user's app installs it from npm.
const synthExample = project.addTask('synth:example', {
  description: 'Pack the library, install it into examples/typescript and synthesize the example to dist/',
});
synthExample.spawn(project.compileTask);
synthExample.exec('npm pack --silent --pack-destination examples/typescript');
synthExample.exec('npm install --no-package-lock --no-audit --no-fund --loglevel=error', { cwd: 'examples/typescript' });
synthExample.exec('npx cdk8s synth --no-check-upgrade', { cwd: 'examples/typescript' });
// jsii-docgen finds every .jsii below the project: an installed copy of this package would
// shadow the one being built and make API.md stale.
synthExample.exec('rm -rf node_modules/cdk8s-scalr-agent-job cdk8s-scalr-agent-job-*.tgz', { cwd: 'examples/typescript' });

// The npm, PyPI and Go packages in dist/ (projen names this task `package-all`), and the test that
// runs the TypeScript, Python and Go examples with them and compares their manifests.
const packageAll = project.addTask('package:all', { description: 'Create the js, python and go packages in dist/ (= package-all)' });
packageAll.spawn(project.tasks.tryFind('package-all')!);
const crossLanguage = project.addTask('test:cross-language', {
  description: 'Run the TypeScript, Python and Go examples with the packages in dist/ and compare their manifests',
  exec: 'test/cross-language/run.sh',
});
// npm pack follows .npmignore, not .gitignore: keep the gitignored local caches out of the tarball
// (and so out of the wheel and the Go module, which embed it).
project.npmignore?.exclude('/.cache/', '/.bench/');

// The command-line program runs from one bundled file (bin/scalr-agent-job loads it with a V8
// code cache): loading the library's modules one by one takes longer than the command's work.
// cdk8s-plus-30 stays outside: only typed structs need it, never the Helm values path.
const bundleCli = project.addTask('bundle:cli', {
  description: 'Bundle the command-line program into lib/cli/bundle.js',
  exec: 'esbuild lib/cli/main.js --bundle --platform=node --target=node20 --minify --external:cdk8s-plus-30 --outfile=lib/cli/bundle.js --log-level=warning',
});
project.postCompileTask.spawn(bundleCli);

// The CLI tests run the compiled command (bin/ -> lib/), as a user runs it.
project.testTask.prependSpawn(bundleCli);
project.testTask.prependSpawn(project.compileTask);

// A real kube-apiserver (built from the k8s.io/kubernetes Go module and cached) checks every
// manifest with server-side dry-run and Pod Security "restricted".
const conformance = project.addTask('test:conformance', {
  description: 'Server-side dry-run of every synthesized manifest against a real kube-apiserver',
});
conformance.exec('bash test/conformance/build-binaries.sh');
conformance.exec("jest --testMatch '<rootDir>/test/conformance/**/*.conformance.ts' --testPathIgnorePatterns /node_modules/ --coverage=false");

// Everything CI runs; the README's test command.
const testAll = project.addTask('test:all', {
  description: 'Compile, unit and reference tests, eslint, the API-server conformance suite and the Python/Go bindings',
});
testAll.spawn(project.compileTask);
testAll.spawn(project.postCompileTask);
// The generated files that are committed must be what the build generates.
testAll.exec('git diff --exit-code --stat -- API.md src/imports || (echo "API.md or src/imports is stale: commit what the build generated" >&2; exit 1)');
// ts-jest only reports type errors of the files a test loads: check every test file.
testAll.exec('tsc --noEmit -p test/tsconfig.json');
testAll.spawn(project.testTask);
testAll.spawn(conformance);
// The unit and reference tests against the newest cdk8s 2.x and cdk8s-plus-30 2.x.
const compat = project.addTask('test:compat', {
  description: 'Run the unit and reference tests against the newest cdk8s 2.x and cdk8s-plus-30 2.x',
  exec: 'test/compat/run.sh',
});
testAll.spawn(compat);
testAll.spawn(packageAll);
testAll.spawn(crossLanguage);
// Every command and snippet of README.md and docs/ run as written, against the built packages.
const docsTask = project.addTask('test:docs', {
  description: 'Run every command and code block of README.md and docs/*.md as written, in a scratch directory',
  exec: 'test/docs/run.sh',
});
testAll.spawn(docsTask);

// Many more generated cases than CI runs (PROPERTY_SEED=<n> for another seed); not part of test:all.
const property = project.addTask('test:property', {
  description: 'The property-based tests with 1,000 cases per property in process and 100 per sample against the API server',
});
property.spawn(project.compileTask);
property.spawn(bundleCli);
property.exec('jest test/property.test.ts --coverage=false', { env: { PROPERTY_RUNS: '1000' } });
property.exec('bash test/conformance/build-binaries.sh');
property.exec("jest --testMatch '<rootDir>/test/conformance/property.conformance.ts' --testPathIgnorePatterns /node_modules/ --coverage=false",
  { env: { PROPERTY_RUNS: '100' } });

const bench = project.addTask('bench', { description: 'Measure the command, library loading and synthesis of 1 to 1,000 pools' });
bench.spawn(project.compileTask);
// The command runs from its bundle: a stale one would be skipped (and the command measured slow).
bench.spawn(bundleCli);
bench.exec('node bench/bench.js');

project.npmignore?.exclude('/examples/', '/bench/', '/imports/', '/.ci/', '/docs/');

project.synth();
