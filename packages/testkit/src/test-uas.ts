// A small SIP user agent server built on this stack — the sip-node NodeTransport under the
// sip TransactionLayer — for interop tests with SIPp and real phones. It answers OPTIONS,
// keeps REGISTER bindings (no authentication), and plays the callee of a basic call:
// INVITE → 180 → 200 with SDP (retransmitted until the ACK, RFC 3261 §13.3.1.4) → ACK → BYE.
// CANCEL gets 200 and the INVITE 487 (§9.2). It counts what it saw so tests can check it.
import type { MessageSource, ServerTransaction, SipRequest, SipResponse } from '@switchboard/sip';
import { DEFAULT_TIMER_VALUES, TransactionLayer, createResponse, hostClock, newTag } from '@switchboard/sip';
import { NodeTransport, type NodeTransportOptions, type TransportLogger } from '@switchboard/sip-node';

export interface TestUasOptions {
  readonly host?: string;
  /** Port for every protocol; 0 (default) picks one free for both UDP and TCP. */
  readonly port?: number;
  readonly protocols?: readonly ('UDP' | 'TCP')[];
  readonly logger?: TransportLogger;
  readonly transport?: NodeTransportOptions;
}

export interface Binding {
  readonly contact: string;
  readonly expires: number;
  readonly source: MessageSource;
}

export type CallState = 'ringing' | 'answered' | 'confirmed' | 'ended' | 'cancelled';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER';

export class TestUas {
  /** Requests received, by method (retransmissions absorbed by transactions are not counted). */
  readonly requests = new Map<string, number>();
  /** Registrar bindings by address-of-record (the To URI). */
  readonly bindings = new Map<string, Binding>();
  /** Calls by Call-ID. */
  readonly calls = new Map<string, CallState>();
  private readonly retransmitters = new Map<string, { stop(): void }>();

  private constructor(
    readonly transport: NodeTransport,
    readonly layer: TransactionLayer,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(options: TestUasOptions = {}): Promise<TestUas> {
    const host = options.host ?? '127.0.0.1';
    const protocols = options.protocols ?? ['UDP', 'TCP'];
    for (let attempt = 0; ; attempt++) {
      const transport = new NodeTransport({ logger: options.logger, ...options.transport });
      try {
        let port = options.port ?? 0;
        for (const protocol of protocols) port = (await transport.listen({ protocol, host, port })).port;
        const clock = hostClock({ setTimeout, clearTimeout, now: () => performance.now() });
        const layer = new TransactionLayer({ clock, transport }, { onRequest: () => {} });
        const uas = new TestUas(transport, layer, host, port);
        layer.delegate = { onRequest: (request, tx, source) => uas.onRequest(request, tx, source) };
        transport.setReceiver(layer);
        return uas;
      } catch (error) {
        await transport.close();
        // The port UDP got may be taken for TCP: try another, a bounded number of times.
        if (
          options.port !== undefined ||
          attempt >= 10 ||
          (error as NodeJS.ErrnoException).code !== 'EADDRINUSE'
        )
          throw error;
      }
    }
  }

  count(method: string): number {
    return this.requests.get(method) ?? 0;
  }

  async close(): Promise<void> {
    for (const r of this.retransmitters.values()) r.stop();
    this.layer.dispose();
    await this.transport.close();
  }

  private onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: MessageSource): void {
    this.requests.set(request.method, this.count(request.method) + 1);
    if (request.method === 'ACK') {
      this.acknowledged(request.callId);
      return;
    }
    if (tx === undefined) return;
    switch (request.method) {
      case 'OPTIONS':
        tx.respond(
          this.response(request, 200, {
            headers: [
              ['Allow', ALLOW],
              ['Accept', 'application/sdp'],
            ],
          }),
        );
        return;
      case 'REGISTER':
        this.register(request, tx, source);
        return;
      case 'INVITE':
        this.invite(request, tx);
        return;
      case 'BYE': {
        const known = this.calls.has(request.callId);
        if (known) this.calls.set(request.callId, 'ended');
        tx.respond(this.response(request, known ? 200 : 481));
        return;
      }
      case 'CANCEL': {
        const invite = this.layer.findInviteForCancel(request);
        tx.respond(this.response(request, invite ? 200 : 481));
        if (invite && invite.final === undefined) {
          this.calls.set(request.callId, 'cancelled');
          invite.respond(this.response(invite.request, 487));
        }
        return;
      }
      default:
        tx.respond(this.response(request, 405, { headers: [['Allow', ALLOW]] }));
    }
  }

  /** RFC 3261 §10.3, minus authentication: bindings replaced, `Expires: 0` removes them. */
  private register(request: SipRequest, tx: ServerTransaction, source: MessageSource): void {
    const aor = request.to.uri.toString();
    const contacts = request.contacts();
    const expires = contacts[0]?.expires ?? request.expires ?? 3600;
    if (contacts.length === 0) {
      // A query: answer with the current binding.
    } else if (expires === 0 || contacts[0]?.isWildcard) {
      this.bindings.delete(aor);
    } else {
      this.bindings.set(aor, { contact: contacts[0]!.uri.toString(), expires, source });
    }
    const binding = this.bindings.get(aor);
    const headers: [string, string][] = binding
      ? [['Contact', `<${binding.contact}>;expires=${binding.expires}`]]
      : [];
    tx.respond(this.response(request, 200, { headers }));
  }

  private invite(request: SipRequest, tx: ServerTransaction): void {
    const toTag = newTag();
    const transportParam = tx.responseDestination.protocol === 'UDP' ? '' : ';transport=tcp';
    const contact = `<sip:uas@${this.host}:${this.port}${transportParam}>`;
    this.calls.set(request.callId, 'ringing');
    tx.respond(this.response(request, 180, { toTag, headers: [['Contact', contact]] }));
    const ok = this.response(request, 200, {
      toTag,
      headers: [
        ['Contact', contact],
        ['Allow', ALLOW],
      ],
      body: sdpAnswer(this.host),
      contentType: 'application/sdp',
    });
    this.calls.set(request.callId, 'answered');
    tx.respond(ok);
    this.retransmitters.set(
      request.callId,
      retransmit2xx(this.layer, () => tx.respond(ok)),
    );
  }

  private acknowledged(callId: string): void {
    this.retransmitters.get(callId)?.stop();
    this.retransmitters.delete(callId);
    if (this.calls.get(callId) === 'answered') this.calls.set(callId, 'confirmed');
  }

  private response(
    request: SipRequest,
    status: number,
    options: {
      toTag?: string;
      headers?: [string, string][];
      body?: string;
      contentType?: string;
    } = {},
  ): SipResponse {
    const toTag = options.toTag ?? (status > 100 ? newTag() : undefined);
    const response = createResponse(request, status, undefined, toTag !== undefined ? { toTag } : {});
    for (const [name, value] of options.headers ?? []) response.headers.append(name, value);
    response.headers.append('Server', 'Switchboard test UAS');
    if (options.body !== undefined) {
      response.headers.set('Content-Type', options.contentType ?? 'application/sdp');
      response.body = options.body;
    }
    return response;
  }
}

/** §13.3.1.4: the UAS core resends its 2xx, T1 doubling up to T2, for 64*T1 or until the ACK. */
function retransmit2xx(layer: TransactionLayer, send: () => void): { stop(): void } {
  const { T1, T2 } = DEFAULT_TIMER_VALUES;
  const started = layer.clock.now();
  let interval = T1;
  let timer = layer.clock.setTimer(interval, function again() {
    send();
    interval = Math.min(interval * 2, T2);
    if (layer.clock.now() - started + interval <= 64 * T1) timer = layer.clock.setTimer(interval, again);
  });
  return { stop: () => timer.cancel() };
}

/** A fixed PCMU audio answer; the test UAS sends no media. */
function sdpAnswer(host: string): string {
  const ip = host.includes(':') ? `IP6 ${host}` : `IP4 ${host}`;
  return (
    `v=0\r\no=uas 1 1 IN ${ip}\r\ns=-\r\nc=IN ${ip}\r\nt=0 0\r\n` +
    `m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n` +
    `a=fmtp:101 0-15\r\na=sendrecv\r\n`
  );
}
