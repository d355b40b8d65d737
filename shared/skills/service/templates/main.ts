/** `src/main.ts` of a generated service: the process entry point. */
export const MAIN_TS = `import { createService } from './app';
import { ConfigError, loadConfig } from './config';

function log(level: string, message: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ level, message, ...extra }));
}

async function main(): Promise<void> {
  const service = createService(loadConfig(process.env));
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    service.stop().then(
      () => {
        log('info', 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log('error', 'shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  const address = await service.start();
  log('info', 'listening', { host: address.address, port: address.port });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) log('error', 'invalid configuration', { problems: error.problems });
  else log('error', 'could not start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
`;
