/**
 * Conformance suite: server-side dry-run, against a real kube-apiserver, of
 * every reference scenario of the Scalr agent-job Helm chart, for both chart
 * versions the library supports (0.5.62: AgentTask, CRD atasks.scalr.io;
 * 0.6.5: AgentTaskTemplate, CRD agenttasktemplates.scalr.io), three ways:
 *
 *  - the reference manifest.yaml (test/fixtures/agent-job-<version>/scenarios/<name>/);
 *  - what the library synthesizes from the scenario's values.yaml
 *    (`AgentJobChart.fromHelmValues`);
 *  - what the library synthesizes from the typed scenario
 *    (test/support/typed-scenarios.ts for 0.5.62; test/support/typed-scenarios-0.6.5.ts
 *    for 0.6.5, loaded only when that file exists).
 *
 * For each, check-manifests.ts also dry-runs the Job the controller would
 * create from the task template's spec.jobTemplate and a bare Pod from it and
 * from the controller Deployment, under Pod Security "restricted".
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
import { parse as parseYaml } from 'yaml';
import { CheckResult, ObjectResult, checkManifests, describeObject, installCrd, reportResult, splitDocuments } from './check-manifests';
import { ControlPlane, startControlPlane } from './control-plane';
import { AgentJobChart, AgentTaskCrd, ChartVersion } from '../../src';
import { REFERENCE_VERSIONS, Scenario, referenceDir, scenarios } from '../support/compare';
import { TypedScenario, TYPED_0_5_62 } from '../support/typed-scenarios';
import { TYPED_0_6_5 } from '../support/typed-scenarios-0.6.5';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Every chart version has this many reference scenarios: none may be skipped silently. */
const SCENARIO_COUNT = 20;

/** The CRD each chart version installs (the reference's crds/ folder holds exactly it). */
const CRD_NAME: Record<string, string> = { '0.5.62': AgentTaskCrd.NAME, '0.6.5': AgentTaskCrd.TEMPLATE_NAME };
const crdFile = (version: string) => path.join(referenceDir(version), 'crds', `${CRD_NAME[version]}.yaml`);

/** The typed scenarios of each chart version: every reference scenario has one. */
const TYPED: Record<string, Record<string, TypedScenario>> = { '0.5.62': TYPED_0_5_62, '0.6.5': TYPED_0_6_5 };

/** Every scenario of every version, with its test title `<version> <name>`. */
const ALL: { title: string; version: string; scenario: Scenario }[] = REFERENCE_VERSIONS.flatMap((version) =>
  scenarios(version).map((scenario) => ({ title: `${version} ${scenario.name}`, version, scenario })));
const TYPED_CASES = ALL.filter(({ version, scenario }) => TYPED[version]?.[scenario.name] !== undefined);

/** The name of the Job check-manifests derives from the scenario's task template. */
function taskJobName(version: string, yamlText: string): string {
  if (version === '0.5.62') return 'atask-conformance';
  const template = splitDocuments(yamlText).map((d) => d.obj).find((o) => o.kind === 'AgentTaskTemplate');
  return `${template?.spec?.basename}-conformance`;
}

interface KnownRejection {
  /** `<status> <Kind> <namespace>/<name>` of every object that is not accepted, in report order */
  readonly failures: (jobName: string) => string[];
  /** what the server's messages (errors and warnings) of each failure contain */
  readonly messages: RegExp[];
  /** the Pod Security level at which the same manifest is accepted entirely */
  readonly acceptedAtLevel: 'baseline' | 'privileged';
}

/**
 * Scenarios that a real apiserver genuinely rejects, with the exact failures expected, keyed
 * `<version> <scenario>`. They apply to the reference manifest and to the library's output
 * alike (which reproduce each other). These are not bugs of this tooling or of the library:
 * the scenario's values.yaml sets securityContexts that do not meet the "restricted" Pod
 * Security Standard, and the chart (F10 in the 0.5.62 reference README) only adds its
 * restricted-compliant default when *no* securityContext is given.
 *
 * 0.5.62 11-extras: `task.worker.securityContext: {allowPrivilegeEscalation: false}` replaces
 * the default, so the worker container lacks `capabilities.drop: [ALL]`; the `task.sidecars`
 * entry `log-shipper` has no securityContext at all. The AgentTask itself is accepted (its
 * jobTemplate is opaque to the CRD schema), but the Job the controller would create gets a
 * PodSecurity warning and its Pod is refused by PodSecurity enforce=restricted. With
 * enforce/warn=baseline everything is accepted.
 *
 * 0.6.5 11-extras is NOT in this list: its worker keeps the default securityContext (G4) and
 * its sidecar sets `allowPrivilegeEscalation: false`, `capabilities.drop: [ALL]` and
 * `runAsNonRoot: true`, and the server accepts its Job and Pod at restricted (see
 * EXTRA_CHECKS).
 */
const KNOWN_REJECTIONS: Record<string, KnownRejection> = {
  '0.5.62 11-extras': {
    failures: (job) => [`warned Job scalr/${job}`, `rejected Pod scalr/${job}-pod`],
    messages: [
      /PodSecurity "restricted:latest"/,
      /allowPrivilegeEscalation != false \(container "log-shipper" must set securityContext.allowPrivilegeEscalation=false\)/,
      /unrestricted capabilities \(containers "worker", "log-shipper" must set securityContext.capabilities.drop=\["ALL"\]\)/,
    ],
    acceptedAtLevel: 'baseline',
  },
};

/**
 * More assertions for some scenarios, run on each of the three manifests (reference,
 * fromHelmValues, typed) once it passed, keyed `<version> <scenario>`.
 */
const EXTRA_CHECKS: Record<string, (r: CheckResult) => void> = {
  // Unlike 0.5.62 11-extras, the task pod meets "restricted": the server accepts the Job and the
  // Pod, with the log-shipper sidecar as a regular container (so the check really covered it).
  '0.6.5 11-extras': (r) => {
    const job = r.objects.find((o) => o.kind === 'Job' && o.origin === 'derived')!;
    const pod = r.objects.find((o) => o.kind === 'Pod' && o.derivedFrom === `${describeObject(job)} pod template`)!;
    expect(`${job.status} ${describeObject(job)}`).toBe('accepted Job scalr/scalr-agent-conformance');
    expect(`${pod.status} ${describeObject(pod)}`).toBe('accepted Pod scalr/scalr-agent-conformance-pod');
    expect(pod.server.spec.containers.map((c: any) => c.name)).toEqual(['runner', 'worker', 'log-shipper']);
    expect(pod.server.spec.containers[2].securityContext).toMatchObject({ capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false });
  },
};

// each case takes ~1.5 s; be generous for slow CI machines
jest.setTimeout(120_000);

let cp: ControlPlane;

beforeAll(async () => {
  // generous: a cold start builds the binaries from source first
  cp = await startControlPlane();
  // both CRDs, side by side (a cluster upgrading pools from 0.5.62 to 0.6.5 has both)
  for (const version of REFERENCE_VERSIONS) installCrd(cp, crdFile(version));
}, 45 * 60 * 1000);

afterAll(async () => {
  await cp?.stop();
}, 60_000);

interface Expectation {
  /** the CRDs in the manifest (skipped by the checker) */
  readonly crds: string[];
  /** kinds of the derived objects, sorted */
  readonly derived: string[];
}

/** One pool: its CRD, and the task template's Job plus the Pods of the Deployment and of that Job. */
const onePool = (version: string): Expectation => ({ crds: [`CustomResourceDefinition/${CRD_NAME[version]}`], derived: ['Job', 'Pod', 'Pod'] });

/**
 * Checks one manifest at Pod Security "restricted": everything accepted, or exactly the known
 * rejection of the scenario (and then everything accepted at the looser level).
 */
function expectAccepted(title: string, version: string, yamlText: string, expected: Expectation = onePool(version)): CheckResult {
  const r = checkManifests(cp, title, yamlText);
  reportResult(r);
  expect(r.objects.filter((o) => o.origin === 'derived').map((o) => o.kind).sort()).toEqual(expected.derived);
  expect(r.skipped).toEqual(expected.crds);

  const known = KNOWN_REJECTIONS[title];
  if (!known) {
    expect(r.details).toBe('');
    expect(r.ok).toBe(true);
    if (version === '0.6.5') expectImageVolumeKept(r);
    EXTRA_CHECKS[title]?.(r);
    return r;
  }
  // a documented, genuine rejection: it must be exactly this one
  const failures = r.objects.filter((o) => o.status !== 'accepted');
  expect(failures.map((o) => `${o.status} ${describeObject(o)}`)).toEqual(known.failures(taskJobName(version, yamlText)));
  for (const f of failures) {
    const text = [f.error ?? '', ...f.warnings].join('\n');
    for (const re of known.messages) expect(text).toMatch(re);
  }
  // ... and nothing else is wrong with the manifest
  const relaxed = checkManifests(cp, `${title} (PodSecurity ${known.acceptedAtLevel})`, yamlText, {
    podSecurityLevel: known.acceptedAtLevel,
  });
  reportResult(relaxed);
  expect(relaxed.details).toBe('');
  expect(relaxed.ok).toBe(true);
  return r;
}

/**
 * Chart 0.6.5 task pods run the runner from an `image` volume named `worker`: the server must
 * have kept it in the Job and the Pod it accepted (a field of a disabled feature gate would be
 * dropped, or refused, rather than stored).
 */
function expectImageVolumeKept(r: CheckResult): void {
  const fromTemplate = (o: ObjectResult) => o.origin === 'derived' && (o.derivedFrom ?? '').startsWith('AgentTaskTemplate ');
  const jobs = r.objects.filter(fromTemplate);
  expect(jobs.length).toBeGreaterThan(0);
  for (const job of jobs) {
    const pod = r.objects.find((o) => o.kind === 'Pod' && o.derivedFrom === `${describeObject(job)} pod template`);
    for (const [what, spec] of [['Job', job.server?.spec?.template?.spec], ['Pod', pod?.server?.spec]] as const) {
      const worker = (spec?.volumes ?? []).find((v: any) => v.name === 'worker');
      expect({ what, image: worker?.image?.reference }).toEqual({ what, image: expect.stringMatching(/\S/) });
    }
  }
}

/** What the library synthesizes from a scenario's values.yaml. */
function synthFromHelmValues(version: string, scenario: Scenario): string {
  const values = parseYaml(fs.readFileSync(scenario.valuesFile, 'utf8')) ?? {};
  const app = new App();
  AgentJobChart.fromHelmValues(app, 'pool', {
    values, releaseName: scenario.release, namespace: scenario.namespace, version: ChartVersion.of(version),
  });
  return app.synthYaml();
}

/** What the library synthesizes from a typed scenario. */
function synthTyped(version: string, scenario: Scenario): string {
  const app = new App();
  const props = TYPED[version][scenario.name](app);
  expect(props.version).toBe(ChartVersion.of(version));
  new AgentJobChart(app, 'pool', { ...props, releaseName: scenario.release, namespace: scenario.namespace });
  return app.synthYaml();
}

describe('reference scenarios of both chart versions', () => {
  test.each(REFERENCE_VERSIONS)(`chart %s has ${SCENARIO_COUNT} reference scenarios, each with a manifest, and its CRD`, (version) => {
    const list = scenarios(version);
    expect(list).toHaveLength(SCENARIO_COUNT);
    for (const s of list) expect(fs.existsSync(s.manifestFile)).toBe(true);
    expect(fs.existsSync(crdFile(version))).toBe(true);
  });

  test('every known rejection and extra check names a scenario', () => {
    const titles = new Set(ALL.map((c) => c.title));
    expect([...Object.keys(KNOWN_REJECTIONS), ...Object.keys(EXTRA_CHECKS)].filter((t) => !titles.has(t))).toEqual([]);
  });

  test.each(ALL.map((c) => [c.title, c] as const))('%s (reference manifest) is accepted by the apiserver', (title, { version, scenario }) => {
    expectAccepted(title, version, fs.readFileSync(scenario.manifestFile, 'utf-8'));
  });
});

describe('manifests synthesized by this library from the values.yaml (fromHelmValues)', () => {
  test.each(ALL.map((c) => [c.title, c] as const))('%s (fromHelmValues) is accepted by the apiserver', (title, { version, scenario }) => {
    expectAccepted(title, version, synthFromHelmValues(version, scenario));
  });
});

describe('manifests synthesized by this library from the typed scenarios', () => {
  test.each(REFERENCE_VERSIONS)('typed scenarios of chart %s: one for each reference scenario', (version) => {
    expect(Object.keys(TYPED[version]).sort()).toEqual(scenarios(version).map((s) => s.name).sort());
  });

  test.each(TYPED_CASES.map((c) => [c.title, c] as const))('%s (typed) is accepted by the apiserver', (title, { version, scenario }) => {
    expectAccepted(title, version, synthTyped(version, scenario));
  });

  test('the example app (a 0.6.5 pool and a 0.5.62 pool) is accepted by the apiserver', () => {
    const example = path.join(REPO_ROOT, 'examples', 'typescript', 'main.ts');
    const source = fs.readFileSync(example, 'utf8')
      .replace("from 'cdk8s-scalr-agent-job'", "from '../../src'")
      .replace('app.synth();', 'module.exports = app.synthYaml();');
    const file = path.join(REPO_ROOT, 'test', 'conformance', '.example.generated.ts');
    fs.writeFileSync(file, source);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const yamlText: string = require(file);
      const kinds = splitDocuments(yamlText).map((d) => d.obj.kind);
      const pools = kinds.filter((k) => k === 'Deployment').length;
      const r = expectAccepted('example', '', yamlText, {
        crds: splitDocuments(yamlText).filter((d) => d.obj.kind === 'CustomResourceDefinition').map((d) => `CustomResourceDefinition/${d.obj.metadata.name}`),
        derived: [...Array(pools).fill('Job'), ...Array(2 * pools).fill('Pod')],
      });
      expect(kinds.filter((k) => k === 'AgentTask' || k === 'AgentTaskTemplate').sort()).toEqual(['AgentTask', 'AgentTaskTemplate']);
      expectImageVolumeKept(r);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

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

  /*
   * Chart 0.6.5: an AgentTaskTemplate's spec.jobTemplate is opaque to its CRD
   * (x-kubernetes-preserve-unknown-fields), so a broken Job template is stored
   * without complaint: only the Job the controller would create shows it. Three
   * copies of the library's 0.6.5 template (basenames bad-field, bad-value,
   * not-restricted) each break the Job one way.
   */
  test('0.6.5: AgentTaskTemplates whose Job is invalid are stored, but their Jobs (and Pods) are refused', () => {
    const app = new App();
    AgentJobChart.fromHelmValues(app, 'pool', { values: { agent: { token: 'example-agent-pool-token' } }, namespace: NS, version: ChartVersion.V0_6_5, includeCrd: false });
    const objects = splitDocuments(app.synthYaml()).map((d) => d.obj);
    const template = objects.find((o) => o.kind === 'AgentTaskTemplate')!;
    const variant = (basename: string, breakIt: (jobSpec: any) => void) => {
      const copy = JSON.parse(JSON.stringify(template));
      copy.metadata.name = `${basename}-task-template`;
      copy.spec.basename = basename;
      breakIt(copy.spec.jobTemplate.spec);
      return copy;
    };
    const runnerOf = (jobSpec: any) => jobSpec.template.spec.containers.find((c: any) => c.name === 'runner');
    const broken = [
      // a typo: strict field validation refuses the unknown field
      variant('bad-field', (spec) => { spec.backofLimit = 3; }),
      // a value the Job API does not allow
      variant('bad-value', (spec) => { runnerOf(spec).imagePullPolicy = 'Sometimes'; }),
      // valid, but the runner's securityContext no longer meets "restricted"
      variant('not-restricted', (spec) => { delete runnerOf(spec).securityContext.capabilities; }),
    ];
    const yamlText = [...objects.filter((o) => o.kind !== 'AgentTaskTemplate'), ...broken].map((o) => JSON.stringify(o)).join('\n---\n');
    const r = checkManifests(cp, 'negative-0.6.5-task-template', yamlText);
    reportResult(r);
    const find = (kind: string, name: string) => r.objects.find((o) => o.kind === kind && o.name === name)!;
    expect(r.ok).toBe(false);
    // the AgentTaskTemplates themselves are accepted
    for (const t of broken) expect(find('AgentTaskTemplate', t.metadata.name).status).toBe('accepted');
    // ... their Jobs are not
    expect(find('Job', 'bad-field-conformance').status).toBe('rejected');
    expect(find('Job', 'bad-field-conformance').error).toMatch(/unknown field "spec.backofLimit"/);
    expect(find('Job', 'bad-value-conformance').status).toBe('rejected');
    expect(find('Job', 'bad-value-conformance').error).toMatch(/imagePullPolicy: Unsupported value: "Sometimes"/);
    expect(find('Job', 'not-restricted-conformance').status).toBe('warned');
    expect(find('Job', 'not-restricted-conformance').warnings.join('\n'))
      .toMatch(/would violate PodSecurity "restricted:latest": unrestricted capabilities \(container "runner" must set securityContext.capabilities.drop=\["ALL"\]\)/);
    expect(find('Pod', 'bad-value-conformance-pod').status).toBe('rejected');
    expect(find('Pod', 'not-restricted-conformance-pod').status).toBe('rejected');
    expect(find('Pod', 'not-restricted-conformance-pod').error).toMatch(/violates PodSecurity "restricted:latest"/);
    // the typo is in the Job spec, not in the pod template: that Pod is fine
    expect(find('Pod', 'bad-field-conformance-pod').status).toBe('accepted');
    // and nothing else failed
    expect(r.objects.filter((o) => o.status !== 'accepted').map((o) => `${o.status} ${describeObject(o)}`).sort()).toEqual([
      `rejected Job ${NS}/bad-field-conformance`,
      `rejected Job ${NS}/bad-value-conformance`,
      `rejected Pod ${NS}/bad-value-conformance-pod`,
      `rejected Pod ${NS}/not-restricted-conformance-pod`,
      `warned Job ${NS}/not-restricted-conformance`,
    ]);
  });
});
