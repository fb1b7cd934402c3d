import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { redact } from '../core/redact';

/**
 * The objects of one chart as JSON, in cdk8s's own order (its dependency graph), after
 * validating the chart's constructs. cdk8s's `Chart.toJson()` validates and resolves the
 * dependencies of the whole app again for every chart, which makes many charts quadratic; a
 * chart's own objects and their order depend only on its own constructs.
 */
export function renderChart(chart: Chart): any[] {
  const constructs = chart.node.findAll();
  const errors: string[] = [];
  for (const construct of constructs) {
    for (const error of construct.node.validate()) errors.push(`[${construct.node.path}] ${redact(error)}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  resolveLocalDependencies(chart, constructs);
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart)
    .map((x) => x.toJson());
}

/**
 * Turns dependencies between constructs of the chart into dependencies between their API
 * objects, as cdk8s does for the whole app before it renders a chart.
 */
function resolveLocalDependencies(chart: Chart, constructs: IConstruct[]): void {
  const objectsOf = (c: IConstruct) => c.node.findAll().filter((x) => ApiObject.isApiObject(x) && Chart.of(x) === chart);
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      if (Chart.of(source) !== chart || !isInChart(target, chart)) continue;
      const targets = objectsOf(target);
      for (const from of objectsOf(source)) {
        for (const to of targets) if (from !== to) from.node.addDependency(to);
      }
    }
  }
}

function isInChart(construct: IConstruct, chart: Chart): boolean {
  try {
    return Chart.of(construct) === chart;
  } catch {
    return false;
  }
}
