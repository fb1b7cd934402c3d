import * as fs from 'fs';
import { parse } from 'yaml';
import { CaBundle, ClientCertificate } from '../src';
import {
  PoolProps, VERSIONS, configErrorOf, containerOf, controllerPodOf, envOf, find, findAll, poolObjects, taskPodOf,
} from './support/builders';
import { referenceObjects, referenceScenario } from './support/reference-objects';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0FfdGVzdA==\n-----END CERTIFICATE-----';
const TLS_VARIABLES = ['SCALR_AGENT_CA_CERT', 'SSL_CERT_FILE', 'SCALR_AGENT_TLS_CERT_FILE', 'SCALR_AGENT_TLS_KEY_FILE'];

/** The pods and containers of a set of objects, as the TLS settings concern them. */
function podsOf(objects: any[]) {
  const deployment = controllerPodOf(objects);
  const task = taskPodOf(objects);
  return {
    objects,
    deployment,
    task,
    controller: containerOf(deployment, 'controller'),
    worker: containerOf(task, 'worker'),
    runner: containerOf(task, 'runner'),
  };
}
/** The pods and containers of a pool (0.6.5 unless given). */
const synth = (props: PoolProps) => podsOf(poolObjects(props));

/** What the TLS settings add to a pool: the volumes, the mounts and the variables of each container. */
function tlsParts(objects: any[]): any {
  const all: any = podsOf(objects);
  const tls = (list: any[] | undefined) => (list ?? []).filter((x: any) => ['ca-bundle', 'client-cert'].includes(x.name));
  const env = (c: any) => (c.env ?? []).filter((e: any) => TLS_VARIABLES.includes(e.name));
  const container = (name: string) => ({ mounts: tls(all[name].volumeMounts), env: env(all[name]) });
  return {
    controllerVolumes: tls(all.deployment.volumes),
    taskVolumes: tls(all.task.volumes),
    controller: container('controller'),
    worker: container('worker'),
    runner: container('runner'),
  };
}

describe('CaBundle and ClientCertificate from Secrets', () => {
  // Reference 16-tls-from-secrets: caBundleSecret corporate-ca/ca.pem, clientCertSecret agent-mtls with cert.pem and key.pem.
  const reference = referenceObjects('0.6.5', '16-tls-from-secrets');
  const expected = tlsParts(reference);

  test.each(VERSIONS.map((v) => [v.version, v] as const))('chart %s: are mounted and announced as the reference 16-tls-from-secrets shows', (_v, version) => {
    const all = synth({
      version,
      common: {
        caBundle: CaBundle.fromSecretName('corporate-ca', 'ca.pem'),
        clientCertificate: ClientCertificate.fromSecretName('agent-mtls', 'cert.pem', 'key.pem'),
      },
    });
    expect(tlsParts(all.objects)).toEqual(expected);
    expect(findAll(all.objects, 'Secret').map((o) => o.metadata.name)).toEqual([version.version === '0.6.5' ? 'scalr-agent' : 'scalr-agent-agent-job']);
  });

  test('the CA bundle is mounted read-only at /etc/ssl/certs/scalr-ca-bundle.crt in every container, the client certificate in the agent only', () => {
    const parts = tlsParts(poolObjects({
      common: { caBundle: CaBundle.fromSecretName('corporate-ca'), clientCertificate: ClientCertificate.fromSecretName('agent-mtls') },
    }));
    expect(parts.runner.mounts.map((m: any) => m.name)).toEqual(['ca-bundle']);
    for (const name of ['controller', 'worker']) expect(parts[name].mounts.map((m: any) => m.name)).toEqual(['ca-bundle', 'client-cert']);
    for (const name of ['controller', 'worker', 'runner']) {
      expect(parts[name].mounts[0]).toMatchObject({ mountPath: '/etc/ssl/certs/scalr-ca-bundle.crt', readOnly: true });
      expect(envOf(parts[name])).toMatchObject({ SSL_CERT_FILE: '/etc/ssl/certs/scalr-ca-bundle.crt', SCALR_AGENT_CA_CERT: '/etc/ssl/certs/scalr-ca-bundle.crt' });
    }
  });
});

describe('CaBundle', () => {
  test('fromPem creates the Secret <fullname>-ca-bundle with the certificates, one newline between them', () => {
    const { objects } = synth({ common: { caBundle: CaBundle.fromPem(`${PEM}\n\n${PEM}\n`) } });
    const secret = find(objects, 'Secret', 'scalr-agent-ca-bundle');
    expect(Buffer.from(secret.data['ca-bundle.crt'], 'base64').toString()).toBe(`${PEM}\n${PEM}\n`);
  });

  test('fromPem renders the Secret of the reference 15-proxy-inline-tls', () => {
    const values = parse(fs.readFileSync(referenceScenario('0.6.5', '15-proxy-inline-tls').valuesFile, 'utf8'));
    const { objects } = synth({ common: { caBundle: CaBundle.fromPem(values.global.tls.caBundle) } });
    const expected = find(referenceObjects('0.6.5', '15-proxy-inline-tls'), 'Secret', 'scalr-agent-ca-bundle');
    const actual = find(objects, 'Secret', 'scalr-agent-ca-bundle');
    expect([actual.type, actual.data]).toEqual([expected.type, expected.data]);
  });

  test('fromSecretName uses the key ca-bundle.crt by default', () => {
    expect(CaBundle.fromSecretName('corp-ca').key).toBe('ca-bundle.crt');
    expect(CaBundle.fromSecretName('corp-ca').secretName('scalr-agent')).toBe('corp-ca');
    expect(CaBundle.isCaBundle(CaBundle.fromSecretName('corp-ca'))).toBe(true);
  });

  test('a task volume named ca-bundle then collides, with an error naming it', () => {
    const error = configErrorOf(() => synth({
      common: { caBundle: CaBundle.fromSecretName('corp-ca') },
      task: { extraVolumes: [{ name: 'ca-bundle', configMap: { name: 'x' } }] },
    }));
    expect(error.message).toMatch(/^task\.extraVolumes\[0\]\.name: got "ca-bundle"; expected a volume name not used yet/);
  });

  test.each([
    ['not a certificate', 'hello'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'],
    ['a certificate followed by text', `${PEM}\ntrailing`],
  ])('fromPem rejects %s', (_what, pem) => {
    const error = configErrorOf(() => CaBundle.fromPem(pem));
    expect(error.path).toBe('common.caBundle');
    expect(error.expected).toMatch(/^one or more PEM certificates/);
  });

  test('fromSecretName rejects a wrong Secret name or key', () => {
    expect(configErrorOf(() => CaBundle.fromSecretName('Corp_CA')).message).toMatch(/^common\.caBundle\.secretName: got "Corp_CA"/);
    expect(configErrorOf(() => CaBundle.fromSecretName('corp-ca', 'a/b')).message).toMatch(/^common\.caBundle\.key: got "a\/b"/);
  });
});

describe('ClientCertificate', () => {
  test.each(VERSIONS.map((v) => [v.version, v] as const))('chart %s: is mounted in the controller and worker only, with the TLS file variables', (_v, version) => {
    const all = synth({ version, common: { clientCertificate: ClientCertificate.fromSecretName('agent-mtls') } });
    for (const c of [all.controller, all.worker]) {
      expect(c.volumeMounts.filter((m: any) => m.name === 'client-cert')).toEqual([{ name: 'client-cert', mountPath: '/etc/scalr-agent/ssl', readOnly: true }]);
      expect(envOf(c)).toMatchObject({
        SCALR_AGENT_TLS_CERT_FILE: '/etc/scalr-agent/ssl/tls.crt', SCALR_AGENT_TLS_KEY_FILE: '/etc/scalr-agent/ssl/tls.key',
      });
    }
    expect(all.runner.volumeMounts.filter((m: any) => m.name === 'client-cert')).toEqual([]);
    expect(all.runner.env).toBeUndefined();
    expect(all.task.volumes.find((v: any) => v.name === 'client-cert').secret).toEqual({
      secretName: 'agent-mtls', items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }],
    });
  });

  test('maps custom keys to tls.crt and tls.key', () => {
    const { deployment } = synth({ common: { clientCertificate: ClientCertificate.fromSecretName('m', 'cert.pem', 'key.pem') } });
    expect(deployment.volumes.find((v: any) => v.name === 'client-cert').secret.items).toEqual([
      { key: 'cert.pem', path: 'tls.crt' }, { key: 'key.pem', path: 'tls.key' },
    ]);
  });

  test('rejects the same key for certificate and private key', () => {
    expect(configErrorOf(() => ClientCertificate.fromSecretName('m', 'tls.pem', 'tls.pem')).message)
      .toMatch(/^common\.clientCertificate\.keyKey: got "tls\.pem"; expected a key other than certKey/);
  });
});
