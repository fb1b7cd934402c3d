/**
 * Conformance suite: server-side dry-run of the reference manifests of the
 * Scalr agent-job Helm chart 0.5.62 against a real kube-apiserver.
 *
 * Run (after node_modules exist):
 *   npx jest --testMatch '<rootDir>/test/conformance/**\/*.conformance.ts' \
 *     --testPathIgnorePatterns /node_modules/ --coverage=false
 * (--testPathIgnorePatterns is needed because the default jest config ignores
 * /test/conformance/.) The first run builds kube-apiserver/kubectl/etcd from
 * source (minutes); later runs use the cached binaries.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { checkManifests, describeObject, installCrd, reportResult } from './check-manifests';
import { ControlPlane, startControlPlane } from './control-plane';
import { AgentJobChart } from '../../src';
import { TYPED } from '../support/typed-scenarios';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SHARED_REFERENCE = '/work/shared/reference/agent-job-0.5.62';
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'reference');

/**
 * Scenario manifests: the repo's copy (test/fixtures/reference/scenarios/<case>/
 * or test/fixtures/reference/<case>/) when present, else the shared reference.
 */
function scenarioDir(): string {
  const hasManifests = (dir: string) =>
    fs.existsSync(dir) && fs.readdirSync(dir).some((d) => fs.existsSync(path.join(dir, d, 'manifest.yaml')));
  const candidates = [path.join(FIXTURES, 'scenarios'), FIXTURES, path.join(SHARED_REFERENCE, 'scenarios')];
  return candidates.find(hasManifests) ?? candidates[candidates.length - 1];
}

function crdFile(): string {
  const candidates = [
    process.env.SCALR_AGENT_TASK_CRD,
    path.join(REPO_ROOT, 'test', 'fixtures', 'reference', 'crds', 'atasks.scalr.io.yaml'),
    path.join(SHARED_REFERENCE, 'crds', 'atasks.scalr.io.yaml'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`AgentTask CRD not found in ${candidates.join(', ')}`);
  return found;
}

const SCENARIOS_DIR = scenarioDir();
const SCENARIOS = fs
  .readdirSync(SCENARIOS_DIR)
  .filter((d) => fs.existsSync(path.join(SCENARIOS_DIR, d, 'manifest.yaml')))
  .sort();

/**
 * Reference manifests that a real apiserver genuinely rejects, with the
 * exact failures expected. These are not bugs of this test tooling: the
 * scenario's values.yaml sets securityContexts that do not meet the
 * "restricted" Pod Security Standard, and the chart (like F10 in the
 * reference README says) only adds its restricted-compliant default when
 * *no* securityContext is given.
 *
 * 11-extras: `task.worker.securityContext: {allowPrivilegeEscalation: false}`
 * replaces the default, so the worker container lacks
 * `capabilities.drop: [ALL]`; the `task.sidecars` entry `log-shipper` has no
 * securityContext at all. The AgentTask itself is accepted (its jobTemplate is
 * opaque to the CRD schema), but the Job the controller would create gets a
 * PodSecurity warning and its Pod is refused by PodSecurity enforce=restricted.
 * With enforce/warn=baseline everything is accepted.
 */
const KNOWN_REJECTIONS: Record<
  string,
  { failures: string[]; messages: RegExp[]; acceptedAtLevel: 'baseline' | 'privileged' }
> = {
  '11-extras': {
    failures: ['warned Job scalr/atask-conformance', 'rejected Pod scalr/atask-conformance-pod'],
    messages: [
      /PodSecurity "restricted:latest"/,
      /allowPrivilegeEscalation != false \(container "log-shipper" must set securityContext.allowPrivilegeEscalation=false\)/,
      /unrestricted capabilities \(containers "worker", "log-shipper" must set securityContext.capabilities.drop=\["ALL"\]\)/,
    ],
    acceptedAtLevel: 'baseline',
  },
};

// each case takes ~1 s; be generous for slow CI machines
jest.setTimeout(120_000);

let cp: ControlPlane;

beforeAll(async () => {
  // generous: a cold start builds the binaries from source first
  cp = await startControlPlane();
  installCrd(cp, crdFile());
}, 45 * 60 * 1000);

afterAll(async () => {
  await cp?.stop();
}, 60_000);

describe(`reference scenarios (${SCENARIOS_DIR})`, () => {
  test('scenarios found', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(20);
  });

  test.each(SCENARIOS)('%s (reference manifest) is accepted by the apiserver', (scenario) => {
    const yamlText = fs.readFileSync(path.join(SCENARIOS_DIR, scenario, 'manifest.yaml'), 'utf-8');
    expectAccepted(scenario, yamlText);
  });
});

/** What this library synthesizes for each scenario (typed API), and the example app. */
function synthesize(scenario: string): string {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'scenarios.json'), 'utf8')).find((s: any) => s.name === scenario);
  const app = new App();
  new AgentJobChart(app, 'pool', { ...TYPED[scenario], releaseName: meta.release, namespace: meta.namespace });
  return app.synthYaml();
}

describe('manifests synthesized by this library', () => {
  test.each(SCENARIOS)('%s (synthesized) is accepted by the apiserver', (scenario) => {
    expectAccepted(scenario, synthesize(scenario));
  });

  test('the example app is accepted by the apiserver', () => {
    const example = path.join(REPO_ROOT, 'examples', 'typescript', 'main.ts');
    const source = fs.readFileSync(example, 'utf8')
      .replace("from 'cdk8s-scalr-agent-job'", "from '../../src'")
      .replace('app.synth();', 'module.exports = app.synthYaml();');
    const file = path.join(REPO_ROOT, 'test', 'conformance', '.example.generated.ts');
    fs.writeFileSync(file, source);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const yamlText: string = require(file);
      expectAccepted('example', yamlText);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

function expectAccepted(scenario: string, yamlText: string): void {
  const r = checkManifests(cp, scenario, yamlText);
  reportResult(r);
  // every manifest has at least a Deployment and an AgentTask, plus the derived Job and Pods
  expect(r.objects.filter((o) => o.origin === 'derived').map((o) => o.kind).sort()).toEqual(['Job', 'Pod', 'Pod']);
  expect(r.skipped).toEqual(['CustomResourceDefinition/atasks.scalr.io']);

  const known = KNOWN_REJECTIONS[scenario];
  if (!known) {
    expect(r.details).toBe('');
    expect(r.ok).toBe(true);
    return;
  }
  // a documented, genuine rejection: it must be exactly this one
  const failures = r.objects.filter((o) => o.status !== 'accepted');
  expect(failures.map((o) => `${o.status} ${describeObject(o)}`)).toEqual(known.failures);
  for (const f of failures) {
    const text = [f.error ?? '', ...f.warnings].join('\n');
    for (const re of known.messages) expect(text).toMatch(re);
  }
  // ... and nothing else is wrong with the manifest
  const relaxed = checkManifests(cp, `${scenario} (PodSecurity ${known.acceptedAtLevel})`, yamlText, {
    podSecurityLevel: known.acceptedAtLevel,
  });
  reportResult(relaxed);
  expect(relaxed.details).toBe('');
  expect(relaxed.ok).toBe(true);
}

describe('the checker can fail', () => {
  const NS = 'conformance-negative';

  test('invalid PodDisruptionBudgets are rejected', () => {
    const yamlText = `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: both-set
  namespace: ${NS}
spec:
  minAvailable: 1
  maxUnavailable: 1
  selector:
    matchLabels: {app: x}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: bad-percent
  namespace: ${NS}
spec:
  maxUnavailable: "abc%"
  selector:
    matchLabels: {app: x}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: fine
  namespace: ${NS}
spec:
  maxUnavailable: 0
  selector:
    matchLabels: {app: x}
`;
    const r = checkManifests(cp, 'negative-pdb', yamlText);
    reportResult(r);
    const byName = Object.fromEntries(r.objects.map((o) => [o.name, o]));
    expect(r.ok).toBe(false);
    expect(r.accepted).toBe(1);
    expect(r.rejected).toBe(2);
    expect(byName['both-set'].status).toBe('rejected');
    expect(byName['both-set'].error).toMatch(/minAvailable|maxUnavailable/);
    expect(byName['bad-percent'].status).toBe('rejected');
    expect(byName['bad-percent'].error).toMatch(/abc%/);
    expect(byName.fine.status).toBe('accepted');
  });

  test('a Pod violating the restricted Pod Security Standard is rejected, its Deployment warned', () => {
    const yamlText = `
apiVersion: v1
kind: Pod
metadata:
  name: privileged
  namespace: ${NS}
spec:
  containers:
  - name: app
    image: busybox:1.36
    securityContext:
      privileged: true
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: privileged
  namespace: ${NS}
spec:
  selector:
    matchLabels: {app: privileged}
  template:
    metadata:
      labels: {app: privileged}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        securityContext:
          privileged: true
`;
    const r = checkManifests(cp, 'negative-psa', yamlText);
    reportResult(r);
    const find = (kind: string, name: string) => r.objects.find((o) => o.kind === kind && o.name === name);
    expect(r.ok).toBe(false);
    // the bare Pod of the manifest: PodSecurity enforce
    expect(find('Pod', 'privileged')?.status).toBe('rejected');
    expect(find('Pod', 'privileged')?.error).toMatch(/violates PodSecurity "restricted:latest"/);
    // the Deployment: PodSecurity warn
    expect(find('Deployment', 'privileged')?.status).toBe('warned');
    expect(find('Deployment', 'privileged')?.warnings.join('\n')).toMatch(/would violate PodSecurity "restricted:latest"/);
    // the Pod derived from the Deployment's template: PodSecurity enforce
    expect(find('Pod', 'privileged-pod')?.status).toBe('rejected');
    expect(find('Pod', 'privileged-pod')?.derivedFrom).toBe(`Deployment ${NS}/privileged pod template`);
  });

  test('unknown fields are rejected (strict field validation)', () => {
    const r = checkManifests(
      cp,
      'negative-unknown-field',
      `
apiVersion: v1
kind: ConfigMap
metadata:
  name: typo
  namespace: ${NS}
dataa:
  x: y
`,
    );
    reportResult(r);
    expect(r.objects[0].status).toBe('rejected');
    expect(r.objects[0].error).toMatch(/dataa/);
  });
});
