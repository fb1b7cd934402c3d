import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { DependencyGraph } from 'cdk8s/lib/dependency';
import { IConstruct } from 'constructs';
import { fastStringify } from './fast-yaml';

// cdk8s 2.68 renders each chart through App._synthChart, which resolves the dependencies of the
// whole app and validates the whole app again, once per chart: synthesizing n pools costs O(n²).
// App.synth() and App.synthYaml() have already done both before they render the charts, so while
// one of them runs, a pool chart renders its own objects only, exactly as cdk8s orders them.
const patchedApps = new WeakSet<App>();
const appsInSynthesis = new WeakSet<IConstruct>();
const generations = new WeakMap<IConstruct, number>();

/** A number that changes whenever the app starts a synthesis: caches of app-wide checks key on it. */
export function synthesisGeneration(root: IConstruct): number {
  return generations.get(root) ?? 0;
}

/** Makes the app's synth methods mark the app as "resolved and validated" while they run. */
export function trackSynthesis(root: IConstruct): void {
  if (!(root instanceof App) || patchedApps.has(root)) return;
  patchedApps.add(root);
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = (root as any)[method] as () => unknown;
    Object.defineProperty(root, method, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function (this: App) {
        appsInSynthesis.add(root);
        generations.set(root, synthesisGeneration(root) + 1);
        // Same bytes as cdk8s's serializer, faster (see fast-yaml.ts); restored right after.
        const stringify = Yaml.stringify;
        Yaml.stringify = fastStringify(stringify.bind(Yaml));
        try {
          return original.call(this);
        } finally {
          Yaml.stringify = stringify;
          appsInSynthesis.delete(root);
        }
      },
    });
  }
}

/**
 * The chart's manifests when its app is synthesizing (the app-wide passes are done), else
 * undefined: then the caller uses cdk8s's own Chart.toJson().
 */
export function renderDuringSynthesis(chart: Chart): any[] | undefined {
  if (!appsInSynthesis.has(chart.node.root)) return undefined;
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject)
    .filter((x) => Chart.of(x) === chart)
    .map((x) => x.toJson());
}
