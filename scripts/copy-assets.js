// Copies the non-TypeScript files of the test fixture apps (package.json, host.json) next to
// their compiled code, so that `factory-host dist/test/fixtures/<app>` loads them like any app.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const fixtures = path.join(root, 'test', 'fixtures');
if (fs.existsSync(fixtures)) {
  for (const app of fs.readdirSync(fixtures)) {
    for (const file of ['package.json', 'host.json', 'local.settings.json']) {
      const from = path.join(fixtures, app, file);
      if (!fs.existsSync(from)) continue;
      const to = path.join(root, 'dist', 'test', 'fixtures', app, file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}
