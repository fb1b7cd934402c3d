// Synthesizes one app with N agent pools (distinct names and namespaces) with stock cdk8s and
// prints, as JSON, the time of each phase in ms. Run by bench.js in a fresh process per measurement.
//
//   node bench/pools.js N [charts|fleet] [0.6.5|0.5.62]
//
// charts: one AgentJobChart per pool (plus one with the CRD); fleet: one AgentPoolFleet chart.
// The "floor" is what cdk8s itself needs for the same documents: the same JSON as plain
// ApiObjects in one plain chart, resolved and written by cdk8s (ApiObject.toJson and
// Yaml.stringify). The library's own cost is the total minus the floor.
const start = process.hrtime.bigint();
const { ApiObject, App, Chart, Yaml } = require('cdk8s');
const lib = require('../lib');

const n = Number(process.argv[2]);
const shape = process.argv[3] ?? 'charts';
const version = lib.ChartVersion.of(process.argv[4] ?? lib.ChartVersion.LATEST.version);
const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;

const loaded = ms(start);
let t = process.hrtime.bigint();
const app = new App({ outdir: require('os').tmpdir() });
const token = lib.AgentToken.fromSecretName('scalr-agent-token');
if (shape === 'fleet') {
  const pools = Array.from({ length: n }, (_, i) => ({ releaseName: `pool-${i}`, namespace: `team-${i}`, props: { token } }));
  new lib.AgentPoolFleet(app, 'fleet', { pools, version });
} else {
  new lib.AgentJobChart(app, 'crd', { token, version, namespace: 'crd-only', includeCrd: true, releaseName: 'crd-only' });
  for (let i = 0; i < n; i++) {
    new lib.AgentJobChart(app, `pool-${i}`, { token, version, namespace: `team-${i}`, releaseName: `pool-${i}`, includeCrd: false });
  }
}
const construct = ms(t);
t = process.hrtime.bigint();
const yaml = app.synthYaml();
const synth = ms(t);

// The floor: cdk8s's own work for the same documents.
const docs = app.charts.flatMap((c) => c.toJson());
const floorApp = new App({ outdir: require('os').tmpdir() });
const floorChart = new Chart(floorApp, 'floor');
docs.forEach((doc, i) => new ApiObject(floorChart, `o${i}`, doc));
t = process.hrtime.bigint();
const floorYaml = Yaml.stringify(...floorChart.node.children.map((o) => o.toJson()));
const floor = ms(t);
if (floorYaml.length !== yaml.length) throw new Error(`the floor wrote ${floorYaml.length} bytes, the app ${yaml.length}`);

process.stdout.write(JSON.stringify({
  ms: loaded + construct + synth, load: loaded, construct, synth, floor, own: loaded + construct + synth - floor, docs: docs.length, bytes: yaml.length,
}));
