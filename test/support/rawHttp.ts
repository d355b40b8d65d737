import net from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `head` (request line and headers, without the blank line) and optionally part of a body
 * over a fresh loopback socket, and reads one response. Lets tests send what fetch refuses to
 * (a foreign or malformed Host, a Content-Length the client never fulfils).
 */
export function rawRequest(port: number, head: string, body = '', timeoutMs = 60_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeoutMs} ms; got: ${data.slice(0, 200)}`));
    }, timeoutMs);
    const finish = () => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const [statusLine, ...lines] = data.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const length = Number(headers['content-length'] ?? NaN);
      const rest = data.slice(end + 4);
      if (Number.isFinite(length) && Buffer.byteLength(rest) < length) return false;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest });
      return true;
    };
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      finish();
    });
    socket.on('error', (error) => {
      if (!finish()) {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      if (!finish()) {
        clearTimeout(timer);
        reject(new Error(`connection closed before a response: ${data.slice(0, 200)}`));
      }
    });
    socket.write(`${head}\r\n\r\n${body}`);
  });
}
