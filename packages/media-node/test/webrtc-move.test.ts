// A WebRTC leg re-bound to another plain RTP target (setMedia): what a B2BUA does when it moves
// a browser to another call's relay leg or into a conference. The browser's ICE/DTLS/SRTP
// session goes on untouched; its media now goes to (and comes from) the new target only.
import { describe, expect, it } from 'vitest';
import { FakePhone, until } from './fake-phone.ts';
import { rtp, useWebRtcGateway } from './webrtc/gateway-fixture.ts';
import { SimBrowser } from './webrtc/sim-browser.ts';

describe('WebRTC leg moved to another relay leg', () => {
  const fx = useWebRtcGateway({ workers: 1, portRange: { min: 26000, max: 26199 } });

  it('sends to and takes from the new target only, without a new handshake', async () => {
    const first = await FakePhone.open(0x11);
    const second = await FakePhone.open(0x22);
    fx.opened.push(first, second);
    const connected: string[] = [];
    const leg = await fx.gateway.createEndpoint({
      media: { address: '127.0.0.1', rtpPort: first.port, rtcpPort: first.port },
      delegate: { onConnected: (profile) => connected.push(profile) },
    });
    fx.opened.push(leg);
    const browser = await SimBrowser.open(leg.local, fx.browserCert, 'client');
    fx.opened.push(browser);
    await leg.setRemote(browser.remote(fx.browserCert));
    browser.check();
    await until(() => browser.stunResponses.length === 1, 5000, 'the check answered');
    browser.connect();
    await until(() => connected.length === 1 && browser.connected, 10_000, 'DTLS');

    for (let i = 0; i < 5; i++) browser.sendRtp(rtp(100 + i, 0xb0b, i));
    await until(() => first.received.length === 5, 5000, 'RTP at the first target');

    await leg.setMedia({ address: '127.0.0.1', rtpPort: second.port, rtcpPort: second.port });
    for (let i = 0; i < 5; i++) browser.sendRtp(rtp(200 + i, 0xb0b, i));
    await until(() => second.received.length === 5, 5000, 'RTP at the second target');
    expect(second.received.map((r) => r.packet.sequenceNumber)).toEqual([200, 201, 202, 203, 204]);
    expect(first.received).toHaveLength(5);

    // The old target's media no longer reaches the browser; the new target's does, SRTP-protected
    // by the same session.
    for (let i = 0; i < 5; i++)
      first.socket.send(rtp(600 + i, 0xdead, 0x30 + i), leg.plain.port, '127.0.0.1');
    for (let i = 0; i < 5; i++)
      second.socket.send(rtp(700 + i, 0xcafe, 0x50 + i), leg.plain.port, '127.0.0.1');
    await until(() => browser.received.length === 5, 5000, 'SRTP at the browser');
    expect(browser.received.map((p) => p.readUInt16BE(2))).toEqual([700, 701, 702, 703, 704]);
    const stats = await leg.stats();
    expect(stats).toMatchObject({ state: 'connected', srtpErrors: 0 });
    expect(connected).toHaveLength(1);
  });
});
