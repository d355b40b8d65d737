/**
 * Child-process probe for test/infra.test.ts: loads the app's entry files (package.json `main`) the way
 * the Node worker does in Azure, while every module from node_modules must come from a package of the
 * Azure deployment package (scripts/azure-package.js). Prints one JSON line: the registered functions
 * with their triggers, the packages loaded, and every module that was refused or came from outside the
 * app's compiled folders.
 *
 *   node dist/test/support/azureLoadProbe.js <repoRoot>
 */
import Module from 'node:module';
import path from 'node:path';
import { readApp } from '../../local/appLoader';
import { createCoreApi, FunctionRegistry, installCoreApi } from '../../local/core/coreApi';

interface PackagePlan {
  packages: string[];
  files: string[];
}

/** Lockfile-style path (`node_modules/a/node_modules/@s/b`) of the package a resolved file belongs to. */
function packageOf(root: string, file: string): string | undefined {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const at = rel.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = rel.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  return `${rel.slice(0, at)}node_modules/${name}`;
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? '.');
   
  const plan = (require(path.join(root, 'scripts', 'azure-package.js')) as { azurePackagePlan(root: string): PackagePlan }).azurePackagePlan(root);
  const allowed = new Set(plan.packages);
  const shipped = new Set(plan.files);
  const refused = new Set<string>();
  const outside: string[] = [];
  const loaded = new Set<string>();

  const registry = new FunctionRegistry();
  installCoreApi(createCoreApi(registry, () => undefined));
  const mod = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
  const resolve = mod._resolveFilename;
  mod._resolveFilename = function resolveInPackage(request: string, parent: unknown, ...rest: unknown[]) {
    const file = resolve.call(this, request, parent, ...rest);
    if (!path.isAbsolute(file)) return file; // a builtin
    const pkg = packageOf(root, file);
    if (pkg) {
      if (!allowed.has(pkg)) {
        refused.add(pkg);
        // As in Azure, where the package is absent: callers that probe optional modules catch this.
        throw Object.assign(new Error(`Cannot find module '${request}' (${pkg} is not in the Azure package)`), { code: 'MODULE_NOT_FOUND' });
      }
      loaded.add(pkg);
    } else if (!shipped.has(path.relative(root, file).split(path.sep).join('/'))) {
      outside.push(path.relative(root, file));
    }
    return file;
  };

  const app = readApp(root);
  const errors: string[] = [];
  for (const file of app.entryFiles) {
    try {
      require(file);
    } catch (error) {
      errors.push(`${path.relative(root, file)}: ${(error as Error).message}`);
    }
  }
  const functions = [...registry.functions.values()].map((f) => ({
    name: f.metadata.name,
    type: f.trigger.type,
    queueName: (f.trigger as { queueName?: string }).queueName,
    topicName: (f.trigger as { topicName?: string }).topicName,
    subscriptionName: (f.trigger as { subscriptionName?: string }).subscriptionName,
  }));
  const entryFiles = app.entryFiles.map((f) => path.relative(root, f).split(path.sep).join('/'));
  process.stdout.write(`${JSON.stringify({ entryFiles, functions, loaded: [...loaded].sort(), refused: [...refused].sort(), outside, errors })}\n`);
}

main();
