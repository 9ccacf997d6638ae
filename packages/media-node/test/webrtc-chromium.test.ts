// A real Chromium negotiates with a WebRTC endpoint (ICE-lite, DTLS-SRTP); audio and RFC 4733
// events cross between the browser and plain RTP, directly and through an anchored relay.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency, eventToDigit, parseTelephoneEvent } from '@switchboard/media';
import {
  createDtlsCertificate,
  createMediaEngine,
  WebRtcHost,
  type DtlsCertificate,
  type MediaEngine,
  type WebRtcEvent,
} from '../src/index.ts';
import { FakePhone, until } from './fake-phone.ts';
import { launchChromium, peerOf, waitFor, type TestChromium } from './webrtc/chromium.ts';
import { PacedTone } from './webrtc/paced-tone.ts';
import { answerSdp, offerSdp, readBrowserSdp, remoteOf } from './webrtc/test-sdp.ts';

const PCMU = { name: 'PCMU', payloadType: 0, clockRate: 8000 };

describe('WebRTC endpoint with Chromium', () => {
  let chromium: TestChromium;
  let certificate: DtlsCertificate;
  let host: WebRtcHost;
  let events: WebRtcEvent[];
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    chromium = await launchChromium();
    certificate = await createDtlsCertificate();
  });
  afterAll(async () => {
    await chromium?.close();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const startHost = (): WebRtcHost => {
    events = [];
    host = new WebRtcHost({
      portRange: { min: 27000, max: 27999 },
      address: '127.0.0.1',
      certificate,
      onEvent: (e) => events.push(e),
    });
    cleanups.push(() => host.close());
    return host;
  };

  const phone = async (ssrc: number): Promise<FakePhone> => {
    const p = await FakePhone.open(ssrc);
    cleanups.push(() => p.close());
    return p;
  };

  it('answers a browser offer: tone both ways, DTMF as RFC 4733 events, closed when the browser hangs up', async () => {
    startHost();
    const rtp = await phone(0x1234);
    const page = await chromium.newPeerPage();
    cleanups.push(() => page.close());
    const browser = peerOf(page);
    // Sent before ICE gathering ends: an ICE-lite PBX needs none of the browser's candidates.
    const offer = readBrowserSdp(await browser.offer({ toneHz: 700, gather: false }));
    const dtmfPt = offer.payloadTypes.get('telephone-event/8000');
    expect(offer.payloadTypes.get('pcmu/8000')).toBe(0);
    expect(dtmfPt).toBeDefined();

    const endpoint = await host.createEndpoint({
      media: { address: '127.0.0.1', rtpPort: rtp.port, rtcpPort: rtp.port },
      inactivityTimeoutMs: 2000,
    });
    host.setRemote(endpoint.id, remoteOf(offer));
    await browser.accept(answerSdp(endpoint.local, offer, PCMU, dtmfPt));
    await until(() => events.some((e) => e.type === 'connected'), 10_000, 'DTLS-SRTP');
    expect(events.find((e) => e.type === 'connected')).toMatchObject({ endpointId: endpoint.id });
    // The browser completes its side a moment after ours (it reads our last flight).
    expect(
      await waitFor(
        () => browser.state(),
        (s) => s === 'connected',
      ),
    ).toBe('connected');

    // Browser → plain RTP: PCMU carrying the browser's 700 Hz oscillator.
    await until(() => rtp.received.length >= 100, 10_000, 'RTP from the browser');
    const fromBrowser = rtp.received.slice(50, 100);
    expect(fromBrowser.every((r) => r.packet.payloadType === 0)).toBe(true);
    expect(fromBrowser[0]!.from.port).toBe(endpoint.plain.port);
    expect(Math.abs(dominantFrequency(rtp.audio(0, 'PCMU').subarray(8000)) - 700)).toBeLessThanOrEqual(10);

    // Plain RTP → browser: a paced 1 kHz PCMU tone the browser's analyser hears.
    const tone = new PacedTone(rtp, endpoint.plain.port, 1000, PCMU.payloadType);
    cleanups.push(() => tone.stop());
    const heard = await waitFor(
      () => browser.heard(),
      (h) => Math.abs(h.frequency - 1000) < 20 && h.db > -60,
    );
    expect(Math.abs(heard.frequency - 1000)).toBeLessThan(20);
    const inbound = await waitFor(
      () => browser.inbound(),
      (i) => i.packetsReceived > 25,
    );
    expect(inbound.packetsReceived).toBeGreaterThan(25);
    expect(inbound.codec).toBe('audio/PCMU');
    // DTLS offered GCM first (RFC 7714), and Chromium took it.
    expect(await browser.transport()).toMatchObject({
      srtpCipher: 'SRTP_AEAD_AES_128_GCM',
      dtlsState: 'connected',
    });
    expect(events.find((e) => e.type === 'connected')).toMatchObject({ profile: 'AEAD_AES_128_GCM' });

    // DTMF from the browser arrives as telephone-event packets.
    rtp.received.length = 0;
    await browser.dtmf('19#');
    await until(() => digitsOf(rtp, dtmfPt!).length >= 3, 10_000, 'DTMF events');
    expect(digitsOf(rtp, dtmfPt!)).toEqual(['1', '9', '#']);
    const stats = host.stats(endpoint.id);
    expect(stats.state).toBe('connected');
    expect(stats.srtpErrors).toBe(0);
    expect(stats.packetsOut).toBeGreaterThan(25);

    // The browser hangs up: Chromium's DTLS close_notify ends the endpoint at once.
    tone.stop();
    await browser.close();
    await until(() => events.some((e) => e.type === 'closed'), 10_000, 'the DTLS alert');
    expect(events.find((e) => e.type === 'closed')).toEqual({
      type: 'closed',
      endpointId: endpoint.id,
      reason: 'DTLS alert',
    });
    expect(host.closeEndpoint(endpoint.id)?.packetsIn).toBeGreaterThan(100);
  });

  it('offers to a browser (it answers active) and bridges it through an anchored relay to a SIP phone', async () => {
    startHost();
    const engine: MediaEngine = await createMediaEngine({ portRange: { min: 26000, max: 26999 } });
    cleanups.push(() => engine.close());
    const sip = await phone(0x5151);
    const relay = await engine.createRelay({
      b: { remote: { address: '127.0.0.1', rtpPort: sip.port }, codec: PCMU },
    });
    const endpoint = await host.createEndpoint({
      media: { address: '127.0.0.1', rtpPort: relay.a.rtpPort, rtcpPort: relay.a.rtcpPort },
    });
    // Leg a's phone is the endpoint's plain socket.
    await relay.configure({
      a: {
        remote: { address: '127.0.0.1', rtpPort: endpoint.plain.port, rtcpPort: endpoint.plain.port },
        codec: PCMU,
        telephoneEventPayloadType: 101,
      },
      b: { telephoneEventPayloadType: 101 },
    });
    const page = await chromium.newPeerPage();
    cleanups.push(() => page.close());
    const browser = peerOf(page);
    const answer = readBrowserSdp(await browser.answer({ sdp: offerSdp(endpoint.local), toneHz: 440 }));
    expect(answer.setup).toBe('active');
    host.setRemote(endpoint.id, remoteOf(answer));
    await until(() => events.some((e) => e.type === 'connected'), 10_000, 'DTLS-SRTP');

    await until(() => sip.received.length >= 100, 10_000, 'RTP through the relay');
    expect(Math.abs(dominantFrequency(sip.audio(0, 'PCMU').subarray(8000)) - 440)).toBeLessThanOrEqual(10);
    const tone = new PacedTone(sip, relay.b.rtpPort, 1000, 0);
    cleanups.push(() => tone.stop());
    const heard = await waitFor(
      () => browser.heard(),
      (h) => Math.abs(h.frequency - 1000) < 20 && h.db > -60,
    );
    expect(Math.abs(heard.frequency - 1000)).toBeLessThan(20);
    sip.received.length = 0;
    await browser.dtmf('7*');
    await until(() => digitsOf(sip, 101).length >= 2, 10_000, 'DTMF through the relay');
    expect(digitsOf(sip, 101)).toEqual(['7', '*']);
    const relayStats = await relay.stats();
    expect(relayStats.a.packetsIn).toBeGreaterThan(100);
    expect(relayStats.a.latched).toEqual({ address: '127.0.0.1', port: endpoint.plain.port });
    await relay.close();
  });
});

/** Digits of the RFC 4733 events received, one per event (the end packets, deduplicated). */
function digitsOf(phone: FakePhone, pt: number): string[] {
  const seen = new Set<number>();
  const digits: string[] = [];
  for (const { packet } of phone.received) {
    if (packet.payloadType !== pt) continue;
    const event = parseTelephoneEvent(packet.payload);
    if (!event.ok || !event.value.end || seen.has(packet.timestamp)) continue;
    seen.add(packet.timestamp);
    digits.push(eventToDigit(event.value.event) ?? '?');
  }
  return digits;
}
