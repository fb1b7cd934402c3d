import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { invalid } from './errors';
import { Json, sortedEntries, toK8sList } from './pod';
import { sizeToMegabytes } from './quantity';
import { AgentOptions, CommonOptions, LogFormat, ProxyOptions, TelemetryOptions } from '../options';
import { CA_BUNDLE_PATH, CaBundle, CLIENT_CERTIFICATE_DIR, ClientCertificate } from '../tls';
import { AgentToken } from '../token';
import { k8sJson } from './k8s-json';

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
  /** Proxy and CA variables, for every container (controller, worker and runner). */
  readonly connectionEnv: Json[];
  /** Client certificate variables, for the controller and the worker only. */
  readonly clientCertificateEnv: Json[];
}

function checkAbsolutePath(path: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').includes('..') || /[\s]/.test(value)) {
    invalid(path, value, "an absolute path without '..' or spaces");
  }
  return value;
}

/** Resolves and validates the agent settings shared by the controller and the worker. */
export function agentRuntime(agent: AgentOptions, token: AgentToken, defaultSecretName: string, telemetry?: TelemetryOptions,
  common?: CommonOptions): AgentRuntime {
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
    connectionEnv: [...proxyEnv(common?.proxy), ...caBundleEnv(common?.caBundle)],
    clientCertificateEnv: clientCertificateEnv(common?.clientCertificate),
  };
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
export function proxyEnv(proxy: ProxyOptions | undefined): Json[] {
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
  if (!(caBundle instanceof CaBundle)) invalid('common.caBundle', caBundle, 'CaBundle.fromSecret(...) or CaBundle.fromPem(...)');
  return [{ name: 'SCALR_AGENT_CA_CERT', value: CA_BUNDLE_PATH }, { name: 'SSL_CERT_FILE', value: CA_BUNDLE_PATH }];
}

function clientCertificateEnv(certificate: ClientCertificate | undefined): Json[] {
  if (certificate === undefined) return [];
  if (!(certificate instanceof ClientCertificate)) invalid('common.clientCertificate', certificate, 'ClientCertificate.fromSecret(...)');
  return [
    { name: 'SCALR_AGENT_TLS_CERT_FILE', value: `${CLIENT_CERTIFICATE_DIR}/tls.crt` },
    { name: 'SCALR_AGENT_TLS_KEY_FILE', value: `${CLIENT_CERTIFICATE_DIR}/tls.key` },
  ];
}

/** The runner container's environment: proxy and CA variables, then `task.runner.extraEnv`. */
export function runnerEnv(runtime: AgentRuntime, extra: [string, string][]): Json[] {
  checkEnvMap('task.runner.extraEnv', extra);
  return withExtras('runner', runtime.connectionEnv, extra.map(([name, value]) => ({ name, value, path: `task.runner.extraEnv.${name}` })),
    runtime.allowEnvOverrides);
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
    ...runtime.connectionEnv,
    ...runtime.clientCertificateEnv,
  ];
  const extraList = toK8sList(extra, k8sJson.EnvVar);
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
  own.push(...runtime.telemetry, ...runtime.connectionEnv, ...runtime.clientCertificateEnv);
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
