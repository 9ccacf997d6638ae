// SIP over WebSocket (RFC 7118) from the browser: the @switchboard/sip SipTransport on one
// WebSocket to the PBX. Each WebSocket message carries exactly one SIP message (§5.1), so no
// stream framing is needed: a received message is parsed as a whole (datagram mode). The browser
// has no address of its own to put in Via and Contact, so, like other WebSocket clients, it
// uses a random `.invalid` host (§5.2, RFC 2606); the PBX answers and calls it over the very
// connection it registered on (RFC 5626 flow).
import {
  parseMessage,
  type Destination,
  type HostPort,
  type MessageSource,
  type SipRequest,
  type SipResponse,
  type SipTransport,
} from '@switchboard/sip';

/** RFC 7118 §4: the WebSocket subprotocol both sides must agree on. */
export const SIP_SUBPROTOCOL = 'sip';

export type SocketFactory = (url: string, protocols: string[]) => WebSocket;

export interface WebSocketTransportOptions {
  /** `ws://host:port/` or `wss://host:port/` (the PBX takes SIP upgrades on any path of its HTTP port). */
  readonly url: string;
  /** Every parsed message, with where it came from. */
  readonly onMessage: (message: SipRequest | SipResponse, source: MessageSource) => void;
  /** The connection closed (not called after close()). */
  readonly onClose?: (code: number, reason: string) => void;
  /** A message that does not parse (logged by the owner; RFC 7118 §5.1 says drop it). */
  readonly onMalformed?: (reason: string) => void;
  /** A message could not be sent (the transaction reports it as a transport error, 503). */
  readonly onSendError?: (error: unknown) => void;
  /** Tests and odd hosts may supply their own WebSocket. */
  readonly createSocket?: SocketFactory;
  /** The `.invalid` host of Via and Contact (default: random). */
  readonly viaHost?: string;
}

export class TransportClosedError extends Error {
  constructor() {
    super('the SIP WebSocket is not connected');
    this.name = 'TransportClosedError';
  }
}

function randomToken(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export class WebSocketTransport implements SipTransport {
  readonly viaHost: string;
  readonly protocol: 'WS' | 'WSS';
  private socket: WebSocket | undefined;
  private closedByUs = false;
  private readonly remote: HostPort;
  private readonly encoder = new TextEncoder();

  constructor(private readonly options: WebSocketTransportOptions) {
    const url = new URL(options.url);
    this.protocol = url.protocol === 'wss:' ? 'WSS' : 'WS';
    this.remote = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (this.protocol === 'WSS' ? 443 : 80)),
    };
    this.viaHost = options.viaHost ?? `${randomToken(12)}.invalid`;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the connection; resolves once it is open, rejects if it fails or closes first. */
  connect(): Promise<void> {
    this.closedByUs = false;
    const create = this.options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
    const socket = create(this.options.url, [SIP_SUBPROTOCOL]);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    return new Promise((resolve, reject) => {
      let opened = false;
      socket.onopen = () => {
        // §4: a server that did not select `sip` is not a SIP server.
        if (socket.protocol !== SIP_SUBPROTOCOL) {
          socket.close(1002, 'sip subprotocol not selected');
          reject(new Error('the server did not accept the sip WebSocket subprotocol'));
          return;
        }
        opened = true;
        resolve();
      };
      socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => this.onData(event.data);
      socket.onclose = (event) => {
        if (this.socket === socket) this.socket = undefined;
        if (!opened) reject(new Error(`WebSocket to ${this.options.url} failed (${event.code})`));
        else if (!this.closedByUs) this.options.onClose?.(event.code, event.reason);
      };
    });
  }

  close(): void {
    this.closedByUs = true;
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  }

  // ─── SipTransport ──────────────────────────────────────────────────────────────────────

  send(message: SipRequest | SipResponse, _destination: Destination): void {
    // Every destination is reached through the one connection (the PBX is our outbound proxy).
    const socket = this.socket;
    try {
      if (!socket || socket.readyState !== WebSocket.OPEN) throw new TransportClosedError();
      const bytes = message.toBytes();
      // §5.1: UTF-8 text frames; SIP is text here (SDP and our bodies are UTF-8).
      socket.send(new TextDecoder().decode(bytes));
    } catch (error) {
      this.options.onSendError?.(error);
      throw error;
    }
  }

  localAddress(_destination: Destination): HostPort {
    // NOTE: port 0 is a placeholder; nobody connects to a browser, the PBX answers over the flow.
    return { host: this.viaHost, port: 0 };
  }

  /** The Contact URI of a user on this connection (RFC 7118 §5.2 `transport=ws`). */
  contactUri(user: string): string {
    return `sip:${user}@${this.viaHost};transport=${this.protocol.toLowerCase()}`;
  }

  private onData(data: string | ArrayBuffer): void {
    const bytes = typeof data === 'string' ? this.encoder.encode(data) : new Uint8Array(data);
    // RFC 5626 §4.4.1 keep-alive pongs (CRLF) are not messages.
    if (bytes.every((b) => b === 13 || b === 10)) return;
    const parsed = parseMessage(bytes);
    if (parsed.kind !== 'message') {
      this.options.onMalformed?.(parsed.kind === 'malformed' ? parsed.reason : 'incomplete message');
      return;
    }
    const source: MessageSource = {
      protocol: this.protocol,
      remote: this.remote,
      local: { host: this.viaHost, port: 0 },
      connectionId: 'ws',
    };
    this.options.onMessage(parsed.message, source);
  }
}
