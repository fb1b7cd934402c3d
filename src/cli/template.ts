import * as path from 'path';
import { App } from 'cdk8s';
import { UsageError } from './errors';
import { writeOutputDir as writeFiles } from './output-dir';
import { collectValues } from './values';
import { compareKinds, fileName, toYaml } from './yaml-out';
import { AgentJobChart } from '../chart';
import { ChartVersion } from '../chart-version';
import { renderChart } from '../internal/render';

export { fileName, toYaml };

export interface TemplateOptions {
  readonly namespace: string;
  readonly values: string[];
  readonly set: string[];
  readonly setString: string[];
  readonly includeCrds: boolean;
  readonly outputDir?: string;
  /** The chart version to render (`template --version`), such as "0.6.5". */
  readonly chartVersion: string;
}


type Json = { [key: string]: any };

/** The objects of the release, in the order `helm template` prints them (the CRD first). */
export function renderObjects(release: string, options: TemplateOptions): Json[] {
  const version = ChartVersion.of(options.chartVersion);
  const values = collectValues({ files: options.values, set: options.set, setString: options.setString });
  // No outdir is made: the App is never synthesized (app.synth() would write files).
  const app = new App();
  const chart = AgentJobChart.fromHelmValues(app, release, {
    releaseName: release,
    namespace: options.namespace,
    values,
    version,
    includeCrd: options.includeCrds,
  });
  // What app.synth() checks, without writing files.
  const problems = app.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length > 0) throw new UsageError(problems.join('; '));

  // A stable sort: objects of one kind keep the library's (deterministic) order.
  // The command's own writer quotes what YAML 1.1 readers would misread: no need to refuse it.
  return renderChart(chart, { yaml11: false })
    .map((obj: Json, index: number) => ({ obj, index }))
    .sort((a: Ranked, b: Ranked) => compareKinds(a.obj.kind, b.obj.kind) || a.index - b.index)
    .map((ranked: Ranked) => ranked.obj);
}

interface Ranked {
  readonly obj: Json;
  readonly index: number;
}

/**
 * Writes one file per object into `dir`, all or nothing (see output-dir.ts), named
 * `NN-<kind>-<name>.yaml` (see fileName).
 * @returns the paths written
 */
export function writeOutputDir(dir: string, objects: Json[]): string[] {
  const files = new Map<string, string>();
  for (const obj of objects) {
    const name = fileName(obj);
    if (files.has(name)) throw new UsageError(`--output-dir ${dir}: two objects would be written to ${name}`);
    files.set(name, `---\n${toYaml(obj)}`);
  }
  writeFiles(dir, files);
  return [...files.keys()].sort().map((name) => path.join(dir, name));
}

/**
 * `scalr-agent-job template RELEASE`: the release's manifests on standard output, or one file per
 * object in --output-dir. Everything is computed before anything is written.
 */
export function template(release: string, options: TemplateOptions): string {
  const objects = renderObjects(release, options);
  if (options.outputDir !== undefined) {
    return writeOutputDir(options.outputDir, objects).map((file) => `wrote ${file}\n`).join('');
  }
  return objects.map((obj) => `---\n${toYaml(obj)}`).join('');
}
