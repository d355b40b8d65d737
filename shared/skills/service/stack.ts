/**
 * The libraries a generated project stands on, at the exact versions installed with the factory
 * (they are among the factory's own dependencies): validation links the factory's `node_modules`
 * and installs nothing. Upgrading: `npm install <pkg>@<version>` in the factory, rebuild; every
 * project generated afterwards pins the new version.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Runtime dependencies of every generated service. */
export const SERVICE_RUNTIME = [
  '@azure/cosmos',
  '@azure/identity',
  '@azure/service-bus',
  '@opentelemetry/api',
  'ajv',
  'ajv-formats',
  'better-sqlite3',
  'cockatiel',
  'fastify',
  'jose',
  'pino',
] as const;

/** Only gateways route with it. */
export const GATEWAY_RUNTIME = ['@fastify/http-proxy'] as const;

/** Only `function` modules (Azure Functions v4 apps) register with it. */
export const FUNCTION_RUNTIME = ['@azure/functions'] as const;

/** Build and test only. */
export const SERVICE_DEV = ['@types/better-sqlite3', '@types/node', 'typescript'] as const;

/** The version of `name` installed with the factory (its package.json), e.g. `5.12.8`. */
export function installedVersion(name: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed with the factory; add it to the factory's dependencies`);
  }
}

/** `{ name: exactVersion }`, sorted by name. */
export function pinned(names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names].sort().map((name) => [name, installedVersion(name)]));
}
