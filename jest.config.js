/**
 * Tests are compiled by `tsc` with the rest of the project and run from dist/.
 * No per-test wall-clock budget: tests wait on conditions with their own generous deadlines
 * (`eventually`, `waitForWorkflow`), so a loaded machine makes them slower, never red.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testTimeout: 900000,
  maxWorkers: 2,
};
