// Building a request outside any dialog (RFC 3261 §8.1.1): Request-URI, To, From with a new
// tag, a new Call-ID, CSeq, Max-Forwards, the preloaded route, Contact and the body. The Via
// is added when the request is sent, once the transport (and so the sent-by) is known.
import { parseNameAddr } from '../header/name-addr.ts';
import { unwrap } from '../header/parsed.ts';
import { SipRequest } from '../message/sip-request.ts';
import type { Destination } from '../core/transport.ts';
import type { Uri } from '../uri/parse-uri.ts';

/** What a caller may set on a request it starts. */
export interface OutOfDialogRequestOptions {
  /** From as a name-addr (`"Alice" <sip:alice@example.com>`); default the UA's AOR. */
  readonly from?: string;
  /** To as a name-addr or URI; default the target. */
  readonly to?: string;
  /** A Call-ID to reuse (e.g. REGISTER refreshes, §10.2.4); default a new one. */
  readonly callId?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Uint8Array | string;
  /** Default `application/sdp`. */
  readonly contentType?: string;
  /** Add our Contact (INVITE always has one). */
  readonly contact?: boolean;
  /** Send there instead of the next hop of the Request-URI (e.g. a registered contact's source). */
  readonly destination?: Destination;
}

export interface BuildRequestInput extends OutOfDialogRequestOptions {
  readonly from: string;
  readonly fromTag: string;
  readonly callId: string;
  readonly cseq: number;
  /** Preloaded route set (outbound proxy), as URIs. */
  readonly routes: readonly string[];
  readonly contactValue?: string;
}

export function buildOutOfDialogRequest(method: string, uri: Uri, input: BuildRequestInput): SipRequest {
  const request = new SipRequest({ method, uri });
  const h = request.headers;
  // A B2BUA passes the caller's Max-Forwards minus one (loop protection); others get 70 (§8.1.1.6).
  const ownMaxForwards = (input.headers ?? []).some(([name]) => name.toLowerCase() === 'max-forwards');
  if (!ownMaxForwards) h.append('Max-Forwards', '70');
  for (const route of input.routes) h.append('Route', route.startsWith('<') ? route : `<${route}>`);
  const from = unwrap(parseNameAddr(input.from), 'From');
  from.tag = input.fromTag;
  h.append('From', from.toString());
  const to = input.to !== undefined ? unwrap(parseNameAddr(input.to), 'To') : undefined;
  h.append('To', to ? to.toString() : `<${uri.toString()}>`);
  h.append('Call-ID', input.callId);
  h.append('CSeq', `${input.cseq} ${method}`);
  if (input.contactValue !== undefined) h.append('Contact', input.contactValue);
  for (const [name, value] of input.headers ?? []) h.append(name, value);
  if (input.body !== undefined) {
    h.append('Content-Type', input.contentType ?? 'application/sdp');
    request.body = input.body;
  }
  return request;
}
