/**
 * Property-based conformance: a sample of VALID generated values (test/support/arbitraries.ts,
 * `validCase`), synthesized through `AgentJobChart.fromHelmValues`, is accepted by a real
 * kube-apiserver (server-side dry-run with strict field validation, Pod Security `restricted`,
 * the Job the controller would create from the task template and bare Pods of every pod
 * template; see check-manifests.ts). Both CRDs are installed, as in reference.conformance.ts.
 *
 * The generator only produces values that meet `restricted` (no hostPath, restricted security
 * contexts, requests within limits), so every case must be accepted entirely.
 *
 * A second sample: HOSTILE generated values (`edgeCase`) that the library accepts all the same;
 * the API server must accept what it writes too (checked at Pod Security `privileged`).
 *
 * Every other case is written by the command's writer (the YAML `scalr-agent-job template`
 * prints), the others by cdk8s (`app.synthYaml()`, what a library user's app writes).
 *
 * Cases: PROPERTY_RUNS per chart version (default 10), from PROPERTY_SEED (default 20261129):
 *   PROPERTY_RUNS=200 PROPERTY_SEED=$RANDOM npx jest --testMatch '<rootDir>/test/conformance/property.conformance.ts' \
 *     --testPathIgnorePatterns /node_modules/ --coverage=false
 * A failing case prints its values: replay it with `AgentJobChart.fromHelmValues`.
 */
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { checkManifests, installCrd, reportResult } from './check-manifests';
import { ControlPlane, startControlPlane } from './control-plane';
import { AgentJobChart, AgentTaskCrd, ChartVersion } from '../../src';
import { compareKinds, toYaml } from '../../src/cli/yaml-out';
import { renderChart } from '../../src/internal/render';
import { VERSION_NAMES, ValuesCase, edgeCase, validCase } from '../support/arbitraries';
import { referenceDir } from '../support/compare';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261129);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 10);

const CRD_NAME: Record<string, string> = { '0.5.62': AgentTaskCrd.NAME, '0.6.5': AgentTaskCrd.TEMPLATE_NAME };
const crdFile = (version: string) => path.join(referenceDir(version), 'crds', `${CRD_NAME[version]}.yaml`);

/** The sample: RUNS valid cases of each version, the same for the same seed. */
const CASES: { title: string; c: ValuesCase; writer: 'command' | 'cdk8s' }[] = VERSION_NAMES.flatMap((version, v) =>
  fc.sample(validCase(version), { seed: SEED + v, numRuns: RUNS }).map((c, i) => ({
    title: `${version} case ${i + 1} of ${RUNS} (seed ${SEED + v}): ${c.notes.join(', ') || 'only the token'}`,
    c,
    writer: i % 2 === 0 ? 'cdk8s' as const : 'command' as const,
  })));

/**
 * HOSTILE values that the library nevertheless accepts (`edgeCase`: limits of ranges, odd but
 * well-typed entries of free-form Kubernetes structures, duplicates, collisions): what it writes
 * must still be accepted by the API server. Pod Security is checked at `privileged` here: such
 * security contexts may legitimately need it; everything else (schemas, field validation) must pass.
 */
const ACCEPTED_HOSTILE: { title: string; c: ValuesCase; writer: 'command' | 'cdk8s' }[] = VERSION_NAMES.flatMap((version, v) => {
  const accepted = fc.sample(edgeCase(version), { seed: SEED + 100 + v, numRuns: 10 * RUNS })
    .filter((c) => {
      try {
        Testing.synth(AgentJobChart.fromHelmValues(new App(), 'pool', {
          values: c.values, version: ChartVersion.of(c.version), releaseName: c.release, namespace: c.namespace, includeCrd: c.includeCrd,
        }));
        return true;
      } catch {
        return false;
      }
    })
    .slice(0, RUNS);
  return accepted.map((c, i) => ({
    title: `${version} accepted edge case ${i + 1} of ${accepted.length} (seed ${SEED + 100 + v}): ${c.notes.join(', ').slice(0, 200)}`,
    c,
    writer: i % 2 === 0 ? 'cdk8s' as const : 'command' as const,
  }));
});

/** The manifest of a case, as the library's user or the command would write it. */
function manifestOf(c: ValuesCase, writer: 'command' | 'cdk8s'): string {
  const app = new App();
  const chart = AgentJobChart.fromHelmValues(app, 'pool', {
    values: c.values, version: ChartVersion.of(c.version), releaseName: c.release, namespace: c.namespace, includeCrd: c.includeCrd,
  });
  if (writer === 'cdk8s') return app.synthYaml();
  return renderChart(chart, { yaml11: false })
    .map((obj: any, index: number) => ({ obj, index }))
    .sort((a: any, b: any) => compareKinds(a.obj.kind, b.obj.kind) || a.index - b.index)
    .map(({ obj }: any) => `---\n${toYaml(obj)}`).join('');
}

jest.setTimeout(120_000);

let cp: ControlPlane;

beforeAll(async () => {
  cp = await startControlPlane();
  for (const version of VERSION_NAMES) installCrd(cp, crdFile(version));
}, 45 * 60 * 1000);

afterAll(async () => {
  await cp?.stop();
}, 60_000);

describe('generated valid values are accepted by the API server at Pod Security restricted', () => {
  test('the sample has the requested size for each chart version', () => {
    for (const version of VERSION_NAMES) expect(CASES.filter((x) => x.c.version === version)).toHaveLength(RUNS);
  });

  test.each(CASES.map((x) => [x.title, x] as const))('%s', (title, { c, writer }) => {
    const yamlText = manifestOf(c, writer);
    const r = checkManifests(cp, title, yamlText);
    reportResult(r);
    if (!r.ok) {
      throw new Error(`${r.summary}\n${r.details}\n(${writer} writer) release ${c.release}, namespace ${c.namespace}, chart ${c.version}, includeCrd ${c.includeCrd}, values:\n${JSON.stringify(c.values, null, 2)}`);
    }
    // The task template's Job and a Pod of each pod template were checked too.
    expect(r.objects.filter((o) => o.origin === 'derived').map((o) => o.kind).sort()).toEqual(['Job', 'Pod', 'Pod']);
  });
});

describe('generated edge values that the library accepts are accepted by the API server (Pod Security privileged)', () => {
  test.each(ACCEPTED_HOSTILE.map((x) => [x.title, x] as const))('%s', (title, { c, writer }) => {
    const yamlText = manifestOf(c, writer);
    const r = checkManifests(cp, title, yamlText, { podSecurityLevel: 'privileged' });
    reportResult(r);
    if (!r.ok) {
      throw new Error(`${r.summary}\n${r.details}\n(${writer} writer) release ${c.release}, namespace ${c.namespace}, chart ${c.version}, includeCrd ${c.includeCrd}, values:\n${JSON.stringify(c.values, null, 2).slice(0, 4000)}`);
    }
  });
});
