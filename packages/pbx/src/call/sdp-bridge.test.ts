import { describe, expect, it } from 'vitest';
import { readAudio, type SessionDescription } from '@switchboard/sip';
import {
  acceptCalleeAnswer,
  answerToCaller,
  legSettings,
  offerToCallee,
  parseBody,
  sdpText,
} from './sdp-bridge.ts';

const relay = {
  a: { address: '192.0.2.10', rtpPort: 10000, rtcpPort: 10001 },
  b: { address: '192.0.2.10', rtpPort: 10002, rtcpPort: 10003 },
};

function sdp(codecs: string, rtpmaps: string[], port: number, extra: string[] = []): SessionDescription {
  const text = [
    'v=0',
    'o=- 1 1 IN IP4 198.51.100.1',
    's=-',
    'c=IN IP4 198.51.100.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${codecs}`,
    ...rtpmaps,
    ...extra,
    '',
  ].join('\r\n');
  const parsed = parseBody(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('SDP across the B2BUA', () => {
  it('offers the callee the caller G.711 codecs from the relay, then the other law for transcoding', () => {
    const caller = sdp(
      '8 101',
      ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16'],
      4000,
    );
    const offer = offerToCallee(caller, relay.b, '123');
    expect(offer.ok).toBe(true);
    if (!offer.ok) return;
    const audio = readAudio(offer.value)!;
    expect(audio.rtp).toEqual({ address: '192.0.2.10', port: 10002 });
    expect(audio.codecs.map((c) => c.name)).toEqual(['PCMA', 'PCMU']);
    expect(audio.telephoneEvents.length).toBe(1);
  });

  it('refuses an offer without G.711 with 488', () => {
    const caller = sdp('9', ['a=rtpmap:9 G722/8000'], 4000);
    const offer = offerToCallee(caller, relay.b, '1');
    expect(offer).toMatchObject({ ok: false, status: 488 });
  });

  it('answers the caller with the codec the callee chose when the caller offered it (no transcoding)', () => {
    const caller = sdp('0 8', ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000'], 4000);
    const offer = offerToCallee(caller, relay.b, '1');
    if (!offer.ok) throw new Error('offer');
    const calleeAnswer = sdp('8', ['a=rtpmap:8 PCMA/8000'], 5000);
    const callee = acceptCalleeAnswer(offer.value, calleeAnswer);
    if (!callee.ok) throw new Error(callee.reason);
    const answer = answerToCaller(caller, callee.value, relay.a, '2');
    if (!answer.ok) throw new Error(answer.reason);
    expect(readAudio(answer.value.local)!.codecs.map((c) => c.name)).toEqual(['PCMA']);
    expect(readAudio(answer.value.local)!.rtp).toEqual({ address: '192.0.2.10', port: 10000 });
    expect(legSettings(callee.value)).toMatchObject({
      remote: { address: '198.51.100.1', rtpPort: 5000 },
      codec: { name: 'PCMA', payloadType: 8 },
    });
    expect(legSettings(answer.value.negotiated)).toMatchObject({
      remote: { address: '198.51.100.1', rtpPort: 4000 },
      codec: { name: 'PCMA' },
    });
  });

  it("leg settings carry the phone's direction: a sendonly (hold) offer means send nothing to it", () => {
    const holding = sdp('0', ['a=rtpmap:0 PCMU/8000', 'a=sendonly'], 4000);
    const answer = answerToCaller(holding, undefined, relay.a, '2');
    if (!answer.ok) throw new Error(answer.reason);
    expect(readAudio(answer.value.local)!.direction).toBe('recvonly');
    expect(legSettings(answer.value.negotiated).direction).toBe('sendonly');
    const listening = sdp('0', ['a=rtpmap:0 PCMU/8000', 'a=recvonly'], 4000);
    const heard = answerToCaller(listening, undefined, relay.a, '3');
    if (!heard.ok) throw new Error(heard.reason);
    expect(legSettings(heard.value.negotiated).direction).toBe('recvonly');
  });

  it('transcodes when the phones share no law: the caller keeps PCMU while the callee speaks PCMA', () => {
    const caller = sdp('0', ['a=rtpmap:0 PCMU/8000'], 4000);
    const offer = offerToCallee(caller, relay.b, '1');
    if (!offer.ok) throw new Error('offer');
    const callee = acceptCalleeAnswer(offer.value, sdp('8', ['a=rtpmap:8 PCMA/8000'], 5000));
    if (!callee.ok) throw new Error(callee.reason);
    const answer = answerToCaller(caller, callee.value, relay.a, '2');
    if (!answer.ok) throw new Error(answer.reason);
    expect(legSettings(answer.value.negotiated).codec?.name).toBe('PCMU');
    expect(legSettings(callee.value).codec?.name).toBe('PCMA');
  });

  it('carries hold (sendonly) to the other side, and the answer says recvonly', () => {
    const hold = sdp('0', ['a=rtpmap:0 PCMU/8000'], 4000, ['a=sendonly']);
    const offer = offerToCallee(hold, relay.b, '1');
    if (!offer.ok) throw new Error('offer');
    expect(sdpText(offer.value)).toContain('a=sendonly');
    const callee = acceptCalleeAnswer(offer.value, sdp('0', ['a=rtpmap:0 PCMU/8000'], 5000, ['a=recvonly']));
    if (!callee.ok) throw new Error(callee.reason);
    const answer = answerToCaller(hold, callee.value, relay.a, '2');
    if (!answer.ok) throw new Error(answer.reason);
    expect(sdpText(answer.value.local)).toContain('a=recvonly');
  });
});
