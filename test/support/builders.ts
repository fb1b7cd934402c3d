/**
 * Shared test builders: a token, pools of either chart version, and finders for the objects and
 * containers the tests look at. Tests use these instead of their own copies.
 */
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parseManifests } from './compare';
import { AgentJobChart, AgentJobChartProps, AgentJobConfigError, AgentToken, ChartVersion } from '../../src';

/** The token value the builders use; tests assert it never appears in messages. */
export const TOKEN_VALUE = 'example-agent-pool-token';
export const token = AgentToken.fromValue(TOKEN_VALUE);
export const V0_5_62 = ChartVersion.V0_5_62;
export const V0_6_5 = ChartVersion.V0_6_5;
export const VERSIONS = ChartVersion.all();

export type Json = { [key: string]: any };
export type PoolProps = Partial<AgentJobChartProps>;

/** Synthesizes what `build` adds to a fresh app, as YAML, and parses it back. */
export function synthObjects(build: (app: App) => void): any[] {
  const app = Testing.app();
  build(app);
  return parseManifests(app.synthYaml());
}

/** The objects of one chart or construct, as JSON. */
export function objectsOf(scope: Construct): any[] {
  return Testing.synth(scope as Chart);
}

/** A pool (release scalr-agent, namespace scalr unless given) of the given chart version. */
export function pool(props: PoolProps = {}, app: App = Testing.app()): AgentJobChart {
  return new AgentJobChart(app, 'pool', { token, namespace: 'scalr', ...props } as AgentJobChartProps);
}

/** The objects of a pool. */
export function poolObjects(props: PoolProps = {}): any[] {
  return objectsOf(pool(props));
}

/** The objects of this kind (and name). */
export function findAll(objects: any[], kind: string, name?: string): any[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

/** The one object of this kind (and name); fails when there is none or more than one. */
export function find(objects: any[], kind: string, name?: string): any {
  const found = findAll(objects, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** The task template object (an AgentTask or an AgentTaskTemplate). */
export function taskTemplateOf(objects: any[]): any {
  const found = objects.filter((o) => o.kind === 'AgentTask' || o.kind === 'AgentTaskTemplate');
  if (found.length !== 1) throw new Error(`expected one task template, found ${found.length}`);
  return found[0];
}

/** The Job spec of the task template. */
export function jobSpecOf(objects: any[]): any {
  return taskTemplateOf(objects).spec.jobTemplate.spec;
}

/** The task pod spec. */
export function taskPodOf(objects: any[]): any {
  return jobSpecOf(objects).template.spec;
}

/** The controller Deployment's pod spec. */
export function controllerPodOf(objects: any[]): any {
  return find(objects, 'Deployment').spec.template.spec;
}

/** A container of a pod spec, from its init containers or containers. */
export function containerOf(podSpec: any, name: string): any {
  const found = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])].find((c: any) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

/** A container's environment as a name → value (or valueFrom) map. */
export function envOf(container: any): Json {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

/** The configuration error `build` throws (fails when it throws something else or nothing). */
export function configErrorOf(build: () => unknown): AgentJobConfigError {
  try {
    build();
  } catch (error) {
    if (AgentJobConfigError.isAgentJobConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected an AgentJobConfigError, but nothing was thrown');
}
