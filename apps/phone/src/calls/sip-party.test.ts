import { describe, expect, it } from 'vitest';
import { parseNameAddr } from '@switchboard/sip';
import { remoteParty, sdpDirection } from './sip-party.ts';

const nameAddr = (text: string) => {
  const parsed = parseNameAddr(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.value;
};

describe('remote party', () => {
  it('reads the number and display name from a From header', () => {
    expect(remoteParty(nameAddr('"Bob Smith" <sip:1002@acme.test>;tag=x'))).toEqual({
      number: '1002',
      name: 'Bob Smith',
    });
    expect(remoteParty(nameAddr('<sip:1003@acme.test>'))).toEqual({ number: '1003', name: undefined });
    expect(remoteParty(nameAddr('"1004" <sip:1004@acme.test>'))).toEqual({ number: '1004', name: undefined });
  });
});

describe('SDP direction', () => {
  const sdp = (...lines: string[]) =>
    ['v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', ...lines].join('\r\n');
  it('reads the audio stream direction, then the session one, default sendrecv', () => {
    expect(sdpDirection(sdp('m=audio 9 RTP/AVP 0', 'a=sendonly'))).toBe('sendonly');
    expect(sdpDirection(sdp('a=inactive', 'm=audio 9 RTP/AVP 0'))).toBe('inactive');
    expect(sdpDirection(sdp('a=sendonly', 'm=audio 9 RTP/AVP 0', 'a=recvonly'))).toBe('recvonly');
    expect(sdpDirection(sdp('m=audio 9 RTP/AVP 0'))).toBe('sendrecv');
    expect(sdpDirection(sdp('m=video 9 RTP/AVP 96', 'a=inactive', 'm=audio 9 RTP/AVP 0'))).toBe('sendrecv');
  });
});
