// A SIP-over-WebSocket connection (RFC 7118): each WebSocket message carries exactly one SIP
// message (§5.1), as a text (UTF-8) or binary frame, so no stream framing is needed. Clients
// such as SIP.js send the RFC 5626 CRLFCRLF ping as a message of its own; it gets a CRLF pong.
import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import type { HostPort } from '@switchboard/sip';
import { Connection, type ConnectionOwner } from './connection.ts';

/** How long a closing handshake may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

export class WebSocketConnection extends Connection {
  constructor(
    owner: ConnectionOwner,
    private readonly socket: WebSocket,
    protocol: 'WS' | 'WSS',
    remote: HostPort,
    local: HostPort,
  ) {
    super(owner, protocol, 'inbound', remote, local);
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        owner.counters.increment('oversized', this.protocol);
        owner.options.logger.warn(
          { connectionId: this.id, remote: this.remote, reason: error.message },
          'closing SIP WebSocket: message over the size limit',
        );
        this.close('oversized');
        return;
      }
      owner.options.logger.debug({ connectionId: this.id, error: error.message }, 'SIP WebSocket error');
    });
    socket.on('close', () => this.socketClosed());
  }

  protected write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      // RFC 7118 §5.1: text frames must hold valid UTF-8; anything else goes as binary.
      this.socket.send(bytes, { binary: !isUtf8(bytes) }, (error) => (error ? reject(error) : resolve()));
    });
  }

  protected queuedBytes(): number {
    return this.socket.bufferedAmount;
  }

  protected end(alreadyGone: boolean): void {
    if (alreadyGone) {
      this.socket.terminate();
      return;
    }
    // 1000: normal closure; 1001 "going away" is for server shutdown, 1008 for policy.
    this.socket.close(1000);
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private onMessage(data: Buffer, _isBinary: boolean): void {
    if (this.isClosed) return;
    this.activity();
    if (isKeepAlive(data)) {
      if (data.length >= 4) this.pingReceived();
      else this.pongReceived();
      return;
    }
    this.deliver(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.messageDone();
  }
}

/** A message made only of CR and LF: a keep-alive, not SIP. */
function isKeepAlive(data: Buffer): boolean {
  if (data.length === 0 || data.length > 8) return false;
  for (const byte of data) if (byte !== 0x0d && byte !== 0x0a) return false;
  return true;
}
