#!/usr/bin/env node
// `npm run bench`: how fast the library and its command are, on this machine.
// Every figure is the median over repeated runs in fresh processes, with the spread (min–max).
const { spawnSync } = require('child_process');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const scenario = path.join(root, 'test/fixtures/agent-job-0.6.5/scenarios/11-extras/values.yaml');

function run(args, { cwd = root } = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', path.join(__dirname, 'rss.js'), ...args], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, rssKb: Number(result.output[3].trim()), stdout: result.stdout };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function measure(label, args, runs = RUNS, pick = (r) => r.ms) {
  run(args); // warm the file system cache
  const results = Array.from({ length: runs }, () => run(args));
  const t = stats(results.map(pick));
  const rss = stats(results.map((r) => r.rssKb / 1024));
  return { label, ...t, rssMb: rss.max, runs };
}

const rows = [];
const fmt = (n) => n.toFixed(1).padStart(8);
function print(row) {
  rows.push(row);
  console.log(`${row.label.padEnd(58)}${fmt(row.median)} ms  (${fmt(row.min)} –${fmt(row.max)})  peak ${row.rssMb.toFixed(0).padStart(5)} MiB  n=${row.runs}`);
}

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`${'measurement'.padEnd(58)}${'median'.padStart(11)}  (${'min'.padStart(8)} –${'max'.padStart(8)})`);

// The floor and the command run alternately, so that both see the same machine load; the gap
// is the median of the paired differences.
const floorArgs = ['-e', '0'];
const cliArgs = [path.join(root, 'bin/scalr-agent-job'), 'template', 'scalr-agent', '-n', 'scalr', '-f', scenario, '--include-crds'];
run(floorArgs);
run(cliArgs);
const pairs = Array.from({ length: RUNS }, () => [run(floorArgs), run(cliArgs)]);
const summarize = (label, results) => {
  const t = stats(results.map((r) => r.ms));
  return { label, ...t, rssMb: stats(results.map((r) => r.rssKb / 1024)).max, runs: results.length };
};
print(summarize('node -e 0 (process floor)', pairs.map(([f]) => f)));
print(summarize('scalr-agent-job template (scenario 11), whole process', pairs.map(([, c]) => c)));
const gap = stats(pairs.map(([f, c]) => c.ms - f.ms));
console.log(`${''.padEnd(4)}→ ${gap.median.toFixed(1)} ms above node -e 0 (median of ${RUNS} paired runs; ${gap.min.toFixed(1)} – ${gap.max.toFixed(1)})`);

const plus = measure('load cdk8s-plus-30', ['-e', "require('cdk8s-plus-30')"]);
print(plus);
const lib = measure('load cdk8s-plus-30 + this library', ['-e', "require('cdk8s-plus-30'); require('./lib')"]);
print(lib);
console.log(`${''.padEnd(4)}→ the library adds ${(lib.median - plus.median).toFixed(1)} ms`);

// Synthesis with stock cdk8s: N pools as N AgentJobCharts or as one AgentPoolFleet, per chart
// version. Each row also shows cdk8s's own cost for the same documents (the floor: the same JSON
// as plain ApiObjects, resolved and written by cdk8s) and the library's share (total - floor).
const poolRuns = Math.max(3, Math.floor(RUNS / 3));
const pools = (n, shape, version) => [path.join(__dirname, 'pools.js'), String(n), shape, version];
console.log(`${''.padEnd(4)}synthesis rows: in-process time from process start to the YAML; floor = cdk8s alone for the same documents`);
for (const [shape, version] of [['charts', '0.6.5'], ['fleet', '0.6.5'], ['charts', '0.5.62']]) {
  let previous;
  for (const n of [1, 10, 100, 1000]) {
    // Large apps are measured fewer times.
    const runs = n >= 1000 ? 1 : poolRuns;
    const samples = Array.from({ length: runs }, () => run(pools(n, shape, version)));
    const parsed = samples.map((r) => JSON.parse(r.stdout));
    const row = { label: `synth ${n} pool${n > 1 ? 's' : ''} (${shape}, chart ${version})`, ...stats(parsed.map((p) => p.ms)),
      rssMb: stats(samples.map((r) => r.rssKb / 1024)).max, runs };
    print(row);
    const floor = stats(parsed.map((p) => p.floor)).median;
    const own = stats(parsed.map((p) => p.own)).median;
    console.log(`${''.padEnd(4)}→ cdk8s floor ${floor.toFixed(0)} ms, the library ${own.toFixed(0)} ms`
      + (previous ? `; ${((row.median - previous.median) / (n - previous.n)).toFixed(2)} ms per added pool` : ''));
    previous = { ...row, n };
  }
}
