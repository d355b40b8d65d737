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
