// The messages every parser in bench/sip-parser.ts is given: the same text for all of them.
// They look like what a proxy in front of desk phones sees (one upstream proxy hop already in
// the Via and Record-Route headers).

/** What a proxy must read from each message; used to check every parser got it right. */
export interface ProxyFields {
  readonly branch: string;
  readonly callId: string;
  readonly cseq: number;
  readonly fromTag: string;
}

export interface SampleMessage {
  readonly label: string;
  readonly text: string;
  readonly expected: ProxyFields;
  /** Max-Forwards as received (a forwarding proxy writes one less). */
  readonly maxForwards: number;
}

/** The Via a forwarding proxy adds on top (bench/sip-parser.ts, "proxy forward"). */
export const proxyVia = {
  transport: 'UDP',
  host: 'proxy.biloxi.example.com',
  port: 5060,
  branch: 'z9hG4bK2d4790.1',
} as const;

const sdp = [
  'v=0',
  'o=alice 2890844526 2890844527 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 9 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=maxptime:150',
  'a=rtcp:49171',
  'a=sendrecv',
  '',
].join('\r\n');

function withBody(head: readonly string[], body: string): string {
  const length = new TextEncoder().encode(body).length;
  return [...head, `Content-Length: ${length}`, '', body].join('\r\n');
}

const invite = withBody(
  [
    'INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0',
    'Via: SIP/2.0/UDP proxy.atlanta.example.com:5060;branch=z9hG4bK74bf9.1;rport',
    'Via: SIP/2.0/UDP 192.0.2.101:5060;received=198.51.100.7;rport=5062;branch=z9hG4bKnashds8',
    'Record-Route: <sip:proxy.atlanta.example.com;lr;ftag=9fxced76sl>',
    'Max-Forwards: 69',
    'From: "Alice Liddell" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@192.0.2.101:5062;transport=udp;ob>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY, MESSAGE',
    'Supported: replaces, timer, 100rel, path, outbound',
    'Session-Expires: 1800;refresher=uac',
    'Min-SE: 90',
    'User-Agent: Deskphone-X200 4.2.1.1789',
    'Content-Type: application/sdp',
  ],
  sdp,
);

const register = withBody(
  [
    'REGISTER sip:biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.55:5060;branch=z9hG4bKnashds7;rport',
    'Max-Forwards: 70',
    'From: Bob <sip:bob@biloxi.example.com>;tag=a73kszlfl',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.55',
    'CSeq: 2 REGISTER',
    'Contact: <sip:bob@192.0.2.55:5060;transport=udp>;expires=3600',
    'Authorization: Digest username="bob", realm="biloxi.example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:biloxi.example.com", response="245f23415f11432b3434341c022e0b44", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001, opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    'Expires: 3600',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY, MESSAGE',
    'User-Agent: Deskphone-X200 4.2.1.1789',
  ],
  '',
);

export const sampleMessages: readonly SampleMessage[] = [
  {
    label: 'INVITE with SDP',
    text: invite,
    expected: {
      branch: 'z9hG4bK74bf9.1',
      callId: '3848276298220188511@atlanta.example.com',
      cseq: 314159,
      fromTag: '9fxced76sl',
    },
    maxForwards: 69,
  },
  {
    label: 'REGISTER with Authorization',
    text: register,
    expected: {
      branch: 'z9hG4bKnashds7',
      callId: '1j9FpLxk3uxtm8tn@192.0.2.55',
      cseq: 2,
      fromTag: 'a73kszlfl',
    },
    maxForwards: 70,
  },
];
