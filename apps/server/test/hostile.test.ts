// Hostile input against the whole server: hand-made malformed SIP, the invalid messages of RFC
// 4475 §3.1.2 and §3.3 and seeded random bytes, over UDP and over TCP. Every answer must be a 400
// (or nothing: a message without the headers a response needs is dropped), and meanwhile a call
// between two baresip phones, with a garbage flood running through it, completes with the right
// audio and CDR; /healthz stays 200.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Baresip } from '@switchboard/testkit';
import { analyseHeard } from './audio.ts';
import { startPbx, type PbxHarness } from './harness.ts';

const ALICE = { number: '4001', password: 'alice-4001-pw' };
const BOB = { number: '4002', password: 'bob-4002-pw' };

// The torture messages live with the parser's tests (data files, read by path).
const RFC4475 = fileURLToPath(new URL('../../../packages/sip/test/fixtures/rfc4475/', import.meta.url));
/** RFC 4475 §3.1.2 (invalid) and the §3.3 messages a parser must reject. */
const INVALID = [
  'badinv01',
  'clerr',
  'ncl',
  'scalar02',
  'scalarlg',
  'quotbal',
  'ltgtruri',
  'lwsruri',
  'lwsstart',
  'trws',
  'escruri',
  'regbadct',
  'badaspec',
  'baddn',
  'mismatch01',
  'mismatch02',
  'bigcode',
  'insuf',
  'multi01',
  'mcl01',
];

const encoder = new TextEncoder();

/** The bytes an RFC 4475 message stands for (§2 notation: allOneLine, hex, repeat; CRLF lines). */
function rfcMessage(name: string): Uint8Array {
  let s = readFileSync(`${RFC4475}${name}.txt`, 'utf8').replace(/\r\n/g, '\n');
  s = s.replace(/<allOneLine>\n([\s\S]*?)\n<\/allOneLine>/g, (_m, inner: string) => inner.replace(/\n/g, ''));
  s = s.replace(/<repeat count=(\d+)>([^<]*)<\/repeat>/g, (_m, n: string, v: string) => v.repeat(Number(n)));
  s = s.replace(/\n/g, '\r\n');
  const chunks: number[] = [];
  let last = 0;
  for (const m of s.matchAll(/<hex>([0-9A-Fa-f\s]*)<\/hex>/g)) {
    chunks.push(...encoder.encode(s.slice(last, m.index)));
    const hex = (m[1] ?? '').replace(/\s+/g, '');
    for (let i = 0; i < hex.length; i += 2) chunks.push(parseInt(hex.slice(i, i + 2), 16));
    last = (m.index ?? 0) + m[0].length;
  }
  chunks.push(...encoder.encode(s.slice(last)));
  return Uint8Array.from(chunks);
}

/** Where a hand-made message must get a 400: over both transports, UDP only, or neither. */
type Owed = 'both' | 'udp' | 'none';

/** Malformed requests made by hand; `via` is where answers should go. */
function handMade(via: string): { name: string; bytes: Uint8Array; owed: Owed }[] {
  const head = (extra: string, cseq = '1 OPTIONS', start = 'OPTIONS sip:4002@127.0.0.1 SIP/2.0'): string =>
    `${start}\r\nVia: SIP/2.0/UDP ${via};branch=z9hG4bK-hostile-${Math.random().toString(36).slice(2)}\r\n` +
    `From: <sip:x@127.0.0.1>;tag=h1\r\nTo: <sip:4002@127.0.0.1>\r\nCall-ID: hostile-${Math.random()}\r\n` +
    `CSeq: ${cseq}\r\n${extra}`;
  const cases: { name: string; text: string; owed: Owed }[] = [
    // Readable Via/From/To/Call-ID/CSeq and something else broken: a 400 is owed.
    { name: 'Max-Forwards: abc', text: head('Max-Forwards: abc\r\nContent-Length: 0\r\n\r\n'), owed: 'both' },
    {
      name: 'CSeq method is not the request method',
      text: head('Content-Length: 0\r\n\r\n', '1 INVITE'),
      owed: 'both',
    },
    // A bad Content-Length: 400 on UDP; on a stream it breaks the framing, and the connection goes.
    { name: 'negative Content-Length', text: head('Content-Length: -1\r\n\r\n'), owed: 'udp' },
    {
      name: 'two Content-Lengths',
      text: head('Content-Length: 0\r\nContent-Length: 4\r\n\r\n'),
      owed: 'udp',
    },
    // Nothing a response could be built from, or nothing to trust: dropped (or a 400).
    {
      name: 'header without a colon',
      text: head('This is not a header\r\nContent-Length: 0\r\n\r\n'),
      owed: 'none',
    },
    { name: 'no CSeq number', text: head('Content-Length: 0\r\n\r\n', 'abc OPTIONS'), owed: 'none' },
    {
      name: 'garbage start line',
      text: head('Content-Length: 0\r\n\r\n', '1 OPTIONS', 'HELLO WORLD'),
      owed: 'none',
    },
    { name: 'only a start line', text: 'INVITE sip:4002@127.0.0.1 SIP/2.0\r\n\r\n', owed: 'none' },
    { name: 'unterminated', text: head('Content-Length: 0\r\n'), owed: 'none' },
    { name: 'response garbage', text: 'SIP/2.0 999999 What\r\nVia: nope\r\n\r\n', owed: 'none' },
    { name: 'empty lines', text: '\r\n\r\n\r\n', owed: 'none' },
  ];
  return cases.map((c) => ({ name: c.name, bytes: encoder.encode(c.text), owed: c.owed }));
}

/**
 * What else than 400 an RFC 4475 message may get: regbadct is a REGISTER for example.com, a
 * domain this server does not serve, refused with 404 (RFC 3261 §10.3 step 1) before its
 * Contact is read.
 */
const ALSO_ALLOWED: Record<string, number> = { regbadct: 404 };

/** Deterministic pseudo-random bytes (mulberry32), so a failure can be replayed. */
function randomBytes(seed: number, count: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

const statusOf = (text: string): number | undefined => {
  const m = /^SIP\/2\.0 (\d{3}) /.exec(text);
  return m ? Number(m[1]) : undefined;
};

/** A UDP socket that records every datagram the server sends back to it. */
async function udpClient(): Promise<{ socket: UdpSocket; port: number; replies: string[] }> {
  const socket = createSocket('udp4');
  const replies: string[] = [];
  socket.on('message', (m) => replies.push(m.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { socket, port: socket.address().port, replies };
}

async function sendUdp(socket: UdpSocket, bytes: Uint8Array, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
}

/**
 * Sends `bytes` on a new TCP connection (half-closing it after, unless `keepOpen`) and collects
 * what comes back until the connection closes or `waitMs` passes.
 */
function sendTcp(
  port: number,
  bytes: Uint8Array,
  options: { waitMs?: number; keepOpen?: boolean } = {},
): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    let timedOut = false;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (options.keepOpen !== true) socket.end();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, options.waitMs ?? 1_500);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedByServer: !timedOut });
    });
  });
}

/** Splits what a stream carried into SIP responses' status codes. */
const streamStatuses = (text: string): number[] =>
  [...text.matchAll(/SIP\/2\.0 (\d{3}) /g)].map((m) => Number(m[1]));

describe('hostile input', () => {
  let pbx: PbxHarness;
  const phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, BOB] });
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  const rfcCases = (): { name: string; bytes: Uint8Array; owed: Owed }[] =>
    INVALID.map((name) => ({ name, bytes: rfcMessage(name), owed: 'none' as const }));
  const allowed = (name: string): number[] => [400, ...(name in ALSO_ALLOWED ? [ALSO_ALLOWED[name]!] : [])];

  it('UDP: malformed requests get 400 when answerable, RFC 4475 invalid messages 400 or nothing', async () => {
    const client = await udpClient();
    const results: { name: string; statuses: (number | undefined)[]; owed: Owed }[] = [];
    try {
      for (const c of [...handMade(`127.0.0.1:${client.port}`), ...rfcCases()]) {
        const before = client.replies.length;
        await sendUdp(client.socket, c.bytes, pbx.sipPort);
        await new Promise((r) => setTimeout(r, 150));
        results.push({ name: c.name, statuses: client.replies.slice(before).map(statusOf), owed: c.owed });
      }
    } finally {
      client.socket.close();
    }
    for (const r of results) {
      for (const s of r.statuses) expect(allowed(r.name), `${r.name}: answered ${s}`).toContain(s);
      if (r.owed !== 'none') expect(r.statuses, `${r.name}: no 400`).toEqual([400]);
    }
    // The 400 goes back to where the message came from, whatever its Via says.
    expect(
      results.filter((r) => INVALID.includes(r.name) && r.statuses.includes(400)).length,
    ).toBeGreaterThan(3);
    expect(await pbx.health()).toBe(200);
  });

  it('TCP: the same messages, each on its own connection, get 400 or a closed connection', async () => {
    const big = encoder.encode(
      `OPTIONS sip:4002@127.0.0.1 SIP/2.0\r\nX-Big: ${'A'.repeat(100_000)}\r\nContent-Length: 0\r\n\r\n`,
    );
    for (const c of [
      ...handMade('127.0.0.1:9'),
      ...rfcCases(),
      { name: 'header over 64 KB', bytes: big, owed: 'none' as const },
    ]) {
      const { text } = await sendTcp(pbx.sipPort, c.bytes);
      const statuses = streamStatuses(text);
      for (const s of statuses) expect(allowed(c.name), `${c.name} over TCP: answered ${s}`).toContain(s);
      if (c.owed === 'both') expect(statuses, `${c.name} over TCP`).toEqual([400]);
    }
    expect(await pbx.health()).toBe(200);
  });

  it('another SIP version gets 505 (RFC 4475 badvers) and a raw NUL in a header gets 400', async () => {
    const client = await udpClient();
    try {
      const via = `127.0.0.1:${client.port}`;
      const base = (start: string, extra: string): Uint8Array =>
        encoder.encode(
          `${start}\r\nVia: SIP/2.0/UDP ${via};branch=z9hG4bK-v${Math.random()}\r\nFrom: <sip:x@127.0.0.1>;tag=v\r\n` +
            `To: <sip:4002@127.0.0.1>\r\nCall-ID: v-${Math.random()}\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: 0\r\n\r\n`,
        );
      await sendUdp(client.socket, base('OPTIONS sip:4002@127.0.0.1 SIP/3.0', ''), pbx.sipPort);
      await new Promise((r) => setTimeout(r, 200));
      expect(client.replies.map(statusOf)).toEqual([505]);
      await sendUdp(
        client.socket,
        base('OPTIONS sip:4002@127.0.0.1 SIP/2.0', 'X-Evil: a\0b\r\n'),
        pbx.sipPort,
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(client.replies.map(statusOf)).toEqual([505, 400]);
    } finally {
      client.socket.close();
    }
  });

  it('random bytes over UDP and TCP are dropped, and a baresip call through the flood completes', async () => {
    const start = (user: typeof ALICE, toneHz: number): Promise<Baresip> =>
      Baresip.start({
        account: {
          user: user.number,
          password: user.password,
          registrar: pbx.registrar,
          domain: '127.0.0.1',
        },
        toneHz,
      }).then((p) => (phones.push(p), p));
    const [a, b] = await Promise.all([start(ALICE, 500), start(BOB, 1300)]);
    await Promise.all([a.waitForRegistration(), b.waitForRegistration()]);

    const client = await udpClient();
    let flooding = true;
    let datagrams = 0;
    let tcpReplies: number[] = [];
    let tcpLeftOpen = 0;
    // Bounded: at most 20,000 datagrams and 40 TCP connections, paced, for as long as the call runs.
    const udpFlood = (async () => {
      for (let seed = 1; flooding && seed <= 20_000; seed++) {
        const bytes = randomBytes(seed, 1 + (seed % 1400));
        await sendUdp(client.socket, bytes, pbx.sipPort);
        datagrams++;
        if (seed % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const tcpFlood = (async () => {
      for (let seed = 1; flooding && seed <= 40; seed++) {
        // 80 KB without a message boundary: past the parser's limits, so the server must hang up.
        const result = await sendTcp(pbx.sipPort, randomBytes(seed, 80_000), {
          keepOpen: true,
          waitMs: 3_000,
        });
        tcpReplies = tcpReplies.concat(streamStatuses(result.text));
        if (!result.closedByServer) tcpLeftOpen++;
      }
    })();
    try {
      await a.dial(`sip:${BOB.number}@127.0.0.1`);
      await b.waitFor('CALL_INCOMING', 15_000);
      await b.answer();
      await Promise.all([a.waitFor('CALL_ESTABLISHED', 15_000), b.waitFor('CALL_ESTABLISHED', 15_000)]);
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await pbx.health()).toBe(200);
      await b.hangup();
      await Promise.all([a.waitFor('CALL_CLOSED', 15_000), b.waitFor('CALL_CLOSED', 15_000)]);
    } finally {
      flooding = false;
      await Promise.all([udpFlood, tcpFlood]);
      client.socket.close();
    }

    expect(datagrams).toBeGreaterThan(100);
    for (const s of client.replies.map(statusOf)) expect(s).toBe(400);
    for (const s of tcpReplies) expect(s).toBe(400);
    expect(tcpLeftOpen, 'garbage TCP connections the server left open').toBe(0);
    const [cdr] = await pbx.waitForCdrs(1);
    expect(cdr).toMatchObject({
      disposition: 'answered',
      caller: ALICE.number,
      callee: BOB.number,
      hangupSide: 'callee',
    });
    await Promise.all([a.stop(), b.stop()]);
    const heardByA = await analyseHeard((await a.recordings()).heard[0]!);
    const heardByB = await analyseHeard((await b.recordings()).heard[0]!);
    expect(Math.abs(heardByA.frequency - 1300), `A heard ${heardByA.frequency} Hz`).toBeLessThanOrEqual(20);
    expect(Math.abs(heardByB.frequency - 500), `B heard ${heardByB.frequency} Hz`).toBeLessThanOrEqual(20);

    // The garbage reached the parser (counted), and the server still serves.
    const metrics = await (await fetch(`http://127.0.0.1:${pbx.httpPort}/metrics`)).text();
    const udpParseErrors = /^switchboard_sip_parse_errors_total\{transport="udp"\} (\d+)/m.exec(metrics);
    expect(Number(udpParseErrors?.[1])).toBeGreaterThan(100);
    expect(await pbx.health()).toBe(200);
  }, 90_000);
});
