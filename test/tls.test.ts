import { Testing } from 'cdk8s';
import { AgentJobChart, AgentJobChartProps, AgentToken, CaBundle, ClientCertificate } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0FfdGVzdA==\n-----END CERTIFICATE-----';

function synth(props: Omit<AgentJobChartProps, 'token'>) {
  const objects = Testing.synth(new AgentJobChart(Testing.app(), 'pool', { token, namespace: 'agents', ...props }));
  const deployment = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
  const task = objects.find((o) => o.kind === 'AgentTask').spec.jobTemplate.spec.template.spec;
  return { objects, deployment, task, controller: deployment.containers[0], worker: task.initContainers[0], runner: task.containers[0] };
}
const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
const mountsOf = (c: any, name: string) => c.volumeMounts.filter((m: any) => m.name === name);

describe('CaBundle', () => {
  test('fromPem creates the Secret <fullname>-ca-bundle with the certificates', () => {
    const { objects } = synth({ common: { caBundle: CaBundle.fromPem(`${PEM}\n\n${PEM}\n`) } });
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'scalr-agent-agent-job-ca-bundle');
    expect(Buffer.from(secret.data['ca-bundle.crt'], 'base64').toString()).toBe(`${PEM}\n${PEM}\n`);
  });

  test('is mounted read-only with a subPath in the controller, worker and runner, with SSL_CERT_FILE and SCALR_AGENT_CA_CERT', () => {
    const all = synth({ common: { caBundle: CaBundle.fromSecret('corp-ca', 'ca.pem') } });
    for (const c of [all.controller, all.worker, all.runner]) {
      expect(mountsOf(c, 'ca-bundle')).toEqual([
        { name: 'ca-bundle', mountPath: '/etc/ssl/certs/scalr-ca-bundle.crt', subPath: 'ca-bundle.crt', readOnly: true },
      ]);
      expect(envOf(c)).toMatchObject({ SSL_CERT_FILE: '/etc/ssl/certs/scalr-ca-bundle.crt', SCALR_AGENT_CA_CERT: '/etc/ssl/certs/scalr-ca-bundle.crt' });
    }
    for (const pod of [all.deployment, all.task]) {
      expect(pod.volumes.find((v: any) => v.name === 'ca-bundle')).toEqual({
        name: 'ca-bundle', secret: { secretName: 'corp-ca', items: [{ key: 'ca.pem', path: 'ca-bundle.crt' }] },
      });
    }
    expect(all.objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual(['scalr-agent-agent-job']);
  });

  test('fromSecret uses the key ca-bundle.crt by default', () => {
    expect(CaBundle.fromSecret('corp-ca').key).toBe('ca-bundle.crt');
  });

  test('a task volume named ca-bundle then collides, with an error naming it', () => {
    expect(() => synth({
      common: { caBundle: CaBundle.fromSecret('corp-ca') },
      task: { extraVolumes: [{ name: 'ca-bundle', configMap: { name: 'x' } }] },
    })).toThrow(/^task\.extraVolumes\[0\]\.name: got "ca-bundle"; expected a volume name not used yet/);
  });

  test.each([
    ['not a certificate', 'hello'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'],
    ['a certificate followed by text', `${PEM}\ntrailing`],
  ])('fromPem rejects %s', (_what, pem) => {
    expect(() => CaBundle.fromPem(pem)).toThrow(/^common\.caBundle: got .*; expected one or more PEM certificates/);
  });

  test('fromSecret rejects a wrong Secret name or key', () => {
    expect(() => CaBundle.fromSecret('Corp_CA')).toThrow(/^common\.caBundle\.secretName: got "Corp_CA"/);
    expect(() => CaBundle.fromSecret('corp-ca', 'a/b')).toThrow(/^common\.caBundle\.key: got "a\/b"/);
  });
});

describe('ClientCertificate', () => {
  test('is mounted in the controller and worker only, with the TLS file variables', () => {
    const all = synth({ common: { clientCertificate: ClientCertificate.fromSecret('agent-mtls') } });
    for (const c of [all.controller, all.worker]) {
      expect(mountsOf(c, 'client-cert')).toEqual([{ name: 'client-cert', mountPath: '/etc/scalr-agent/ssl', readOnly: true }]);
      expect(envOf(c)).toMatchObject({
        SCALR_AGENT_TLS_CERT_FILE: '/etc/scalr-agent/ssl/tls.crt', SCALR_AGENT_TLS_KEY_FILE: '/etc/scalr-agent/ssl/tls.key',
      });
    }
    expect(mountsOf(all.runner, 'client-cert')).toEqual([]);
    expect(all.runner.env).toBeUndefined();
    expect(all.task.volumes.find((v: any) => v.name === 'client-cert').secret).toEqual({
      secretName: 'agent-mtls', items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }],
    });
  });

  test('maps custom keys to tls.crt and tls.key', () => {
    const { deployment } = synth({ common: { clientCertificate: ClientCertificate.fromSecret('m', 'cert.pem', 'key.pem') } });
    expect(deployment.volumes.find((v: any) => v.name === 'client-cert').secret.items).toEqual([
      { key: 'cert.pem', path: 'tls.crt' }, { key: 'key.pem', path: 'tls.key' },
    ]);
  });

  test('rejects the same key for certificate and private key', () => {
    expect(() => ClientCertificate.fromSecret('m', 'tls.pem', 'tls.pem')).toThrow(/^common\.clientCertificate\.keyKey: got "tls\.pem"; expected a key other than certKey/);
  });
});
