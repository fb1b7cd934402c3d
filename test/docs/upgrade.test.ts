/**
 * docs/upgrade-0.5-to-0.6.md: every claim of the upgrade guide, checked against what the library
 * synthesizes for the example app in examples/upgrade (run in-process against ../../src, not the
 * packed library): the object table, the renames, what `nameOverride: 'agent-job'` keeps, the
 * objects the steps delete, and what happens to the pods of runs in progress.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Size } from 'cdk8s';
import * as ts from 'typescript';
import * as library from '../../src';
import { AgentJobChart, AgentPoolFleet, AgentToken, ChartVersion, VolumeStorage } from '../../src';
import { configErrorOf, containerOf, envOf, find, findAll } from '../support/builders';
import { parseManifests, quantityValue } from '../support/compare';

/**
 * The example module, compiled as it is and run with the library's source standing in for the
 * package name it imports (`cdk8s-scalr-agent-job`). Not through jest.mock: a copy of the project
 * (test:compat's .cache/compat) makes that name ambiguous to jest's module map.
 */
function loadExample(file: string): any {
  const source = fs.readFileSync(file, 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    fileName: file,
  }).outputText;
  const module = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string) => (id === 'cdk8s-scalr-agent-job' ? library : require(id));
  new Function('require', 'module', 'exports', js)(load, module, module.exports);
  return module.exports;
}
const example = loadExample(path.join(__dirname, '..', '..', 'examples', 'upgrade', 'states.ts'));

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'upgrade-0.5-to-0.6.md'), 'utf8');
const STATES = ['before', 'after', 'after-keep-names'] as const;
type State = typeof STATES[number];

/** The objects of the example pool in one state (release scalr-agent unless given). */
function objectsIn(state: State, releaseName?: string): any[] {
  return parseManifests((example.stateApp(state, releaseName) as App).synthYaml());
}

/** `Kind name` of each object. */
const ids = (objects: any[]) => objects.map((o) => `${o.kind} ${o.metadata.name}`);

/** The objects of the example pool with other props, in one state. */
function variant(state: State, props: object): any[] {
  const app = new App();
  new AgentJobChart(app, 'pool', { ...example.poolProps(), ...example.STATES[state], ...props });
  return parseManifests(app.synthYaml());
}

const before = objectsIn('before');
const after = objectsIn('after');
const keep = objectsIn('after-keep-names');
const OF: Record<State, any[]> = { 'before': before, 'after': after, 'after-keep-names': keep };

/** The rows of the table that follows the `<!-- upgrade-objects` comment: [label, before, after, keep]. */
function tableRows(): string[][] {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => l.startsWith('<!-- upgrade-objects'));
  expect(start).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 3)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

/** `Kind \`name\`` → `Kind name`; `—` → undefined. */
function cellId(cell: string): string | undefined {
  if (cell === '—') return undefined;
  const m = /^(\w+) `([^`]+)`$/.exec(cell);
  if (!m) throw new Error(`table cell not understood: ${cell}`);
  return `${m[1]} ${m[2]}`;
}

describe('the table of objects', () => {
  const rows = tableRows();

  test.each(STATES.map((s, i) => [s, i + 1] as const))('lists exactly the objects of the %s state', (state, column) => {
    const listed = rows.map((r) => cellId(r[column])).filter((c): c is string => c !== undefined);
    expect([...listed].sort()).toEqual(ids(OF[state]).sort());
  });

  test('its rows are the same object in each state (same role)', () => {
    expect(rows.map((r) => r[0])).toEqual([
      'CRD', 'task template', 'controller', 'controller budget', 'task budget', 'metadata policy',
      'ServiceAccount', 'Role', 'its binding', 'ClusterRole', 'its binding', 'cache claim',
    ]);
  });
});

describe('what is behind the renames', () => {
  test('the fullname of release scalr-agent is scalr-agent-agent-job, then scalr-agent', () => {
    const fullname = (state: State) => {
      const app = example.stateApp(state) as App;
      return (app.node.findChild('pool') as AgentJobChart).release.fullname;
    };
    expect([fullname('before'), fullname('after'), fullname('after-keep-names')]).toEqual(['scalr-agent-agent-job', 'scalr-agent', 'scalr-agent-agent-job']);
  });

  test('the token Secret the library creates is renamed unless nameOverride keeps it', () => {
    const token = AgentToken.fromValue('an-example-agent-pool-token');
    const secretOf = (state: State) => ids(findAll(variant(state, { token }), 'Secret'));
    expect(secretOf('before')).toEqual(['Secret scalr-agent-agent-job']);
    expect(secretOf('after')).toEqual(['Secret scalr-agent']);
    expect(secretOf('after-keep-names')).toEqual(['Secret scalr-agent-agent-job']);
  });

  test('app.kubernetes.io/name changes from agent-job to scalr-agent on every pod and selector (and nameOverride keeps agent-job)', () => {
    for (const [state, name] of [['before', 'agent-job'], ['after', 'scalr-agent'], ['after-keep-names', 'agent-job']] as const) {
      const objects = OF[state];
      const selectors = [
        find(objects, 'Deployment').spec.selector.matchLabels,
        find(objects, 'Deployment').spec.template.metadata.labels,
        find(objects, 'NetworkPolicy').spec.podSelector.matchLabels,
        ...findAll(objects, 'PodDisruptionBudget').map((p) => p.spec.selector.matchLabels),
        taskTemplate(objects).spec.jobTemplate.spec.template.metadata.labels,
      ];
      for (const s of selectors) expect(s['app.kubernetes.io/name']).toBe(name);
    }
  });

  test('release scalr-agent: the Deployment keeps its name scalr-agent and changes its (immutable) selector', () => {
    const [old, neu] = [find(before, 'Deployment'), find(after, 'Deployment')];
    expect([old.metadata.name, neu.metadata.name]).toEqual(['scalr-agent', 'scalr-agent']);
    expect(neu.spec.selector).not.toEqual(old.spec.selector);
    // It is the only object both states define: everything else is new or gone.
    expect(ids(before).filter((id) => ids(after).includes(id))).toEqual(['Deployment scalr-agent']);
  });

  test('release prod: the Deployment scalr-agent becomes prod-scalr-agent, a new Deployment', () => {
    expect(find(objectsIn('before', 'prod'), 'Deployment').metadata.name).toBe('scalr-agent');
    expect(find(objectsIn('after', 'prod'), 'Deployment').metadata.name).toBe('prod-scalr-agent');
  });

  test('the custom resource: AgentTask scalr-agent-task becomes AgentTaskTemplate <fullname>-task-template with spec.basename', () => {
    expect(ids([taskTemplate(before)])).toEqual(['AgentTask scalr-agent-task']);
    expect(ids([taskTemplate(after)])).toEqual(['AgentTaskTemplate scalr-agent-task-template']);
    expect(taskTemplate(before).spec.basename).toBeUndefined();
    expect(taskTemplate(after).spec.basename).toBe('scalr-agent');
    expect(ids(findAll(before, 'CustomResourceDefinition'))).toEqual(['CustomResourceDefinition atasks.scalr.io']);
    expect(ids(findAll(after, 'CustomResourceDefinition'))).toEqual(['CustomResourceDefinition agenttasktemplates.scalr.io']);
  });

  test('the controller finds it through SCALR_AGENT_KUBERNETES_TASK_TEMPLATE instead of SCALR_AGENT_KUBERNETES_JOB_TEMPLATE', () => {
    const envBefore = envOf(containerOf(find(before, 'Deployment').spec.template.spec, 'controller'));
    const envAfter = envOf(containerOf(find(after, 'Deployment').spec.template.spec, 'controller'));
    expect(envBefore.SCALR_AGENT_KUBERNETES_JOB_TEMPLATE).toBe('scalr-agent-task');
    expect(envBefore.SCALR_AGENT_KUBERNETES_TASK_TEMPLATE).toBeUndefined();
    expect(envAfter.SCALR_AGENT_KUBERNETES_TASK_TEMPLATE).toBe('scalr-agent-task-template');
    expect(envAfter.SCALR_AGENT_KUBERNETES_JOB_TEMPLATE).toBeUndefined();
  });

  test('the ClusterRole grants agenttasktemplates instead of atasks, bound by a ClusterRoleBinding instead of a RoleBinding', () => {
    expect(find(before, 'ClusterRole').rules.flatMap((r: any) => r.resources)).toEqual(['atasks']);
    expect(find(after, 'ClusterRole').rules.flatMap((r: any) => r.resources)).toEqual(['agenttasktemplates']);
    const binds = (objects: any[]) => [...findAll(objects, 'RoleBinding'), ...findAll(objects, 'ClusterRoleBinding')]
      .filter((b) => b.roleRef.kind === 'ClusterRole').map((b) => b.kind);
    expect([binds(before), binds(after)]).toEqual([['RoleBinding'], ['ClusterRoleBinding']]);
  });

  test('the pods: agent 1.4.0 with the cache claim and podinfo; runner scalr/runner:0.2.0 and worker are containers with probes', () => {
    const controller = find(after, 'Deployment').spec.template.spec;
    expect(containerOf(controller, 'controller').image).toBe('scalr/agent:1.4.0');
    const volumes = Object.fromEntries(controller.volumes.map((v: any) => [v.name, v]));
    expect(volumes['cache-dir'].persistentVolumeClaim.claimName).toBe('scalr-agent-cache');
    expect(volumes.podinfo.downwardAPI).toBeDefined();
    const pod = taskTemplate(after).spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers ?? []).toEqual([]);
    expect(pod.containers.map((c: any) => `${c.name} ${c.image}`)).toEqual(['runner scalr/runner:0.2.0', 'worker scalr/agent:1.4.0']);
    for (const c of pod.containers) expect([c.startupProbe, c.livenessProbe].every(Boolean)).toBe(true);
    // Before: the worker is a native sidecar (an init container), without probes.
    const old = taskTemplate(before).spec.jobTemplate.spec.template.spec;
    expect(old.initContainers.map((c: any) => c.name)).toEqual(['worker']);
  });
});

describe('keeping the old names', () => {
  test('nameOverride keeps exactly the ServiceAccount, the Role and its RoleBinding, and the claims', () => {
    expect(ids(before).filter((id) => ids(keep).includes(id)).sort()).toEqual([
      'PersistentVolumeClaim scalr-agent-agent-job-cache',
      'Role scalr-agent-agent-job-role',
      'RoleBinding scalr-agent-agent-job-role-binding',
      'ServiceAccount scalr-agent-agent-job',
    ]);
  });

  test('it keeps the data claim too', () => {
    const data = { data: VolumeStorage.newClaim({ storage: Size.gibibytes(5) }) };
    const claims = (state: State) => ids(findAll(variant(state, { persistence: { ...example.poolProps().persistence, ...data } }), 'PersistentVolumeClaim'));
    expect(claims('after-keep-names')).toEqual(claims('before'));
    expect(claims('before')).toContain('PersistentVolumeClaim scalr-agent-agent-job-data');
  });

  test('the names it does not keep are those of chart 0.6', () => {
    const keepIds = ids(keep);
    for (const id of [
      'Deployment scalr-agent-agent-job', 'AgentTaskTemplate scalr-agent-agent-job-task-template', 'NetworkPolicy scalr-agent-agent-job-network-policy',
      'PodDisruptionBudget scalr-agent-agent-job', 'ClusterRole scalr-scalr-agent-agent-job-clusterrole',
      'ClusterRoleBinding scalr-scalr-agent-agent-job-clusterrole-binding', 'CustomResourceDefinition agenttasktemplates.scalr.io',
    ]) {
      expect(keepIds).toContain(id);
      expect(ids(before)).not.toContain(id);
    }
  });

  test('nothing it updates in place has an immutable field changed', () => {
    const pair = (kind: string, name: string) => [find(before, kind, name), find(keep, kind, name)];
    const [oldClaim, newClaim] = pair('PersistentVolumeClaim', 'scalr-agent-agent-job-cache');
    expect(newClaim.spec).toEqual(oldClaim.spec);
    const [oldBinding, newBinding] = pair('RoleBinding', 'scalr-agent-agent-job-role-binding');
    expect(newBinding.roleRef).toEqual(oldBinding.roleRef);
  });

  test('while both exist, the old and new Deployment have one selector, and two controller budgets select the same pods', () => {
    expect(find(keep, 'Deployment').spec.selector).toEqual(find(before, 'Deployment').spec.selector);
    const oldBudget = find(before, 'PodDisruptionBudget', 'scalr-agent-agent-job-agent');
    const newBudget = find(keep, 'PodDisruptionBudget', 'scalr-agent-agent-job');
    expect(newBudget.spec.selector).toEqual(oldBudget.spec.selector);
  });

  test('a claim left to the chart default would be asked to grow from 50Gi to 90Gi', () => {
    const cache = { persistence: { cache: VolumeStorage.newClaim() } };
    const size = (state: State) => find(variant(state, cache), 'PersistentVolumeClaim').spec.resources.requests.storage;
    expect([size('before'), size('after-keep-names')]).toEqual(['50Gi', '90Gi']);
  });
});

describe('the steps', () => {
  const KINDS: Record<string, string> = Object.fromEntries([
    'Deployment', 'PodDisruptionBudget', 'RoleBinding', 'ClusterRole', 'NetworkPolicy', 'AgentTask',
  ].map((kind) => [kind.toLowerCase(), kind]).concat([['crd', 'CustomResourceDefinition']]));
  const deletes = [...DOC.matchAll(/kubectl (?:-n scalr )?delete (\w+) (\S+)/g)].map((m) => `${KINDS[m[1]]} ${m[2]}`);

  test('each object the steps delete is one of chart 0.5.62 that chart 0.6.5 with nameOverride does not define', () => {
    expect(deletes).toHaveLength(7);
    for (const id of deletes) {
      expect(ids(before)).toContain(id);
      expect(ids(keep)).not.toContain(id);
    }
    // And together with the objects kept in place, they are all of the old objects.
    const kept = ids(before).filter((id) => ids(keep).includes(id));
    expect([...deletes, ...kept].sort()).toEqual(ids(before).sort());
  });

  test('the new CRD file and the new Deployment the steps name exist', () => {
    expect(DOC).toContain('after-keep-names/00-customresourcedefinition-agenttasktemplates.scalr.io.yaml');
    expect(DOC).toContain('crd/agenttasktemplates.scalr.io');
    expect(DOC).toContain('deployment/scalr-agent-agent-job');
    expect(ids(keep)).toContain('Deployment scalr-agent-agent-job');
  });
});

describe('in place: every name of chart 0.5', () => {
  const inPlace = parseManifests((example.stateApp('after-in-place') as App).synthYaml());

  test('adds only the new CRD, the AgentTaskTemplate and the task budget; leaves only the AgentTask and its CRD', () => {
    expect(ids(inPlace).filter((id) => !ids(before).includes(id)).sort()).toEqual([
      'AgentTaskTemplate scalr-agent-task', 'CustomResourceDefinition agenttasktemplates.scalr.io', 'PodDisruptionBudget scalr-agent-agent-job-task',
    ]);
    expect(ids(before).filter((id) => !ids(inPlace).includes(id)).sort()).toEqual(['AgentTask scalr-agent-task', 'CustomResourceDefinition atasks.scalr.io']);
  });

  test('the Deployment keeps its name and selector (a rolling update) and runs agent 1.4.0 with the new template', () => {
    const old = find(before, 'Deployment', 'scalr-agent');
    const updated = find(inPlace, 'Deployment', 'scalr-agent');
    expect(updated.spec.selector).toEqual(old.spec.selector);
    expect(containerOf(updated.spec.template.spec, 'controller').image).toBe('scalr/agent:1.4.0');
    expect(envOf(containerOf(updated.spec.template.spec, 'controller')).SCALR_AGENT_KUBERNETES_TASK_TEMPLATE).toBe('scalr-agent-task');
  });

  test('the ClusterRole keeps its name with the new resource, bound by the same RoleBinding', () => {
    expect(find(inPlace, 'ClusterRole', 'scalr-agent-agent-job-clusterrole').rules[0].resources).toEqual(['agenttasktemplates']);
    expect(find(inPlace, 'RoleBinding', 'scalr-agent-agent-job-clusterrole-binding').roleRef)
      .toEqual(find(before, 'RoleBinding', 'scalr-agent-agent-job-clusterrole-binding').roleRef);
  });

  test('the doc names the props of the state', () => {
    expect(DOC).toContain('resourceNames: ResourceNaming.CHART_0_5');
    expect(DOC).toContain('clusterRoleScope: ClusterRoleScope.NAMESPACE');
    expect(Object.keys(example.STATES)).toContain('after-in-place');
  });
});

describe('before you start', () => {
  const defaults = (version: ChartVersion, props: object = {}) => {
    const app = new App();
    new AgentJobChart(app, 'pool', { token: AgentToken.fromSecretName('t'), namespace: 'scalr', version, ...props });
    return parseManifests(app.synthYaml());
  };
  const [old, neu] = [defaults(ChartVersion.V0_5_62), defaults(ChartVersion.V0_6_5)];
  const taskPod = (objects: any[]) => taskTemplate(objects).spec.jobTemplate.spec.template.spec;

  test('the defaults that change', () => {
    const runnerMemory = [containerOf(taskPod(old), 'runner'), containerOf(taskPod(neu), 'runner')].map((c) => quantityValue(c.resources.limits.memory));
    expect(runnerMemory).toEqual([quantityValue('2048Mi'), quantityValue('8192Mi')]);
    const oldLimits = containerOf(find(old, 'Deployment').spec.template.spec, 'controller').resources.limits;
    expect([quantityValue(oldLimits.cpu), quantityValue(oldLimits.memory)]).toEqual([quantityValue('500m'), quantityValue('256Mi')]);
    expect(containerOf(find(neu, 'Deployment').spec.template.spec, 'controller').resources.limits).toBeUndefined();
    const job = (objects: any[]) => taskTemplate(objects).spec.jobTemplate.spec;
    expect([job(old).backoffLimit, job(neu).backoffLimit]).toEqual([0, 1]);
    expect([job(old).podFailurePolicy, Boolean(job(neu).podFailurePolicy)]).toEqual([undefined, true]);
    expect(findAll(old, 'PodDisruptionBudget')).toEqual([]);
    expect(find(neu, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 0 });
    expect(job(old).template.metadata.annotations).toBeUndefined();
    expect(job(neu).template.metadata.annotations).toMatchObject({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false', 'karpenter.sh/do-not-disrupt': 'true' });
    const emptyDirs = (objects: any[]) => taskPod(objects).volumes.filter((v: any) => v.emptyDir?.sizeLimit).map((v: any) => `${v.name} ${v.emptyDir.sizeLimit}`);
    expect(emptyDirs(old)).toEqual(['data-dir 5Gi', 'cache-dir 5Gi']);
    expect(emptyDirs(neu)).toEqual(['data-dir 4Gi', 'cache-dir 1Gi']);
    const claimSize = (version: ChartVersion) => find(defaults(version, { persistence: { cache: VolumeStorage.newClaim() } }), 'PersistentVolumeClaim')
      .spec.resources.requests.storage;
    expect([claimSize(ChartVersion.V0_5_62), claimSize(ChartVersion.V0_6_5)]).toEqual(['50Gi', '90Gi']);
  });

  test('an agent 1.x variable in agent.extraEnv is refused with chart 0.6.5, naming it', () => {
    const props = { agent: { extraEnv: { SCALR_AGENT_SENTRY_DSN: 'https://key@sentry.example.com/1' } } };
    expect(envOf(containerOf(find(defaults(ChartVersion.V0_5_62, props), 'Deployment').spec.template.spec, 'controller')).SCALR_AGENT_SENTRY_DSN).toBeDefined();
    const error = configErrorOf(() => defaults(ChartVersion.V0_6_5, props));
    expect(error.path).toBe('agent.extraEnv.SCALR_AGENT_SENTRY_DSN');
  });
});

describe('runs in progress', () => {
  const taskLabels = (objects: any[]) => taskTemplate(objects).spec.jobTemplate.spec.template.metadata.labels;
  const selects = (policy: any, labels: Record<string, string>) =>
    Object.entries(policy.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v);

  test('old task pods carry app.kubernetes.io/name: agent-job; only the old policy selects them, unless nameOverride', () => {
    expect(taskLabels(before)['app.kubernetes.io/name']).toBe('agent-job');
    expect(selects(find(before, 'NetworkPolicy'), taskLabels(before))).toBe(true);
    expect(selects(find(after, 'NetworkPolicy'), taskLabels(before))).toBe(false);
    expect(selects(find(keep, 'NetworkPolicy'), taskLabels(before))).toBe(true);
  });

  test('the basename is the fullname unless task.job.basename sets it; Jobs are deleted 60 s after they finish', () => {
    expect(taskTemplate(after).spec.basename).toBe('scalr-agent');
    expect(taskTemplate(keep).spec.basename).toBe('scalr-agent-agent-job');
    expect(taskTemplate(variant('after', { task: { job: { basename: 'tf' } } })).spec.basename).toBe('tf');
    expect(taskTemplate(after).spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(60);
  });
});

describe('several pools', () => {
  test('one fleet with pools of both versions creates both CRDs', () => {
    const app = new App();
    new AgentPoolFleet(app, 'fleet', {
      pools: [
        { releaseName: 'legacy', namespace: 'old', props: { token: AgentToken.fromSecretName('t'), version: ChartVersion.V0_5_62 } },
        { releaseName: 'current', namespace: 'new', props: { token: AgentToken.fromSecretName('t'), version: ChartVersion.V0_6_5 } },
      ],
    });
    expect(ids(findAll(parseManifests(app.synthYaml()), 'CustomResourceDefinition')))
      .toEqual(['CustomResourceDefinition atasks.scalr.io', 'CustomResourceDefinition agenttasktemplates.scalr.io']);
  });
});

/** The task template object (AgentTask or AgentTaskTemplate). */
function taskTemplate(objects: any[]): any {
  const found = objects.filter((o) => o.kind === 'AgentTask' || o.kind === 'AgentTaskTemplate');
  expect(found).toHaveLength(1);
  return found[0];
}
