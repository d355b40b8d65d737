import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The baseline of the HTTP row: the same JSON answer as the bench app's `Item` function, from a
// bare node:http server with nothing in between. Run as its own process, like the host.
const server = http.createServer((req, res) => {
  const id = decodeURIComponent((req.url ?? '').split('?')[0].split('/').pop() ?? '');
  const body = JSON.stringify({ id, name: `item ${id}` });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare server listening on http://localhost:${(server.address() as AddressInfo).port}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
