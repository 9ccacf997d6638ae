import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { dominantFrequency, parseRtcp, ReceiverReport, serializeRtcp } from '@switchboard/media';
import { createMediaEngine, type MediaEngine, type LegEvent } from '../src/index.ts';
import { eventually, FakePhone, until } from './fake-phone.ts';

const PCMU = { name: 'PCMU', payloadType: 0 };
const PCMA = { name: 'PCMA', payloadType: 8 };

describe('anchored relay on loopback UDP', () => {
  let engine: MediaEngine;
  let events: LegEvent[];
  let phones: FakePhone[];

  beforeEach(async () => {
    events = [];
    phones = [];
    engine = await createMediaEngine({
      portRange: { min: 28000, max: 28999 },
      onEvent: (e) => events.push(e),
    });
  });
  afterEach(async () => {
    for (const p of phones) p.close();
    await engine.close();
  });

  const phone = async (ssrc: number): Promise<FakePhone> => {
    const p = await FakePhone.open(ssrc);
    phones.push(p);
    return p;
  };

  it('each phone hears the other one’s tone, with latching and counters', async () => {
    const alice = await phone(0xa);
    const bob = await phone(0xb);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
    });
    expect(relay.a.address).toBe('127.0.0.1');
    expect(relay.a.rtpPort % 2).toBe(0);
    expect(relay.a.rtcpPort).toBe(relay.a.rtpPort + 1);
    await Promise.all([
      alice.sendTone(relay.a.rtpPort, 440, PCMU, 50),
      bob.sendTone(relay.b.rtpPort, 1000, PCMU, 50),
    ]);
    await until(() => alice.received.length >= 50 && bob.received.length >= 50, 5000, 'audio');
    expect(dominantFrequency(bob.audio(0, 'PCMU'))).toBe(440);
    expect(dominantFrequency(alice.audio(0, 'PCMU'))).toBe(1000);
    // Packets arrive from the leg the phone sends to (symmetric RTP).
    expect(alice.received[0]!.from.port).toBe(relay.a.rtpPort);
    expect(bob.received[0]!.from.port).toBe(relay.b.rtpPort);
    // One source per direction: numbers pass unchanged.
    expect(bob.received.map((r) => r.packet.ssrc)).toEqual(Array(50).fill(0xa));
    expect(events.filter((e) => e.type === 'latched').map((e) => e.legId)).toEqual(
      expect.arrayContaining([relay.legs.a.id, relay.legs.b.id]),
    );
    const stats = await relay.stats();
    expect(stats.a.packetsIn).toBe(50);
    expect(stats.b.packetsOut).toBe(50);
    expect(stats.a.packetsLost).toBe(0);
    expect(stats.a.latched).toEqual({ address: '127.0.0.1', port: alice.port });
    const counters = await engine.counters();
    expect(counters.packetsIn).toBe(100);
    expect(counters.packetsOut).toBe(100);
    expect(counters.activeLegs).toBe(2);
    await relay.close();
    expect((await engine.counters()).activeLegs).toBe(0);
  });

  it('transcodes PCMU to PCMA and back when the legs’ codecs differ', async () => {
    const alice = await phone(1);
    const bob = await phone(2);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMA },
    });
    await Promise.all([
      alice.sendTone(relay.a.rtpPort, 697, PCMU, 40),
      bob.sendTone(relay.b.rtpPort, 1633, PCMA, 40),
    ]);
    await until(() => alice.received.length >= 40 && bob.received.length >= 40, 5000, 'audio');
    expect(new Set(bob.received.map((r) => r.packet.payloadType))).toEqual(new Set([8]));
    expect(new Set(alice.received.map((r) => r.packet.payloadType))).toEqual(new Set([0]));
    expect(dominantFrequency(bob.audio(8, 'PCMA'))).toBe(700); // 10 Hz grid
    expect(dominantFrequency(alice.audio(0, 'PCMU'))).toBe(1630);
    expect((await engine.counters()).transcoded).toBe(80);
  });

  it('passes RFC 4733 events with payload-type mapping and reports each digit once', async () => {
    const alice = await phone(1);
    const bob = await phone(2);
    const digits: string[] = [];
    const relay = await engine.createRelay({
      a: {
        remote: { address: '127.0.0.1', rtpPort: alice.port },
        codec: PCMU,
        telephoneEventPayloadType: 101,
      },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU, telephoneEventPayloadType: 96 },
      delegate: { onDtmf: (leg, digit) => digits.push(`${leg}:${digit}`) },
    });
    for (const d of ['1', '#', '1']) await alice.sendDigit(relay.a.rtpPort, d, 101);
    await until(() => digits.length === 3, 5000, 'digits');
    await until(() => bob.received.length === 3 * 6, 5000, 'event packets');
    expect(digits).toEqual(['a:1', 'a:#', 'a:1']);
    expect(new Set(bob.received.map((r) => r.packet.payloadType))).toEqual(new Set([96]));
    const ends = bob.received.filter((r) => (r.packet.payload[1]! & 0x80) !== 0);
    expect(ends.length).toBe(9); // end packets passed through, three per digit
  });

  it('latches to where the phone really sends from, and ignores strangers', async () => {
    const alice = await phone(0x1111);
    const bob = await phone(2);
    const stranger = await phone(0x9999);
    // Alice's SDP claims a NATed private port nobody listens on.
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: 9 }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
    });
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 5);
    await until(() => bob.received.length === 5, 5000, 'alice audio at bob');
    await stranger.sendTone(relay.a.rtpPort, 3000, PCMU, 5);
    await bob.sendTone(relay.b.rtpPort, 1000, PCMU, 10);
    await until(() => alice.received.length === 10, 5000, 'bob audio at alice');
    expect(stranger.received.length).toBe(0);
    expect(bob.received.length).toBe(5); // the stranger's packets were dropped
    const stats = await eventually(
      () => relay.stats(),
      (s) => s.a.packetsDropped === 5,
      'strangers dropped',
    );
    expect(stats.a.latched).toEqual({ address: '127.0.0.1', port: alice.port });
  });

  it('counts packets lost on the way in (RFC 3550 A.3) for the metrics', async () => {
    const alice = await phone(1);
    const bob = await phone(2);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
    });
    for (let i = 0; i < 20; i++) {
      if (i === 5 || i === 6 || i === 12)
        alice.seq++; // three packets never sent
      else alice.sendRtp(relay.a.rtpPort, { payloadType: 0, payload: new Uint8Array(160) });
    }
    await until(() => bob.received.length === 17, 5000, 'audio');
    expect((await relay.stats()).a.packetsLost).toBe(3);
    expect((await engine.counters()).packetsLost).toBe(3);
    await relay.close();
    expect((await engine.counters()).packetsLost).toBe(3); // kept after the call ends
  });

  it('re-latches when the NAT rebinds the phone (same SSRC, new port) and after a re-INVITE', async () => {
    const alice = await phone(0x77);
    const aliceAfterNat = await phone(0x77); // same phone, new NAT port
    const aliceNewDevice = await phone(0x88);
    const bob = await phone(2);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
    });
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 3);
    await until(() => bob.received.length === 3, 5000, 'first audio');
    aliceAfterNat.seq = alice.seq;
    await aliceAfterNat.sendTone(relay.a.rtpPort, 440, PCMU, 3);
    await until(() => bob.received.length === 6, 5000, 'audio after rebinding');
    expect((await relay.stats()).a.latched?.port).toBe(aliceAfterNat.port);
    await bob.sendTone(relay.b.rtpPort, 1000, PCMU, 3);
    await until(() => aliceAfterNat.received.length === 3, 5000, 'bob at the new port');
    expect(alice.received.length).toBe(0);
    // A new device with another SSRC is refused while the latched one is alive…
    await aliceNewDevice.sendTone(relay.a.rtpPort, 440, PCMU, 2);
    await eventually(
      () => relay.stats(),
      (s) => s.a.packetsDropped === 2,
      'the refusal',
    );
    // …until signalling says so (re-INVITE with its address): that unlatches.
    await relay.configure({ a: { remote: { address: '127.0.0.1', rtpPort: aliceNewDevice.port } } });
    await aliceNewDevice.sendTone(relay.a.rtpPort, 440, PCMU, 2);
    await until(() => bob.received.length === 8, 5000, 'audio from the new device');
    expect((await relay.stats()).a.packetsDropped).toBe(2);
    expect((await relay.stats()).a.latched?.port).toBe(aliceNewDevice.port);
  });

  it('raises an inactivity timeout for a silent leg', async () => {
    const alice = await phone(1);
    const bob = await phone(2);
    const timeouts: string[] = [];
    const relay = await engine.createRelay({
      inactivityTimeoutMs: 300,
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
      delegate: { onTimeout: (leg) => timeouts.push(leg) },
    });
    // Alice keeps talking; Bob's phone died.
    let talking = true;
    const talk = (async () => {
      while (talking) await alice.sendTone(relay.a.rtpPort, 440, PCMU, 10);
    })();
    await until(() => timeouts.length > 0, 5000, 'timeout');
    talking = false;
    await talk;
    expect(timeouts).toEqual(['b']);
  });

  it('forwards RTCP to the other leg and records the phone’s report', async () => {
    const alice = await phone(1);
    const bob = await phone(2);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port, rtcpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port, rtcpPort: bob.port }, codec: PCMU },
    });
    const rr = new ReceiverReport({
      ssrc: 1,
      reports: [
        {
          ssrc: 2,
          fractionLost: 64,
          cumulativeLost: 3,
          extendedHighestSequence: 10,
          jitter: 40,
          lastSenderReport: 0,
          delaySinceLastSenderReport: 0,
        },
      ],
    });
    alice.socket.send(serializeRtcp([rr]), relay.a.rtcpPort, '127.0.0.1');
    await until(() => bob.rtcpReceived.length === 1, 5000, 'RTCP at bob');
    const got = parseRtcp(bob.rtcpReceived[0]!);
    expect(got.ok && (got.value[0] as ReceiverReport).reports[0]?.cumulativeLost).toBe(3);
    const stats = await relay.stats();
    expect(stats.a.rtcpIn).toBe(1);
    expect(stats.a.remoteReport).toEqual({ fractionLost: 0.25, cumulativeLost: 3, jitter: 40 });
  });

  it('rewrites the stream when the source changes, so the phone sees one continuous SSRC', async () => {
    const alice = await phone(0xaaaa);
    const bob = await phone(2);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
    });
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 5);
    await until(() => bob.received.length === 5, 5000, 'first source');
    alice.seq = 30000; // the phone restarts its stream (new SSRC, new numbers)
    for (let i = 0; i < 5; i++)
      alice.sendRtp(relay.a.rtpPort, { payloadType: 0, payload: new Uint8Array(160), ssrc: 0xbbbb });
    await until(() => bob.received.length === 10, 5000, 'second source');
    const packets = bob.received.map((r) => r.packet).sort((x, y) => x.sequenceNumber - y.sequenceNumber);
    expect(new Set(packets.map((p) => p.ssrc))).toEqual(new Set([0xaaaa]));
    expect(packets.map((p) => p.sequenceNumber)).toEqual([
      1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009,
    ]);
    expect(packets[5]!.marker).toBe(true);
  });

  it('takes back every port: thousands of relay cycles leave the pool whole', async () => {
    const small = await createMediaEngine({ portRange: { min: 29000, max: 29015 } }); // 8 pairs = 4 relays
    try {
      for (let i = 0; i < 600; i++) {
        const relays = await Promise.all([small.createRelay(), small.createRelay({ rtcpMux: true })]);
        expect(relays[1]!.a.rtcpPort).toBe(relays[1]!.a.rtpPort);
        await Promise.all(relays.map((r) => r.close()));
      }
      // Full capacity still available afterwards.
      const all = await Promise.all([1, 2, 3, 4].map(() => small.createRelay()));
      const ports = all.flatMap((r) => [r.a.rtpPort, r.b.rtpPort]).sort();
      expect(ports).toEqual([29000, 29002, 29004, 29006, 29008, 29010, 29012, 29014]);
      await expect(small.createRelay()).rejects.toThrow(/exhausted/);
      expect((await small.counters()).activeLegs).toBe(8);
    } finally {
      await small.close();
    }
  });

  it('skips a port some other program holds', async () => {
    const squatter = createSocket('udp4');
    squatter.bind(29100, '127.0.0.1');
    await once(squatter, 'listening');
    const small = await createMediaEngine({ portRange: { min: 29100, max: 29107 } });
    try {
      const relay = await small.createRelay();
      expect([relay.a.rtpPort, relay.b.rtpPort]).toEqual([29102, 29104]);
    } finally {
      await small.close();
      squatter.close();
    }
  });
});
