import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';

/** The parts of an app folder the host needs: its entry files and host.json. */
export interface AppDefinition {
  appDir: string;
  entryFiles: string[];
  hostJson: HostJson;
}

export interface HostJson {
  version?: string;
  extensions?: {
    http?: { routePrefix?: string; maxRequestBodySizeBytes?: number };
    durableTask?: {
      hubName?: string;
      maxConcurrentActivityFunctions?: number;
      maxConcurrentOrchestratorFunctions?: number;
    };
    serviceBus?: { maxConcurrentCalls?: number; maxDeliveryCount?: number; prefetchCount?: number };
  };
  [key: string]: unknown;
}

function readJson<T>(file: string): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Resolves the app the way the Azure Node worker does: `package.json` `main` (a glob), `host.json`. */
export function readApp(appDir: string): AppDefinition {
  const dir = path.resolve(appDir);
  const pkg = readJson<{ main?: string }>(path.join(dir, 'package.json'));
  if (!pkg) throw new Error(`No package.json in ${dir}: not a Functions app folder.`);
  const main = pkg.main ?? 'index.js';
  const entryFiles = globSync(main, { cwd: dir, absolute: true }).sort();
  if (entryFiles.length === 0) {
    throw new Error(`package.json "main" (${main}) matches no file in ${dir}. Did you build the app?`);
  }
  const hostJson = readJson<HostJson>(path.join(dir, 'host.json')) ?? { version: '2.0' };
  return { appDir: dir, entryFiles, hostJson };
}

/**
 * Applies `local.settings.json` `Values` to the environment, without overriding what the
 * environment already sets (as Core Tools does).
 */
export function applyLocalSettings(appDir: string): string[] {
  const settings = readJson<{ Values?: Record<string, string> }>(path.join(appDir, 'local.settings.json'));
  const applied: string[] = [];
  for (const [key, value] of Object.entries(settings?.Values ?? {})) {
    if (process.env[key] === undefined) {
      process.env[key] = String(value);
      applied.push(key);
    }
  }
  return applied;
}

export function loadEntryFiles(app: AppDefinition): void {
  for (const file of app.entryFiles) require(file);
}
