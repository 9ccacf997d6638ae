// Small SIP message fixtures for unit tests, written as they appear on the wire.

/** An INVITE from alice to bob over UDP, with an SDP offer; `branch` and `cseq` vary per test. */
export function inviteText(
  options: { branch?: string; cseq?: number; toTag?: string; callId?: string } = {},
): string {
  const body =
    'v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n' +
    't=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
  return (
    'INVITE sip:bob@192.0.2.20:5060 SIP/2.0\r\n' +
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=${options.branch ?? 'z9hG4bK776asdhds'};rport\r\n` +
    'Max-Forwards: 70\r\n' +
    `To: Bob <sip:bob@example.com>${options.toTag ? `;tag=${options.toTag}` : ''}\r\n` +
    'From: Alice <sip:alice@example.com>;tag=1928301774\r\n' +
    `Call-ID: ${options.callId ?? 'a84b4c76e66710@192.0.2.10'}\r\n` +
    `CSeq: ${options.cseq ?? 314159} INVITE\r\n` +
    'Contact: <sip:alice@192.0.2.10:5060>\r\n' +
    'Content-Type: application/sdp\r\n' +
    `Content-Length: ${body.length}\r\n\r\n` +
    body
  );
}

/** An OPTIONS request (a non-INVITE transaction). */
export function optionsText(options: { branch?: string; cseq?: number } = {}): string {
  return (
    'OPTIONS sip:bob@192.0.2.20:5060 SIP/2.0\r\n' +
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=${options.branch ?? 'z9hG4bKopt1'}\r\n` +
    'Max-Forwards: 70\r\n' +
    'To: <sip:bob@example.com>\r\n' +
    'From: Alice <sip:alice@example.com>;tag=opt77\r\n' +
    'Call-ID: opt-1@192.0.2.10\r\n' +
    `CSeq: ${options.cseq ?? 1} OPTIONS\r\n` +
    'Content-Length: 0\r\n\r\n'
  );
}
