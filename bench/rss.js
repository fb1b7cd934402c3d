// Preloaded with `node -r ./bench/rss.js ...`: reports the process's peak memory on exit.
process.on('exit', () => {
  require('fs').writeSync(3, `${process.resourceUsage().maxRSS}\n`);
});
