/**
 * The library in a user's app: it patches nothing of cdk8s, so the user's own charts synthesize
 * to the same bytes with and without agent pools, whatever cdk8s features they use.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch, Lazy, Yaml, YamlOutputType } from 'cdk8s';
import { AgentJobChart, AgentPool, AgentPoolFleet, ChartVersion } from '../src';
import { token } from './support/builders';

const INCLUDED = path.join(__dirname, 'fixtures', 'host-app', 'included.yaml');

/** The user's own charts: Include, JSON patches, Lazy values and dependencies between charts. */
function userCharts(app: App): void {
  const base = new Chart(app, 'platform', { namespace: 'platform' });
  new Include(base, 'included', { url: INCLUDED });
  const config = new ApiObject(base, 'settings', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings' },
    data: { size: Lazy.any({ produce: () => String(3 * 7) }), octal: '0755' },
  });
  config.addJsonPatch(JsonPatch.add('/data/patched', 'true'));
  const apps = new Chart(app, 'apps', { namespace: 'apps' });
  const deployment = new ApiObject(apps, 'web', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  });
  deployment.node.addDependency(config);
  apps.addDependency(base);
}

/** Every file `app.synth()` writes, by path relative to the output directory. */
function synthFiles(yamlOutputType: YamlOutputType, addPools: (app: App) => void): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-host-app-'));
  try {
    const app = new App({ outdir, yamlOutputType });
    userCharts(app);
    addPools(app);
    app.synth();
    const files = new Map<string, string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.set(path.relative(outdir, full), fs.readFileSync(full, 'utf8'));
      }
    };
    walk(outdir);
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const OUTPUT_TYPES = Object.entries(YamlOutputType).filter(([, v]) => typeof v === 'number') as [string, YamlOutputType][];

const POOL_KINDS: [string, (app: App) => void][] = [
  ['an AgentJobChart of each version', (app) => {
    new AgentJobChart(app, 'pool-new', { token, namespace: 'scalr' });
    new AgentJobChart(app, 'pool-old', { token, namespace: 'legacy', version: ChartVersion.V0_5_62 });
  }],
  ['a fleet of pools of both versions', (app) => {
    new AgentPoolFleet(app, 'fleet', {
      pools: [
        { releaseName: 'blue', namespace: 'team-a', props: { token } },
        { releaseName: 'green', namespace: 'team-b', props: { token, version: ChartVersion.V0_5_62 } },
      ],
    });
  }],
  ['an AgentPool in a chart of the user', (app) => {
    new AgentPool(new Chart(app, 'agents', { namespace: 'agents' }), 'pool', { token });
  }],
];

describe.each(OUTPUT_TYPES)('with yamlOutputType %s', (_name, type) => {
  const without = synthFiles(type, () => undefined);

  test.each(POOL_KINDS)('the user\'s output is byte-identical with %s added', (_kind, addPools) => {
    const withPools = synthFiles(type, addPools);
    expect(without.size).toBeGreaterThan(0);
    for (const [file, text] of without) {
      expect(withPools.has(file) ? file : `missing: ${file}`).toBe(file);
      if (type === YamlOutputType.FILE_PER_APP) {
        // One file for the whole app: the user's documents are all there, unchanged and in order.
        const docs = withPools.get(file)!.split(/^---\n/m);
        const mine = text.split(/^---\n/m);
        expect(docs.filter((d) => mine.includes(d))).toEqual(mine);
      } else {
        expect(withPools.get(file)).toBe(text);
      }
    }
  });
});

test('nothing of cdk8s is replaced while an app with pools synthesizes', () => {
  const stringify = Yaml.stringify;
  const synth = App.prototype.synth;
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-host-app-')) });
  const pool = new AgentJobChart(app, 'pool', { token });
  try {
    expect(Object.getOwnPropertyNames(app)).not.toContain('synth');
    expect(Object.getOwnPropertyNames(app)).not.toContain('synthYaml');
    app.synthYaml();
    expect(Yaml.stringify).toBe(stringify);
    expect(App.prototype.synth).toBe(synth);
    expect(pool.toJson().length).toBeGreaterThan(0);
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
});

test('the library imports cdk8s only through its entry point and assigns nothing to it', () => {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !full.includes(`${path.sep}imports${path.sep}`)) sources.push(full);
    }
  };
  walk(path.join(__dirname, '..', 'src'));
  expect(sources.length).toBeGreaterThan(20);
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8');
    expect(`${file}: ${/from 'cdk8s\/|require\('cdk8s\//.test(text)}`).toBe(`${file}: false`);
    expect(`${file}: ${/\b(Yaml|App|Chart|ApiObject)(\.prototype)?\.\w+\s*=[^=]/.test(text)}`).toBe(`${file}: false`);
  }
});
