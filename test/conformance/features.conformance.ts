/**
 * Conformance suite for the library's opt-in features beyond the charts
 * (docs/features.md) and for what chart 0.6.5 adds, for both chart versions:
 * every case is synthesized in-process with the typed API (`new App()` +
 * `app.synthYaml()`) and server-side dry-run against a real kube-apiserver
 * with PodSecurity enforce/warn = restricted (see ./check-manifests.ts). Any
 * rejection or warning fails the case, unless the case asserts exactly which
 * objects the server refuses and why.
 *
 * Run only this file:
 *   npx jest --testMatch '<rootDir>/test/conformance/**\/features.conformance.ts' \
 *     --testPathIgnorePatterns /node_modules/ --coverage=false
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { checkManifests, CheckOptions, CheckResult, ObjectResult, reportResult, describeObject, installCrd, splitDocuments } from './check-manifests';
import { ControlPlane, startControlPlane } from './control-plane';
import {
  AgentJobChart, AgentJobChartProps, AgentPoolFleet, AgentTaskCrd, AgentToken, BufferPods, CaBundle, ChartVersion, ClientCertificate,
  ClusterRoleScope, ResourceNaming, StopAction, TaskTemplateResource, VolumeStorage,
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

/**
 * A private key for `ClientCertificate.fromPem`, made for this run (none is kept in the repo).
 * The certificate given with it is TEST_CA_PEM: the API server stores the pair without matching
 * them, which is all a dry-run needs.
 */
const CLIENT_KEY_PEM = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const VERSIONS = [ChartVersion.V0_5_62, ChartVersion.V0_6_5];

// each case takes a few seconds; be generous for slow CI machines
jest.setTimeout(120_000);

let cp: ControlPlane;

beforeAll(async () => {
  // generous: a cold start builds the binaries from source first
  cp = await startControlPlane();
  // The CRDs this library synthesizes (a fleet's `crd` scope has the same objects), both of them.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'features-conformance-'));
  try {
    for (const resource of [TaskTemplateResource.AGENT_TASK, TaskTemplateResource.AGENT_TASK_TEMPLATE]) {
      const app = new App();
      const crd = new AgentTaskCrd(new Chart(app, 'crd'), 'Crd', { resource });
      const file = path.join(dir, `${crd.name}.yaml`);
      fs.writeFileSync(file, app.synthYaml());
      installCrd(cp, file);
    }
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

/** `<status> <Kind> <ns>/<name>` of every object the server did not accept. */
const failuresOf = (r: CheckResult) => r.objects.filter((o) => o.status !== 'accepted').map((o) => `${o.status} ${describeObject(o)}`);

const envOf = (container: any): Record<string, string> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));

const names = (r: CheckResult, kind: string, origin: 'manifest' | 'derived' = 'manifest') =>
  r.objects.filter((o) => o.kind === kind && o.origin === origin).map((o) => (o.namespace ? `${o.namespace}/${o.name}` : o.name)).sort();

/** The derived Pod of a derived Job (or of a manifest workload). */
const podOf = (r: CheckResult, owner: ObjectResult) =>
  r.objects.find((o) => o.kind === 'Pod' && o.derivedFrom === `${describeObject(owner)} pod template`);

/** The derived Job of the pool's task template (AgentTask or AgentTaskTemplate) in a namespace. */
const taskJobOf = (r: CheckResult, namespace: string) => {
  const jobs = r.objects.filter((o) => o.kind === 'Job' && o.origin === 'derived' && o.namespace === namespace);
  expect(jobs).toHaveLength(1);
  return jobs[0];
};

// ---------------------------------------------------------------------------
// case 1: every opt-in feature of one chart 0.5.62 pool at once

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

function everythingProps(scope: Construct): AgentJobChartProps {
  return {
    version: ChartVersion.V0_5_62,
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
      clientCertificate: ClientCertificate.fromSecretName('scalr-agent-mtls'),
      imagePullSecrets: [kplus.Secret.fromSecretName(scope, 'regcred', 'regcred')],
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
// case 6: what chart 0.6.5 adds, with every agent 1 option, in one pool

const NEW_NS = 'features-065';
const NEW_FULLNAME = `${ALL_RELEASE}-scalr-agent`;

/**
 * @param dropCapabilities give the kplus sidecar `capabilities.drop: [ALL]` on top of cdk8s-plus's
 * defaults, so that it meets "restricted" (else it has cdk8s-plus's securityContext only)
 */
function everything065Props(scope: Construct, dropCapabilities = true): AgentJobChartProps {
  const sharedLogs = kplus.Volume.fromEmptyDir(scope, 'shared-logs', 'shared-logs', { sizeLimit: Size.gibibytes(1) });
  const shipperConfig = kplus.Volume.fromConfigMap(scope, 'shipper-config',
    kplus.ConfigMap.fromConfigMapName(scope, 'shipper-config-map', 'log-shipper-config'), { name: 'shipper-config' });
  return {
    version: ChartVersion.V0_6_5,
    token: AgentToken.fromSecretName('scalr-agent-token'),
    releaseName: ALL_RELEASE,
    namespace: NEW_NS,
    common: {
      labels: { team: 'platform' },
      proxy: { httpsProxy: 'http://proxy.internal:3128', noProxy: ['localhost', '.svc', 'kubernetes.default.svc'] },
      caBundle: CaBundle.fromSecretName('corp-ca', 'ca.crt'),
      // inline: the library creates the Secret <fullname>-client-cert
      clientCertificate: ClientCertificate.fromPem(TEST_CA_PEM, CLIENT_KEY_PEM),
      imagePullSecrets: [kplus.Secret.fromSecretName(scope, 'regcred', 'regcred')],
    },
    agent: {
      url: 'https://example.scalr.io',
      replicas: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      providerCache: { enabled: true, sizeLimit: Size.gibibytes(20), concurrency: 4, dropKernelPages: false },
      moduleCache: { enabled: true, sizeLimit: Size.gibibytes(5), concurrency: 2 },
      binaryCache: { sizeLimit: Size.gibibytes(2), threshold: Duration.days(7) },
      providerNetworkMirrors: [{ hostname: 'registry.terraform.io', url: 'https://mirror.internal/providers/' }],
      sentryDsn: 'https://public@sentry.internal/42',
      stop: { controllerAction: StopAction.DRAIN, drainTimeout: Duration.minutes(5), workerAction: StopAction.GRACE_SHUTDOWN },
      controller: { extraEnvVars: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] },
    },
    rbac: { clusterRoleScope: ClusterRoleScope.CLUSTER },
    task: {
      startupTimeout: Duration.minutes(5),
      job: { basename: 'tf-run' },
      podDisruptionBudget: { maxUnavailable: 0 },
      metadataPolicy: { blockIpv6Metadata: true },
      volumes: [shipperConfig],
      sidecarContainers: [{
        name: 'log-shipper',
        image: 'fluent/fluent-bit:3.2',
        securityContext: dropCapabilities ? { capabilities: { drop: [kplus.Capability.ALL] } } : undefined,
        resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
        volumeMounts: [
          { volume: shipperConfig, path: '/fluent-bit/etc', readOnly: true },
          { volume: sharedLogs, path: '/logs', readOnly: true },
        ],
      }],
      runner: { volumeMounts: [{ volume: sharedLogs, path: '/var/log/runs' }], memoryWarnPercent: 85, memorySoftLimitPercent: 75 },
    },
    persistence: {
      cache: VolumeStorage.newClaim({ storage: Size.gibibytes(50), accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY }),
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

  test('1. one chart 0.5.62 pool with every feature on at once is accepted', () => {
    const app = new App();
    new AgentJobChart(app, 'pool', everythingProps(app));
    const yamlText = app.synthYaml();
    const r = expectAccepted('1-everything (0.5.62)', yamlText);

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
    expect(job.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
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

  test.each(VERSIONS.map((v) => [v.version, v] as const))('2. BufferPods for a chart %s pool are accepted (PriorityClass, Deployment, and its Pods pass restricted)', (version, chartVersion) => {
    const app = new App();
    const ns = `features-buffer-${version.replace(/\./g, '-')}`;
    const props = everythingProps(app);
    const pool = new AgentJobChart(app, 'pool', {
      ...props,
      version: chartVersion,
      namespace: ns,
      ...(version === '0.6.5' ? {
        // chart 0.6.5: its own names (CHART_0_6)
        resourceNames: undefined,
        // chart 0.6.5 puts sidecars in `containers`, where `restartPolicy: Always` (a native sidecar
        // with chart 0.5.62) means "restart this container forever" (ContainerRestartRules, beta in
        // Kubernetes 1.35; servers without it drop the field): leave it out
        task: { ...props.task, sidecars: props.task!.sidecars!.map(({ restartPolicy: _native, ...c }) => c) },
      } : {}),
    });
    new BufferPods(pool, 'Buffer', { taskTemplate: pool.taskTemplate, replicas: 2 });
    const yamlText = app.synthYaml();
    const r = expectAccepted(`2-buffer-pods (${version})`, yamlText);

    const fullname = version === '0.6.5' ? NEW_FULLNAME : ALL_FULLNAME;
    expect(names(r, 'PriorityClass')).toEqual([`${ns}-${fullname}-buffer`]);
    expect(names(r, 'Deployment')).toEqual([`${ns}/${fullname}`, `${ns}/${fullname}-buffer`]);
    const bufferPod = r.objects.find((o) => o.kind === 'Pod' && o.derivedFrom === `Deployment ${ns}/${fullname}-buffer pod template`);
    expect(bufferPod?.status).toBe('accepted');

    // The PriorityClass really is resolved: without it in the manifest the placeholder Pod is refused.
    const withoutClass = splitDocuments(yamlText)
      .filter((d) => d.obj.kind !== 'PriorityClass')
      .map((d) => d.text)
      .join('\n---\n');
    const missing = checkManifests(cp, `2-buffer-pods (${version}, negative: PriorityClass left out)`, withoutClass);
    reportResult(missing);
    expect(failuresOf(missing)).toEqual([`rejected Pod ${ns}/${fullname}-buffer-pod`]);
    expect(missing.details).toMatch(`no PriorityClass with name ${ns}-${fullname}-buffer was found`);
  });

  test('3. an AgentPoolFleet of 4 pools of both chart versions, with both CRDs, is accepted', () => {
    const app = new App();
    const fleet = new AgentPoolFleet(app, 'fleet', {
      defaultNamespace: 'fleet-shared',
      pools: [
        // two pools in one namespace, one of each version: per-release names
        {
          releaseName: 'team-a',
          props: { version: ChartVersion.V0_5_62, token: AgentToken.fromSecretName('team-a-token'), resourceNames: ResourceNaming.PER_RELEASE },
        },
        {
          releaseName: 'team-b',
          props: {
            token: AgentToken.fromSecretName('team-b-token'), // the fleet's default version: 0.6.5
            resourceNames: ResourceNaming.PER_RELEASE,
            agent: { replicas: 2 },
            task: { podDisruptionBudget: { minAvailable: 1 } },
          },
        },
        // alone in their namespaces: each chart's own names
        { releaseName: 'gpu', namespace: 'fleet-gpu', props: { token: AgentToken.fromValue('gpu-pool-token-0123456789'), task: { nodeSelector: { gpu: 'true' } } } },
        { releaseName: 'legacy', namespace: 'fleet-legacy', props: { version: ChartVersion.V0_5_62, token: AgentToken.fromValue('legacy-pool-token-0123456789') } },
      ],
    });
    expect(fleet.crds.map((c) => c.name)).toEqual([AgentTaskCrd.NAME, AgentTaskCrd.TEMPLATE_NAME]);
    expect(fleet.pools.map((p) => p.version.version)).toEqual(['0.5.62', '0.6.5', '0.6.5', '0.5.62']);
    const r = expectAccepted('3-fleet (0.5.62 + 0.6.5)', app.synthYaml());

    expect(r.skipped).toEqual([`CustomResourceDefinition/${AgentTaskCrd.NAME}`, `CustomResourceDefinition/${AgentTaskCrd.TEMPLATE_NAME}`]);
    expect(names(r, 'Deployment')).toEqual([
      'fleet-gpu/gpu-scalr-agent', 'fleet-legacy/scalr-agent', 'fleet-shared/team-a-agent-job', 'fleet-shared/team-b-scalr-agent',
    ]);
    expect(names(r, 'AgentTask')).toEqual(['fleet-legacy/scalr-agent-task', 'fleet-shared/team-a-agent-job-task']);
    expect(names(r, 'AgentTaskTemplate')).toEqual(['fleet-gpu/gpu-scalr-agent-task-template', 'fleet-shared/team-b-scalr-agent-task']);
    expect(names(r, 'ClusterRole')).toEqual([
      'fleet-gpu-gpu-scalr-agent-clusterrole', 'fleet-shared-team-a-agent-job-clusterrole', 'fleet-shared-team-b-scalr-agent-clusterrole',
      'legacy-agent-job-clusterrole',
    ]);
    // chart 0.6.5 binds its ClusterRole cluster-wide, chart 0.5.62 in the namespace
    expect(names(r, 'ClusterRoleBinding')).toEqual([
      'fleet-gpu-gpu-scalr-agent-clusterrole-binding', 'fleet-shared-team-b-scalr-agent-clusterrole-binding',
    ]);
    expect(names(r, 'PodDisruptionBudget')).toEqual([
      'fleet-gpu/gpu-scalr-agent-task', 'fleet-shared/team-b-scalr-agent-agent', 'fleet-shared/team-b-scalr-agent-task',
    ]);
    // one Job per task template (named after the AgentTask controller's or the template's basename);
    // one Pod per Deployment and per Job
    expect(names(r, 'Job', 'derived')).toEqual([
      'fleet-gpu/gpu-scalr-agent-conformance', 'fleet-legacy/atask-conformance',
      'fleet-shared/atask-conformance', 'fleet-shared/team-b-scalr-agent-conformance',
    ]);
    expect(names(r, 'Pod', 'derived')).toHaveLength(8);
  });

  /*
   * 4. hostPath needs a looser Pod Security level: the baseline and restricted
   * standards forbid hostPath volumes (docs/features.md says the namespace
   * needs `pod-security.kubernetes.io/enforce: privileged`). So, like the
   * KNOWN_REJECTIONS of reference.conformance.ts, the manifest is checked at
   * level `privileged` (everything accepted) and shown rejected at
   * `restricted`, with exactly the failures and messages expected. With chart
   * 0.6.5 the controller never mounts a hostPath cache (it keeps an emptyDir,
   * and no claim is created), so only the task pod is refused there too.
   */
  test.each(VERSIONS.map((v) => [v.version, v] as const))('4. a VolumeStorage.hostPath cache (chart %s) is accepted at PodSecurity level privileged and rejected at restricted and baseline', (version, chartVersion) => {
    const ns = `features-hostpath-${version.replace(/\./g, '-')}`;
    const app = new App();
    const pool = new AgentJobChart(app, 'pool', {
      version: chartVersion,
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
    const relaxed = expectAccepted(`4-host-path-cache (${version}, PodSecurity privileged)`, yamlText, { podSecurityLevel: 'privileged' });
    expect(relaxed.objects.filter((o) => o.origin === 'derived').map((o) => o.kind).sort()).toEqual(['Job', 'Pod', 'Pod']);
    expect(names(relaxed, 'PersistentVolumeClaim')).toEqual([]);
    const controller = relaxed.objects.find((o) => o.kind === 'Pod' && o.derivedFrom?.startsWith('Deployment '))!;
    expect(controller.server.spec.volumes.find((v: any) => v.name === 'cache-dir')).toMatchObject({ emptyDir: {} });

    // ... and genuinely rejected at restricted (and at baseline, which docs/features.md names too):
    // the task Job is warned, its Pod refused, nothing else. The restricted profile reports
    // hostPath through its volume-type check; baseline through its hostPath check.
    const expected: Record<'restricted' | 'baseline', string> = {
      restricted: 'restricted volume types (volume "cache-dir" uses restricted volume type "hostPath")',
      baseline: 'hostPath volumes (volume "cache-dir")',
    };
    const job = version === '0.6.5' ? 'scalr-agent-conformance' : 'atask-conformance';
    const deployment = 'scalr-agent'; // both charts: release scalr-agent
    for (const level of ['restricted', 'baseline'] as const) {
      const r = checkManifests(cp, `4-host-path-cache (${version}, PodSecurity ${level})`, yamlText, { podSecurityLevel: level });
      reportResult(r);
      expect(failuresOf(r)).toEqual([`warned Job ${ns}/${job}`, `rejected Pod ${ns}/${job}-pod`]);
      const [warnedJob, pod] = r.objects.filter((o) => o.status !== 'accepted');
      expect(warnedJob.warnings).toEqual([`would violate PodSecurity "${level}:latest": ${expected[level]}`]);
      expect(pod.error).toBe(
        `Error from server (Forbidden): error when creating "STDIN": pods "${job}-pod" is forbidden: violates PodSecurity "${level}:latest": ${expected[level]}`,
      );
      // the controller (emptyDir cache) is fine at this level
      expect(r.objects.find((o) => o.kind === 'Pod' && o.derivedFrom === `Deployment ${ns}/${deployment} pod template`)?.status).toBe('accepted');
    }
  });

  test.each(VERSIONS.map((v) => [v.version, v] as const))('5. chart %s PER_RELEASE pools with the same release name in two namespaces are accepted, without cluster-scoped name collisions', (version, chartVersion) => {
    const app = new App();
    const namespaces = ['team-a', 'team-b'].map((t) => `${t}-${version.replace(/\./g, '-')}`);
    const chartName = version === '0.6.5' ? 'scalr-agent' : 'agent-job';
    const fullname = `shared-pool-${chartName}`;
    const pools = namespaces.map((namespace, i) => {
      const pool = new AgentJobChart(app, namespace, {
        version: chartVersion,
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
    const r = expectAccepted(`5-per-release-two-namespaces (${version})`, app.synthYaml());

    expect(names(r, 'Deployment')).toEqual(namespaces.flatMap((ns) => [`${ns}/${fullname}`, `${ns}/${fullname}-buffer`]));
    // the cluster-scoped objects carry the namespace in their names
    const clusterScoped = r.objects.filter((o) => o.origin === 'manifest' && o.namespace === '').map((o) => `${o.kind}/${o.name}`).sort();
    expect(clusterScoped).toEqual([
      ...namespaces.map((ns) => `ClusterRole/${ns}-${fullname}-clusterrole`),
      // chart 0.6.5 binds the ClusterRole cluster-wide (chart 0.5.62 with a RoleBinding)
      ...(version === '0.6.5' ? namespaces.map((ns) => `ClusterRoleBinding/${ns}-${fullname}-clusterrole-binding`) : []),
      ...namespaces.map((ns) => `PersistentVolume/${ns}-${fullname}-cache`),
      ...namespaces.map((ns) => `PriorityClass/${ns}-${fullname}-buffer`),
    ].sort());
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

describe('what chart 0.6.5 adds, synthesized by this library', () => {
  test('6. one chart 0.6.5 pool with every new feature is accepted: ClusterRoleBinding, task PDB, inline client certificate, controller cache claim, kplus sidecar and volumes', () => {
    const app = new App();
    const pool = new AgentJobChart(app, 'pool', everything065Props(app));
    expect(pool.version).toBe(ChartVersion.V0_6_5);
    const yamlText = app.synthYaml();
    const r = expectAccepted('6-everything (0.6.5)', yamlText);
    const ns = NEW_NS;
    const fullname = NEW_FULLNAME;

    expect(r.skipped).toEqual([`CustomResourceDefinition/${AgentTaskCrd.TEMPLATE_NAME}`]);
    expect(names(r, 'Deployment')).toEqual([`${ns}/${fullname}`]);
    expect(names(r, 'AgentTaskTemplate')).toEqual([`${ns}/${fullname}-task-template`]);
    // ClusterRoleScope.CLUSTER: a ClusterRoleBinding, no RoleBinding to the ClusterRole
    expect(names(r, 'ClusterRole')).toEqual([`${ns}-${fullname}-clusterrole`]);
    expect(names(r, 'ClusterRoleBinding')).toEqual([`${ns}-${fullname}-clusterrole-binding`]);
    expect(names(r, 'RoleBinding')).toEqual([`${ns}/${fullname}-role-binding`]);
    // the controller PDB and the task PDB
    expect(names(r, 'PodDisruptionBudget')).toEqual([`${ns}/${fullname}`, `${ns}/${fullname}-task`]);
    // the token comes from an existing Secret; the client certificate is inline: its Secret is created
    expect(names(r, 'Secret')).toEqual([`${ns}/${fullname}-client-cert`]);
    expect(names(r, 'PersistentVolumeClaim')).toEqual([`${ns}/${fullname}-cache`]);
    expect(names(r, 'NetworkPolicy')).toEqual([`${ns}/${fullname}-network-policy`]);
    // the Job of the AgentTaskTemplate (spec.basename tf-run) and the Pods of the Deployment and of that Job
    expect(names(r, 'Job', 'derived')).toEqual([`${ns}/tf-run-conformance`]);
    expect(names(r, 'Pod', 'derived')).toEqual([`${ns}/${fullname}-pod`, `${ns}/tf-run-conformance-pod`]);

    const objects = splitDocuments(yamlText).map((d) => d.obj);
    // the inline client certificate, as the server stored it
    const certSecret = r.objects.find((o) => o.kind === 'Secret' && o.name === `${fullname}-client-cert`)!;
    expect(Object.keys(certSecret.server.data).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(Buffer.from(certSecret.server.data['tls.key'], 'base64').toString()).toBe(CLIENT_KEY_PEM);

    // the controller mounts the cache claim (at <subPath>/cache) and the client certificate
    const controller = podOf(r, r.objects.find((o) => o.kind === 'Deployment')!)!;
    expect(controller.status).toBe('accepted');
    const controllerSpec = controller.server.spec;
    expect(controllerSpec.volumes.find((v: any) => v.name === 'cache-dir')).toEqual({
      name: 'cache-dir', persistentVolumeClaim: { claimName: `${fullname}-cache` },
    });
    expect(controllerSpec.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'cache-dir', mountPath: '/var/lib/scalr-agent/cache', subPath: 'team-a/cache' }),
      expect.objectContaining({ name: 'client-cert', mountPath: '/etc/scalr-agent/ssl', readOnly: true }),
    ]));
    expect(controllerSpec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(controllerSpec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
    ]));

    // the task pod as the server accepted it: the image volume, the kplus sidecar and volumes
    const job = taskJobOf(r, ns);
    const taskPod = podOf(r, job)!;
    expect(taskPod.status).toBe('accepted');
    const spec = taskPod.server.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['runner', 'worker', 'log-shipper']);
    expect(spec.volumes.find((v: any) => v.name === 'worker').image.reference).toBe('scalr/agent:1.4.0');
    expect(spec.volumes.find((v: any) => v.name === 'shipper-config')).toMatchObject({ configMap: { name: 'log-shipper-config' } });
    expect(spec.volumes.find((v: any) => v.name === 'shared-logs')).toMatchObject({ emptyDir: { sizeLimit: '1Gi' } });
    const sidecar = spec.containers.find((c: any) => c.name === 'log-shipper');
    expect(sidecar.securityContext).toMatchObject({ capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, runAsNonRoot: true });
    expect(sidecar.volumeMounts.map((m: any) => `${m.name}:${m.mountPath}`).sort()).toEqual(['shared-logs:/logs', 'shipper-config:/fluent-bit/etc']);
    const runner = spec.containers.find((c: any) => c.name === 'runner');
    expect(runner.volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'shared-logs', mountPath: '/var/log/runs' })]));
    expect(runner.volumeMounts).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'cache-dir', mountPath: '/opt/binary-cache', subPath: 'team-a/cache/binaries' }),
    ]));
    const worker = spec.containers.find((c: any) => c.name === 'worker');
    expect(envOf(worker)).toMatchObject({
      SCALR_AGENT_KUBERNETES_TASK_STARTUP_TIMEOUT_SECONDS: '300',
      SCALR_AGENT_TLS_CERT_FILE: '/etc/scalr-agent/ssl/tls.crt',
      HTTPS_PROXY: 'http://proxy.internal:3128',
    });
    expect(spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    const template = objects.find((o) => o.kind === 'AgentTaskTemplate')!;
    expect(template.spec.basename).toBe('tf-run');
    expect(envOf(objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0])).toMatchObject({
      SCALR_AGENT_KUBERNETES_TASK_TEMPLATE: `${fullname}-task-template`,
      SCALR_AGENT_MODULE_CACHE_ENABLED: 'true',
    });
  });

  /*
   * cdk8s-plus's own container defaults (privileged false, readOnlyRootFilesystem, runAsNonRoot,
   * allowPrivilegeEscalation false) do not drop capabilities, which "restricted" requires: the
   * library drops them all when the props name none, so a kplus sidecar left to the defaults is
   * accepted like the pool's own containers.
   */
  test('6b. a task.sidecarContainers entry left to cdk8s-plus\'s defaults is accepted at restricted (the library drops all capabilities)', () => {
    const app = new App();
    new AgentJobChart(app, 'pool', everything065Props(app, false));
    expectAccepted('6b-kplus-sidecar-defaults (0.6.5)', app.synthYaml());
  });
});
