// Removes the run's temporary directory (see global-setup.js).
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.SCALR_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
