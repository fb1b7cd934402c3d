import { Chart, Duration, Testing } from 'cdk8s';
import { AgentTaskTemplate, AgentToken, CachePersistence, VolumeStorage } from '../src';

function template(props: Partial<ConstructorParameters<typeof AgentTaskTemplate>[2]> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'agents' });
  const t = new AgentTaskTemplate(chart, 'task', { token: AgentToken.fromValue('t0ken'), ...props });
  return { t, chart };
}
const pod = (t: AgentTaskTemplate) => t.jobTemplate().spec.template.spec;

describe('AgentTaskTemplate', () => {
  test('creates one AgentTask whose jobTemplate is a Job spec', () => {
    const { chart } = template();
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ apiVersion: 'scalr.io/v1', kind: 'AgentTask', metadata: { name: 'scalr-agent-task', namespace: 'agents' } });
    expect(objects[0].spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('runs the worker as a native sidecar and the runner as the main container', () => {
    const { t } = template();
    expect(pod(t).initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['worker', 'Always']]);
    expect(pod(t).containers.map((c: any) => c.name)).toEqual(['runner']);
  });

  test('gives only the worker the ServiceAccount token, through a projected volume', () => {
    const { t } = template({ tokenTtl: undefined });
    expect(pod(t).automountServiceAccountToken).toBe(false);
    const mounts = (c: any) => c.volumeMounts.map((m: any) => m.name);
    expect(mounts(pod(t).initContainers[0])).toContain('sa-token');
    expect(mounts(pod(t).containers[0])).not.toContain('sa-token');
    expect(pod(t).volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds).toBe(3600);
  });

  test('mounts the cache under <subPath>/cache for the worker and its bin and providers for the runner', () => {
    const chart = new Chart(Testing.app(), 'c');
    const cache = new CachePersistence(chart, 'cache', { storage: VolumeStorage.existingClaim('shared'), subPath: 'team-a' });
    const t = new AgentTaskTemplate(chart, 'task', { token: AgentToken.fromValue('x'), cache });
    const worker = pod(t).initContainers[0].volumeMounts.find((m: any) => m.name === 'cache-dir');
    const runner = pod(t).containers[0].volumeMounts.filter((m: any) => m.name === 'cache-dir').map((m: any) => m.subPath);
    expect(worker.subPath).toBe('team-a/cache');
    expect(runner).toEqual(['team-a/cache/bin', 'team-a/cache/providers']);
  });

  test('inherits each worker image field from the agent image on its own', () => {
    const { t } = template({ agent: { image: { tag: '1.0.0' } }, task: { worker: { image: { repository: 'scalr/agent-worker' } } } });
    expect(pod(t).initContainers[0].image).toBe('scalr/agent-worker:1.0.0');
    expect(pod(t).containers[0].image).toBe('scalr/agent-runner:0.55.2');
  });

  test('adds volumes, sidecars and mounts after construction', () => {
    const { t, chart } = template();
    t.addVolume({ name: 'ca', configMap: { name: 'corporate-ca' } });
    t.addSidecar({ name: 'shipper', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always' });
    t.addRunnerVolumeMount({ name: 'ca', mountPath: '/etc/ssl/custom', readOnly: true });
    t.addWorkerVolumeMount({ name: 'ca', mountPath: '/etc/ssl/custom', readOnly: true });
    const spec = Testing.synth(chart)[0].spec.jobTemplate.spec.template.spec;
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['sa-token', 'data-dir', 'cache-dir', 'tmp-dir', 'ca']);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['worker', 'shipper']);
    expect(spec.containers[0].volumeMounts.at(-1)).toEqual({ name: 'ca', mountPath: '/etc/ssl/custom', readOnly: true });
  });

  test('fails synthesis when a mount names a volume the pod does not have', () => {
    const { t } = template();
    t.addRunnerVolumeMount({ name: 'missing', mountPath: '/x' });
    const app = t.node.root as any;
    expect(() => app.synthYaml()).toThrow(/runner container: volume mount at \/x: got volume "missing"/);
  });

  test('fails when a sidecar mounts the ServiceAccount token', () => {
    const { t } = template();
    expect(() => t.addSidecar({ name: 'spy', image: 'busybox', volumeMounts: [{ name: 'sa-token', mountPath: '/t' }] }))
      .toThrow(/sidecar "spy".volumeMounts\[0\].name: .*only the worker/);
  });

  test('fails when a volume is added twice', () => {
    const { t } = template();
    expect(() => t.addVolume({ name: 'tmp-dir', emptyDir: {} })).toThrow(/volume "tmp-dir".name: got "tmp-dir"; expected a volume name not used yet/);
  });

  test('fails with a token TTL the API server refuses', () => {
    expect(() => template({ tokenTtl: Duration.seconds(599) })).toThrow(/serviceAccount.tokenTtl: got "599 seconds"; expected a whole number of seconds, at least 600/);
  });

  test('uses the data volume size given', () => {
    const chart = new Chart(Testing.app(), 'c');
    const t = new AgentTaskTemplate(chart, 'task', { token: AgentToken.fromValue('x'), task: {} });
    expect(pod(t).volumes.find((v: any) => v.name === 'data-dir').emptyDir).toEqual({ sizeLimit: '5Gi' });
  });
});
