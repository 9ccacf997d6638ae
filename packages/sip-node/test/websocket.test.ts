// SIP over WebSocket (RFC 7118) on real loopback sockets: attached to an HTTP server that
// keeps serving HTTP, the `sip` subprotocol negotiated, text and binary frames, CRLF
// keep-alives, an oversized message closing only its connection, and WSS.
import { createServer, request, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { NodeTransport, type NodeTransportOptions, type WebSocketAttachOptions } from '@switchboard/sip-node';
import { OptionsAnswerer, options, selfSignedCert } from './helpers.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function httpWithSip(
  attach: WebSocketAttachOptions = {},
  opts: NodeTransportOptions = {},
): Promise<{ transport: NodeTransport; uas: OptionsAnswerer; port: number; http: Server }> {
  const http = createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const transport = new NodeTransport(opts);
  const uas = new OptionsAnswerer(transport);
  transport.attachWebSocket(http, attach);
  cleanup.push(() => new Promise((resolve) => http.close(() => resolve())));
  cleanup.push(() => transport.close());
  return { transport, uas, port: (http.address() as AddressInfo).port, http };
}

function open(url: string, protocols: string[] = ['sip'], extra: object = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, extra);
  cleanup.push(async () => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextFrame(ws: WebSocket): Promise<{ text: string; binary: boolean }> {
  return new Promise((resolve) =>
    ws.once('message', (data: Buffer, binary) => resolve({ text: data.toString(), binary })),
  );
}

describe('WebSocket transport', () => {
  it('shares the HTTP port: HTTP still answers, the upgrade selects the sip subprotocol', async () => {
    const { port, uas } = await httpWithSip();
    const health = await new Promise<number>((resolve) =>
      request({ port, host: '127.0.0.1', path: '/healthz' }, (res) => resolve(res.statusCode ?? 0)).end(),
    );
    expect(health).toBe(200);
    const ws = await open(`ws://127.0.0.1:${port}/`, ['sip']);
    expect(ws.protocol).toBe('sip');
    const frame = nextFrame(ws);
    ws.send(options('WS')); // a text frame
    const reply = await frame;
    expect(reply.text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(reply.binary).toBe(false);
    expect(uas.received[0]!.source).toMatchObject({ protocol: 'WS', remote: { host: '127.0.0.1' } });
    expect(uas.received[0]!.source.connectionId).toMatch(/^ws-/);
  });

  it('accepts SIP in binary frames too', async () => {
    const { port } = await httpWithSip();
    const ws = await open(`ws://127.0.0.1:${port}/`);
    const frame = nextFrame(ws);
    ws.send(Buffer.from(options('WS')), { binary: true });
    expect((await frame).text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
  });

  it('answers a CRLFCRLF keep-alive message with CRLF', async () => {
    const { port, transport } = await httpWithSip();
    const ws = await open(`ws://127.0.0.1:${port}/`);
    const frame = nextFrame(ws);
    ws.send('\r\n\r\n');
    expect((await frame).text).toBe('\r\n');
    expect(transport.counters.get('keepalive_pings_answered', 'WS')).toBe(1);
  });

  it('on its path, refuses an upgrade that does not offer sip; elsewhere leaves it alone', async () => {
    const { port, http } = await httpWithSip({ path: '/sip' });
    await expect(open(`ws://127.0.0.1:${port}/sip`, ['chat'])).rejects.toThrow(/400/);
    // Another upgrade handler on the same server keeps its own path.
    http.on('upgrade', (req, socket) => {
      if (req.url === '/other') socket.end('HTTP/1.1 418 Teapot\r\nContent-Length: 0\r\n\r\n');
    });
    await expect(open(`ws://127.0.0.1:${port}/other`, ['sip'])).rejects.toThrow(/418/);
    const ws = await open(`ws://127.0.0.1:${port}/sip`, ['chat', 'sip']);
    expect(ws.protocol).toBe('sip');
  });

  it('closes a WebSocket that sends an oversized message; others carry on', async () => {
    const { port, uas, transport } = await httpWithSip(
      {},
      { limits: { maxHeaderBytes: 1024, maxBodyBytes: 1024 } },
    );
    const good = await open(`ws://127.0.0.1:${port}/`);
    const bad = await open(`ws://127.0.0.1:${port}/`);
    const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)));
    bad.send(options('WS', '', 'x'.repeat(20_000)));
    expect(await closed).toBe(1009); // RFC 6455 §7.4.1: message too big
    const frame = nextFrame(good);
    good.send(options('WS'));
    expect((await frame).text).toMatch(/^SIP\/2\.0 200 OK/);
    expect(await uas.closeOf(() => true)).toBe('oversized');
    expect(transport.counters.get('oversized', 'WS')).toBe(1);
  });

  it('sends a request to a browser over the connection it registered on', async () => {
    const { port, transport, uas } = await httpWithSip();
    const ws = await open(`ws://127.0.0.1:${port}/`);
    const first = nextFrame(ws);
    const registered = uas.nextMessage();
    ws.send(options('WS'));
    await first;
    const { source } = await registered;
    const frame = nextFrame(ws);
    await transport.sendBytes(
      new TextEncoder().encode('MESSAGE sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n'),
      {
        protocol: 'WS',
        host: 'df7jal23ls0d.invalid', // RFC 7118 §5.2: the browser's Via host is not reachable
        port: 0,
        connectionId: source.connectionId,
      },
    );
    expect((await frame).text).toMatch(/^MESSAGE sip:b/);
    await expect(
      transport.sendBytes(new Uint8Array(1), { protocol: 'WS', host: '127.0.0.1', port: 1 }),
    ).rejects.toThrow(/cannot open one/);
  });

  it('runs WSS on a node:https server with the subprotocol', async () => {
    const pem = await selfSignedCert();
    const https = createHttpsServer(pem, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => https.close(() => resolve())));
    const transport = new NodeTransport();
    cleanup.push(() => transport.close());
    const uas = new OptionsAnswerer(transport);
    transport.attachWebSocket(https);
    const port = (https.address() as AddressInfo).port;
    expect(transport.listeningPoints()).toContainEqual({ protocol: 'WSS', host: '127.0.0.1', port });
    const ws = await open(`wss://127.0.0.1:${port}/`, ['sip'], { ca: pem.cert, servername: 'localhost' });
    const frame = nextFrame(ws);
    ws.send(options('WSS'));
    expect((await frame).text).toMatch(/^SIP\/2\.0 200 OK/);
    expect(uas.received[0]!.source.protocol).toBe('WSS');
  });

  it('listens on a port of its own when asked (426 for plain HTTP)', async () => {
    const transport = new NodeTransport();
    cleanup.push(() => transport.close());
    new OptionsAnswerer(transport);
    const { port } = await transport.listen({ protocol: 'WS', host: '127.0.0.1', port: 0 });
    const status = await new Promise<number>((resolve) =>
      request({ port, host: '127.0.0.1', path: '/' }, (res) => resolve(res.statusCode ?? 0)).end(),
    );
    expect(status).toBe(426);
    const ws = await open(`ws://127.0.0.1:${port}/`);
    const frame = nextFrame(ws);
    ws.send(options('WS'));
    expect((await frame).text).toMatch(/^SIP\/2\.0 200 OK/);
  });

  it('ends WebSocket connections on close() and stops taking upgrades', async () => {
    const { port, transport } = await httpWithSip();
    const ws = await open(`ws://127.0.0.1:${port}/`);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await transport.close();
    await closed;
    expect(transport.connections()).toHaveLength(0);
  });
});

describe('WebSocket transport beside another upgrade handler', () => {
  it('survives an upgrade that another handler on the same server already took', async () => {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => {
      http.closeAllConnections();
      return new Promise((resolve) => http.close(() => resolve()));
    });
    // A careless handler that takes every upgrade, registered first.
    const greedy = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => greedy.handleUpgrade(req, socket, head, () => {}));
    const transport = new NodeTransport();
    cleanup.push(() => transport.close());
    transport.attachWebSocket(http);
    const port = (http.address() as AddressInfo).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, ['sip']);
    cleanup.push(async () => ws.terminate());
    await new Promise((resolve) => {
      ws.once('open', resolve);
      ws.once('error', resolve);
    });
    // Had the second handleUpgrade thrown out of our listener, vitest would report it as an
    // unhandled error; the transport is still usable.
    expect(transport.connections()).toHaveLength(0);
  });
});
