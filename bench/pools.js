// Synthesizes one app with N AgentJobCharts (distinct names and namespaces); prints the time
// taken in ms. Run by bench.js in a fresh process per measurement.
const start = process.hrtime.bigint();
const { App } = require('cdk8s');
const lib = require('../lib');
const n = Number(process.argv[2]);
const app = new App({ outdir: require('os').tmpdir() });
const token = lib.AgentToken.fromSecretName('scalr-agent-token');
new lib.AgentJobChart(app, 'crd', { token, namespace: 'crd-only', includeCrd: true, releaseName: 'crd-only' });
for (let i = 0; i < n; i++) {
  new lib.AgentJobChart(app, `pool-${i}`, { token, namespace: `team-${i}`, releaseName: `pool-${i}`, includeCrd: false });
}
const yaml = app.synthYaml();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, bytes: yaml.length }));
