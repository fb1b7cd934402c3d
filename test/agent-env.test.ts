/**
 * The environment contracts: which variables the controller and the worker get, in which order,
 * for each chart version, and what each contract accepts.
 */
import { Duration, Size } from 'cdk8s';
import { AgentEnvContract, CaBundle, ChartVersion, ClientCertificate, StopAction } from '../src';
import {
  PoolProps, V0_5_62, V0_6_5, VERSIONS, configErrorOf, containerOf, controllerPodOf, envOf, poolObjects, taskPodOf,
} from './support/builders';
import { referenceObjects } from './support/reference-objects';

/** The controller's and the worker's environment of a set of objects. */
function envs(objects: any[]) {
  return {
    controller: containerOf(controllerPodOf(objects), 'controller').env ?? [],
    worker: containerOf(taskPodOf(objects), 'worker').env ?? [],
  };
}
const names = (env: any[]) => env.map((e: any) => e.name);

/** Each reference scenario whose environment is checked, written with the typed API from its values.yaml. */
const SCENARIOS: [string, string, PoolProps][] = [
  ['0.5.62', '01-default', {}],
  ['0.5.62', '12-otel', { telemetry: { enabled: true, endpoint: 'otel-collector.observability:4317', metrics: true, traces: true } }],
  ['0.6.5', '01-default', {}],
  ['0.6.5', '12-otel-and-agent-tuning', {
    agent: {
      url: 'https://example.scalr.io',
      sentryDsn: 'https://key@sentry.example.com/42',
      providerNetworkMirrors: [
        { hostname: 'registry.terraform.io', url: 'https://mirror.example.com/providers/' },
        { hostname: '*', url: 'https://mirror.example.com/all/' },
      ],
      // 2G = 2 000 000 000 bytes (cdk8s sizes are binary).
      binaryCache: { sizeLimit: Size.kibibytes(2e9 / 1024), threshold: Duration.days(3) },
    },
    task: { startupTimeout: Duration.seconds(300), runner: { memorySoftLimitPercent: 70, memoryWarnPercent: 85 } },
    telemetry: { enabled: true, endpoint: 'http://otel-collector.monitoring:4317', metrics: true, traces: true },
  }],
  ['0.6.5', '16-tls-from-secrets', {
    agent: { url: 'https://example.scalr.io' },
    common: {
      caBundle: CaBundle.fromSecretName('corporate-ca', 'ca.pem'),
      clientCertificate: ClientCertificate.fromSecretName('agent-mtls', 'cert.pem', 'key.pem'),
    },
  }],
];

describe('the environment of the controller and the worker', () => {
  test.each(SCENARIOS)('chart %s, %s: the variable names, in order, are the reference manifest\'s', (version, scenario, props) => {
    const expected = envs(referenceObjects(version, scenario));
    const actual = envs(poolObjects({ ...props, version: ChartVersion.of(version) }));
    expect(names(actual.controller)).toEqual(names(expected.controller));
    expect(names(actual.worker)).toEqual(names(expected.worker));
  });

  test.each(SCENARIOS)('chart %s, %s: and so are their values', (version, scenario, props) => {
    const expected = envs(referenceObjects(version, scenario));
    const actual = envs(poolObjects({ ...props, version: ChartVersion.of(version) }));
    expect(actual).toEqual(expected);
  });

  test('the resource decides the template variable: AGENT_1 on a 0.5.62 pool keeps SCALR_AGENT_KUBERNETES_JOB_TEMPLATE', () => {
    const reference = names(envs(referenceObjects(V0_6_5, '01-default')).controller);
    const actual = names(envs(poolObjects({ version: V0_5_62, agent: { envContract: AgentEnvContract.AGENT_1 } })).controller);
    expect(actual).toEqual(reference.map((n) => (n === 'SCALR_AGENT_KUBERNETES_TASK_TEMPLATE' ? 'SCALR_AGENT_KUBERNETES_JOB_TEMPLATE' : n)));
  });

  test('the runner gets no agent variables in either version', () => {
    for (const version of VERSIONS) expect(containerOf(taskPodOf(poolObjects({ version })), 'runner').env).toBeUndefined();
  });
});

describe('settings only the agent 1 environment has', () => {
  const AGENT_1_ONLY: [string, PoolProps][] = [
    ['agent.moduleCache', { agent: { moduleCache: { enabled: true } } }],
    ['agent.binaryCache', { agent: { binaryCache: { sizeLimit: Size.gibibytes(2) } } }],
    ['agent.providerNetworkMirrors', { agent: { providerNetworkMirrors: [{ hostname: '*', url: 'https://mirror.example.com/' }] } }],
    ['agent.sentryDsn', { agent: { sentryDsn: 'https://secret-key@sentry.example.com/42' } }],
    ['agent.stop', { agent: { stop: { controllerAction: StopAction.GRACE_SHUTDOWN } } }],
    ['agent.providerCache.concurrency', { agent: { providerCache: { enabled: true, concurrency: 4 } } }],
    ['agent.providerCache.dropKernelPages', { agent: { providerCache: { dropKernelPages: false } } }],
    ['task.startupTimeout', { task: { startupTimeout: Duration.minutes(5) } }],
    ['task.runner.memoryWarnPercent', { task: { runner: { memoryWarnPercent: 85 } } }],
    ['task.runner.memorySoftLimitPercent', { task: { runner: { memorySoftLimitPercent: 70 } } }],
  ];

  test.each(AGENT_1_ONLY)('%s is an error with AgentEnvContract.AGENT_0_55, naming the prop', (path, props) => {
    for (const pool of [{ version: V0_5_62 }, { version: V0_6_5, agent: { envContract: AgentEnvContract.AGENT_0_55 } }]) {
      const error = configErrorOf(() => poolObjects({ ...props, ...pool, agent: { ...props.agent, ...pool.agent } }));
      expect(error.path).toBe(path);
      expect(error.expected).toMatch(/agent 0\.55/);
    }
  });

  test.each(AGENT_1_ONLY)('%s is accepted by the 0.6.5 pool, and by a 0.5.62 pool with AgentEnvContract.AGENT_1', (_path, props) => {
    expect(() => poolObjects(props)).not.toThrow();
    expect(() => poolObjects({ ...props, version: V0_5_62, agent: { ...props.agent, envContract: AgentEnvContract.AGENT_1 } })).not.toThrow();
  });

  test('the error about a Sentry DSN does not show it', () => {
    const error = configErrorOf(() => poolObjects({ version: V0_5_62, agent: { sentryDsn: 'https://secret-key@sentry.example.com/42' } }));
    expect(error.message).not.toContain('secret-key');
  });
});

describe('agent.extraEnv and the container extraEnv', () => {
  test.each(VERSIONS.map((v) => [v.version, v] as const))('chart %s: redefining a variable the library sets is an error naming it', (_v, version) => {
    const agentError = configErrorOf(() => poolObjects({ version, agent: { extraEnv: { SCALR_AGENT_DEBUG: '1' } } }));
    expect([agentError.path, agentError.received]).toEqual(['agent.extraEnv.SCALR_AGENT_DEBUG', '"SCALR_AGENT_DEBUG"']);
    expect(agentError.expected).toMatch(/agent\.allowEnvOverrides/);
    const workerError = configErrorOf(() => poolObjects({ version, task: { worker: { extraEnv: { SCALR_AGENT_DATA_DIR: '/x' } } } }));
    expect(workerError.path).toBe('task.worker.extraEnv.SCALR_AGENT_DATA_DIR');
  });

  test('a variable the 0.6.5 environment adds is reserved there, not in 0.5.62', () => {
    expect(configErrorOf(() => poolObjects({ agent: { extraEnv: { SCALR_AGENT_KUBERNETES_MODE: 'worker' } } })).path).toBe('agent.extraEnv.SCALR_AGENT_KUBERNETES_MODE');
    const env = envs(poolObjects({ version: V0_5_62, agent: { extraEnv: { SCALR_AGENT_KUBERNETES_MODE: 'x' } } }));
    expect(envOf({ env: env.worker }).SCALR_AGENT_KUBERNETES_MODE).toBe('x');
  });

  test.each(VERSIONS.map((v) => [v.version, v] as const))('chart %s: with allowEnvOverrides the variable is redefined in place, once', (_v, version) => {
    const plain = envs(poolObjects({ version }));
    const overridden = envs(poolObjects({ version, agent: { allowEnvOverrides: true, extraEnv: { SCALR_AGENT_LOG_FORMAT: 'plain' } } }));
    for (const c of ['controller', 'worker'] as const) {
      expect(names(overridden[c])).toEqual(names(plain[c]));
      expect(overridden[c].filter((e: any) => e.name === 'SCALR_AGENT_LOG_FORMAT')).toEqual([{ name: 'SCALR_AGENT_LOG_FORMAT', value: 'plain' }]);
    }
  });

  test('new variables come after the library\'s, agent.extraEnv before task.worker.extraEnv, each in key order', () => {
    const env = envs(poolObjects({ agent: { extraEnv: { ZED: '1', ALPHA: '2' } }, task: { worker: { extraEnv: { TF_LOG: 'DEBUG' } } } }));
    expect(names(env.worker).slice(-3)).toEqual(['ALPHA', 'ZED', 'TF_LOG']);
    expect(names(env.controller).slice(-2)).toEqual(['ALPHA', 'ZED']);
  });

  test('the same variable in agent.extraEnv and task.worker.extraEnv is an error naming both', () => {
    const error = configErrorOf(() => poolObjects({ agent: { extraEnv: { TF_LOG: 'INFO' } }, task: { worker: { extraEnv: { TF_LOG: 'DEBUG' } } } }));
    expect(error.path).toBe('task.worker.extraEnv.TF_LOG');
    expect(error.expected).toContain('agent.extraEnv.TF_LOG');
  });
});

describe('the podinfo volume of the agent 1 environment', () => {
  const podinfo = (objects: any[]) => ({
    controllerVolume: controllerPodOf(objects).volumes.find((v: any) => v.name === 'podinfo'),
    taskVolume: taskPodOf(objects).volumes.find((v: any) => v.name === 'podinfo'),
    controllerMount: containerOf(controllerPodOf(objects), 'controller').volumeMounts.find((m: any) => m.name === 'podinfo'),
    workerMount: containerOf(taskPodOf(objects), 'worker').volumeMounts.find((m: any) => m.name === 'podinfo'),
    runnerMount: containerOf(taskPodOf(objects), 'runner').volumeMounts.find((m: any) => m.name === 'podinfo'),
  });
  const expected = podinfo(referenceObjects(V0_6_5, '01-default'));

  test('AGENT_1 (0.6.5 by default, or chosen on 0.5.62) gets the podinfo volume and mounts of the reference', () => {
    const actual = podinfo(poolObjects({}));
    expect(actual).toEqual(expected);
    // The pod's own labels and annotations, at /etc/podinfo in the agent containers only (spec B.5).
    expect([actual.controllerMount, actual.workerMount, actual.runnerMount])
      .toEqual([{ name: 'podinfo', mountPath: '/etc/podinfo' }, { name: 'podinfo', mountPath: '/etc/podinfo' }, undefined]);
    expect(actual.taskVolume.downwardAPI.items.map((i: any) => i.fieldRef.fieldPath)).toEqual(['metadata.labels', 'metadata.annotations']);
    expect(podinfo(poolObjects({ version: V0_5_62, agent: { envContract: AgentEnvContract.AGENT_1 } }))).toEqual(expected);
  });

  test('AGENT_0_55 (0.5.62 by default, or chosen on 0.6.5) gets none, and runs python -m tacoagent.cmd', () => {
    for (const objects of [poolObjects({ version: V0_5_62 }), poolObjects({ agent: { envContract: AgentEnvContract.AGENT_0_55 } })]) {
      expect(Object.values(podinfo(objects)).every((x) => x === undefined)).toBe(true);
      expect(containerOf(controllerPodOf(objects), 'controller').command).toEqual(['python', '-m', 'tacoagent.cmd']);
      expect(containerOf(taskPodOf(objects), 'worker').command).toEqual(['python', '-m', 'tacoagent.cmd']);
    }
  });

  test('a user volume named podinfo is an error with AGENT_1 only', () => {
    expect(configErrorOf(() => poolObjects({ task: { extraVolumes: [{ name: 'podinfo', emptyDir: {} }] } })).path).toBe('task.extraVolumes[0].name');
    expect(() => poolObjects({ version: V0_5_62, task: { extraVolumes: [{ name: 'podinfo', emptyDir: {} }] } })).not.toThrow();
  });
});

describe('provider network mirrors', () => {
  test('are rendered as the chart renders its list (toJson: keys in order), with the optional fields that are set', () => {
    const mirrorToken = 'mirror-secret-token-4711';
    const objects = poolObjects({
      agent: {
        providerNetworkMirrors: [
          { url: 'https://mirror.example.com/all/' },
          { hostname: 'registry.terraform.io', url: 'https://mirror.example.com/tf/', include: ['registry.terraform.io/hashicorp/*'], token: mirrorToken },
        ],
      },
    });
    const value = envOf(containerOf(controllerPodOf(objects), 'controller')).SCALR_AGENT_PROVIDER_NETWORK_MIRRORS;
    expect(value).toBe('[{"url":"https://mirror.example.com/all/"},'
      + `{"hostname":"registry.terraform.io","include":["registry.terraform.io/hashicorp/*"],"token":"${mirrorToken}","url":"https://mirror.example.com/tf/"}]`);
    expect(envOf(containerOf(taskPodOf(objects), 'worker')).SCALR_AGENT_PROVIDER_NETWORK_MIRRORS).toBe(value);
  });

  test('a mirror token is never shown in a message', () => {
    const mirrorToken = 'mirror-secret-token-0815';
    const error = configErrorOf(() => poolObjects({ agent: { url: mirrorToken, providerNetworkMirrors: [{ url: 'https://m.example.com/', token: mirrorToken }] } }));
    expect(error.message).not.toContain(mirrorToken);
  });
});
