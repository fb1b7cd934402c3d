import { Chart, Testing } from 'cdk8s';
import { AgentController, AgentToken } from '../src';

function controller(props: Partial<ConstructorParameters<typeof AgentController>[2]> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'agents' });
  const c = new AgentController(chart, 'controller', { token: AgentToken.fromValue('t0ken'), ...props });
  return { c, objects: Testing.synth(chart) };
}
const find = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

describe('AgentController', () => {
  test('creates the Deployment, Secret, ServiceAccount and four RBAC objects by default', () => {
    const { objects } = controller();
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'Deployment', 'Role', 'RoleBinding', 'RoleBinding', 'Secret', 'ServiceAccount']);
  });

  test('exposes the objects it creates', () => {
    const { c } = controller({ agent: { replicas: 2 } });
    expect(c.deployment.kind).toBe('Deployment');
    expect(c.secret?.name).toBe('scalr-agent-agent-job');
    expect(c.podDisruptionBudget?.kind).toBe('PodDisruptionBudget');
    expect(c.serviceAccountName).toBe('scalr-agent-agent-job');
  });

  test('the token Secret holds the value in base64 and the pod template has a checksum of it', () => {
    const { objects } = controller();
    expect(find(objects, 'Secret')[0].data).toEqual({ token: Buffer.from('t0ken').toString('base64') });
    const annotations = find(objects, 'Deployment')[0].spec.template.metadata.annotations;
    expect(annotations['checksum/secrets']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the checksum changes when the token changes, so the controller restarts', () => {
    const checksum = (token: string) => {
      const chart = new Chart(Testing.app(), 't');
      new AgentController(chart, 'c', { token: AgentToken.fromValue(token) });
      return Testing.synth(chart).find((o) => o.kind === 'Deployment').spec.template.metadata.annotations['checksum/secrets'];
    };
    expect(checksum('a')).not.toBe(checksum('b'));
  });

  test('an existing Secret creates no Secret and is referenced with its key', () => {
    const { objects } = controller({ token: AgentToken.fromSecretName('pool-token', 'value') });
    expect(find(objects, 'Secret')).toHaveLength(0);
    const env = find(objects, 'Deployment')[0].spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'SCALR_AGENT_TOKEN').valueFrom.secretKeyRef).toEqual({ name: 'pool-token', key: 'value', optional: false });
    expect(find(objects, 'Deployment')[0].spec.template.metadata.annotations).toBeUndefined();
  });

  test('puts cluster-scoped objects outside the namespace and the rest in it', () => {
    const { objects } = controller();
    for (const o of objects) {
      if (o.kind === 'ClusterRole') expect(o.metadata.namespace).toBeUndefined();
      else expect(o.metadata.namespace).toBe('agents');
    }
  });

  test('binds the ClusterRole with a RoleBinding, so it grants rights in the namespace only', () => {
    const { c } = controller();
    expect(c.clusterRoleBinding?.kind).toBe('RoleBinding');
  });

  test('creates no PodDisruptionBudget for a single replica', () => {
    const { objects } = controller({ agent: { podDisruptionBudget: { minAvailable: 1 } } });
    expect(find(objects, 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('keeps maxUnavailable 0 in the PodDisruptionBudget', () => {
    const { objects } = controller({ agent: { replicas: 3, podDisruptionBudget: { maxUnavailable: 0 } } });
    expect(find(objects, 'PodDisruptionBudget')[0].spec.maxUnavailable).toBe(0);
    expect(find(objects, 'PodDisruptionBudget')[0].spec.minAvailable).toBeUndefined();
  });

  test('accepts a percentage in the PodDisruptionBudget', () => {
    const { objects } = controller({ agent: { replicas: 3, podDisruptionBudget: { minAvailablePercent: '50%' } } });
    expect(find(objects, 'PodDisruptionBudget')[0].spec.minAvailable).toBe('50%');
  });

  test('omits the PodDisruptionBudget when disabled', () => {
    const { objects } = controller({ agent: { replicas: 3, podDisruptionBudget: { enabled: false } } });
    expect(find(objects, 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('creates neither ServiceAccount nor RBAC when told not to, and uses the "default" account', () => {
    const { objects, c } = controller({ serviceAccount: { create: false }, rbac: { create: false } });
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'Deployment']);
    expect(c.serviceAccountName).toBe('default');
  });

  test('hardens the controller container when no security context is given', () => {
    const { objects } = controller();
    expect(find(objects, 'Deployment')[0].spec.template.spec.containers[0].securityContext)
      .toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('redefines a library variable in place when overrides are allowed', () => {
    const { objects } = controller({ agent: { allowEnvOverrides: true, extraEnv: { SCALR_AGENT_DEBUG: '2' } } });
    const env = find(objects, 'Deployment')[0].spec.template.spec.containers[0].env;
    expect(env.filter((e: any) => e.name === 'SCALR_AGENT_DEBUG')).toEqual([{ name: 'SCALR_AGENT_DEBUG', value: '2' }]);
  });

  test('fails without a token', () => {
    const chart = new Chart(Testing.app(), 't');
    expect(() => new AgentController(chart, 'c', {} as any)).toThrow(/^token: got nothing; expected AgentToken.fromValue/);
  });
});
