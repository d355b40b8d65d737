/**
 * A node:test reporter (CommonJS source, written next to the validated project) that prints one JSON
 * line per finished test: no durations, the error's message and stack for failures.
 */
export const REPORTER_SOURCE = `'use strict';
module.exports = async function* report(source) {
  for await (const event of source) {
    if (event.type !== 'test:start' && event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    const details = data.details || {};
    const error = details.error;
    const cause = error && error.cause instanceof Error ? error.cause : error;
    yield JSON.stringify({
      event: event.type,
      name: data.name,
      nesting: data.nesting,
      file: data.file,
      line: data.line,
      column: data.column,
      suite: details.type === 'suite',
      skip: Boolean(data.skip || data.todo),
      failureType: error && error.failureType,
      message: cause ? String(cause.message) : undefined,
      stack: cause && cause.stack ? String(cause.stack) : undefined,
    }) + '\\n';
  }
};
`;

/**
 * The test entry (CommonJS source, written next to the reporter): loads every compiled test file
 * given on the command line into ONE node process, so the service's dependencies (fastify, the
 * Azure SDKs, pino) load once instead of once per file as `node --test` does (one child per file).
 * A file that throws while loading becomes a failed test named by its path, as under `node --test`.
 */
export const RUNNER_SOURCE = `'use strict';
const path = require('node:path');
const { test } = require('node:test');
for (const file of process.argv.slice(2)) {
  try {
    require(file);
  } catch (error) {
    test(path.relative(process.cwd(), file), () => {
      throw error;
    });
  }
}
`;
