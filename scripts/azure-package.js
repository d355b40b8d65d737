// Builds the Azure deployment package: a local build that ships the compiled app and its production
// dependencies only (Microsoft's recommended TypeScript build option; azd then uploads the folder as is,
// with remoteBuild: false). azure.yaml runs it as the `prepackage` hook and deploys its output folder
// (`dist: dist-azure`).
//
//   node scripts/azure-package.js [outDir]      (after `npm run build`; default outDir dist-azure)
//
// What goes in: host.json, a package.json without devDependencies or scripts, .funcignore, the compiled
// Azure entry points and what they load (dist/functions, dist/orchestrations, dist/shared), the built Studio (dist/studio; no source
// maps), and node_modules: the closure of package.json `dependencies` over package-lock.json, minus
// LOCAL_ONLY. Nothing is installed or built here, so no network is needed; the packages are copied
// from the local node_modules, and a native module (a `.node` file) stops the build, since it would be
// built for this machine rather than for Linux x64.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Dependencies only the local host loads (the Azure path never requires them); kept out of the package. */
const LOCAL_ONLY = {
  'better-sqlite3': 'the local store and broker (SQLite); in Azure the store is Cosmos DB',
};

/** Compiled folders that hold the Azure app (package.json `main` plus what it requires). */
const APP_FOLDERS = ['dist/functions', 'dist/orchestrations', 'dist/shared', 'dist/studio'];

const ROOT_FILES = ['host.json', '.funcignore'];

function walk(root, rel, skip = () => false) {
  const out = [];
  const dir = path.join(root, rel);
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (skip(child, entry)) continue;
    if (entry.isDirectory()) out.push(...walk(root, child, skip));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

/** The lockfile entry (`node_modules/...` path) that `name` resolves to from the package at `from`, as Node resolves it. */
function resolveLocked(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const at = base.lastIndexOf('node_modules/');
    base = at <= 0 ? '' : base.slice(0, at - 1);
  }
}

/** Lockfile paths of every package the production dependencies need, minus LOCAL_ONLY (and what only they need). */
function productionPackages(root) {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const packages = lock.packages;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const seen = new Set();
  const queue = [];
  const need = (from, name, optional) => {
    const found = resolveLocked(packages, from, name);
    if (!found) {
      if (optional) return;
      throw new Error(`${name} (needed by ${from || 'package.json'}) is not in package-lock.json`);
    }
    if (!seen.has(found)) {
      seen.add(found);
      queue.push(found);
    }
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) if (!LOCAL_ONLY[name]) need('', name, false);
  while (queue.length > 0) {
    const at = queue.shift();
    const entry = packages[at];
    for (const name of Object.keys(entry.dependencies ?? {})) need(at, name, false);
    for (const name of Object.keys(entry.optionalDependencies ?? {})) need(at, name, true);
    for (const name of Object.keys(entry.peerDependencies ?? {})) need(at, name, Boolean(entry.peerDependenciesMeta?.[name]?.optional));
  }
  return [...seen].sort();
}

/**
 * The package's file list (paths relative to the package root, `/`-separated), and the paths of the
 * production packages. Throws when a needed package is missing locally or holds a native module.
 */
function azurePackagePlan(root) {
  const files = [...ROOT_FILES, 'package.json'];
  for (const folder of APP_FOLDERS) files.push(...walk(root, folder).filter((f) => !f.endsWith('.map')));
  const packages = productionPackages(root);
  for (const pkg of packages) {
    if (!fs.existsSync(path.join(root, pkg, 'package.json'))) throw new Error(`${pkg} is not installed: run npm ci first`);
    // Nested node_modules are packages of their own in the lockfile (included only when needed).
    const own = walk(root, pkg, (rel, entry) => entry.isDirectory() && rel === `${pkg}/node_modules`);
    const native = own.find((f) => f.endsWith('.node'));
    if (native) throw new Error(`${native} is a native module built for this machine; keep ${pkg} out of the Azure path or build on Linux x64`);
    files.push(...own);
  }
  return { files: files.sort(), packages };
}

/** package.json as deployed: what the Functions host reads (`main`), runtime dependencies, no scripts. */
function deployedManifest(root) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dependencies = Object.fromEntries(Object.entries(manifest.dependencies ?? {}).filter(([name]) => !LOCAL_ONLY[name]));
  const { name, version, private: isPrivate, description, main, engines } = manifest;
  return { name, version, private: isPrivate, description, main, engines, dependencies };
}

function writePackage(root, outDir) {
  const { files } = azurePackagePlan(root);
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const file of files) {
    const to = path.join(outDir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (file === 'package.json') fs.writeFileSync(to, `${JSON.stringify(deployedManifest(root), null, 2)}\n`);
    else fs.copyFileSync(path.join(root, file), to);
  }
  return files.length;
}

module.exports = { LOCAL_ONLY, APP_FOLDERS, azurePackagePlan, deployedManifest, productionPackages, writePackage };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const outDir = path.resolve(root, process.argv[2] ?? 'dist-azure');
  const count = writePackage(root, outDir);
  process.stderr.write(`azure package: ${count} files in ${path.relative(root, outDir) || '.'}\n`);
}
