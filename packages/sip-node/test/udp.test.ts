// UDP on real loopback sockets: answers, IPv6, malformed requests (400 or silence) and a
// garbage flood that must not keep a valid OPTIONS from being answered.
import { afterEach, describe, expect, it } from 'vitest';
import { NodeTransport } from '@switchboard/sip-node';
import { OptionsAnswerer, options, recordingLogger, udpClient } from './helpers.ts';

let transport: NodeTransport | undefined;
afterEach(async () => {
  await transport?.close();
  transport = undefined;
});

describe('UDP transport', () => {
  it('delivers an OPTIONS with its source and sends the 200 back to it (IPv4)', async () => {
    transport = new NodeTransport();
    const uas = new OptionsAnswerer(transport);
    const point = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    const client = await udpClient();
    client.send(options(), point.port);
    const reply = await client.next();
    expect(reply).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    const { source } = uas.received[0]!;
    expect(source.protocol).toBe('UDP');
    expect(source.remote).toEqual({ host: '127.0.0.1', port: client.socket.address().port });
    expect(source.local).toEqual({ host: '127.0.0.1', port: point.port });
    expect(transport.counters.get('messages_received', 'UDP')).toBe(1);
    client.close();
  });

  it('serves IPv6 on ::1', async () => {
    transport = new NodeTransport();
    const uas = new OptionsAnswerer(transport);
    const point = await transport.listen({ protocol: 'UDP', host: '::1', port: 0 });
    const client = await udpClient('udp6');
    client.send(options(), point.port);
    expect(await client.next()).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(uas.received[0]!.source.remote.host).toBe('::1');
    expect(transport.localAddress({ protocol: 'UDP', host: '::1', port: 5060 })).toEqual({
      host: '::1',
      port: point.port,
    });
    client.close();
  });

  it('serves IPv4 peers on a dual-stack socket bound to ::, reporting plain IPv4 addresses', async () => {
    transport = new NodeTransport();
    const uas = new OptionsAnswerer(transport);
    const point = await transport.listen({ protocol: 'UDP', host: '::', port: 0 });
    const client = await udpClient('udp4');
    client.send(options(), point.port, '127.0.0.1');
    expect(await client.next()).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(uas.received[0]!.source.remote).toEqual({ host: '127.0.0.1', port: client.socket.address().port });
    // A wildcard listener never writes `::` into Via: loopback peers see the loopback address.
    expect(transport.localAddress({ protocol: 'UDP', host: '127.0.0.1', port: 5060 })).toEqual({
      host: '127.0.0.1',
      port: point.port,
    });
    client.close();
  });

  it('answers a malformed request with 400 when Via, From, To, Call-ID and CSeq are readable', async () => {
    transport = new NodeTransport();
    const uas = new OptionsAnswerer(transport);
    const point = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    const client = await udpClient();
    client.send(options('UDP', 'Max-Forwards: lots\r\n'), point.port);
    const reply = await client.next();
    expect(reply).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(reply).toMatch(/^Warning: 399 - ".*Max-Forwards/m);
    expect(reply).toMatch(/^Call-ID: call-\d+@test\r$/m);
    expect(uas.received).toHaveLength(0);
    expect(transport.counters.get('parse_errors', 'UDP')).toBe(1);
    expect(transport.counters.get('bad_requests_answered', 'UDP')).toBe(1);
    client.close();
  });

  it('drops a malformed request it cannot answer, and a malformed response, without replying', async () => {
    transport = new NodeTransport();
    new OptionsAnswerer(transport);
    const point = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    const client = await udpClient();
    client.send('OPTIONS sip:x SIP/2.0\r\nVia: nonsense\r\nCall-ID: a\r\n\r\n', point.port);
    client.send('SIP/2.0 200 OK\r\nCSeq: many\r\n\r\n', point.port);
    client.send(options(), point.port);
    // The first datagram back is the answer to the valid OPTIONS: nothing was sent for the others.
    expect(await client.next()).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(transport.counters.get('parse_errors', 'UDP')).toBe(2);
    expect(transport.counters.get('bad_requests_answered', 'UDP')).toBe(0);
    client.close();
  });

  it('keeps answering a valid OPTIONS during a flood of garbage datagrams', async () => {
    const logger = recordingLogger();
    transport = new NodeTransport({ logger });
    new OptionsAnswerer(transport);
    const point = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    const attacker = await udpClient();
    const client = await udpClient();
    const flood = 3000;
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const sends: Promise<void>[] = [];
    const valid = options();
    for (let i = 0; i < flood; i++) {
      const bytes = new Uint8Array(1 + (random() % 1400)).map(() => random() & 0xff);
      if (i % 3 === 0) bytes.set(new TextEncoder().encode('INVITE sip:x SIP/2.0\r\n'));
      sends.push(
        new Promise((resolve) => attacker.socket.send(bytes, point.port, '127.0.0.1', () => resolve())),
      );
      if (i === flood / 2) client.send(valid, point.port);
    }
    await Promise.all(sends);
    // UDP may lose the request in the kernel's full receive buffer, as on any network; a UAC
    // retransmits (timer E), and so does this test, a bounded number of times.
    const answer = client.next();
    let retransmits = 0;
    const timer = setInterval(() => retransmits++ < 20 && client.send(valid, point.port), 100);
    expect(await answer).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    clearInterval(timer);
    // Garbage is counted and logged at debug level only: no warning per datagram.
    expect(transport.counters.get('parse_errors', 'UDP')).toBeGreaterThan(0);
    expect(logger.lines.filter((l) => l.level !== 'debug' && l.level !== 'info')).toEqual([]);
    attacker.close();
    client.close();
  });

  it('ignores CRLF keep-alive datagrams', async () => {
    transport = new NodeTransport();
    const uas = new OptionsAnswerer(transport);
    const point = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    const client = await udpClient();
    client.send('\r\n\r\n', point.port);
    client.send(options(), point.port);
    expect(await client.next()).toMatch(/^SIP\/2\.0 200 OK/);
    expect(transport.counters.get('keepalive_datagrams', 'UDP')).toBe(1);
    expect(transport.counters.get('parse_errors', 'UDP')).toBe(0);
    expect(uas.received).toHaveLength(1);
    client.close();
  });

  it('sends requests out from the listener and rejects a destination no listener can reach', async () => {
    transport = new NodeTransport();
    const point = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    const peer = await udpClient();
    await transport.sendBytes(new TextEncoder().encode(options()), {
      protocol: 'UDP',
      host: '127.0.0.1',
      port: peer.socket.address().port,
    });
    expect(await peer.next()).toMatch(/^OPTIONS /);
    await expect(
      transport.sendBytes(new Uint8Array(1), { protocol: 'UDP', host: '::1', port: 5060 }),
    ).rejects.toThrow(/no UDP listener/);
    expect(point.port).toBeGreaterThan(0);
    peer.close();
  });
});
