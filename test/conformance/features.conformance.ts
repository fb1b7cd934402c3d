/**
 * Conformance suite for the library's opt-in features beyond chart 0.5.62
 * (docs/features.md): every case is synthesized in-process with the typed API
 * (`new App()` + `app.synthYaml()`) and server-side dry-run against a real
 * kube-apiserver with PodSecurity enforce/warn = restricted (see
 * ./check-manifests.ts). Any rejection or warning fails the case.
 *
 * Run only this file:
 *   npx jest --testMatch '<rootDir>/test/conformance/**\/features.conformance.ts' \
 *     --testPathIgnorePatterns /node_modules/ --coverage=false
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { checkManifests, CheckOptions, CheckResult, reportResult, describeObject, installCrd, splitDocuments } from './check-manifests';
import { ControlPlane, startControlPlane } from './control-plane';
import {
  AgentJobChart, AgentJobChartProps, AgentPoolFleet, AgentTaskCrd, AgentToken, BufferPods, CaBundle, ClientCertificate,
  ResourceNaming, VolumeStorage,
} from '../../src';

// The hostPath cache records (and would print) a warning at synthesis; case 4 asserts it instead.
process.env.CDK8S_SCALR_SILENCE_WARNINGS = '1';

/**
 * A real self-signed CA certificate (EC P-256, valid until 2126), made once with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
 *     -subj "/CN=cdk8s-scalr-agent-job conformance test CA" \
 *     -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
 * (the private key was thrown away). The first test checks that it parses.
 */
const TEST_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBzzCCAXWgAwIBAgIURWtk2bTITQVdXGqy1oFySu1xTzQwCgYIKoZIzj0EAwIw
NDEyMDAGA1UEAwwpY2RrOHMtc2NhbHItYWdlbnQtam9iIGNvbmZvcm1hbmNlIHRl
c3QgQ0EwIBcNMjYxMTI3MTc1MjU3WhgPMjEyNjExMDMxNzUyNTdaMDQxMjAwBgNV
BAMMKWNkazhzLXNjYWxyLWFnZW50LWpvYiBjb25mb3JtYW5jZSB0ZXN0IENBMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkQH230fQqYldT1AJJI7So8cn1ivJLzLF
MehfNK1VXFdYJPDkZp5cAyiVF2cw94GUYb30PJgVX8Dc6/0ifKhlmKNjMGEwHQYD
VR0OBBYEFPj0xdlFmRixu+vgus2yeHtYbYCzMB8GA1UdIwQYMBaAFPj0xdlFmRix
u+vgus2yeHtYbYCzMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoG
CCqGSM49BAMCA0gAMEUCIQDsBrmt/dD5Vsmqo/+LU5GxK7/hqCd2ytPBnh7Hzi9S
yAIgWcYUEmQ/cbAfKBBn5jF6B3/VcVyElKyEauQYBqXTY8M=
-----END CERTIFICATE-----
`;

// each case takes a few seconds; be generous for slow CI machines
jest.setTimeout(120_000);

let cp: ControlPlane;

beforeAll(async () => {
  // generous: a cold start builds the binaries from source first
  cp = await startControlPlane();
  // The CRD this library synthesizes (the fleet's `crd` chart has the same object).
  const app = new App();
  new AgentTaskCrd(new Chart(app, 'crd'), 'Crd');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'features-conformance-'));
  try {
    const file = path.join(dir, 'atasks.scalr.io.yaml');
    fs.writeFileSync(file, app.synthYaml());
    installCrd(cp, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 45 * 60 * 1000);

afterAll(async () => {
  await cp?.stop();
}, 60_000);

/** Checks one manifest and fails on any rejection or warning, with the objects and messages in the failure. */
function expectAccepted(caseName: string, yamlText: string, opts: CheckOptions = {}): CheckResult {
  const r = checkManifests(cp, caseName, yamlText, opts);
  reportResult(r);
  expect(r.details).toBe('');
  expect(r.ok).toBe(true);
  return r;
}

const envOf = (container: any): Record<string, string> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));

const names = (r: CheckResult, kind: string, origin: 'manifest' | 'derived' = 'manifest') =>
  r.objects.filter((o) => o.kind === kind && o.origin === origin).map((o) => (o.namespace ? `${o.namespace}/${o.name}` : o.name)).sort();

// ---------------------------------------------------------------------------
// case 1: every opt-in feature of one pool at once

const ALL_NS = 'features-all';
const ALL_RELEASE = 'everything';
const ALL_FULLNAME = `${ALL_RELEASE}-agent-job`;

/** Restricted-compliant on its own; seccomp comes from the pod's securityContext (RuntimeDefault). */
const RESTRICTED_CONTAINER: kplus.k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
};

function everythingProps(): AgentJobChartProps {
  return {
    token: AgentToken.fromValue('example-agent-pool-token'),
    releaseName: ALL_RELEASE,
    namespace: ALL_NS,
    resourceNames: ResourceNaming.PER_RELEASE,
    common: {
      labels: { 'team': 'platform', 'cost-center': 'c42' },
      annotations: { 'owner': 'platform@example.com', 'example.com/ticket': 'OPS-1234' },
      proxy: {
        httpProxy: 'http://proxy.internal:3128',
        httpsProxy: 'http://proxy.internal:3128',
        noProxy: ['localhost', '127.0.0.1', '10.0.0.0/8', '.svc', '.cluster.local', 'kubernetes.default.svc'],
      },
      caBundle: CaBundle.fromPem(TEST_CA_PEM),
      clientCertificate: ClientCertificate.fromSecret('scalr-agent-mtls'),
    },
    agent: {
      labels: { 'cost-center': 'controllers' },
      annotations: { 'argocd.argoproj.io/sync-wave': '1' },
      replicas: 2,
      podDisruptionBudget: { minAvailable: 1 },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', minDomains: 2 },
      ],
      providerCache: { enabled: true, sizeLimit: Size.gibibytes(20) },
    },
    task: {
      jobLabels: { 'cost-center': 'terraform-runs' },
      jobAnnotations: { 'example.com/purpose': 'terraform run' },
      podDisruptionBudget: {},
      doNotEvict: true,
      job: { podFailurePolicy: true, backoffLimit: 1 },
      metadataPolicy: { blockIpv6Metadata: true, allowClusterTraffic: true },
      nodeSelector: { 'node-pool': 'runs' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'runs', effect: 'NoSchedule' }],
      extraVolumes: [
        { name: 'shipper-config', configMap: { name: 'log-shipper-config' } },
        { name: 'shared-logs', emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString('1Gi') } },
      ],
      sidecars: [
        {
          name: 'log-shipper',
          image: 'fluent/fluent-bit:3.2',
          // a native sidecar: runs beside the runner and does not keep the Job from completing
          restartPolicy: 'Always',
          securityContext: RESTRICTED_CONTAINER,
          resources: {
            requests: { cpu: kplus.k8s.Quantity.fromString('50m'), memory: kplus.k8s.Quantity.fromString('64Mi') },
            limits: { memory: kplus.k8s.Quantity.fromString('128Mi') },
          },
          volumeMounts: [
            { name: 'shipper-config', mountPath: '/fluent-bit/etc', readOnly: true },
            { name: 'shared-logs', mountPath: '/logs', readOnly: true },
          ],
        },
      ],
      runner: { extraVolumeMounts: [{ name: 'shared-logs', mountPath: '/var/log/runs' }] },
    },
    persistence: {
      cache: VolumeStorage.nfs({ server: 'nfs.internal', path: '/exports/scalr-cache', storage: Size.gibibytes(200), mountOptions: ['nfsvers=4.1', 'hard'] }),
      cacheSubPath: 'team-a',
    },
  };
}

// ---------------------------------------------------------------------------

describe('opt-in features (docs/features.md) synthesized by this library', () => {
  test('the test CA certificate is a real, parseable self-signed CA', () => {
    const cert = new crypto.X509Certificate(TEST_CA_PEM);
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  test('1. one pool with every feature on at once is accepted', () => {
    const app = new App();
    new AgentJobChart(app, 'pool', everythingProps());
    const yamlText = app.synthYaml();
    const r = expectAccepted('1-everything', yamlText);

    // the features really are in what was checked
    expect(r.skipped).toEqual([`CustomResourceDefinition/${AgentTaskCrd.NAME}`]);
    expect(names(r, 'Deployment')).toEqual([`${ALL_NS}/${ALL_FULLNAME}`]);
    expect(names(r, 'AgentTask')).toEqual([`${ALL_NS}/${ALL_FULLNAME}-task`]);
    expect(names(r, 'PodDisruptionBudget')).toEqual([`${ALL_NS}/${ALL_FULLNAME}-agent`, `${ALL_NS}/${ALL_FULLNAME}-task`]);
    expect(names(r, 'PersistentVolume')).toEqual([`${ALL_NS}-${ALL_FULLNAME}-cache`]);
    expect(names(r, 'PersistentVolumeClaim')).toEqual([`${ALL_NS}/${ALL_FULLNAME}-cache`]);
    expect(names(r, 'ClusterRole')).toEqual([`${ALL_NS}-${ALL_FULLNAME}-clusterrole`]);
    expect(names(r, 'Secret')).toEqual([`${ALL_NS}/${ALL_FULLNAME}`, `${ALL_NS}/${ALL_FULLNAME}-ca-bundle`]);
    expect(names(r, 'NetworkPolicy')).toEqual([`${ALL_NS}/${ALL_FULLNAME}-task-network-policy`]);
    // the Job of the AgentTask and the Pods of the Deployment and of that Job
    expect(r.objects.filter((o) => o.origin === 'derived').map((o) => o.kind).sort()).toEqual(['Job', 'Pod', 'Pod']);

    const objects = splitDocuments(yamlText).map((d) => d.obj);
    const agentTask = objects.find((o) => o.kind === 'AgentTask')!;
    const job = agentTask.spec.jobTemplate;
    expect(job.metadata.labels).toMatchObject({ 'team': 'platform', 'cost-center': 'terraform-runs' });
    expect(job.spec.podFailurePolicy.rules).toHaveLength(2);
    expect(job.spec.template.metadata.annotations).toMatchObject({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(job.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['worker', 'log-shipper']);
    const runner = job.spec.template.spec.containers.find((c: any) => c.name === 'runner');
    expect(envOf(runner)).toMatchObject({ HTTPS_PROXY: 'http://proxy.internal:3128', SSL_CERT_FILE: '/etc/ssl/certs/scalr-ca-bundle.crt' });
    expect(envOf(runner).SCALR_AGENT_TLS_CERT_FILE).toBeUndefined(); // the runner never sees the client certificate
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata.labels).toMatchObject({ 'team': 'platform', 'cost-center': 'controllers' });
    expect(deployment.spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    expect(envOf(deployment.spec.template.spec.containers[0])).toMatchObject({
      SCALR_AGENT_KUBERNETES_JOB_TEMPLATE: `${ALL_FULLNAME}-task`, // follows the PER_RELEASE AgentTask name
      SCALR_AGENT_TLS_CERT_FILE: '/etc/scalr-agent/ssl/tls.crt',
      NO_PROXY: 'localhost,127.0.0.1,10.0.0.0/8,.svc,.cluster.local,kubernetes.default.svc',
    });
    const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
    expect(JSON.stringify(policy.spec.egress)).toContain('fd00:ec2::254/128');
  });

  test('2. BufferPods for that pool are accepted (PriorityClass, Deployment, and its Pods pass restricted)', () => {
    const app = new App();
    const pool = new AgentJobChart(app, 'pool', everythingProps());
    new BufferPods(pool, 'Buffer', { taskTemplate: pool.taskTemplate, replicas: 2 });
    const r = expectAccepted('2-buffer-pods', app.synthYaml());

    expect(names(r, 'PriorityClass')).toEqual([`${ALL_NS}-${ALL_FULLNAME}-buffer`]);
    expect(names(r, 'Deployment')).toEqual([`${ALL_NS}/${ALL_FULLNAME}`, `${ALL_NS}/${ALL_FULLNAME}-buffer`]);
    const bufferPod = r.objects.find((o) => o.kind === 'Pod' && o.derivedFrom === `Deployment ${ALL_NS}/${ALL_FULLNAME}-buffer pod template`);
    expect(bufferPod?.status).toBe('accepted');

    // The PriorityClass really is resolved: without it in the manifest the placeholder Pod is refused.
    const withoutClass = splitDocuments(app.synthYaml())
      .filter((d) => d.obj.kind !== 'PriorityClass')
      .map((d) => d.text)
      .join('\n---\n');
    const missing = checkManifests(cp, '2-buffer-pods (negative: PriorityClass left out)', withoutClass);
    reportResult(missing);
    expect(missing.objects.filter((o) => o.status !== 'accepted').map((o) => `${o.status} ${describeObject(o)}`))
      .toEqual([`rejected Pod ${ALL_NS}/${ALL_FULLNAME}-buffer-pod`]);
    expect(missing.details).toMatch(`no PriorityClass with name ${ALL_NS}-${ALL_FULLNAME}-buffer was found`);
  });

  test('3. an AgentPoolFleet of 3 pools and its CRD chart is accepted', () => {
    const app = new App();
    const fleet = new AgentPoolFleet(app, 'fleet', {
      defaultNamespace: 'fleet-shared',
      pools: [
        // two pools in one namespace: per-release names
        { releaseName: 'team-a', props: { token: AgentToken.fromSecretName('team-a-token'), resourceNames: ResourceNaming.PER_RELEASE } },
        {
          releaseName: 'team-b',
          props: {
            token: AgentToken.fromSecretName('team-b-token'),
            resourceNames: ResourceNaming.PER_RELEASE,
            agent: { replicas: 2 },
            task: { podDisruptionBudget: { minAvailable: 1 } },
          },
        },
        // alone in its namespace: the chart 0.5 names are fine
        { releaseName: 'gpu', namespace: 'fleet-gpu', props: { token: AgentToken.fromValue('gpu-pool-token'), task: { nodeSelector: { gpu: 'true' } } } },
      ],
    });
    expect(fleet.crdChart).toBeDefined();
    const r = expectAccepted('3-fleet', app.synthYaml());

    expect(r.skipped).toEqual([`CustomResourceDefinition/${AgentTaskCrd.NAME}`]);
    expect(names(r, 'Deployment')).toEqual(['fleet-gpu/scalr-agent', 'fleet-shared/team-a-agent-job', 'fleet-shared/team-b-agent-job']);
    expect(names(r, 'AgentTask')).toEqual(['fleet-gpu/scalr-agent-task', 'fleet-shared/team-a-agent-job-task', 'fleet-shared/team-b-agent-job-task']);
    expect(names(r, 'ClusterRole')).toEqual([
      'fleet-shared-team-a-agent-job-clusterrole', 'fleet-shared-team-b-agent-job-clusterrole', 'gpu-agent-job-clusterrole',
    ]);
    // one Job per AgentTask; one Pod per Deployment and per Job
    expect(names(r, 'Job', 'derived')).toHaveLength(3);
    expect(names(r, 'Pod', 'derived')).toHaveLength(6);
  });

  /*
   * 4. hostPath needs a looser Pod Security level: the baseline and restricted
   * standards forbid hostPath volumes (docs/features.md says the namespace
   * needs `pod-security.kubernetes.io/enforce: privileged`). So, like the
   * KNOWN_REJECTIONS of reference.conformance.ts, the manifest is checked at
   * level `privileged` (everything accepted) and shown rejected at
   * `restricted`, with exactly the failures and messages expected.
   */
  test('4. a VolumeStorage.hostPath cache is accepted at PodSecurity level privileged (hostPath needs a looser level) and rejected at restricted', () => {
    const ns = 'features-hostpath';
    const app = new App();
    const pool = new AgentJobChart(app, 'pool', {
      token: AgentToken.fromValue('example-agent-pool-token'),
      namespace: ns,
      agent: { providerCache: { enabled: true, sizeLimit: Size.gibibytes(40) } },
      persistence: { cache: VolumeStorage.hostPath('/mnt/nvme/scalr-cache'), cacheSubPath: 'team-a' },
      task: { nodeSelector: { 'node.kubernetes.io/instance-storage': 'nvme' } },
    });
    // the library says so itself
    expect(pool.cache.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data).join('\n'))
      .toMatch(/forbid hostPath volumes: the namespace needs the "privileged" level/);
    const yamlText = app.synthYaml();

    // hostPath needs a looser level: checked at privileged, where everything must be accepted
    const relaxed = expectAccepted('4-host-path-cache (PodSecurity privileged)', yamlText, { podSecurityLevel: 'privileged' });
    expect(relaxed.objects.filter((o) => o.origin === 'derived').map((o) => o.kind).sort()).toEqual(['Job', 'Pod', 'Pod']);

    // ... and genuinely rejected at restricted (and at baseline, which docs/features.md names too):
    // the task Job is warned, its Pod refused, nothing else. The restricted profile reports
    // hostPath through its volume-type check; baseline through its hostPath check.
    const expected: Record<'restricted' | 'baseline', string> = {
      restricted: 'restricted volume types (volume "cache-dir" uses restricted volume type "hostPath")',
      baseline: 'hostPath volumes (volume "cache-dir")',
    };
    for (const level of ['restricted', 'baseline'] as const) {
      const r = checkManifests(cp, `4-host-path-cache (PodSecurity ${level})`, yamlText, { podSecurityLevel: level });
      reportResult(r);
      const failures = r.objects.filter((o) => o.status !== 'accepted');
      expect(failures.map((o) => `${o.status} ${describeObject(o)}`)).toEqual([
        `warned Job ${ns}/atask-conformance`,
        `rejected Pod ${ns}/atask-conformance-pod`,
      ]);
      const [job, pod] = failures;
      expect(job.warnings).toEqual([`would violate PodSecurity "${level}:latest": ${expected[level]}`]);
      expect(pod.error).toBe(
        `Error from server (Forbidden): error when creating "STDIN": pods "atask-conformance-pod" is forbidden: violates PodSecurity "${level}:latest": ${expected[level]}`,
      );
      // the controller (emptyDir cache) is fine at this level
      expect(r.objects.find((o) => o.kind === 'Pod' && o.derivedFrom === `Deployment ${ns}/scalr-agent pod template`)?.status).toBe('accepted');
    }
  });

  test('5. PER_RELEASE pools with the same release name in team-a and team-b are accepted, without cluster-scoped name collisions', () => {
    const app = new App();
    const pools = ['team-a', 'team-b'].map((namespace, i) => {
      const pool = new AgentJobChart(app, namespace, {
        token: AgentToken.fromSecretName('scalr-agent-token'),
        namespace,
        releaseName: 'shared-pool',
        resourceNames: ResourceNaming.PER_RELEASE,
        includeCrd: i === 0, // the CRD is shared: once
        persistence: { cache: VolumeStorage.nfs({ server: '10.0.0.5', path: `/exports/${namespace}`, storage: Size.gibibytes(50) }) },
      });
      new BufferPods(pool, 'Buffer', { taskTemplate: pool.taskTemplate });
      return pool;
    });
    const r = expectAccepted('5-per-release-two-namespaces', app.synthYaml());

    expect(names(r, 'Deployment')).toEqual([
      'team-a/shared-pool-agent-job', 'team-a/shared-pool-agent-job-buffer', 'team-b/shared-pool-agent-job', 'team-b/shared-pool-agent-job-buffer',
    ]);
    // the cluster-scoped objects carry the namespace in their names
    const clusterScoped = r.objects.filter((o) => o.origin === 'manifest' && o.namespace === '').map((o) => `${o.kind}/${o.name}`).sort();
    expect(clusterScoped).toEqual([
      'ClusterRole/team-a-shared-pool-agent-job-clusterrole',
      'ClusterRole/team-b-shared-pool-agent-job-clusterrole',
      'PersistentVolume/team-a-shared-pool-agent-job-cache',
      'PersistentVolume/team-b-shared-pool-agent-job-cache',
      'PriorityClass/team-a-shared-pool-agent-job-buffer',
      'PriorityClass/team-b-shared-pool-agent-job-buffer',
    ]);
    expect(new Set(clusterScoped).size).toBe(clusterScoped.length);

    // Ask the API server too: with team-a's cluster-scoped objects created for real,
    // creating team-b's must not hit AlreadyExists (and creating team-a's again must).
    const clusterObjectsOf = (chart: AgentJobChart) => chart.toJson()
      .filter((o: any) => r.objects.some((x) => x.origin === 'manifest' && x.namespace === '' && x.kind === o.kind && x.name === o.metadata.name))
      .map((o: any) => JSON.stringify(o)).join('\n---\n');
    const [teamA, teamB] = pools.map(clusterObjectsOf);
    const created = cp.kubectl(['create', '-o', 'name', '-f', '-'], teamA);
    try {
      expect(created.stderr).toBe('');
      expect(created.status).toBe(0);
      const second = cp.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], teamB);
      expect(second.stderr).toBe('');
      expect(second.status).toBe(0);
      const again = cp.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], teamA);
      expect(again.status).not.toBe(0);
      expect(again.stderr).toMatch(/AlreadyExists|already exists/);
    } finally {
      cp.kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], teamA);
    }
  });
});
