#!/usr/bin/env node
// `factory --version` answers before anything else loads: scripts call it to probe the CLI.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${(require('../../../package.json') as { version: string }).version}\n`);
} else {
  void (require('../main') as typeof import('../main')).run(process.argv).then((code) => {
    // Exit once stdout has drained, so piped output is never cut short.
    process.exitCode = code;
  });
}
