import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import {
  AgentController, AgentControllerProps, AgentRelease, AgentToken, CachePersistence, ChartVersion, ClusterRoleScope, TaskTemplateResource,
} from '../src';
import { TOKEN_VALUE, V0_5_62, V0_6_5, VERSIONS, configErrorOf, containerOf, controllerPodOf, envOf, find, findAll, objectsOf, token } from './support/builders';
import { compareManifests } from './support/compare';
import { referenceObjects } from './support/reference-objects';

/** A controller of the given chart version on its own in a chart of namespace "agents". */
function controller(version: ChartVersion, props: Partial<AgentControllerProps> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'agents' });
  const c = new AgentController(chart, 'controller', { token, release: new AgentRelease({ version }), ...props });
  return { c, chart, objects: objectsOf(chart) };
}

/** The kinds of the objects the controller construct renders (the chart's agent, RBAC, Secret and ServiceAccount templates). */
const CONTROLLER_KINDS = ['ServiceAccount', 'Secret', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Deployment'];
// The names the chart gives release scalr-agent (the fullname, see test/fixtures/*/README.md).
const FULLNAME: Record<string, string> = { '0.5.62': 'scalr-agent-agent-job', '0.6.5': 'scalr-agent' };
const eachVersion = test.each(VERSIONS.map((v) => [v.version, v] as const));

describe('AgentController', () => {
  eachVersion('with the defaults it renders exactly the chart %s controller objects of the reference 01-default', (_v, version) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'scalr' });
    const release = new AgentRelease({ version });
    new AgentController(chart, 'controller', { token, release, cache: new CachePersistence(chart, 'cache', { release }) });
    const expected = referenceObjects(version, '01-default').filter((o) => CONTROLLER_KINDS.includes(o.kind));
    expect(compareManifests(objectsOf(chart), expected)).toEqual([]);
  });

  test('creates the Deployment, Secret, ServiceAccount and the RBAC objects of each chart version', () => {
    expect(controller(V0_5_62).objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'Deployment', 'Role', 'RoleBinding', 'RoleBinding', 'Secret', 'ServiceAccount']);
    expect(controller(V0_6_5).objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Role', 'RoleBinding', 'Secret', 'ServiceAccount']);
  });

  test('defaults to the latest chart version (0.6.5)', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'agents' });
    const c = new AgentController(chart, 'controller', { token });
    expect(c.deployment.name).toBe('scalr-agent');
    expect(c.tokenSecretName).toBe(FULLNAME['0.6.5']);
  });

  eachVersion('chart %s: exposes the objects it creates and typed handles with their names', (v, version) => {
    const { c } = controller(version, { agent: { replicas: 2 } });
    expect(c.deployment.kind).toBe('Deployment');
    expect(c.tokenSecretObject?.name).toBe(FULLNAME[v]);
    expect(c.serviceAccountObject?.name).toBe(FULLNAME[v]);
    expect(c.podDisruptionBudget?.kind).toBe('PodDisruptionBudget');
    expect(c.serviceAccountName).toBe(FULLNAME[v]);
    expect(c.tokenSecret.name).toBe(FULLNAME[v]);
    expect(c.serviceAccount.name).toBe(FULLNAME[v]);
    expect(c.namespace).toBe('agents');
  });

  test('names the Deployment scalr-agent in 0.5.62 whatever the release, and <fullname> in 0.6.5', () => {
    const release = (version: ChartVersion) => ({ release: new AgentRelease({ version, releaseName: 'team-a' }) });
    const chart = new Chart(Testing.app(), 'test', { namespace: 'agents' });
    expect(new AgentController(chart, 'old', { token, ...release(V0_5_62) }).deployment.name).toBe('scalr-agent');
    expect(new AgentController(chart, 'new', { token, ...release(V0_6_5) }).deployment.name).toBe('team-a-scalr-agent');
  });

  test('tells the agent its task template by the variable of the custom resource', () => {
    const env = (version: ChartVersion, props: Partial<AgentControllerProps> = {}) =>
      envOf(containerOf(controllerPodOf(controller(version, props).objects), 'controller'));
    expect(env(V0_5_62).SCALR_AGENT_KUBERNETES_JOB_TEMPLATE).toBe('scalr-agent-task');
    expect(env(V0_5_62).SCALR_AGENT_KUBERNETES_TASK_TEMPLATE).toBeUndefined();
    expect(env(V0_6_5).SCALR_AGENT_KUBERNETES_TASK_TEMPLATE).toBe('scalr-agent-task-template');
    expect(env(V0_6_5).SCALR_AGENT_KUBERNETES_JOB_TEMPLATE).toBeUndefined();
    // The resource decides the variable, not the version.
    const mixed = env(V0_6_5, { taskTemplateResource: TaskTemplateResource.AGENT_TASK, taskTemplateName: 'my-task' });
    expect([mixed.SCALR_AGENT_KUBERNETES_JOB_TEMPLATE, mixed.SCALR_AGENT_KUBERNETES_TASK_TEMPLATE]).toEqual(['my-task', undefined]);
  });

  test('runs python -m tacoagent.cmd in 0.5.62 and the image entrypoint in 0.6.5', () => {
    expect(containerOf(controllerPodOf(controller(V0_5_62).objects), 'controller').command).toEqual(['python', '-m', 'tacoagent.cmd']);
    expect(containerOf(controllerPodOf(controller(V0_6_5).objects), 'controller').command).toBeUndefined();
  });

  eachVersion('chart %s: the token Secret holds the value in base64 and the pod template has a checksum of it', (_v, version) => {
    const { objects } = controller(version);
    expect(find(objects, 'Secret').data).toEqual({ token: Buffer.from(TOKEN_VALUE).toString('base64') });
    expect(find(objects, 'Deployment').spec.template.metadata.annotations['checksum/secrets']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the checksum changes when the token changes, so the controller restarts', () => {
    const checksum = (value: string) => {
      const { objects } = controller(V0_6_5, { token: AgentToken.fromValue(value) });
      return find(objects, 'Deployment').spec.template.metadata.annotations['checksum/secrets'];
    };
    expect(checksum('first-example-agent-pool-token')).not.toBe(checksum('second-example-agent-pool-token'));
  });

  eachVersion('chart %s: an existing Secret creates no Secret and is referenced with its key', (_v, version) => {
    const { objects, c } = controller(version, { token: AgentToken.fromSecretName('pool-token', 'value') });
    expect(findAll(objects, 'Secret')).toHaveLength(0);
    expect(c.tokenSecretObject).toBeUndefined();
    expect(c.tokenSecret.name).toBe('pool-token');
    const env = envOf(containerOf(controllerPodOf(objects), 'controller'));
    expect(env.SCALR_AGENT_TOKEN.secretKeyRef).toEqual({ name: 'pool-token', key: 'value', optional: false });
    expect(find(objects, 'Deployment').spec.template.metadata.annotations).toBeUndefined();
  });

  test('puts cluster-scoped objects outside the namespace and the rest in it', () => {
    for (const [version, cluster] of [[V0_5_62, ['ClusterRole']], [V0_6_5, ['ClusterRole', 'ClusterRoleBinding']]] as const) {
      for (const o of controller(version).objects) {
        expect([o.kind, o.metadata.namespace]).toEqual([o.kind, (cluster as readonly string[]).includes(o.kind) ? undefined : 'agents']);
      }
    }
  });

  test('binds the ClusterRole with a RoleBinding in 0.5.62, so it grants rights in the namespace only', () => {
    const { c, objects } = controller(V0_5_62);
    expect(c.clusterRoleBinding?.kind).toBe('RoleBinding');
    const binding = find(objects, 'RoleBinding', 'scalr-agent-agent-job-clusterrole-binding');
    expect(binding.roleRef).toEqual({ kind: 'ClusterRole', name: 'scalr-agent-agent-job-clusterrole', apiGroup: 'rbac.authorization.k8s.io' });
    expect(binding.metadata.namespace).toBe('agents');
  });

  test('binds the ClusterRole with a ClusterRoleBinding named after the namespace in 0.6.5', () => {
    const { c, objects } = controller(V0_6_5);
    expect(c.clusterRoleBinding?.kind).toBe('ClusterRoleBinding');
    const binding = find(objects, 'ClusterRoleBinding', 'agents-scalr-agent-clusterrole-binding');
    expect(binding.roleRef).toEqual({ kind: 'ClusterRole', name: 'agents-scalr-agent-clusterrole', apiGroup: 'rbac.authorization.k8s.io' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'scalr-agent', namespace: 'agents' }]);
  });

  test('rbac.clusterRoleScope NAMESPACE binds the 0.6.5 ClusterRole with a RoleBinding in the namespace', () => {
    const { objects } = controller(V0_6_5, { rbac: { clusterRoleScope: ClusterRoleScope.NAMESPACE } });
    expect(findAll(objects, 'ClusterRoleBinding')).toEqual([]);
    expect(find(objects, 'RoleBinding', 'agents-scalr-agent-clusterrole-binding').metadata.namespace).toBe('agents');
  });

  test('labels the RBAC objects in 0.6.5 only, as the charts do', () => {
    const rbac = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
    for (const o of controller(V0_5_62).objects.filter((x) => rbac.includes(x.kind))) expect(o.metadata.labels).toBeUndefined();
    for (const o of controller(V0_6_5).objects.filter((x) => rbac.includes(x.kind))) {
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'scalr-agent', 'app.kubernetes.io/instance': 'scalr-agent' });
    }
  });

  eachVersion('chart %s: creates no PodDisruptionBudget for a single replica', (_v, version) => {
    expect(findAll(controller(version, { agent: { podDisruptionBudget: { minAvailable: 1 } } }).objects, 'PodDisruptionBudget')).toHaveLength(0);
  });

  eachVersion('chart %s: names the PodDisruptionBudget as the reference 06-ha-controller does', (_v, version) => {
    const expected = referenceObjects(version, '06-ha-controller')
      .filter((o) => o.kind === 'PodDisruptionBudget' && o.spec.selector.matchLabels['app.kubernetes.io/component'] === 'agent');
    expect(expected).toHaveLength(1);
    const chart = new Chart(Testing.app(), 'test', { namespace: 'scalr' });
    const c = new AgentController(chart, 'c', { token, release: new AgentRelease({ version }), agent: { replicas: 3, podDisruptionBudget: { minAvailable: 2 } } });
    expect(c.podDisruptionBudget?.name).toBe(expected[0].metadata.name);
    expect(find(objectsOf(chart), 'PodDisruptionBudget').spec).toEqual(expected[0].spec);
  });

  eachVersion('chart %s: keeps maxUnavailable 0 in the PodDisruptionBudget', (_v, version) => {
    const pdb = find(controller(version, { agent: { replicas: 3, podDisruptionBudget: { maxUnavailable: 0 } } }).objects, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(0);
    expect(pdb.spec.minAvailable).toBeUndefined();
  });

  test('accepts a percentage in the PodDisruptionBudget', () => {
    const { objects } = controller(V0_6_5, { agent: { replicas: 3, podDisruptionBudget: { minAvailablePercent: '50%' } } });
    expect(find(objects, 'PodDisruptionBudget').spec.minAvailable).toBe('50%');
  });

  test('fails when both minAvailable and maxUnavailable are set, naming both', () => {
    const error = configErrorOf(() => controller(V0_6_5, { agent: { replicas: 3, podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } }));
    expect(error.path).toBe('agent.podDisruptionBudget.maxUnavailable');
    expect(error.expected).toContain('agent.podDisruptionBudget.minAvailable is set');
  });

  test('omits the PodDisruptionBudget when disabled', () => {
    expect(findAll(controller(V0_6_5, { agent: { replicas: 3, podDisruptionBudget: { enabled: false } } }).objects, 'PodDisruptionBudget')).toHaveLength(0);
  });

  eachVersion('chart %s: creates neither ServiceAccount nor RBAC when told not to, and uses the "default" account', (_v, version) => {
    const { objects, c } = controller(version, { serviceAccount: { create: false }, rbac: { create: false } });
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'Deployment']);
    expect(c.serviceAccountName).toBe('default');
    expect(controllerPodOf(objects).serviceAccountName).toBe('default');
  });

  eachVersion('chart %s: hardens the controller container when no security context is given', (_v, version) => {
    expect(containerOf(controllerPodOf(controller(version).objects), 'controller').securityContext)
      .toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('redefines a library variable in place when overrides are allowed', () => {
    const { objects } = controller(V0_6_5, { agent: { allowEnvOverrides: true, extraEnv: { SCALR_AGENT_DEBUG: '2' } } });
    const env = containerOf(controllerPodOf(objects), 'controller').env;
    expect(env.filter((e: any) => e.name === 'SCALR_AGENT_DEBUG')).toEqual([{ name: 'SCALR_AGENT_DEBUG', value: '2' }]);
  });

  test('appends agent.controller.extraEnvVars after agent.extraEnv, with valueFrom', () => {
    const { objects } = controller(V0_6_5, {
      agent: {
        extraEnv: { TEAM: 'platform' },
        controller: { extraEnvVars: [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } }] },
      },
    });
    const env = containerOf(controllerPodOf(objects), 'controller').env;
    expect(env.slice(-2)).toEqual([
      { name: 'TEAM', value: 'platform' },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } },
    ]);
  });

  test('fails when agent.controller.extraEnvVars redefines a library variable', () => {
    const error = configErrorOf(() => controller(V0_6_5, { agent: { controller: { extraEnvVars: [{ name: 'SCALR_URL', value: 'https://x.scalr.io' }] } } }));
    expect(error.path).toBe('agent.controller.extraEnvVars[0]');
  });

  test.each([
    ['agent.dataDir is /tmp', { dataDir: '/tmp' }, '/tmp'],
    ['agent.cacheDir equals agent.dataDir', { dataDir: '/var/lib/agent', cacheDir: '/var/lib/agent' }, '/var/lib/agent'],
  ])('fails when %s: two mounts at one path in the controller', (_what, agent, at) => {
    for (const version of VERSIONS) {
      const error = configErrorOf(() => controller(version, { agent }));
      expect(error.path).toBe('agent (controller container)');
      expect(error.received).toContain(`both mounted at ${at}`);
    }
  });

  test('mounts the podinfo volume in the 0.6.5 controller only', () => {
    const mounts = (version: ChartVersion) => containerOf(controllerPodOf(controller(version).objects), 'controller').volumeMounts;
    expect(mounts(V0_6_5)).toContainEqual({ name: 'podinfo', mountPath: '/etc/podinfo' });
    expect(mounts(V0_5_62).map((m: any) => m.name)).not.toContain('podinfo');
  });

  test('fails without a token', () => {
    const chart = new Chart(Testing.app(), 't');
    const error = configErrorOf(() => new AgentController(chart, 'c', {} as any));
    expect(error.message).toMatch(/^token: got nothing; expected AgentToken.fromValue/);
  });

  test('a kplus imagePullSecret reaches the controller pod by name', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'agents' });
    const regcred = kplus.Secret.fromSecretName(chart, 'regcred', 'regcred');
    new AgentController(chart, 'c', { token, common: { imagePullSecrets: [regcred] } });
    expect(controllerPodOf(objectsOf(chart)).imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });
});
