import * as kplus from 'cdk8s-plus-30';
import { Defaults } from './defaults';
import { Json, flag, integer, seconds, structList } from './pod';
import { invalid } from '../core/errors';
import { sortedEntries } from '../core/json';
import { sizeToMegabytes } from '../core/quantity';
import { registerSecret } from '../core/redact';
import { AgentOptions } from '../options/agent';
import { CommonOptions, LogFormat, ProxyOptions } from '../options/common';
import { TelemetryOptions } from '../options/pool';
import { AgentEnvContract, StopAction, TaskTemplateResource } from '../options/structure';
import { TaskOptions } from '../options/task';
import { CA_BUNDLE_PATH, CaBundle, CLIENT_CERTIFICATE_DIR, ClientCertificate } from '../tls';
import { taskTemplateCrd } from '../versions/crds';

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const URL_PATTERN = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/;
const HOST_PORT = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?:\d{1,5}$/;


/** Everything the controller and the worker need to know, resolved and validated. */
export interface AgentRuntime {
  readonly contract: AgentEnvContract;
  readonly url: string;
  readonly tokenSecretName: string;
  readonly tokenKey: string;
  readonly debug: boolean;
  readonly logFormat: LogFormat;
  readonly dataDir: string;
  readonly cacheDir: string;
  readonly extraEnv: [string, string][];
  readonly allowEnvOverrides: boolean;
  readonly telemetry: Json[];
  /** Proxy and CA variables, for every container (controller, worker and runner). */
  readonly connectionEnv: Json[];
  /** Client certificate variables, for the controller and the worker only. */
  readonly clientCertificateEnv: Json[];
  readonly providerCache: { enabled: boolean; sizeMb: number; concurrency: number; dropKernelPages: boolean };
  readonly moduleCache: { enabled: boolean; sizeMb: number; concurrency: number };
  readonly binaryCache: { sizeMb: number; thresholdDays: number };
  readonly mirrors?: string;
  readonly sentryDsn: string;
  readonly stop: { controller: StopAction; drainTimeout: number; worker: StopAction };
  readonly memory: { warn: number; softLimit: number };
  readonly startupTimeout: number;
  readonly controllerGrace: number;
  readonly workerGrace: number;
  /** Whether the pods get their own labels and annotations under /etc/podinfo (agent 1). */
  readonly podinfo: boolean;
}

/** The settings that decide the agent's environment, as the constructs receive them. */
export interface AgentRuntimeInput {
  readonly agent: AgentOptions;
  readonly task: TaskOptions;
  readonly tokenSecretName: string;
  readonly tokenKey: string;
  readonly telemetry?: TelemetryOptions;
  readonly common?: CommonOptions;
  readonly defaults: Defaults;
}

function checkAbsolutePath(path: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').includes('..') || /[\s]/.test(value) || value === '/') {
    invalid(path, value, "an absolute path other than '/' without '..' or spaces");
  }
  return value.replace(/\/+$/, '');
}

/** Options that only the agent 1 environment has: set with agent 0.55 they would do nothing. */
const AGENT_1_ONLY: [string, (i: AgentRuntimeInput) => unknown][] = [
  ['agent.moduleCache', (i) => i.agent.moduleCache],
  ['agent.binaryCache', (i) => i.agent.binaryCache],
  ['agent.providerNetworkMirrors', (i) => i.agent.providerNetworkMirrors],
  ['agent.sentryDsn', (i) => i.agent.sentryDsn],
  ['agent.stop', (i) => i.agent.stop],
  ['agent.providerCache.concurrency', (i) => i.agent.providerCache?.concurrency],
  ['agent.providerCache.dropKernelPages', (i) => i.agent.providerCache?.dropKernelPages],
  ['task.startupTimeout', (i) => i.task.startupTimeout],
  ['task.runner.memoryWarnPercent', (i) => i.task.runner?.memoryWarnPercent],
  ['task.runner.memorySoftLimitPercent', (i) => i.task.runner?.memorySoftLimitPercent],
];

function megabytes(path: string, size: unknown): number {
  if (size === null || typeof size !== 'object' || typeof (size as any).toKibibytes !== 'function') {
    invalid(path, size, 'a cdk8s Size such as Size.gibibytes(40)');
  }
  const mb = sizeToMegabytes(size as any);
  if (!Number.isFinite(mb) || mb < 1 || mb > Number.MAX_SAFE_INTEGER) invalid(path, `${mb} MB`, 'at least 1 MB');
  return mb;
}

function percent(path: string, value: number | undefined, fallback: number): number {
  return integer(path, value, fallback, 1, 100);
}

function stopAction(path: string, value: StopAction | undefined, fallback: StopAction): StopAction {
  if (value === undefined) return fallback;
  if (!Object.values(StopAction).includes(value)) invalid(path, value, `one of ${Object.values(StopAction).join(', ')}`);
  return value;
}

/** Resolves and validates the agent settings shared by the controller and the worker. */
export function agentRuntime(input: AgentRuntimeInput): AgentRuntime {
  const { agent, task, defaults: d, common } = input;
  const contract = agent.envContract ?? d.profile.envContract;
  if (!Object.values(AgentEnvContract).includes(contract)) {
    invalid('agent.envContract', contract, `one of ${Object.values(AgentEnvContract).join(', ')}`);
  }
  if (contract === AgentEnvContract.AGENT_0_55) {
    for (const [path, read] of AGENT_1_ONLY) {
      const value = read(input);
      if (value !== undefined) {
        invalid(path, value, 'nothing with the agent 0.55 environment (chart 0.5.62), which has no such setting; use ChartVersion.V0_6_5 or agent.envContract AGENT_1');
      }
    }
  }
  const url = agent.url ?? '';
  if (typeof url !== 'string' || (url !== '' && !URL_PATTERN.test(url))) {
    // A value without a URL scheme may be something else pasted in the wrong place: it is not repeated.
    invalid('agent.url', /^[a-z][a-z0-9+.-]*:\/\//i.test(String(url)) ? url : '(a value that is not a URL)',
      'an http(s) URL such as "https://example.scalr.io", or empty');
  }
  const logFormat = agent.logFormat ?? (d.string('agent.logFormat') as LogFormat);
  if (!Object.values(LogFormat).includes(logFormat)) {
    invalid('agent.logFormat', logFormat, `one of ${Object.values(LogFormat).join(', ')}`);
  }
  const debug = flag('agent.debug', agent.debug, false);
  const extraEnv = sortedEntries(agent.extraEnv);
  checkEnvMap('agent.extraEnv', extraEnv);
  const provider = agent.providerCache ?? {};
  const moduleCache = agent.moduleCache ?? {};
  const binary = agent.binaryCache ?? {};
  const threshold = binary.threshold === undefined ? undefined : binary.threshold.toDays({ integral: false });
  if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 1)) {
    invalid('agent.binaryCache.threshold', `${threshold} days`, 'a whole number of days, at least 1');
  }
  if (agent.sentryDsn !== undefined) {
    registerSecret(agent.sentryDsn);
    if (typeof agent.sentryDsn !== 'string' || (agent.sentryDsn !== '' && !URL_PATTERN.test(agent.sentryDsn))) {
      invalid('agent.sentryDsn', '(a value that is not a URL)', 'a Sentry DSN URL such as "https://key@sentry.example.com/42", or empty');
    }
  }
  return {
    contract,
    url,
    tokenSecretName: input.tokenSecretName,
    tokenKey: input.tokenKey,
    debug,
    logFormat,
    dataDir: checkAbsolutePath('agent.dataDir', agent.dataDir ?? d.string('agent.dataDir')),
    cacheDir: checkAbsolutePath('agent.cacheDir', agent.cacheDir ?? d.string('agent.cacheDir')),
    extraEnv,
    allowEnvOverrides: agent.allowEnvOverrides ?? false,
    telemetry: telemetryEnv(input.telemetry, d.string('otel.endpoint')),
    connectionEnv: [...proxyEnv(common?.proxy), ...caBundleEnv(common?.caBundle)],
    clientCertificateEnv: clientCertificateEnv(common?.clientCertificate),
    providerCache: {
      enabled: flag('agent.providerCache.enabled', provider.enabled, d.boolean('agent.providerCache.enabled')),
      sizeMb: megabytes('agent.providerCache.sizeLimit', provider.sizeLimit ?? d.size('agent.providerCache.sizeLimit')),
      concurrency: integer('agent.providerCache.concurrency', provider.concurrency, d.number('agent.providerCache.concurrency'), 1, 1000),
      dropKernelPages: flag('agent.providerCache.dropKernelPages', provider.dropKernelPages, d.boolean('agent.providerCache.dropKernelPages')),
    },
    moduleCache: {
      enabled: flag('agent.moduleCache.enabled', moduleCache.enabled, d.boolean('agent.moduleCache.enabled')),
      sizeMb: megabytes('agent.moduleCache.sizeLimit', moduleCache.sizeLimit ?? d.size('agent.moduleCache.sizeLimit')),
      concurrency: integer('agent.moduleCache.concurrency', moduleCache.concurrency, d.number('agent.moduleCache.concurrency'), 1, 1000),
    },
    binaryCache: {
      sizeMb: megabytes('agent.binaryCache.sizeLimit', binary.sizeLimit ?? d.size('agent.binaryCache.sizeLimit')),
      thresholdDays: threshold ?? d.number('agent.binaryCache.thresholdDays'),
    },
    mirrors: mirrorsEnv(agent.providerNetworkMirrors),
    sentryDsn: agent.sentryDsn ?? '',
    stop: {
      controller: stopAction('agent.stop.controllerAction', agent.stop?.controllerAction, StopAction.DRAIN),
      drainTimeout: seconds('agent.stop.drainTimeout', agent.stop?.drainTimeout, 180, 0),
      worker: stopAction('agent.stop.workerAction', agent.stop?.workerAction, StopAction.GRACE_SHUTDOWN),
    },
    memory: {
      warn: percent('task.runner.memoryWarnPercent', task.runner?.memoryWarnPercent, d.number('task.runner.memoryWarnPercent')),
      softLimit: percent('task.runner.memorySoftLimitPercent', task.runner?.memorySoftLimitPercent, d.number('task.runner.memorySoftLimitPercent')),
    },
    startupTimeout: seconds('task.startupTimeout', task.startupTimeout, d.number('task.startupTimeoutSeconds'), 1),
    controllerGrace: seconds('agent.terminationGracePeriod', agent.terminationGracePeriod, d.number('agent.terminationGracePeriodSeconds')),
    workerGrace: seconds('task.terminationGracePeriod', task.terminationGracePeriod, d.number('task.terminationGracePeriodSeconds')),
    podinfo: contract === AgentEnvContract.AGENT_1,
  };
}

const MIRROR_HOST = /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:\d{1,5})?)$/;
const PROVIDER_PATTERN = /^[a-z0-9.*:-]+(\/[a-z0-9_.*-]+){0,2}$/i;

/** The mirrors as the chart renders them: `toJson` of the list (keys sorted), fields that are set. */
function mirrorsEnv(mirrors: AgentOptions['providerNetworkMirrors']): string | undefined {
  if (mirrors === undefined) return undefined;
  if (!Array.isArray(mirrors)) invalid('agent.providerNetworkMirrors', mirrors, 'a list of { url, hostname?, include?, token? }');
  if (mirrors.length === 0) return undefined;
  return JSON.stringify(mirrors.map((m, i) => {
    const path = `agent.providerNetworkMirrors[${i}]`;
    if (m === null || typeof m !== 'object') invalid(path, m, 'a map with url and optionally hostname, include and token');
    registerSecret(m.token);
    if (typeof m.url !== 'string' || !/^https:\/\/[^\s/?#]+(\/\S*)?$/.test(m.url)) {
      invalid(`${path}.url`, m.url, 'an https URL such as "https://mirror.example.com/providers/"');
    }
    if (m.hostname !== undefined && (typeof m.hostname !== 'string' || !MIRROR_HOST.test(m.hostname))) {
      invalid(`${path}.hostname`, m.hostname, 'a provider registry host such as "registry.terraform.io", or "*" for every host');
    }
    if (m.include !== undefined) {
      if (!Array.isArray(m.include)) invalid(`${path}.include`, m.include, 'a list of provider addresses');
      m.include.forEach((p, j) => {
        if (typeof p !== 'string' || !PROVIDER_PATTERN.test(p)) invalid(`${path}.include[${j}]`, p, 'a provider address such as "registry.terraform.io/hashicorp/*"');
      });
    }
    if (m.token !== undefined && (typeof m.token !== 'string' || m.token === '' || /\s/.test(m.token))) {
      invalid(`${path}.token`, '(redacted)', 'a token without whitespace');
    }
    const item: { [key: string]: unknown } = {};
    // Go's toJson writes a map's keys in order.
    if (m.hostname !== undefined) item.hostname = m.hostname;
    if (m.include !== undefined) item.include = [...m.include];
    if (m.token !== undefined) item.token = m.token;
    item.url = m.url;
    return item;
  }));
}

const NO_PROXY_ENTRY = /^[A-Za-z0-9.*:_\-[\]/]+$/;

function proxyUrl(path: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.hostname === '' || /\s/.test(value)
    || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    invalid(path, value, 'a proxy URL such as "http://proxy.internal:3128" (http or https, no path)');
  }
  return value;
}

/** HTTP_PROXY, HTTPS_PROXY and NO_PROXY, for the variables that are set. */
function proxyEnv(proxy: ProxyOptions | undefined): Json[] {
  if (proxy === undefined) return [];
  const http = proxyUrl('common.proxy.httpProxy', proxy.httpProxy);
  const https = proxyUrl('common.proxy.httpsProxy', proxy.httpsProxy);
  if (http === undefined && https === undefined) {
    invalid('common.proxy', proxy, 'httpProxy, httpsProxy or both (noProxy alone changes nothing)');
  }
  if (proxy.noProxy !== undefined && !Array.isArray(proxy.noProxy)) invalid('common.proxy.noProxy', proxy.noProxy, 'a list of hosts, domains and CIDRs');
  (proxy.noProxy ?? []).forEach((entry, i) => {
    if (typeof entry !== 'string' || !NO_PROXY_ENTRY.test(entry)) {
      invalid(`common.proxy.noProxy[${i}]`, entry, 'a host, ".domain", IP address or CIDR, without commas or spaces');
    }
  });
  const env: Json[] = [];
  if (http !== undefined) env.push({ name: 'HTTP_PROXY', value: http });
  if (https !== undefined) env.push({ name: 'HTTPS_PROXY', value: https });
  if (proxy.noProxy && proxy.noProxy.length > 0) env.push({ name: 'NO_PROXY', value: proxy.noProxy.join(',') });
  return env;
}

function caBundleEnv(caBundle: CaBundle | undefined): Json[] {
  if (caBundle === undefined) return [];
  if (!CaBundle.isCaBundle(caBundle)) invalid('common.caBundle', caBundle, 'CaBundle.fromSecretName(...), CaBundle.fromSecret(...) or CaBundle.fromPem(...)');
  return [{ name: 'SCALR_AGENT_CA_CERT', value: CA_BUNDLE_PATH }, { name: 'SSL_CERT_FILE', value: CA_BUNDLE_PATH }];
}

function clientCertificateEnv(certificate: ClientCertificate | undefined): Json[] {
  if (certificate === undefined) return [];
  if (!ClientCertificate.isClientCertificate(certificate)) {
    invalid('common.clientCertificate', certificate, 'ClientCertificate.fromSecretName(...), fromSecret(...) or fromPem(...)');
  }
  return [
    { name: 'SCALR_AGENT_TLS_CERT_FILE', value: `${CLIENT_CERTIFICATE_DIR}/tls.crt` },
    { name: 'SCALR_AGENT_TLS_KEY_FILE', value: `${CLIENT_CERTIFICATE_DIR}/tls.key` },
  ];
}

function telemetryEnv(telemetry: TelemetryOptions | undefined, defaultEndpoint: string): Json[] {
  const endpoint = telemetry?.endpoint ?? defaultEndpoint;
  if (!telemetry?.enabled || endpoint === '') return [];
  if (typeof endpoint !== 'string' || (!URL_PATTERN.test(endpoint) && !HOST_PORT.test(endpoint))) {
    invalid('telemetry.endpoint', endpoint, 'an OTLP endpoint: an http(s) URL or host:port, such as "otel-collector.observability:4317"');
  }
  const env: Json[] = [{ name: 'SCALR_AGENT_OTLP_ENDPOINT', value: endpoint }];
  // Like the chart, "false" is not rendered: the agent's own default applies.
  if (telemetry.metrics ?? true) env.push({ name: 'SCALR_AGENT_OTLP_METRICS_ENABLED', value: 'true' });
  if (telemetry.traces ?? false) env.push({ name: 'SCALR_AGENT_OTLP_TRACES_ENABLED', value: 'true' });
  return env;
}

export function checkEnvMap(path: string, entries: [string, string][]): void {
  for (const [name, value] of entries) {
    if (!ENV_NAME.test(name)) invalid(`${path}.${name}`, name, "an environment variable name: letters, digits, '_', '-' and '.', not starting with a digit");
    if (typeof value !== 'string') invalid(`${path}.${name}`, value, 'a string (quote numbers and booleans)');
  }
}

// ---------------------------------------------------------------------------------------------
// The environment contracts: which variables each container gets, in the chart's order.

type Producer = (rt: AgentRuntime, ctx: { template?: { resource: TaskTemplateResource; name: string } }) => Json[];

const v = (name: string, value: string): Json => ({ name, value });

const PRODUCERS: { [key: string]: Producer } = {
  url: (rt) => [v('SCALR_URL', rt.url)],
  token: (rt) => [{ name: 'SCALR_AGENT_TOKEN', valueFrom: { secretKeyRef: { name: rt.tokenSecretName, key: rt.tokenKey, optional: false } } }],
  agentName: () => [{ name: 'SCALR_AGENT_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
  debug: (rt) => [v('SCALR_AGENT_DEBUG', rt.debug ? '1' : '0')],
  logFormat: (rt) => [v('SCALR_AGENT_LOG_FORMAT', rt.logFormat)],
  dataDir: (rt) => [v('SCALR_AGENT_DATA_DIR', rt.dataDir)],
  cacheDir: (rt) => [v('SCALR_AGENT_CACHE_DIR', rt.cacheDir)],
  driver: () => [v('SCALR_AGENT_DRIVER', 'kubernetes-job')],
  template: (_rt, ctx) => [v(taskTemplateCrd(ctx.template!.resource).envVariable, ctx.template!.name)],
  providerCache: (rt) => [
    v('SCALR_AGENT_PROVIDER_CACHE_ENABLED', String(rt.providerCache.enabled)),
    ...(rt.providerCache.enabled ? [v('SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB', String(rt.providerCache.sizeMb))] : []),
  ],
  moduleCache: (rt) => [
    v('SCALR_AGENT_MODULE_CACHE_ENABLED', String(rt.moduleCache.enabled)),
    ...(rt.moduleCache.enabled ? [v('SCALR_AGENT_MODULE_CACHE_SIZE_LIMIT_MB', String(rt.moduleCache.sizeMb))] : []),
  ],
  providerCacheWorker: (rt) => [
    v('SCALR_AGENT_PROVIDER_CACHE_ENABLED', String(rt.providerCache.enabled)),
    ...(rt.providerCache.enabled ? [
      v('SCALR_AGENT_PROVIDER_CACHE_CONCURRENCY', String(rt.providerCache.concurrency)),
      v('SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB', String(rt.providerCache.sizeMb)),
    ] : []),
  ],
  moduleCacheWorker: (rt) => [
    v('SCALR_AGENT_MODULE_CACHE_ENABLED', String(rt.moduleCache.enabled)),
    ...(rt.moduleCache.enabled ? [
      v('SCALR_AGENT_MODULE_CACHE_CONCURRENCY', String(rt.moduleCache.concurrency)),
      v('SCALR_AGENT_MODULE_CACHE_SIZE_LIMIT_MB', String(rt.moduleCache.sizeMb)),
    ] : []),
  ],
  binaryCache: (rt) => [
    v('SCALR_AGENT_BINARY_CACHE_SIZE_LIMIT_MB', String(rt.binaryCache.sizeMb)),
    v('SCALR_AGENT_BINARY_CACHE_THRESHOLD_DAYS', String(rt.binaryCache.thresholdDays)),
  ],
  mirrors: (rt) => (rt.mirrors === undefined ? [] : [v('SCALR_AGENT_PROVIDER_NETWORK_MIRRORS', rt.mirrors)]),
  controllerMode: () => [v('SCALR_AGENT_KUBERNETES_MODE', 'controller')],
  workerMode: () => [v('SCALR_AGENT_KUBERNETES_MODE', 'worker')],
  controllerStop: (rt) => [
    v('SCALR_AGENT_WORKER_ON_STOP_ACTION', rt.stop.controller),
    v('SCALR_AGENT_WORKER_DRAIN_TIMEOUT', String(rt.stop.drainTimeout)),
    v('SCALR_AGENT_WORKER_GRACE_SHUTDOWN_TIMEOUT', String(rt.controllerGrace)),
  ],
  workerStop: (rt) => [
    v('SCALR_AGENT_WORKER_ON_STOP_ACTION', rt.stop.worker),
    v('SCALR_AGENT_WORKER_GRACE_SHUTDOWN_TIMEOUT', String(rt.workerGrace)),
  ],
  startupTimeout: (rt) => [v('SCALR_AGENT_KUBERNETES_TASK_STARTUP_TIMEOUT_SECONDS', String(rt.startupTimeout))],
  statePersistence: () => [v('SCALR_AGENT_STATE_PERSISTENCE_ENABLED', 'false')],
  memoryMonitor: (rt) => [
    v('SCALR_AGENT_MEMORY_MONITOR_ENABLED', '1'),
    v('SCALR_AGENT_MEMORY_MONITOR_WARN_PERCENT', String(rt.memory.warn)),
    v('SCALR_AGENT_MEMORY_MONITOR_SOFT_LIMIT_PERCENT', String(rt.memory.softLimit)),
  ],
  sentry: (rt) => [v('SCALR_AGENT_SENTRY_DSN', rt.sentryDsn)],
  dropKernelPages: (rt) => [v('SCALR_AGENT_PROVIDER_CACHE_DROP_KERNEL_PAGES', String(rt.providerCache.dropKernelPages))],
  telemetry: (rt) => rt.telemetry,
  connection: (rt) => rt.connectionEnv,
  clientCertificate: (rt) => rt.clientCertificateEnv,
};

/** Each contract's variables, per container, in the chart's order. */
const CONTRACTS: { [contract: string]: { controller: string[]; worker: string[] } } = {
  [AgentEnvContract.AGENT_0_55]: {
    controller: ['url', 'token', 'agentName', 'debug', 'logFormat', 'dataDir', 'cacheDir', 'driver', 'template',
      'telemetry', 'connection', 'clientCertificate'],
    worker: ['url', 'token', 'debug', 'logFormat', 'dataDir', 'cacheDir', 'driver', 'providerCache',
      'telemetry', 'connection', 'clientCertificate'],
  },
  [AgentEnvContract.AGENT_1]: {
    controller: ['url', 'token', 'agentName', 'debug', 'logFormat', 'dataDir', 'cacheDir', 'providerCache', 'moduleCache',
      'binaryCache', 'mirrors', 'driver', 'controllerMode', 'template', 'controllerStop', 'startupTimeout', 'statePersistence',
      'memoryMonitor', 'sentry', 'telemetry', 'connection', 'clientCertificate'],
    worker: ['url', 'token', 'debug', 'logFormat', 'dataDir', 'cacheDir', 'driver', 'workerMode', 'startupTimeout', 'workerStop',
      'statePersistence', 'memoryMonitor', 'sentry', 'dropKernelPages', 'connection', 'clientCertificate', 'providerCacheWorker',
      'moduleCacheWorker', 'binaryCache', 'mirrors', 'telemetry'],
  },
};

function produce(rt: AgentRuntime, container: 'controller' | 'worker', ctx: Parameters<Producer>[1]): Json[] {
  return CONTRACTS[rt.contract][container].flatMap((key) => PRODUCERS[key](rt, ctx));
}

/** The runner container's environment: proxy and CA variables, then `task.runner.extraEnv`. */
export function runnerEnv(runtime: AgentRuntime, extra: [string, string][]): Json[] {
  checkEnvMap('task.runner.extraEnv', extra);
  return withExtras('runner', runtime.connectionEnv, extra.map(([name, value]) => ({ name, value, path: `task.runner.extraEnv.${name}` })),
    runtime.allowEnvOverrides);
}

/** The controller container's environment, in the chart's order. */
export function controllerEnv(runtime: AgentRuntime, template: { resource: TaskTemplateResource; name: string },
  extra: kplus.k8s.EnvVar[] | undefined): Json[] {
  taskTemplateCrd(template.resource);
  const extraList = structList('agent.controller.extraEnvVars', 'EnvVar', extra);
  extraList.forEach((e, i) => {
    if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || !ENV_NAME.test(e.name)) {
      invalid(`agent.controller.extraEnvVars[${i}].name`, e?.name, 'an environment variable name');
    }
  });
  return withExtras('controller', produce(runtime, 'controller', { template }), [
    ...runtime.extraEnv.map(([name, value]) => ({ name, value, path: `agent.extraEnv.${name}` })),
    ...extraList.map((e, i) => ({ ...e, path: `agent.controller.extraEnvVars[${i}]` })),
  ], runtime.allowEnvOverrides);
}

/** The worker container's environment, in the chart's order. */
export function workerEnv(runtime: AgentRuntime, workerExtra: [string, string][]): Json[] {
  checkEnvMap('task.worker.extraEnv', workerExtra);
  return withExtras('worker', produce(runtime, 'worker', {}), [
    ...runtime.extraEnv.map(([name, value]) => ({ name, value, path: `agent.extraEnv.${name}` })),
    ...workerExtra.map(([name, value]) => ({ name, value, path: `task.worker.extraEnv.${name}` })),
  ], runtime.allowEnvOverrides);
}

function withExtras(container: string, own: Json[], extras: Json[], allowOverrides: boolean): Json[] {
  const reserved = new Map(own.map((e, i) => [e.name as string, i]));
  const result = [...own];
  const added = new Map<string, string>();
  for (const { path, ...env } of extras) {
    const at = reserved.get(env.name);
    if (at !== undefined) {
      if (!allowOverrides) {
        invalid(path, env.name,
          `a variable the library does not set in the ${container} container (it sets ${[...reserved.keys()].join(', ')}); use the typed setting instead, or set agent.allowEnvOverrides to redefine it`);
      }
      // Redefine in place: duplicate names are ambiguous for strategic-merge patches.
      result[at] = env;
      continue;
    }
    const earlier = added.get(env.name);
    if (earlier !== undefined) {
      invalid(path, env.name, `a variable not set already by ${earlier}: the ${container} container would get it twice`);
    }
    added.set(env.name, path);
    result.push(env);
  }
  return result;
}

/** The agent's command in the controller and worker containers: agent 1 images have an entrypoint. */
export function agentCommand(contract: AgentEnvContract): string[] | undefined {
  return contract === AgentEnvContract.AGENT_0_55 ? ['python', '-m', 'tacoagent.cmd'] : undefined;
}

/** The podinfo volume (agent 1 reads its own labels and annotations from /etc/podinfo). */
export const PODINFO_VOLUME: Json = {
  name: 'podinfo',
  downwardAPI: {
    items: [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
    ],
  },
};
export const PODINFO_MOUNT: Json = { name: 'podinfo', mountPath: '/etc/podinfo' };
