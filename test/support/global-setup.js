// Every test run gets its own temporary directory (TMPDIR), removed when the run ends: cdk8s's
// Testing.app() makes a `cdk8s.outdir.*` folder for each app, and tests write scratch files.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-agent-job-tests-'));
  process.env.SCALR_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
