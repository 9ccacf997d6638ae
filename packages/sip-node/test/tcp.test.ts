// TCP on real loopback sockets: framing across split and coalesced segments, limits that
// close only the offending connection, connection reuse and connection ids, keep-alives,
// timeouts, and admission under a flood of half-open connections.
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeTransport, type NodeTransportOptions } from '@switchboard/sip-node';
import { OptionsAnswerer, options, recordingLogger, tcpClient, tick } from './helpers.ts';

const enc = new TextEncoder();
const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function server(
  opts: NodeTransportOptions = {},
): Promise<{ transport: NodeTransport; uas: OptionsAnswerer; port: number }> {
  const transport = new NodeTransport(opts);
  open.push(transport);
  const uas = new OptionsAnswerer(transport);
  const { port } = await transport.listen({ protocol: 'TCP', host: '127.0.0.1', port: 0 });
  return { transport, uas, port };
}

describe('TCP transport: framing', () => {
  it('frames a message that arrives one byte per segment', async () => {
    const { port, uas } = await server();
    const client = await tcpClient(port);
    const bytes = enc.encode(options('TCP', '', 'v=0\r\n'));
    for (const byte of bytes) {
      await client.write(new Uint8Array([byte]));
      await tick();
    }
    expect(await client.responses(1)).toEqual(['SIP/2.0 200 OK']);
    expect(uas.received[0]!.message.bodyText).toBe('v=0\r\n');
    client.destroy();
  });

  it('frames several messages coalesced into one segment, and a tail split across two', async () => {
    const { port, uas } = await server();
    const client = await tcpClient(port);
    const three = options('TCP') + options('TCP', '', 'hello') + options('TCP');
    await client.write(three.slice(0, three.length - 7));
    await client.write(three.slice(three.length - 7));
    expect(await client.responses(3)).toEqual(['SIP/2.0 200 OK', 'SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
    expect(uas.received.map((r) => r.message.bodyText)).toEqual(['', 'hello', '']);
    // All three came on one connection, and every answer went back on it.
    expect(new Set(uas.received.map((r) => r.source.connectionId)).size).toBe(1);
    client.destroy();
  });

  it('closes only the connection that sends an oversized message, logging why', async () => {
    const logger = recordingLogger();
    const { port, transport, uas } = await server({
      logger,
      limits: { maxHeaderBytes: 2048, maxBodyBytes: 4096 },
    });
    const good = await tcpClient(port);
    const bad = await tcpClient(port);
    await bad.write(options('TCP', `X-Pad: ${'a'.repeat(4000)}\r\n`)).catch(() => {});
    await bad.ended;
    await good.write(options('TCP'));
    expect(await good.responses(1)).toEqual(['SIP/2.0 200 OK']);
    expect(await uas.closeOf(() => true)).toBe('oversized');
    expect(transport.counters.get('oversized', 'TCP')).toBe(1);
    expect(logger.lines.find((l) => l.level === 'warn')?.fields).toMatchObject({
      reason: 'header section larger than 2048 bytes',
    });
    // An over-long body is refused from its Content-Length, before the body arrives.
    const big = await tcpClient(port);
    await big.write(options('TCP').replace('Content-Length: 0', 'Content-Length: 5000')).catch(() => {});
    await big.ended;
    good.destroy();
  });

  it('closes a connection that sends garbage; another connection is still served', async () => {
    const { port, transport, uas } = await server();
    const good = await tcpClient(port);
    const bad = await tcpClient(port);
    await bad.write(new Uint8Array(3000).map((_, i) => (i * 7919) & 0xff)).catch(() => {});
    await bad.ended;
    await good.write(options('TCP'));
    expect(await good.responses(1)).toEqual(['SIP/2.0 200 OK']);
    expect(await uas.closeOf(() => true)).toMatch(/framing-error|oversized/);
    expect(transport.counters.get('framing_errors', 'TCP') + transport.counters.get('oversized', 'TCP')).toBe(
      1,
    );
    good.destroy();
  });

  it('answers a well-framed but malformed request with 400 and keeps the connection', async () => {
    const { port, transport } = await server();
    const client = await tcpClient(port);
    await client.write(options('TCP', 'Max-Forwards: lots\r\n') + options('TCP'));
    expect(await client.responses(2)).toEqual(['SIP/2.0 400 Bad Request', 'SIP/2.0 200 OK']);
    expect(transport.counters.get('parse_errors', 'TCP')).toBe(1);
    client.destroy();
  });
});

describe('TCP transport: keep-alive (RFC 5626 §3.5.1)', () => {
  it('answers a CRLFCRLF ping with a CRLF pong', async () => {
    const { port, transport } = await server();
    const client = await tcpClient(port);
    await client.write('\r\n\r\n');
    await client.waitFor('\r\n');
    expect(client.text).toBe('\r\n');
    expect(transport.counters.get('keepalive_pings_answered', 'TCP')).toBe(1);
    client.destroy();
  });

  it('pings its own outbound connections and fails the flow when no pong comes', async () => {
    const peerSockets: Socket[] = [];
    let answer = true;
    let pings = 0;
    const peer = createServer((socket) => {
      peerSockets.push(socket);
      socket.on('data', (d) => {
        if (d.toString() === '\r\n\r\n') {
          pings++;
          if (answer) socket.write('\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of peerSockets) s.destroy();
          peer.close(() => resolve());
        }),
    });
    const peerPort = (peer.address() as { port: number }).port;
    const { transport, uas } = await server({ keepAliveIntervalMs: 30, keepAliveTimeoutMs: 1000 });
    await transport.sendBytes(enc.encode(options('TCP')), {
      protocol: 'TCP',
      host: '127.0.0.1',
      port: peerPort,
    });
    while (transport.counters.get('keepalive_pongs_received', 'TCP') < 2)
      await new Promise((r) => setTimeout(r, 20));
    answer = false;
    expect(await uas.closeOf((c) => c.remote.port === peerPort)).toBe('keepalive-timeout');
    expect(pings).toBeGreaterThanOrEqual(3);
  });
});

describe('TCP transport: connections', () => {
  it('reuses one outbound connection per destination and reaches a peer by connection id', async () => {
    const accepted: Socket[] = [];
    const received: string[] = [];
    const peer = createServer((socket) => {
      accepted.push(socket);
      socket.on('data', (d) => received.push(d.toString()));
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of accepted) s.destroy();
          peer.close(() => resolve());
        }),
    });
    const peerPort = (peer.address() as { port: number }).port;
    const { transport } = await server();
    const to = { protocol: 'TCP' as const, host: '127.0.0.1', port: peerPort };
    await Promise.all([1, 2, 3].map(() => transport.sendBytes(enc.encode(options('TCP')), to)));
    await transport.sendBytes(enc.encode(options('TCP')), to);
    expect(accepted).toHaveLength(1);
    const [connection] = transport.connections();
    expect(connection).toMatchObject({
      protocol: 'TCP',
      direction: 'outbound',
      remote: { host: '127.0.0.1', port: peerPort },
    });
    // By id, even with an address that does not match (a registrar reaching a phone behind NAT).
    await transport.sendBytes(enc.encode('by-id'), {
      protocol: 'TCP',
      host: '192.0.2.1',
      port: 5060,
      connectionId: connection!.id,
    });
    while (!received.join('').includes('by-id')) await tick();
    expect(accepted).toHaveLength(1);
  });

  it('sends a request to a phone through the connection it registered on', async () => {
    const { port, transport, uas } = await server();
    const phone = await tcpClient(port);
    const registered = uas.nextMessage();
    await phone.write(options('TCP'));
    const { source } = await registered;
    await transport.sendBytes(enc.encode('NOTIFY sip:phone SIP/2.0\r\nContent-Length: 0\r\n\r\n'), {
      protocol: 'TCP',
      host: '203.0.113.9', // the Contact address, unreachable: the connection id wins
      port: 5060,
      connectionId: source.connectionId,
    });
    await phone.waitFor('NOTIFY sip:phone');
    phone.destroy();
  });

  it('rejects a send to a refused port with a TransportError', async () => {
    const { transport } = await server();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      transport.sendBytes(enc.encode(options('TCP')), { protocol: 'TCP', host: '127.0.0.1', port: deadPort }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(transport.counters.get('send_errors', 'TCP')).toBe(1);
  });

  it('closes an idle connection after the idle timeout', async () => {
    const { port, uas } = await server({ idleTimeoutMs: 500 });
    const client = await tcpClient(port);
    await client.write(options('TCP'));
    await client.responses(1);
    await client.ended;
    expect(await uas.closeOf(() => true)).toBe('idle-timeout');
  });

  it('closes a slowloris connection at the header timeout while serving others', async () => {
    const { port, uas, transport } = await server({ headerTimeoutMs: 1000 });
    const slow = await tcpClient(port);
    const slowPort = slow.socket.localPort;
    const text = options('TCP');
    let i = 0;
    const trickle = setInterval(() => void slow.write(text[i++ % 40]!).catch(() => {}), 20);
    const good = await tcpClient(port);
    await good.write(options('TCP'));
    expect(await good.responses(1)).toEqual(['SIP/2.0 200 OK']);
    await slow.ended;
    clearInterval(trickle);
    expect(await uas.closeOf((c) => c.remote.port === slowPort)).toBe('header-timeout');
    expect(transport.counters.get('header_timeouts', 'TCP')).toBe(1);
    good.destroy();
  });

  it('closes a peer that only sends keep-alives and never a message, at the header timeout', async () => {
    const { port, uas } = await server({ headerTimeoutMs: 500 });
    const client = await tcpClient(port);
    const clientPort = client.socket.localPort;
    await client.write('\r\n\r\n');
    await client.waitFor('\r\n'); // the pong: keep-alives are answered…
    await client.ended; // …but do not count as the first message
    expect(await uas.closeOf((c) => c.remote.port === clientPort)).toBe('header-timeout');
  });

  it('under a flood of silent connections, evicts the oldest silent one to admit a new client', async () => {
    const { port, transport } = await server({ maxConnections: 5 });
    const silent = await Promise.all([1, 2, 3, 4, 5].map(() => tcpClient(port)));
    while (transport.connections().length < 5) await tick();
    const client = await tcpClient(port);
    await client.write(options('TCP'));
    expect(await client.responses(1)).toEqual(['SIP/2.0 200 OK']);
    await silent[0]!.ended; // the oldest silent connection made room
    expect(transport.counters.get('connections_evicted', 'TCP')).toBe(1);
    expect(transport.connections()).toHaveLength(5);
    for (const s of silent) s.destroy();
    client.destroy();
  });

  it('refuses a new connection when every slot holds a peer that spoke SIP', async () => {
    const { port, transport } = await server({ maxConnections: 2 });
    const a = await tcpClient(port);
    const b = await tcpClient(port);
    await a.write(options('TCP'));
    await b.write(options('TCP'));
    await a.responses(1);
    await b.responses(1);
    const c = await tcpClient(port);
    await c.ended;
    expect(transport.counters.get('connections_rejected', 'TCP')).toBe(1);
    a.destroy();
    b.destroy();
  });

  it('closes a connection whose peer stops reading once the output queue passes its bound', async () => {
    const accepted: Socket[] = [];
    const peer = createServer((socket) => {
      accepted.push(socket);
      socket.pause(); // never reads
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of accepted) s.destroy();
          peer.close(() => resolve());
        }),
    });
    const peerPort = (peer.address() as { port: number }).port;
    const { transport, uas } = await server();
    const to = { protocol: 'TCP' as const, host: '127.0.0.1', port: peerPort };
    const big = enc.encode(options('TCP', '', 'x'.repeat(64 * 1024)));
    await transport.sendBytes(big, to);
    let refused = 0;
    for (let i = 0; i < 2000 && refused === 0 && transport.connections().length > 0; i++) {
      transport.sendBytes(big, to).catch(() => refused++);
      if (i % 50 === 49) await tick();
    }
    expect(await uas.closeOf((c) => c.remote.port === peerPort)).toBe('slow-reader');
  });

  it('shuts down cleanly: listeners closed, connections ended, promise resolves', async () => {
    const transport = new NodeTransport();
    new OptionsAnswerer(transport);
    const { port } = await transport.listen({ protocol: 'TCP', host: '127.0.0.1', port: 0 });
    const udp = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    const clients = await Promise.all([1, 2, 3].map(() => tcpClient(port)));
    await clients[0]!.write(options('TCP'));
    await clients[0]!.responses(1);
    await transport.close();
    await Promise.all(clients.map((c) => c.ended));
    expect(transport.connections()).toHaveLength(0);
    await expect(tcpClient(port)).rejects.toThrow(/ECONNREFUSED/);
    await expect(
      transport.sendBytes(new Uint8Array(1), { protocol: 'UDP', host: '127.0.0.1', port: udp.port }),
    ).rejects.toThrow(/closed/);
  });
});
