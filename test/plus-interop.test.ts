/**
 * cdk8s-plus objects in (Secrets, claims, ServiceAccounts, volumes, containers) and out (the token
 * Secret, the ServiceAccount and the task pods as handles for the app's own cdk8s-plus constructs).
 */
import * as fs from 'fs';
import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { parse } from 'yaml';
import { AgentJobChart, AgentPool, AgentToken, CaBundle, ClientCertificate, VolumeStorage } from '../src';
import {
  PoolProps, V0_5_62, V0_6_5, configErrorOf, containerOf, controllerPodOf, envOf, find, findAll, jobSpecOf, objectsOf, pool, synthObjects,
  taskPodOf, token,
} from './support/builders';
import { referenceObjects, referenceScenario } from './support/reference-objects';

/** An app with the user's chart (namespace scalr unless given) and a Chart of another namespace. */
function userApp(namespace = 'scalr') {
  const app = Testing.app();
  return { app, user: new Chart(app, 'user', { namespace }), other: new Chart(app, 'other', { namespace: 'vault' }) };
}
/** A pool (namespace scalr, chart 0.6.5 unless given) in the app. */
const poolIn = (app: App, props: PoolProps) => pool(props, app);
/** How cdk8s-plus renders a pod with these containers and volumes (the oracle for what the pool must render). */
function plusPod(build: (scope: Chart) => kplus.PodProps): any {
  const chart = new Chart(Testing.app(), 'oracle');
  new kplus.Pod(chart, 'pod', build(chart));
  return find(objectsOf(chart), 'Pod').spec;
}
const TASK_SELECTOR = { 'app.kubernetes.io/name': 'scalr-agent', 'app.kubernetes.io/instance': 'scalr-agent', 'app.kubernetes.io/component': 'task' };

describe('AgentToken.fromSecret', () => {
  test('a Secret of the user chart in the pool namespace: its name and key are used and no Secret is created', () => {
    const { app, user } = userApp();
    const secret = new kplus.Secret(user, 'agent-token', { stringData: { value: 'managed-elsewhere' } });
    const objects = objectsOf(poolIn(app, { token: AgentToken.fromSecret(secret, 'value') }));
    expect(findAll(objects, 'Secret')).toEqual([]);
    for (const env of [envOf(containerOf(controllerPodOf(objects), 'controller')), envOf(containerOf(taskPodOf(objects), 'worker'))]) {
      expect(env.SCALR_AGENT_TOKEN.secretKeyRef).toEqual({ name: secret.name, key: 'value', optional: false });
    }
  });

  test('an imported Secret.fromSecretName is fine: it is looked up in the pool namespace', () => {
    const { app, other } = userApp();
    const objects = objectsOf(poolIn(app, { token: AgentToken.fromSecret(kplus.Secret.fromSecretName(other, 'tok', 'pool-token')) }));
    expect(envOf(containerOf(controllerPodOf(objects), 'controller')).SCALR_AGENT_TOKEN.secretKeyRef.name).toBe('pool-token');
  });

  test('a Secret defined in another namespace\'s chart is an error naming token.secret.namespace', () => {
    const { app, other } = userApp();
    const secret = new kplus.Secret(other, 'agent-token', { stringData: { token: 'managed-elsewhere' } });
    const error = configErrorOf(() => poolIn(app, { token: AgentToken.fromSecret(secret) }));
    expect(error.path).toBe('token.secret.namespace');
    expect(error.received).toBe('"vault"');
    expect(error.expected).toContain('"scalr"');
  });

  test('pool.tokenSecret is the Secret given', () => {
    const { app } = userApp();
    const secret = kplus.Secret.fromSecretName(new Chart(app, 'refs'), 'tok', 'pool-token');
    expect(poolIn(app, { token: AgentToken.fromSecret(secret) }).tokenSecret).toBe(secret);
  });
});

describe('CaBundle.fromSecret and ClientCertificate.fromSecret', () => {
  test('mount the cdk8s-plus Secret by name in the pool namespace', () => {
    const { app, user } = userApp();
    const ca = new kplus.Secret(user, 'ca', { stringData: { 'ca.pem': 'x' } });
    const cert = kplus.Secret.fromSecretName(user, 'mtls', 'agent-mtls');
    const objects = objectsOf(poolIn(app, { common: { caBundle: CaBundle.fromSecret(ca, 'ca.pem'), clientCertificate: ClientCertificate.fromSecret(cert) } }));
    for (const pod of [controllerPodOf(objects), taskPodOf(objects)]) {
      expect(pod.volumes.find((v: any) => v.name === 'ca-bundle').secret).toEqual({ secretName: ca.name, items: [{ key: 'ca.pem', path: 'ca.pem' }] });
      expect(pod.volumes.find((v: any) => v.name === 'client-cert').secret.secretName).toBe('agent-mtls');
    }
  });

  test('a Secret of another namespace is an error naming the setting', () => {
    const { app, other } = userApp();
    const secret = new kplus.Secret(other, 'ca', { stringData: { 'ca-bundle.crt': 'x' } });
    expect(configErrorOf(() => poolIn(app, { common: { caBundle: CaBundle.fromSecret(secret) } })).path).toBe('common.caBundle.secret.namespace');
    expect(configErrorOf(() => poolIn(Testing.app(), { common: { clientCertificate: ClientCertificate.fromSecret(secret) } })).path)
      .toBe('common.clientCertificate.secret.namespace');
  });
});

describe('ClientCertificate.fromPem', () => {
  const values = parse(fs.readFileSync(referenceScenario(V0_6_5, '15-proxy-inline-tls').valuesFile, 'utf8')).global.tls;
  /** The base64 body of the scenario's private key (between the BEGIN and END lines). */
  const KEY_BODY: string = values.clientKey.split('\n')[1];

  test('creates the Secret <fullname>-client-cert of the reference 15-proxy-inline-tls and mounts it', () => {
    const objects = objectsOf(pool({ common: { clientCertificate: ClientCertificate.fromPem(values.clientCert, values.clientKey) } }));
    const expected = find(referenceObjects(V0_6_5, '15-proxy-inline-tls'), 'Secret', 'scalr-agent-client-cert');
    const actual = find(objects, 'Secret', 'scalr-agent-client-cert');
    expect([actual.type, actual.data]).toEqual([expected.type, expected.data]);
    expect(controllerPodOf(objects).volumes.find((v: any) => v.name === 'client-cert').secret.secretName).toBe('scalr-agent-client-cert');
  });

  test('keeps the private key out of its JSON form and of the messages of later errors', () => {
    const certificate = ClientCertificate.fromPem(values.clientCert, values.clientKey);
    expect(JSON.stringify(certificate)).not.toContain(KEY_BODY);
    const error = configErrorOf(() => pool({ common: { clientCertificate: certificate }, task: { extraVolumes: [{ name: 'client-cert', emptyDir: {} }] } }));
    expect(error.path).toBe('task.extraVolumes[0].name');
    expect(`${error.message} ${error.stack}`).not.toContain(KEY_BODY);
  });

  test('rejects a private key that is not PEM without showing it', () => {
    const error = configErrorOf(() => ClientCertificate.fromPem(values.clientCert, 'not-a-key-but-still-secret-material'));
    expect(error.message).toBe('common.clientCertificate.privateKey: got (redacted); expected a PEM private key ("-----BEGIN PRIVATE KEY-----" ... "-----END PRIVATE KEY-----")');
  });

  test('shows no part of the private key when it is given as the certificate (arguments swapped)', () => {
    const error = configErrorOf(() => ClientCertificate.fromPem(values.clientKey, values.clientKey));
    expect(error.path).toBe('common.clientCertificate.certificate');
    // Any part of the key body is part of the key: here its first ten characters.
    expect(error.message).not.toContain(KEY_BODY.slice(0, 10));
  });
});

describe('VolumeStorage.fromClaim', () => {
  test('uses the name of a claim of the user chart in the pool namespace, and creates none', () => {
    const { app, user } = userApp();
    const claim = new kplus.PersistentVolumeClaim(user, 'cache', { storage: Size.gibibytes(50), accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY] });
    const objects = objectsOf(poolIn(app, { persistence: { cache: VolumeStorage.fromClaim(claim), cacheSubPath: 'team-a' } }));
    expect(findAll(objects, 'PersistentVolumeClaim')).toEqual([]);
    expect(taskPodOf(objects).volumes.find((v: any) => v.name === 'cache-dir')).toEqual({ name: 'cache-dir', persistentVolumeClaim: { claimName: claim.name } });
    expect(containerOf(taskPodOf(objects), 'worker').volumeMounts.find((m: any) => m.name === 'cache-dir').subPath).toBe('team-a/cache');
  });

  test('an imported claim is fine, a claim of another namespace is an error naming the setting', () => {
    const { app, other } = userApp();
    const imported = kplus.PersistentVolumeClaim.fromClaimName(other, 'data', 'team-a-data');
    expect(taskPodOf(objectsOf(poolIn(app, { persistence: { data: VolumeStorage.fromClaim(imported) } })))
      .volumes.find((v: any) => v.name === 'data-dir').persistentVolumeClaim.claimName).toBe('team-a-data');
    const foreign = new kplus.PersistentVolumeClaim(other, 'foreign', { storage: Size.gibibytes(5) });
    const error = configErrorOf(() => poolIn(Testing.app(), { persistence: { data: VolumeStorage.fromClaim(foreign) } }));
    expect([error.path, error.received]).toEqual(['persistence.data.claim.namespace', '"vault"']);
  });
});

describe('serviceAccount.existing', () => {
  test('creates no ServiceAccount and uses its name in both pods and every RBAC subject', () => {
    const { app, user } = userApp();
    const sa = kplus.ServiceAccount.fromServiceAccountName(user, 'sa', 'ci-runner');
    const chart = poolIn(app, { serviceAccount: { existing: sa } });
    const objects = objectsOf(chart);
    expect(findAll(objects, 'ServiceAccount')).toEqual([]);
    expect(controllerPodOf(objects).serviceAccountName).toBe('ci-runner');
    expect(taskPodOf(objects).serviceAccountName).toBe('ci-runner');
    const bindings = [...findAll(objects, 'RoleBinding'), ...findAll(objects, 'ClusterRoleBinding')];
    expect(bindings).toHaveLength(2);
    for (const b of bindings) expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'ci-runner', namespace: 'scalr' }]);
    expect(chart.serviceAccount).toBe(sa);
  });

  test('a ServiceAccount defined in the user chart of the pool namespace is fine', () => {
    const { app, user } = userApp();
    const sa = new kplus.ServiceAccount(user, 'runner');
    expect(controllerPodOf(objectsOf(poolIn(app, { serviceAccount: { existing: sa } }))).serviceAccountName).toBe(sa.name);
  });

  test('is an error with create: true or a name, and from another namespace', () => {
    const { app, other } = userApp();
    const sa = kplus.ServiceAccount.fromServiceAccountName(other, 'sa', 'ci-runner');
    expect(configErrorOf(() => poolIn(app, { serviceAccount: { existing: sa, create: true } })).path).toBe('serviceAccount.create');
    expect(configErrorOf(() => poolIn(Testing.app(), { serviceAccount: { existing: sa, name: 'other' } })).path).toBe('serviceAccount.name');
    const foreign = new kplus.ServiceAccount(other, 'foreign');
    expect(configErrorOf(() => poolIn(Testing.app(), { serviceAccount: { existing: foreign } })).path).toBe('serviceAccount.existing.namespace');
  });
});

describe('common.imagePullSecrets', () => {
  test('kplus Secrets reach the controller and task pods by name', () => {
    const { app, user } = userApp();
    const objects = objectsOf(poolIn(app, {
      common: { imagePullSecrets: [kplus.Secret.fromSecretName(user, 'regcred', 'regcred'), kplus.Secret.fromSecretName(user, 'mirror', 'mirror-cred')] },
    }));
    for (const pod of [controllerPodOf(objects), taskPodOf(objects)]) expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'mirror-cred' }]);
  });

  test('a Secret of another namespace is an error naming its index', () => {
    const { app, other } = userApp();
    const secret = new kplus.Secret(other, 'regcred', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{}' } });
    expect(configErrorOf(() => poolIn(app, { common: { imagePullSecrets: [secret] } })).path).toBe('common.imagePullSecrets[0].namespace');
  });
});

describe('cdk8s-plus volumes and containers in the task pod', () => {
  test('task.volumes: a kplus volume is rendered as cdk8s-plus renders it', () => {
    const { app, user } = userApp();
    const volume = kplus.Volume.fromConfigMap(user, 'ca', kplus.ConfigMap.fromConfigMapName(user, 'cm', 'corp-ca'), { name: 'corp-ca' });
    const expected = plusPod((scope) => ({
      containers: [{ image: 'busybox' }], volumes: [kplus.Volume.fromConfigMap(scope, 'ca', kplus.ConfigMap.fromConfigMapName(scope, 'cm', 'corp-ca'), { name: 'corp-ca' })],
    })).volumes;
    expect(taskPodOf(objectsOf(poolIn(app, { task: { volumes: [volume] } }))).volumes.filter((v: any) => v.name === 'corp-ca')).toEqual(expected);
  });

  test('task.extraVolumes: a kplus volume there is rendered with its source, not just its name', () => {
    const { app, user } = userApp();
    const volume = kplus.Volume.fromSecret(user, 'creds', kplus.Secret.fromSecretName(user, 's', 'cloud-creds'), { name: 'creds', defaultMode: 0o400 });
    const rendered = taskPodOf(objectsOf(poolIn(app, { task: { extraVolumes: [volume as unknown as kplus.k8s.Volume] } })))
      .volumes.find((v: any) => v.name === 'creds');
    expect(rendered).toEqual({ name: 'creds', secret: { secretName: 'cloud-creds', defaultMode: 0o400 } });
  });

  const sidecar = (scope: Chart): kplus.ContainerProps => ({
    name: 'shipper',
    image: 'fluent/fluent-bit:3.0',
    volumeMounts: [{ volume: kplus.Volume.fromEmptyDir(scope, 'scratch', 'scratch'), path: '/scratch' }],
  });

  test.each([
    ['0.5.62', 'initContainers', ['worker', 'shipper'], V0_5_62],
    ['0.6.5', 'containers', ['runner', 'worker', 'shipper'], V0_6_5],
  ])('%s: task.sidecarContainers are rendered completely with cdk8s-plus defaults, in %s after the worker, with their volume', (_v, slot, order, version) => {
    const { app, user } = userApp();
    const pod = taskPodOf(objectsOf(poolIn(app, { version, task: { sidecarContainers: [sidecar(user)] } })));
    const expected = plusPod((scope) => ({ containers: [sidecar(scope)] }));
    expect(pod[slot as string].map((c: any) => c.name)).toEqual(order);
    // As cdk8s-plus renders it, with all capabilities dropped (which cdk8s-plus's defaults keep):
    // the task pod meets the "restricted" Pod Security Standard.
    const { securityContext, ...rest } = containerOf(pod, 'shipper');
    const { securityContext: plusSecurityContext, ...plusRest } = expected.containers[0];
    expect(rest).toEqual(plusRest);
    expect(plusSecurityContext.capabilities).toBeUndefined();
    expect(securityContext).toEqual({ ...plusSecurityContext, capabilities: { drop: ['ALL'] } });
    expect(securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(pod.volumes.filter((v: any) => v.name === 'scratch')).toEqual(expected.volumes);
  });

  test('task.sidecarContainers keep the capabilities the props name', () => {
    const { app, user } = userApp();
    const props = { ...sidecar(user), securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE], drop: [kplus.Capability.ALL] } } };
    const pod = taskPodOf(objectsOf(poolIn(app, { task: { sidecarContainers: [props] } })));
    expect(containerOf(pod, 'shipper').securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
  });

  test('a raw sidecar with restartPolicy is refused with the IMAGE_VOLUME layout, where sidecars are regular containers', () => {
    const error = configErrorOf(() => poolIn(userApp().app, { task: { sidecars: [{ name: 'shipper', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always' }] } }));
    expect(error.path).toBe('task.sidecars[0].restartPolicy');
    expect(error.expected).toMatch(/^nothing with TaskPodLayout.IMAGE_VOLUME/);
    // With the WORKER_SIDECAR layout it makes a native sidecar.
    const pod = taskPodOf(objectsOf(poolIn(userApp().app, { version: V0_5_62, task: { sidecars: [{ name: 'shipper', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always' }] } })));
    expect(containerOf(pod, 'shipper').restartPolicy).toBe('Always');
  });

  test('task.worker.volumeMounts and task.runner.volumeMounts mount a kplus volume and add it to the pod once', () => {
    const { app, user } = userApp();
    const volume = kplus.Volume.fromConfigMap(user, 'ca', kplus.ConfigMap.fromConfigMapName(user, 'cm', 'corp-ca'), { name: 'corp-ca' });
    const pod = taskPodOf(objectsOf(poolIn(app, {
      task: {
        worker: { volumeMounts: [{ volume, path: '/etc/corp-ca', readOnly: true }] },
        runner: { volumeMounts: [{ volume, path: '/etc/corp-ca', readOnly: true, subPath: 'ca.pem' }] },
      },
    })));
    expect(containerOf(pod, 'worker').volumeMounts.at(-1)).toEqual({ name: 'corp-ca', mountPath: '/etc/corp-ca', readOnly: true });
    expect(containerOf(pod, 'runner').volumeMounts.at(-1)).toEqual({ name: 'corp-ca', mountPath: '/etc/corp-ca', readOnly: true, subPath: 'ca.pem' });
    expect(pod.volumes.filter((v: any) => v.name === 'corp-ca')).toEqual([{ name: 'corp-ca', configMap: { name: 'corp-ca' } }]);
  });

  test('two different kplus volumes of one name are an error', () => {
    const { app, user } = userApp();
    const a = kplus.Volume.fromEmptyDir(user, 'a', 'shared');
    const b = kplus.Volume.fromConfigMap(user, 'b', kplus.ConfigMap.fromConfigMapName(user, 'cm', 'x'), { name: 'shared' });
    const error = configErrorOf(() => poolIn(app, { task: { volumes: [a], worker: { volumeMounts: [{ volume: b, path: '/x' }] } } }));
    expect(error.path).toBe('task.worker.volumeMounts[0].volume.name');
  });
});

describe('handles for the app\'s own cdk8s-plus constructs', () => {
  test('pool.tokenSecret is usable as the source of kplus.EnvValue.fromSecretValue, and names the token Secret', () => {
    const objects = synthObjects((app) => {
      const p = pool({}, app);
      const user = new Chart(app, 'user', { namespace: 'scalr' });
      new kplus.Deployment(user, 'app', {
        containers: [{ image: 'busybox', envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret: p.tokenSecret, key: 'token' }) } }],
      });
    });
    const tokenSecret = find(objects, 'Secret');
    expect(tokenSecret.data.token).toBeDefined();
    const [userDeployment] = findAll(objects, 'Deployment').filter((d) => d.metadata.name !== 'scalr-agent');
    const env = userDeployment.spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: tokenSecret.metadata.name, key: 'token' } } }]);
  });

  test('pool.tokenSecret names an existing Secret when the token comes from one', () => {
    expect(pool({ token: AgentToken.fromSecretName('pool-token') }).tokenSecret.name).toBe('pool-token');
  });

  test('pool.serviceAccount is an IServiceAccount with the pool\'s ServiceAccount name', () => {
    for (const [version, name] of [[V0_5_62, 'scalr-agent-agent-job'], [V0_6_5, 'scalr-agent']] as const) {
      const objects = synthObjects((app) => {
        const p = pool({ version }, app);
        expect(p.serviceAccount.name).toBe(find(objectsOf(p), 'ServiceAccount').metadata.name);
        new kplus.Pod(new Chart(app, 'user', { namespace: 'scalr' }), 'debug', { containers: [{ image: 'busybox' }], serviceAccount: p.serviceAccount });
      });
      expect(find(objects, 'Pod').spec.serviceAccountName).toBe(name);
    }
  });

  test.each([['an AgentJobChart', false], ['an AgentPool in the user chart', true]])('the task pods of %s are a NetworkPolicy peer: task selector labels and the pool namespace', (_what, inUserChart) => {
    const objects = synthObjects((app) => {
      const user = new Chart(app, 'user', { namespace: 'web' });
      const p = inUserChart
        ? new AgentPool(user, 'pool', { token, namespace: 'scalr' })
        : new AgentJobChart(app, 'pool', { token, namespace: 'scalr' });
      const api = kplus.Pods.select(user, 'api', { labels: { app: 'api' } });
      new kplus.NetworkPolicy(user, 'api-from-runs', {
        selector: api,
        ingress: {
          rules: [{
            peer: p.taskPods,
            ports: [kplus.NetworkPolicyPort.tcp(8080)],
          }],
        },
      });
    });
    const policy = findAll(objects, 'NetworkPolicy').find((o) => o.metadata.namespace === 'web');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(policy.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: TASK_SELECTOR }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'scalr' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    // The selector selects the pool's task pods.
    expect(jobSpecOf(objects).template.metadata.labels).toMatchObject(TASK_SELECTOR);
  });

  test('controller.pods selects the controller pods', () => {
    const objects = synthObjects((app) => {
      const p = pool({}, app);
      const user = new Chart(app, 'user', { namespace: 'monitoring' });
      new kplus.NetworkPolicy(user, 'scrape', {
        selector: kplus.Pods.select(user, 'prom', { labels: { app: 'prometheus' } }),
        egress: { rules: [{ peer: p.controller.pods, ports: [kplus.NetworkPolicyPort.tcp(9090)] }] },
      });
    });
    const policy = findAll(objects, 'NetworkPolicy').find((o) => o.metadata.namespace === 'monitoring');
    const deployment = find(objects, 'Deployment');
    expect(policy.spec.egress[0].to).toEqual([{
      podSelector: { matchLabels: deployment.spec.selector.matchLabels },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'scalr' } },
    }]);
  });
});
