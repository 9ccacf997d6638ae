// The ACK a client transaction builds itself for a non-2xx final response to INVITE
// (RFC 3261 §17.1.1.3). The ACK for a 2xx is a separate transaction built by the UA core
// (§13.2.2.4).
import { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';

/**
 * §17.1.1.3: "The ACK request constructed by the client transaction MUST contain values for
 * the Call-ID, From, and Request-URI that are equal to the values of those header fields in
 * the request passed to the transport by the client transaction ... The To header field in
 * the ACK MUST equal the To header field in the response being acknowledged ... The ACK MUST
 * contain a single Via header field, and this MUST be equal to the top Via header field of
 * the original request ... The CSeq header field in the ACK MUST contain the same value for
 * the sequence number as was present in the original request, but the method parameter MUST
 * be equal to "ACK". If the INVITE request whose response is being acknowledged had Route
 * header fields, those header fields MUST appear in the ACK."
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const ack = new SipRequest({ method: 'ACK', uri: invite.uri.clone() });
  const topVia = invite.topVia();
  if (topVia) ack.headers.append('Via', topVia.toString());
  copy(invite, ack, 'Max-Forwards');
  for (const route of invite.headers.getFieldValues('Route')) ack.headers.append('Route', route);
  copy(invite, ack, 'From');
  const to = response.headers.get('To');
  if (to !== undefined) ack.headers.append('To', to);
  copy(invite, ack, 'Call-ID');
  ack.headers.append('CSeq', `${invite.cseq.seq} ACK`);
  return ack;
}

function copy(from: SipRequest, to: SipRequest, name: string): void {
  const value = from.headers.get(name);
  if (value !== undefined) to.headers.append(name, value);
}
