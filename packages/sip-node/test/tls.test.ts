// TLS on real loopback sockets with a certificate made for the test: a TLS client gets its
// OPTIONS answered, a failed handshake costs nothing, and one NodeTransport reaches another
// over outbound TLS with certificate verification on.
import { connect } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeTransport } from '@switchboard/sip-node';
import { OptionsAnswerer, StreamClient, options, selfSignedCert, tcpClient } from './helpers.ts';

let pem: { cert: string; key: string };
beforeAll(async () => {
  pem = await selfSignedCert();
});

const transports: NodeTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
});

async function tlsServer(): Promise<{ transport: NodeTransport; uas: OptionsAnswerer; port: number }> {
  const transport = new NodeTransport();
  transports.push(transport);
  const uas = new OptionsAnswerer(transport);
  const { port } = await transport.listen({ protocol: 'TLS', host: '127.0.0.1', port: 0, tls: pem });
  return { transport, uas, port };
}

describe('TLS transport', () => {
  it('answers OPTIONS from a TLS client that verifies the server certificate', async () => {
    const { port, uas } = await tlsServer();
    const socket = connect({ host: '127.0.0.1', port, ca: pem.cert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    const client = new StreamClient(socket);
    await client.write(options('TLS'));
    expect(await client.responses(1)).toEqual(['SIP/2.0 200 OK']);
    expect(uas.received[0]!.source).toMatchObject({ protocol: 'TLS', remote: { host: '127.0.0.1' } });
    expect(uas.received[0]!.source.connectionId).toMatch(/^tls-/);
    client.destroy();
  });

  it('drops a peer that speaks plain TCP to the TLS port, and keeps serving TLS clients', async () => {
    const { port, uas } = await tlsServer();
    const plain = await tcpClient(port);
    await plain.write(options('TCP')).catch(() => {});
    await plain.ended;
    const socket = connect({ host: '127.0.0.1', port, ca: pem.cert, servername: 'localhost' });
    const client = new StreamClient(socket);
    await client.write(options('TLS'));
    expect(await client.responses(1)).toEqual(['SIP/2.0 200 OK']);
    expect(uas.received).toHaveLength(1);
    client.destroy();
  });

  it('opens an outbound TLS connection to another transport and reuses it', async () => {
    const { port, uas } = await tlsServer();
    const client = new NodeTransport({ tlsClient: { ca: pem.cert, servername: 'localhost' } });
    transports.push(client);
    const answers = new OptionsAnswerer(client);
    await client.listen({ protocol: 'TLS', host: '127.0.0.1', port: 0, tls: pem });
    const to = { protocol: 'TLS' as const, host: '127.0.0.1', port };
    const first = answers.nextMessage();
    await client.sendBytes(new TextEncoder().encode(options('TLS')), to);
    // The 200 comes back over the same TLS connection.
    expect((await first).message).toMatchObject({ status: 200 });
    await client.sendBytes(new TextEncoder().encode(options('TLS')), to);
    while (uas.received.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(client.connections()).toHaveLength(1);
    expect(client.connections()[0]).toMatchObject({ protocol: 'TLS', direction: 'outbound' });
  });

  it('refuses an outbound TLS peer whose certificate it does not trust', async () => {
    const { port } = await tlsServer();
    const client = new NodeTransport(); // Node's CA bundle: the self-signed cert is unknown
    transports.push(client);
    await expect(
      client.sendBytes(new TextEncoder().encode(options('TLS')), {
        protocol: 'TLS',
        host: '127.0.0.1',
        port,
      }),
    ).rejects.toThrow(/self[- ]signed|certificate/i);
  });
});
