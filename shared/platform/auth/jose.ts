type Jose = typeof import('jose');
let jose: Jose | undefined;

/**
 * The `jose` module, loaded on first use. jose v6 is ESM-only; Node ≥ 20.19 loads it with
 * `require`. Asking Node itself for `createRequire` (`process.getBuiltinModule`) keeps that working
 * under test runners that replace the CommonJS loader (jest cannot load ESM without flags), and keeps
 * jose out of processes that never see a JWT.
 */
export function loadJose(): Jose {
  if (!jose) {
    const nodeModule = process.getBuiltinModule?.('node:module') ?? (require('node:module') as typeof import('node:module'));
    jose = nodeModule.createRequire(__filename)('jose') as Jose;
  }
  return jose;
}
