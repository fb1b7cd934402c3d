import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import {
  AgentRelease, AgentTaskTemplate, AgentTaskTemplateProps, CachePersistence, ChartVersion, TaskPodLayout, TaskTemplateResource, VolumeStorage,
} from '../src';
import {
  V0_5_62, V0_6_5, VERSIONS, configErrorOf, containerOf, find, findAll, objectsOf, taskPodOf, taskTemplateOf, token,
} from './support/builders';
import { compareManifests } from './support/compare';
import { referenceObjects } from './support/reference-objects';

/** A task template of the given chart version on its own in a chart of namespace "agents". */
function template(version: ChartVersion, props: Partial<AgentTaskTemplateProps> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'agents' });
  const t = new AgentTaskTemplate(chart, 'task', { token, release: new AgentRelease({ version }), ...props });
  return { t, chart };
}
const pod = (t: AgentTaskTemplate) => t.jobTemplate().spec.template.spec;
const names = (list: any[] | undefined) => (list ?? []).map((x: any) => x.name);
const eachVersion = test.each(VERSIONS.map((v) => [v.version, v] as const));

describe('AgentTaskTemplate', () => {
  eachVersion('with the defaults it renders exactly the chart %s task template (and task PDB) of the reference 01-default', (_v, version) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'scalr' });
    new AgentTaskTemplate(chart, 'task', { token, release: new AgentRelease({ version }) });
    const expected = referenceObjects(version, '01-default').filter((o) =>
      ['AgentTask', 'AgentTaskTemplate'].includes(o.kind)
      || (o.kind === 'PodDisruptionBudget' && o.metadata.labels['app.kubernetes.io/component'] === 'task'));
    expect(compareManifests(objectsOf(chart), expected)).toEqual([]);
  });

  test('0.5.62: one AgentTask scalr-agent-task whose jobTemplate is a Job spec', () => {
    const { chart, t } = template(V0_5_62);
    const objects = objectsOf(chart);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ apiVersion: 'scalr.io/v1', kind: 'AgentTask', metadata: { name: 'scalr-agent-task', namespace: 'agents' } });
    expect(objects[0].spec.basename).toBeUndefined();
    expect(objects[0].spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expect([t.apiObject.kind, t.resource, t.name, t.namespace]).toEqual(['AgentTask', TaskTemplateResource.AGENT_TASK, 'scalr-agent-task', 'agents']);
  });

  test('0.6.5: an AgentTaskTemplate <fullname>-task-template with spec.basename, and the task PDB', () => {
    const { chart, t } = template(V0_6_5, { release: new AgentRelease({ version: V0_6_5, releaseName: 'team-a' }) });
    const objects = objectsOf(chart);
    expect(objects.map((o) => o.kind)).toEqual(['AgentTaskTemplate', 'PodDisruptionBudget']);
    expect(objects[0]).toMatchObject({
      apiVersion: 'scalr.io/v1', kind: 'AgentTaskTemplate', metadata: { name: 'team-a-scalr-agent-task-template', namespace: 'agents' },
    });
    expect(objects[0].spec.basename).toBe('team-a-scalr-agent');
    expect(objects[0].spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expect([t.apiObject.kind, t.resource, t.name]).toEqual(['AgentTaskTemplate', TaskTemplateResource.AGENT_TASK_TEMPLATE, 'team-a-scalr-agent-task-template']);
    expect(t.podDisruptionBudget?.name).toBe('team-a-scalr-agent-task');
  });

  test('task.job.basename names the Jobs of an AgentTaskTemplate and is an error with an AgentTask', () => {
    const { chart } = template(V0_6_5, { task: { job: { basename: 'runs' } } });
    expect(taskTemplateOf(objectsOf(chart)).spec.basename).toBe('runs');
    const error = configErrorOf(() => template(V0_5_62, { task: { job: { basename: 'runs' } } }));
    expect(error.path).toBe('task.job.basename');
    expect(error.expected).toMatch(/AgentTask/);
  });

  test('0.5.62 runs the worker as a native sidecar and the runner as the main container', () => {
    const { t } = template(V0_5_62);
    expect(pod(t).initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['worker', 'Always']]);
    expect(names(pod(t).containers)).toEqual(['runner']);
    expect(containerOf(pod(t), 'runner').command).toEqual(['/bin/sh', '/opt/scalr-agent/tacoagent/driver/exec_loop.sh']);
    expect(containerOf(pod(t), 'runner').image).toBe('scalr/agent-runner:0.55.2');
    expect(names(pod(t).volumes)).not.toContain('worker');
  });

  test('0.6.5 runs the runner and the worker as containers, the runner from the agent image volume "worker"', () => {
    const { t } = template(V0_6_5);
    const spec = pod(t);
    expect(spec.initContainers).toBeUndefined();
    expect(names(spec.containers)).toEqual(['runner', 'worker']);
    expect(containerOf(spec, 'worker').restartPolicy).toBeUndefined();
    const runner = containerOf(spec, 'runner');
    expect(runner.image).toBe('scalr/runner:0.2.0');
    expect(runner.command).toEqual(['/usr/bin/runner/exec-loop']);
    expect(runner.volumeMounts[0]).toEqual({ name: 'worker', mountPath: '/usr/bin/runner', readOnly: true });
    expect(spec.volumes[0]).toEqual({ name: 'worker', image: { reference: 'scalr/agent:1.4.0', pullPolicy: 'IfNotPresent' } });
  });

  test('0.6.5 gives the runner and the worker file probes; the worker\'s follow agent.dataDir', () => {
    const spec = pod(template(V0_6_5, { agent: { dataDir: '/data' } }).t);
    const probeFiles = (c: any) => [c.startupProbe.exec.command, c.livenessProbe.exec.command];
    expect(probeFiles(containerOf(spec, 'runner'))).toEqual([['test', '-f', '/tmp/exec-loop/started'], ['test', '-f', '/tmp/exec-loop/healthy']]);
    expect(probeFiles(containerOf(spec, 'worker'))).toEqual([['test', '-f', '/data/started'], ['test', '-f', '/data/healthy']]);
    expect(containerOf(spec, 'worker').livenessProbe.failureThreshold).toBe(1);
    const old = pod(template(V0_5_62).t);
    for (const name of ['runner', 'worker']) expect(containerOf(old, name).startupProbe).toBeUndefined();
  });

  test('task.podLayout WORKER_SIDECAR gives a 0.6.5 pool the 0.5.62 pod layout', () => {
    const spec = pod(template(V0_6_5, { task: { podLayout: TaskPodLayout.WORKER_SIDECAR } }).t);
    expect(names(spec.initContainers)).toEqual(['worker']);
    expect(names(spec.containers)).toEqual(['runner']);
    expect(containerOf(spec, 'runner').volumeMounts.map((m: any) => m.mountPath)).toContain('/opt/bin');
  });

  test('gives only the worker the ServiceAccount token, through a projected volume', () => {
    for (const version of VERSIONS) {
      const spec = pod(template(version).t);
      expect(spec.automountServiceAccountToken).toBe(false);
      const mounts = (name: string) => names(containerOf(spec, name).volumeMounts);
      expect(mounts('worker')).toContain('sa-token');
      expect(mounts('runner')).not.toContain('sa-token');
      expect(spec.volumes.find((v: any) => v.name === 'sa-token').projected.sources[0].serviceAccountToken.expirationSeconds).toBe(3600);
    }
  });

  test.each([
    ['0.5.62', V0_5_62, '/opt/bin', 'bin'],
    ['0.6.5', V0_6_5, '/opt/binary-cache', 'binaries'],
  ])('%s mounts the cache under <subPath>/cache for the worker and its binaries and providers for the runner', (_v, version, binaryPath, binaryDir) => {
    const chart = new Chart(Testing.app(), 'c');
    const release = new AgentRelease({ version });
    const cache = new CachePersistence(chart, 'cache', { release, storage: VolumeStorage.fromClaimName('shared'), subPath: 'team-a' });
    const spec = pod(new AgentTaskTemplate(chart, 'task', { token, release, cache }));
    expect(containerOf(spec, 'worker').volumeMounts.find((m: any) => m.name === 'cache-dir').subPath).toBe('team-a/cache');
    expect(containerOf(spec, 'runner').volumeMounts.filter((m: any) => m.name === 'cache-dir').map((m: any) => [m.mountPath, m.subPath]))
      .toEqual([[binaryPath, `team-a/cache/${binaryDir}`], ['/opt/plugin-cache', 'team-a/cache/providers']]);
  });

  test('0.5.62 inherits each worker image field from the agent image on its own', () => {
    const spec = pod(template(V0_5_62, { agent: { image: { tag: '1.0.0' } }, task: { worker: { image: { repository: 'scalr/agent-worker' } } } }).t);
    expect(containerOf(spec, 'worker').image).toBe('scalr/agent-worker:1.0.0');
    expect(containerOf(spec, 'runner').image).toBe('scalr/agent-runner:0.55.2');
  });

  test('0.6.5 mounts the agent image (not the runner image) into the runner, and keeps the runner at scalr/runner:0.2.0', () => {
    const spec = pod(template(V0_6_5, { agent: { image: { tag: '1.5.0' } } }).t);
    expect(containerOf(spec, 'worker').image).toBe('scalr/agent:1.5.0');
    expect(spec.volumes.find((v: any) => v.name === 'worker').image.reference).toBe('scalr/agent:1.5.0');
    expect(containerOf(spec, 'runner').image).toBe('scalr/runner:0.2.0');
  });

  test.each([
    ['0.5.62', V0_5_62, (spec: any) => names(spec.initContainers), ['worker', 'shipper'], ['sa-token', 'data-dir', 'cache-dir', 'tmp-dir', 'ca']],
    ['0.6.5', V0_6_5, (spec: any) => names(spec.containers), ['runner', 'worker', 'shipper'],
      ['worker', 'sa-token', 'data-dir', 'cache-dir', 'tmp-dir', 'ca', 'podinfo']],
  ])('%s: adds volumes, sidecars and mounts after construction, the sidecar after the worker', (_v, version, slot, containers, volumes) => {
    const { t, chart } = template(version);
    const ca = kplus.Volume.fromConfigMap(chart, 'ca', kplus.ConfigMap.fromConfigMapName(chart, 'corporate-ca', 'corporate-ca'), { name: 'ca' });
    t.addVolume(ca);
    // A native sidecar (restartPolicy Always) in the sidecar layout; a regular container with IMAGE_VOLUME.
    t.addSidecar({ name: 'shipper', image: 'fluent/fluent-bit:3.0', restartPolicy: version === V0_5_62 ? kplus.ContainerRestartPolicy.ALWAYS : undefined });
    t.addRunnerVolumeMount({ volume: ca, path: '/etc/ssl/custom', readOnly: true });
    t.addWorkerVolumeMount({ volume: ca, path: '/etc/ssl/custom', readOnly: true });
    const spec = taskPodOf(objectsOf(chart));
    expect(names(spec.volumes)).toEqual(volumes);
    expect(spec.volumes.find((v: any) => v.name === 'ca').configMap.name).toBe('corporate-ca');
    expect(slot(spec)).toEqual(containers);
    for (const name of ['runner', 'worker']) {
      expect(containerOf(spec, name).volumeMounts.at(-1)).toEqual({ name: 'ca', mountPath: '/etc/ssl/custom', readOnly: true });
    }
  });

  test('addRawVolume and addRawSidecar take raw Kubernetes structs', () => {
    const { t, chart } = template(V0_6_5);
    t.addRawVolume({ name: 'scratch', emptyDir: { medium: 'Memory' } });
    t.addRawSidecar({ name: 'proxy', image: 'envoyproxy/envoy:v1.30', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] });
    const spec = taskPodOf(objectsOf(chart));
    expect(spec.volumes.find((v: any) => v.name === 'scratch')).toEqual({ name: 'scratch', emptyDir: { medium: 'Memory' } });
    expect(containerOf(spec, 'proxy')).toEqual({ name: 'proxy', image: 'envoyproxy/envoy:v1.30', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] });
  });

  test('fails synthesis when a mount names a volume the pod does not have', () => {
    const { chart } = template(V0_6_5, { task: { runner: { extraVolumeMounts: [{ name: 'missing', mountPath: '/x' }] } } });
    expect(() => (chart.node.root as App).synthYaml())
      .toThrow(/runner container: volume mount at \/x: got volume "missing"/);
  });

  test('fails when a sidecar mounts the ServiceAccount token', () => {
    const { t } = template(V0_6_5);
    const error = configErrorOf(() => t.addRawSidecar({ name: 'spy', image: 'busybox', volumeMounts: [{ name: 'sa-token', mountPath: '/t' }] }));
    expect(error.path).toBe('sidecar "spy".volumeMounts[0].name');
    expect(error.expected).toMatch(/only the worker/);
  });

  test('fails when a volume is added twice', () => {
    const { t, chart } = template(V0_6_5);
    expect(configErrorOf(() => t.addRawVolume({ name: 'tmp-dir', emptyDir: {} })).message)
      .toMatch(/^volume "tmp-dir".name: got "tmp-dir"; expected a volume name not used yet/);
    expect(configErrorOf(() => t.addVolume(kplus.Volume.fromEmptyDir(chart, 'data', 'data-dir'))).path).toBe('volume "data-dir".name');
  });

  test('fails when a sidecar takes the name of the worker or the runner', () => {
    for (const version of VERSIONS) {
      const { t } = template(version);
      expect(configErrorOf(() => t.addSidecar({ name: 'runner', image: 'busybox' })).path).toBe('sidecar "runner".name');
    }
  });

  test('fails with a token TTL the API server refuses (under 10 minutes)', () => {
    const error = configErrorOf(() => template(V0_6_5, { tokenTtl: Duration.seconds(599) }));
    expect([error.path, error.received]).toEqual(['serviceAccount.tokenTtl', '"599 seconds"']);
    expect(error.expected).toContain('600');
    expect(() => template(V0_6_5, { tokenTtl: Duration.minutes(10) })).not.toThrow();
  });

  eachVersion('chart %s: the data and cache volumes default to the emptyDir sizes of the reference 01-default', (_v, version) => {
    const expected = taskPodOf(referenceObjects(version, '01-default')).volumes;
    const spec = pod(template(version).t);
    for (const name of ['data-dir', 'cache-dir']) {
      expect(spec.volumes.find((v: any) => v.name === name)).toEqual(expected.find((v: any) => v.name === name));
    }
  });

  test.each([
    ['agent.dataDir is /tmp', { dataDir: '/tmp' }, '/tmp'],
    ['agent.cacheDir equals agent.dataDir', { dataDir: '/var/lib/agent', cacheDir: '/var/lib/agent/' }, '/var/lib/agent'],
  ])('fails when %s: two mounts at one path in the worker', (_what, agent, at) => {
    for (const version of VERSIONS) {
      const error = configErrorOf(() => template(version, { agent }));
      expect(error.path).toBe('task.worker (worker container)');
      expect(error.received).toContain(`both mounted at ${at}`);
    }
  });

  test('fails when an extra mount takes a path the library mounts', () => {
    const error = configErrorOf(() => template(V0_6_5, { task: { runner: { extraVolumeMounts: [{ name: 'tmp-dir', mountPath: '/opt/workdir' }] } } }));
    expect(error.path).toBe('task.runner.extraVolumeMounts[0] (runner container)');
  });

  test('renders the podinfo volume last and mounts it in the 0.6.5 worker only', () => {
    const spec = pod(template(V0_6_5, { task: { extraVolumes: [{ name: 'extra', emptyDir: {} }] } }).t);
    expect(names(spec.volumes).slice(-2)).toEqual(['extra', 'podinfo']);
    expect(containerOf(spec, 'worker').volumeMounts).toContainEqual({ name: 'podinfo', mountPath: '/etc/podinfo' });
    expect(names(containerOf(spec, 'runner').volumeMounts)).not.toContain('podinfo');
    expect(names(pod(template(V0_5_62).t).volumes)).not.toContain('podinfo');
  });

  test('a standalone 0.6.5 template has its own task PDB; a 0.5.62 one has none', () => {
    expect(findAll(objectsOf(template(V0_5_62).chart), 'PodDisruptionBudget')).toEqual([]);
    const pdb = find(objectsOf(template(V0_6_5).chart), 'PodDisruptionBudget');
    expect([pdb.metadata.name, pdb.spec.maxUnavailable]).toEqual(['scalr-agent-task', 0]);
  });
});
