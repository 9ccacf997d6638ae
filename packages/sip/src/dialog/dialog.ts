// A dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE (or SUBSCRIBE…) creates,
// identified by Call-ID, local tag and remote tag, with the route set, the remote target and
// the two CSeq spaces that every request inside it uses.
//
//   early (1xx with To tag) ──2xx──▶ confirmed ──BYE / failure──▶ terminated
//          └──────────────── non-2xx final / timeout ──────────────▶ terminated
import type { MessageSource } from '../core/transport.ts';
import { NameAddr } from '../header/name-addr.ts';
import type { Headers } from '../message/headers.ts';
import { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { Uri } from '../uri/parse-uri.ts';
import { SipUri } from '../uri/sip-uri.ts';
import { DialogState } from './dialog-state.ts';

/** Methods whose requests and 2xx update the remote target (§12.2, RFC 3311 §5.1). */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set([
  'INVITE',
  'UPDATE',
  'SUBSCRIBE',
  'NOTIFY',
  'REFER',
]);

/** The dialog id as one string (§12: Call-ID, local tag, remote tag). */
export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

export interface DialogInit {
  readonly role: 'uac' | 'uas';
  readonly callId: string;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly remoteTarget: Uri;
  readonly routeSet: readonly NameAddr[];
  readonly localSeq: number | undefined;
  readonly remoteSeq: number | undefined;
  readonly secure: boolean;
  readonly state: DialogState.Early | DialogState.Confirmed;
  readonly flow?: MessageSource;
}

export interface InDialogRequestOptions {
  /** CSeq number; default: the next local sequence number (ACK and CANCEL pass their INVITE's). */
  readonly cseq?: number;
  /** Contact header value for target refresh requests. */
  readonly contact?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Uint8Array | string;
  readonly contentType?: string;
}

const ALLOWED: Record<DialogState, readonly DialogState[]> = {
  [DialogState.Early]: [DialogState.Confirmed, DialogState.Terminated],
  [DialogState.Confirmed]: [DialogState.Terminated],
  [DialogState.Terminated]: [],
};

export class Dialog {
  readonly role: 'uac' | 'uas';
  readonly callId: string;
  /** Our From (UAC) or To (UAS) with our tag. */
  readonly localUri: NameAddr;
  /** The peer's address with its tag. */
  readonly remoteUri: NameAddr;
  remoteTarget: Uri;
  routeSet: NameAddr[];
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  /** §12.1.1: sips Request-URI over TLS. */
  readonly secure: boolean;
  /**
   * Where the peer's traffic for this dialog came from. Requests inside the dialog reuse its
   * connection when they go straight to the remote target (connection-oriented transports,
   * clients behind NAT, WebSocket phones).
   */
  flow: MessageSource | undefined;
  private current: DialogState;

  constructor(init: DialogInit) {
    const localTag = init.localUri.tag;
    const remoteTag = init.remoteUri.tag;
    if (localTag === undefined || remoteTag === undefined) throw new TypeError('a dialog needs both tags');
    this.role = init.role;
    this.callId = init.callId;
    this.localUri = init.localUri.clone();
    this.remoteUri = init.remoteUri.clone();
    this.remoteTarget = init.remoteTarget.clone();
    this.routeSet = init.routeSet.map((r) => r.clone());
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.secure = init.secure;
    this.current = init.state;
    this.flow = init.flow;
  }

  /**
   * §12.1.2 (UAC): from the request sent and a 1xx (with To tag) or 2xx received. "The route
   * set MUST be set to the list of URIs in the Record-Route header field from the response,
   * taken in reverse order ... The remote target MUST be set to the URI from the Contact header
   * field of the response ... The local sequence number MUST be set to the value of the
   * sequence number in the CSeq header field of the request. The remote sequence number MUST
   * be empty."
   */
  static asUac(request: SipRequest, response: SipResponse, source?: MessageSource): Dialog {
    const remoteUri = response.to.clone();
    return new Dialog({
      role: 'uac',
      callId: request.callId,
      localUri: request.from,
      remoteUri,
      remoteTarget: response.contacts()[0]?.uri ?? request.uri,
      routeSet: [...response.recordRoutes()].reverse(),
      localSeq: request.cseq.seq,
      remoteSeq: undefined,
      secure: isSips(request.uri) && source?.protocol === 'TLS',
      state: response.status < 200 ? DialogState.Early : DialogState.Confirmed,
      ...(source ? { flow: source } : {}),
    });
  }

  /**
   * §12.1.1 (UAS): from the request received and the tag we put in To. "The route set MUST be
   * set to the list of URIs in the Record-Route header field from the request, taken in order
   * ... The remote target MUST be set to the URI from the Contact header field of the request
   * ... The remote sequence number MUST be set to the value of the sequence number in the CSeq
   * header field of the request. The local sequence number MUST be empty."
   */
  static asUas(
    request: SipRequest,
    localTag: string,
    state: DialogState.Early | DialogState.Confirmed,
    source?: MessageSource,
  ): Dialog {
    const localUri = request.to.clone();
    localUri.tag = localTag;
    return new Dialog({
      role: 'uas',
      callId: request.callId,
      localUri,
      remoteUri: request.from,
      remoteTarget: request.contacts()[0]?.uri ?? request.from.uri,
      routeSet: request.recordRoutes(),
      localSeq: undefined,
      remoteSeq: request.cseq.seq,
      secure: isSips(request.uri) && source?.protocol === 'TLS',
      state,
      ...(source ? { flow: source } : {}),
    });
  }

  get state(): DialogState {
    return this.current;
  }

  get localTag(): string {
    return this.localUri.tag as string;
  }

  get remoteTag(): string {
    return this.remoteUri.tag as string;
  }

  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /** Early → Confirmed on a 2xx (§13.2.2.4 UAC, §13.3.1.4 UAS). */
  confirm(): void {
    if (this.current === DialogState.Confirmed) return;
    this.transition(DialogState.Confirmed);
  }

  terminate(): void {
    if (this.current !== DialogState.Terminated) this.transition(DialogState.Terminated);
  }

  /**
   * §13.2.2.4: when a 2xx confirms an early dialog, "the route set for the dialog MUST be
   * recomputed based on the 2xx response"; §12.2.1.2: a 2xx to a target refresh request
   * replaces the remote target with its Contact.
   */
  updateFromUacResponse(response: SipResponse, recomputeRouteSet: boolean): void {
    if (recomputeRouteSet) this.routeSet = [...response.recordRoutes()].reverse();
    const contact = response.contacts()[0];
    if (contact && !contact.isWildcard) this.remoteTarget = contact.uri.clone();
  }

  /**
   * §12.2.2: "When a UAS receives a target refresh request, it MUST replace the dialog's remote
   * target URI with the URI from the Contact header field in that request, if present."
   */
  updateRemoteTargetFrom(request: SipRequest): void {
    const contact = request.contacts()[0];
    if (contact && !contact.isWildcard) this.remoteTarget = contact.uri.clone();
  }

  /**
   * §12.2.2 CSeq check for a request received inside the dialog: "If the remote sequence
   * number is empty, it MUST be set to the value of the sequence number in the CSeq header
   * field value in the request. If the remote sequence number was not empty, but the sequence
   * number of the request is lower than the remote sequence number, the request is out of
   * order and MUST be rejected with a 500 (Server Internal Error) response." ACK and CANCEL
   * reuse their INVITE's number and are not checked. Returns false for out-of-order.
   */
  acceptRemoteSeq(request: SipRequest): boolean {
    if (request.method === 'ACK' || request.method === 'CANCEL') return true;
    const seq = request.cseq.seq;
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** §12.2.1.1: "the local sequence number MUST be incremented by one" for each new request. */
  nextLocalSeq(): number {
    // An empty local sequence number gets an initial value (§8.1.1.5 only asks for < 2**31).
    this.localSeq = this.localSeq === undefined ? 1 : this.localSeq + 1;
    return this.localSeq;
  }

  /**
   * Builds a request inside the dialog (§12.2.1.1). The Request-URI and Route follow the route
   * set: loose routing (first route has `lr`) keeps the remote target in the Request-URI and
   * the whole route set in Route; strict routing moves the first route into the Request-URI
   * and appends the remote target as the last Route. The caller adds the Via.
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    const first = this.routeSet[0];
    let uri: Uri = this.remoteTarget;
    let routes: readonly NameAddr[] = this.routeSet;
    if (first && !(first.uri instanceof SipUri && first.uri.lr)) {
      uri = stripForRequestUri(first.uri);
      routes = [...this.routeSet.slice(1), new NameAddr({ uri: this.remoteTarget.clone() })];
    }
    const cseq = options.cseq ?? this.nextLocalSeq();
    const request = new SipRequest({ method, uri: uri.clone() });
    const h: Headers = request.headers;
    h.append('Max-Forwards', '70');
    for (const route of routes) h.append('Route', route.toString());
    h.append('From', this.localUri.toString());
    h.append('To', this.remoteUri.toString());
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${cseq} ${method}`);
    if (options.contact !== undefined) h.append('Contact', options.contact);
    for (const [name, value] of options.headers ?? []) h.append(name, value);
    if (options.body !== undefined) {
      if (options.contentType !== undefined) h.append('Content-Type', options.contentType);
      request.body = options.body;
    }
    return request;
  }

  private transition(to: DialogState): void {
    if (!ALLOWED[this.current].includes(to))
      throw new Error(`Dialog: illegal transition ${this.current} -> ${to}`);
    this.current = to;
  }
}

function isSips(uri: Uri): boolean {
  return uri instanceof SipUri && uri.secure;
}

/** §12.2.1.1 strict routing: the route's URI becomes the Request-URI without `lr`-style extras. */
function stripForRequestUri(uri: Uri): Uri {
  if (!(uri instanceof SipUri)) return uri.clone();
  const copy = uri.clone();
  // §19.1.1: method, maddr, ttl, transport and lr are fine in a Request-URI; headers are not.
  copy.headers = [];
  return copy;
}
