// Copies the non-TypeScript files (package.json, host.json, local.settings.json) of the Functions
// apps compiled from this repo — each folder under test/fixtures/, and bench/app — next to their
// compiled code, so that `factory-host dist/<app folder>` loads them like any app.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const subfolders = (dir) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)).map((name) => path.join(dir, name)) : []);
const apps = [...subfolders(path.join('test', 'fixtures')), path.join('bench', 'app')];

for (const app of apps) {
  for (const file of ['package.json', 'host.json', 'local.settings.json']) {
    const from = path.join(root, app, file);
    if (!fs.existsSync(from)) continue;
    const to = path.join(root, 'dist', app, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

// The generators' template trees (shared/skills/*/templates/**), read at run time from next to the compiled generator.
const copyTree = (from, to) => {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
};
for (const generator of fs.readdirSync(path.join(root, 'shared', 'skills'))) {
  const templates = path.join(root, 'shared', 'skills', generator, 'templates');
  if (!fs.existsSync(templates)) continue;
  fs.rmSync(path.join(root, 'dist', 'shared', 'skills', generator, 'templates'), { recursive: true, force: true });
  copyTree(templates, path.join(root, 'dist', 'shared', 'skills', generator, 'templates'));
}
