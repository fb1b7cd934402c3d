import * as kplus from 'cdk8s-plus-30';
import { invalid } from './errors';
import { Json, sortedEntries, toK8sList } from './pod';
import { sizeToMegabytes } from './quantity';
import { AgentOptions, LogFormat, TelemetryOptions } from '../options';
import { AgentToken } from '../token';
import { Size } from 'cdk8s';

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const URL_PATTERN = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/;
const HOST_PORT = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?:\d{1,5}$/;

export const DEFAULT_DATA_DIR = '/var/lib/scalr-agent/data';
export const DEFAULT_CACHE_DIR = '/var/lib/scalr-agent/cache';
export const DEFAULT_OTEL_ENDPOINT = 'http://otel-collector:4317';

/** Everything the controller and the worker need to know to talk to Scalr. */
export interface AgentRuntime {
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
}

function checkAbsolutePath(path: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').includes('..') || /[\s]/.test(value)) {
    invalid(path, value, "an absolute path without '..' or spaces");
  }
  return value;
}

/** Resolves and validates the agent settings shared by the controller and the worker. */
export function agentRuntime(agent: AgentOptions, token: AgentToken, defaultSecretName: string, telemetry?: TelemetryOptions): AgentRuntime {
  const url = agent.url ?? '';
  if (url !== '' && !URL_PATTERN.test(url)) invalid('agent.url', url, 'an http(s) URL such as "https://example.scalr.io", or empty');
  const logFormat = agent.logFormat ?? LogFormat.JSON;
  if (!Object.values(LogFormat).includes(logFormat)) {
    invalid('agent.logFormat', logFormat, `one of ${Object.values(LogFormat).join(', ')}`);
  }
  if (agent.debug !== undefined && typeof agent.debug !== 'boolean') invalid('agent.debug', agent.debug, 'true or false');
  const extraEnv = sortedEntries(agent.extraEnv);
  checkEnvMap('agent.extraEnv', extraEnv);
  return {
    url,
    tokenSecretName: token.existingSecretName ?? defaultSecretName,
    tokenKey: token.key,
    debug: agent.debug ?? false,
    logFormat,
    dataDir: checkAbsolutePath('agent.dataDir', agent.dataDir ?? DEFAULT_DATA_DIR),
    cacheDir: checkAbsolutePath('agent.cacheDir', agent.cacheDir ?? DEFAULT_CACHE_DIR),
    extraEnv,
    allowEnvOverrides: agent.allowEnvOverrides ?? false,
    telemetry: telemetryEnv(telemetry),
  };
}

function telemetryEnv(telemetry?: TelemetryOptions): Json[] {
  const endpoint = telemetry?.endpoint ?? DEFAULT_OTEL_ENDPOINT;
  if (!telemetry?.enabled || endpoint === '') return [];
  if (!URL_PATTERN.test(endpoint) && !HOST_PORT.test(endpoint)) {
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

function tokenEnv(runtime: AgentRuntime): Json {
  return {
    name: 'SCALR_AGENT_TOKEN',
    valueFrom: { secretKeyRef: { name: runtime.tokenSecretName, key: runtime.tokenKey, optional: false } },
  };
}

/** The controller container's environment, in the chart's order. */
export function controllerEnv(runtime: AgentRuntime, taskTemplateName: string, extra: kplus.k8s.EnvVar[] | undefined): Json[] {
  const own: Json[] = [
    { name: 'SCALR_URL', value: runtime.url },
    tokenEnv(runtime),
    { name: 'SCALR_AGENT_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'SCALR_AGENT_DEBUG', value: runtime.debug ? '1' : '0' },
    { name: 'SCALR_AGENT_LOG_FORMAT', value: runtime.logFormat },
    { name: 'SCALR_AGENT_DATA_DIR', value: runtime.dataDir },
    { name: 'SCALR_AGENT_CACHE_DIR', value: runtime.cacheDir },
    { name: 'SCALR_AGENT_DRIVER', value: 'kubernetes-job' },
    { name: 'SCALR_AGENT_KUBERNETES_JOB_TEMPLATE', value: taskTemplateName },
    ...runtime.telemetry,
  ];
  const extraList = toK8sList(extra, kplus.k8s.toJson_EnvVar);
  extraList.forEach((e, i) => {
    if (typeof e.name !== 'string' || !ENV_NAME.test(e.name)) invalid(`agent.controller.extraEnv[${i}].name`, e.name, 'an environment variable name');
  });
  return withExtras('agent', own, [
    ...runtime.extraEnv.map(([name, value]) => ({ name, value, path: `agent.extraEnv.${name}` })),
    ...extraList.map((e, i) => ({ ...e, path: `agent.controller.extraEnv[${i}]` })),
  ], runtime.allowEnvOverrides);
}

/** The worker container's environment, in the chart's order. */
export function workerEnv(runtime: AgentRuntime, providerCache: { enabled: boolean; sizeLimit: Size }, workerExtra: [string, string][]): Json[] {
  const own: Json[] = [
    { name: 'SCALR_URL', value: runtime.url },
    tokenEnv(runtime),
    { name: 'SCALR_AGENT_DEBUG', value: runtime.debug ? '1' : '0' },
    { name: 'SCALR_AGENT_LOG_FORMAT', value: runtime.logFormat },
    { name: 'SCALR_AGENT_DATA_DIR', value: runtime.dataDir },
    { name: 'SCALR_AGENT_CACHE_DIR', value: runtime.cacheDir },
    { name: 'SCALR_AGENT_DRIVER', value: 'kubernetes-job' },
    { name: 'SCALR_AGENT_PROVIDER_CACHE_ENABLED', value: providerCache.enabled ? 'true' : 'false' },
  ];
  if (providerCache.enabled) {
    const mb = sizeToMegabytes(providerCache.sizeLimit);
    if (mb < 1) invalid('agent.providerCache.sizeLimit', `${mb} MB`, 'at least 1 MB');
    own.push({ name: 'SCALR_AGENT_PROVIDER_CACHE_SIZE_LIMIT_MB', value: String(mb) });
  }
  own.push(...runtime.telemetry);
  checkEnvMap('task.worker.extraEnv', workerExtra);
  return withExtras('worker', own, [
    ...runtime.extraEnv.map(([name, value]) => ({ name, value, path: `agent.extraEnv.${name}` })),
    ...workerExtra.map(([name, value]) => ({ name, value, path: `task.worker.extraEnv.${name}` })),
  ], runtime.allowEnvOverrides);
}

function withExtras(container: string, own: Json[], extras: Json[], allowOverrides: boolean): Json[] {
  const reserved = new Set(own.map((e) => e.name));
  const result = [...own];
  for (const { path, ...env } of extras) {
    if (reserved.has(env.name)) {
      if (!allowOverrides) {
        invalid(path, env.name,
          `a variable the library does not set in the ${container} container (it sets ${[...reserved].join(', ')}); use the typed setting instead, or set agent.allowEnvOverrides to redefine it`);
      }
      // Redefine in place: duplicate names are ambiguous for strategic-merge patches.
      result[result.findIndex((e) => e.name === env.name)] = env;
      continue;
    }
    result.push(env);
  }
  return result;
}
