// One open connection (TCP, TLS, WS or WSS) and the guards every connection gets, whatever it
// runs on: a deadline for the first message and for each started message (half-open and
// slowloris peers), an idle timeout, a bound on bytes queued for a peer that does not read,
// and the RFC 5626 §4.4.1 client-side CRLF keep-alive on connections we opened.
import type {
  ConnectionCloseReason,
  ConnectionDirection,
  ConnectionInfo,
  HostPort,
  TransportProtocol,
} from '@switchboard/sip';
import type { TransportCounters } from './counters.ts';
import type { ResolvedOptions } from './options.ts';

/** What a connection reports to the transport that owns it. */
export interface ConnectionOwner {
  readonly options: ResolvedOptions;
  readonly counters: TransportCounters;
  /** A complete SIP message (bytes not yet parsed) arrived on `connection`. */
  onMessageBytes(connection: Connection, bytes: Uint8Array): void;
  /** The connection is gone (called once). */
  onConnectionClosed(connection: Connection, reason: ConnectionCloseReason): void;
}

/** Most bytes we queue for a peer that is not reading before we give up on it. */
export const MAX_QUEUED_OUTPUT = 4 * 1024 * 1024;

const CRLF = new Uint8Array([0x0d, 0x0a]);
const CRLFCRLF = new Uint8Array([0x0d, 0x0a, 0x0d, 0x0a]);

const TIMEOUT_COUNTER = {
  'idle-timeout': 'idle_timeouts',
  'header-timeout': 'header_timeouts',
  'keepalive-timeout': 'keepalive_timeouts',
} as const;

let nextId = 1;

export abstract class Connection implements ConnectionInfo {
  readonly id: string;
  /** Complete messages received; a connection with none is "unproven" and evicted first. */
  messagesReceived = 0;
  private closeReason: ConnectionCloseReason | undefined;
  private headerTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private resolveFinished!: () => void;
  /** Settles when the underlying socket is fully closed. */
  readonly finished: Promise<void> = new Promise((resolve) => (this.resolveFinished = resolve));

  protected constructor(
    protected readonly owner: ConnectionOwner,
    readonly protocol: TransportProtocol,
    readonly direction: ConnectionDirection,
    readonly remote: HostPort,
    readonly local: HostPort,
  ) {
    this.id = `${protocol.toLowerCase()}-${nextId++}`;
    const { idleTimeoutMs, headerTimeoutMs } = owner.options;
    this.idleTimer = setTimeout(() => this.timeout('idle-timeout'), idleTimeoutMs).unref();
    // An inbound peer must send its first message within the header timeout (half-open guard).
    if (direction === 'inbound') this.armHeaderTimer(headerTimeoutMs);
    if (direction === 'outbound' && owner.options.keepAliveIntervalMs > 0) this.scheduleKeepAlive();
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      protocol: this.protocol,
      direction: this.direction,
      remote: this.remote,
      local: this.local,
    };
  }

  /** Sends bytes; rejects when the connection is closed or the write fails. */
  send(bytes: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new Error(`connection ${this.id} is closed`));
    if (this.queuedBytes() + bytes.length > MAX_QUEUED_OUTPUT) {
      this.close('slow-reader');
      return Promise.reject(new Error(`connection ${this.id}: peer is not reading`));
    }
    this.idleTimer?.refresh();
    return this.write(bytes);
  }

  /** Closes the connection (idempotent); the owner hears about it once. */
  close(reason: ConnectionCloseReason): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    for (const timer of [this.headerTimer, this.idleTimer, this.keepAliveTimer, this.pongTimer])
      clearTimeout(timer);
    this.end(reason === 'remote');
    this.owner.onConnectionClosed(this, reason);
  }

  /** Subclasses call this when the socket is fully closed. */
  protected socketClosed(): void {
    this.close('remote');
    this.resolveFinished();
  }

  /** Subclasses call this for every chunk of bytes from the peer. */
  protected activity(): void {
    this.idleTimer?.refresh();
  }

  /** Subclasses call this with a complete message. */
  protected deliver(bytes: Uint8Array): void {
    this.messagesReceived++;
    this.owner.onMessageBytes(this, bytes);
  }

  /** A message started arriving: it must be complete within the header timeout. */
  protected messageStarted(): void {
    if (this.headerTimer === undefined) this.armHeaderTimer(this.owner.options.headerTimeoutMs);
  }

  /** No message is partly received any more. */
  protected messageDone(): void {
    // Until the first complete message the deadline set at connect time stands: keep-alives
    // alone do not make a half-open peer a SIP peer.
    if (this.messagesReceived === 0) return;
    clearTimeout(this.headerTimer);
    this.headerTimer = undefined;
  }

  /** RFC 5626 §3.5.1: a server answers the CRLFCRLF ping with a CRLF pong. */
  protected pingReceived(): void {
    this.owner.counters.increment('keepalive_pings_answered', this.protocol);
    this.write(CRLF).catch(() => this.close('remote'));
  }

  protected pongReceived(): void {
    if (this.pongTimer === undefined) return; // a stray CRLF, not an answer to our ping
    this.owner.counters.increment('keepalive_pongs_received', this.protocol);
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  protected abstract write(bytes: Uint8Array): Promise<void>;
  /** Bytes accepted by write() but not yet handed to the OS. */
  protected abstract queuedBytes(): number;
  /** Ends the socket; `alreadyGone` when the peer closed it. Must lead to socketClosed(). */
  protected abstract end(alreadyGone: boolean): void;

  private armHeaderTimer(ms: number): void {
    this.headerTimer = setTimeout(() => this.timeout('header-timeout'), ms).unref();
  }

  private timeout(reason: 'idle-timeout' | 'header-timeout' | 'keepalive-timeout'): void {
    if (this.isClosed) return;
    this.owner.counters.increment(TIMEOUT_COUNTER[reason], this.protocol);
    this.owner.options.logger.info(
      { connectionId: this.id, remote: this.remote, reason },
      'closing SIP connection',
    );
    this.close(reason);
  }

  /** RFC 5626 §4.4.1: ping at a random 80–100 % of the interval; no pong in time fails the flow. */
  private scheduleKeepAlive(): void {
    const interval = this.owner.options.keepAliveIntervalMs * (0.8 + 0.2 * Math.random());
    this.keepAliveTimer = setTimeout(() => {
      if (this.isClosed) return;
      this.write(CRLFCRLF).catch(() => this.close('remote'));
      if (this.pongTimer === undefined) {
        this.pongTimer = setTimeout(
          () => this.timeout('keepalive-timeout'),
          this.owner.options.keepAliveTimeoutMs,
        );
        this.pongTimer.unref();
      }
      this.scheduleKeepAlive();
    }, interval).unref();
  }
}
