// Building a CANCEL (RFC 3261 §9.1).
import { SipRequest } from '../message/sip-request.ts';

/**
 * §9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields in the
 * CANCEL request MUST be identical to those in the request being cancelled, including tags. A
 * CANCEL constructed by a client MUST have only a single Via header field value matching the
 * top Via value in the request being cancelled ... the method of the CSeq ... MUST have a value
 * of CANCEL ... If the request being cancelled contains a Route header field, the CANCEL
 * request MUST include that Route header field's values."
 */
export function buildCancel(
  invite: SipRequest,
  extraHeaders: ReadonlyArray<readonly [string, string]> = [],
): SipRequest {
  const cancel = new SipRequest({ method: 'CANCEL', uri: invite.uri.clone() });
  const h = cancel.headers;
  const via = invite.topVia();
  if (via) h.append('Via', via.toString());
  h.append('Max-Forwards', '70');
  for (const route of invite.headers.getFieldValues('Route')) h.append('Route', route);
  for (const name of ['From', 'To', 'Call-ID']) {
    const value = invite.headers.get(name);
    if (value !== undefined) h.append(name, value);
  }
  h.append('CSeq', `${invite.cseq.seq} CANCEL`);
  for (const [name, value] of extraHeaders) h.append(name, value);
  return cancel;
}
