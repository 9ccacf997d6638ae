import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dominantFrequency,
  parseRtcp,
  ulawToLinear,
  ReceiverReport,
  SenderReport,
  serializeRtcp,
} from '@switchboard/media';
import { createMediaEngine, type MediaEngine } from '../src/index.ts';
import { eventually, FakePhone, until } from './fake-phone.ts';

const PCMU = { name: 'PCMU', payloadType: 0 };
const at = (phone: FakePhone) => ({ address: '127.0.0.1', rtpPort: phone.port, rtcpPort: phone.port });

describe('media legs: allocate, connect, reconnect', () => {
  let engine: MediaEngine;
  let phones: FakePhone[];

  beforeEach(async () => {
    phones = [];
    engine = await createMediaEngine({ portRange: { min: 31000, max: 31999 } });
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

  it('moves a leg from one peer to another (transfer) with one continuous stream to the phone', async () => {
    const [alice, bob, carol] = [await phone(0xa), await phone(0xb), await phone(0xc)];
    const a = await engine.allocateLeg();
    const b = await engine.allocateLeg({ near: a });
    const c = await engine.allocateLeg({ near: a });
    for (const [leg, p] of [
      [a, alice],
      [b, bob],
      [c, carol],
    ] as const)
      await leg.configure({ remote: at(p), codec: PCMU });
    await engine.connect(a, b);
    await bob.sendTone(b.local.rtpPort, 1000, PCMU, 25);
    await until(() => alice.received.length === 25, 5000, 'bob at alice');
    await engine.connect(a, c); // a leaves b for c
    await carol.sendTone(c.local.rtpPort, 2000, PCMU, 25);
    await bob.sendTone(b.local.rtpPort, 1000, PCMU, 5); // b is alone now: goes nowhere
    await until(() => alice.received.length === 50, 5000, 'carol at alice');
    const packets = alice.received.map((r) => r.packet);
    expect(
      dominantFrequency(new Int16Array(packets.slice(0, 25).flatMap((p) => [...decode(p.payload)]))),
    ).toBe(1000);
    expect(dominantFrequency(new Int16Array(packets.slice(25).flatMap((p) => [...decode(p.payload)])))).toBe(
      2000,
    );
    expect(new Set(packets.map((p) => p.ssrc))).toEqual(new Set([0xb]));
    const seqs = packets.map((p) => p.sequenceNumber).sort((x, y) => x - y);
    expect(seqs.at(-1)! - seqs[0]!).toBe(49); // no gap, no jump
    await eventually(
      () => b.stats(),
      (s) => s.packetsDropped === 5,
      'b alone drops',
    );
  });

  it('detects DTMF on a leg that is not connected (an IVR listening)', async () => {
    const alice = await phone(1);
    const digits: string[] = [];
    const leg = await engine.allocateLeg({ delegate: { onDtmf: (d) => digits.push(d) } });
    await leg.configure({ remote: at(alice), codec: PCMU, telephoneEventPayloadType: 101 });
    for (const d of '42#') await alice.sendDigit(leg.local.rtpPort, d, 101);
    await until(() => digits.length === 3, 5000, 'digits');
    expect(digits).toEqual(['4', '2', '#']);
  });

  it('honours the SDP direction: a phone on hold (sendonly) gets nothing', async () => {
    const [alice, bob] = [await phone(1), await phone(2)];
    const relay = await engine.createRelay({
      a: { remote: at(alice), codec: PCMU },
      b: { remote: at(bob), codec: PCMU },
    });
    await relay.configure({ a: { direction: 'sendonly' } }); // A put B on hold
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 10); // music on hold, say
    await bob.sendTone(relay.b.rtpPort, 1000, PCMU, 10);
    await until(() => bob.received.length === 10, 5000, 'alice at bob');
    expect(alice.received.length).toBe(0);
    await eventually(
      () => relay.stats(),
      (s) => s.b.packetsDropped === 10,
      'held phone gets nothing',
    );
    expect(alice.received.length).toBe(0);
    await relay.configure({ a: { direction: 'sendrecv' } }); // resume
    await bob.sendTone(relay.b.rtpPort, 1000, PCMU, 10);
    await until(() => alice.received.length === 10, 5000, 'bob at alice after resume');
  });

  it('demultiplexes RTCP from RTP on one port with rtcp-mux (RFC 5761)', async () => {
    const [alice, bob] = [await phone(0xa1), await phone(0xb2)];
    const relay = await engine.createRelay({
      rtcpMux: true,
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
    });
    expect(relay.a.rtcpPort).toBe(relay.a.rtpPort);
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 5);
    alice.socket.send(serializeRtcp([new ReceiverReport({ ssrc: 0xa1 })]), relay.a.rtpPort, '127.0.0.1');
    await until(
      () => bob.received.length === 5 && bob.rtcpReceived.length === 1,
      5000,
      'RTP and RTCP at bob',
    );
    const stats = await relay.stats();
    expect([stats.a.packetsIn, stats.a.rtcpIn, stats.b.rtcpOut]).toEqual([5, 1, 1]);
  });

  it('terminates RTCP when asked: answers each phone itself and forwards nothing', async () => {
    const [alice, bob] = [await phone(0xa1), await phone(0xb2)];
    const relay = await engine.createRelay({
      rtcp: 'terminate',
      rtcpIntervalMs: 100,
      a: { remote: at(alice), codec: PCMU },
      b: { remote: at(bob), codec: PCMU },
    });
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 10);
    await until(() => bob.received.length === 10, 5000, 'audio');
    const rr = new ReceiverReport({ ssrc: 0xa1 });
    alice.socket.send(serializeRtcp([rr]), relay.a.rtcpPort, '127.0.0.1');
    await until(() => alice.rtcpReceived.length > 0 && bob.rtcpReceived.length > 0, 5000, 'reports');
    // Alice gets a receiver report about her stream (she sent, the relay sent her nothing).
    const toAlice = parseRtcp(alice.rtcpReceived[0]!);
    if (!toAlice.ok) throw new Error(toAlice.error);
    expect(toAlice.value[0]).toBeInstanceOf(ReceiverReport);
    expect((toAlice.value[0] as ReceiverReport).reports[0]).toMatchObject({ ssrc: 0xa1, cumulativeLost: 0 });
    // Bob gets a sender report for the stream he receives.
    const toBob = parseRtcp(bob.rtcpReceived[0]!);
    if (!toBob.ok) throw new Error(toBob.error);
    expect(toBob.value[0]).toBeInstanceOf(SenderReport);
    expect((toBob.value[0] as SenderReport).packetCount).toBe(10);
    // Alice's own RR was not forwarded: everything Bob got came from the relay itself.
    for (const bytes of bob.rtcpReceived) {
      const r = parseRtcp(bytes);
      expect(r.ok && r.value[0]!.type).toBe(200);
    }
  });
});

function decode(payload: Uint8Array): Int16Array {
  return Int16Array.from(payload, (code) => ulawToLinear(code));
}
