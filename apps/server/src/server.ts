// Composition root: wires HTTP, SIP transports and (later) the PBX together.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';

export interface RunningServer {
  readonly httpPort: number;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const http: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.httpPort, config.host, () => resolve());
  });
  const httpPort = (http.address() as AddressInfo).port;
  process.stderr.write(`switchboard: HTTP on http://${config.host}:${httpPort}\n`);
  return {
    httpPort,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
