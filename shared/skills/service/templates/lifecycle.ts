/** `src/lifecycle.ts` of a generated service: listening and graceful shutdown of the HTTP server. */
export const LIFECYCLE_TS = `import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on \`host:port\` (port 0 picks a free one) and resolves with the bound address. */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Stops accepting connections, lets requests in flight finish (idle keep-alive connections are
 * closed at once) and, after \`timeoutMs\`, closes whatever is still open.
 */
export function drain(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
`;
