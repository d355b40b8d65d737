#!/usr/bin/env node
import { parseArgs } from 'node:util';
import path from 'node:path';
import { applyLocalSettings, readApp } from '../appLoader';
import { keysNotice, startHost } from '../host';
import { HostLogger } from '../logger';
import { loadHostKeys } from '../security/hostKeys';

const usage = [
  'Usage: factory-host [appDir] [--port 7071] [--host 127.0.0.1] [--data-dir DIR] [--durability process|fsync] [--quiet]',
  '       factory-host keys [appDir] [--data-dir DIR]   show the host keys (generated on first use)',
].join('\n');

/** `factory-host keys`: the keys the host uses for this app and data dir, as the host resolves them. */
function showKeys(appDir: string, dataDir: string | undefined): void {
  const app = readApp(appDir);
  applyLocalSettings(app.appDir);
  const keys = loadHostKeys(path.resolve(dataDir ?? process.env.FACTORY_HOST_DATA_DIR ?? path.join(app.appDir, '.data')));
  process.stdout.write(`${keysNotice(keys)}\n  Sources: ${Object.entries(keys.sources).map(([k, v]) => `${k}=${v}`).join(', ')}\n`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      durability: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (positionals[0] === 'keys') {
    showKeys(positionals[1] ?? process.cwd(), values['data-dir']);
    return;
  }
  // Owner-only for every file and folder the host and the factory create (stores, keys, blobs,
  // project repositories, generated services), even under a data dir that already exists as 0755.
  process.umask(0o077);
  const port = values.port === undefined ? Number(process.env.FACTORY_HOST_PORT ?? 7071) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (got "${values.port}").\n${usage}`);
  const logger = new HostLogger({ invocations: !values.quiet, level: values.quiet ? 'warn' : 'info' });
  const host = await startHost({
    appDir: positionals[0] ?? process.cwd(),
    port,
    dataDir: values['data-dir'] ?? process.env.FACTORY_HOST_DATA_DIR,
    hostname: values.host ?? process.env.FACTORY_HOST_BIND ?? '127.0.0.1',
    durability: values.durability,
    logger,
  });
  process.stdout.write(`factory-host listening on ${host.origin} (data in ${host.dataDir}, durability ${host.settings.durability})\n`);
  const shutdown = () => {
    host.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: Error) => {
  process.stderr.write(`factory-host: ${error.message}\n`);
  process.exit(1);
});
