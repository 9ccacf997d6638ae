// A browser's transport without the browser, for tests that need what Chromium will not do on
// demand (be the DTLS server, go silent): a full ICE agent in the controlling role that checks
// the endpoint's candidate once with USE-CANDIDATE (RFC 8445 §7.2.2), DTLS in either role,
// and SRTP with the exported keys.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import type { DtlsCertificate, WebRtcLocalDescription, WebRtcRemoteDescription } from '../../src/index.ts';
import { DtlsSession } from '../../src/webrtc/dtls-session.ts';
import { iceCredential } from '../../src/webrtc/ice-lite-agent.ts';
import { SrtpSession } from '../../src/webrtc/srtp-session.ts';
import {
  serializeStun,
  StunAttr,
  StunMessage,
  StunType,
  uint32Value,
} from '../../src/webrtc/stun-message.ts';

export class SimBrowser {
  readonly ufrag = iceCredential(8);
  readonly pwd = iceCredential(24);
  readonly received: Buffer[] = [];
  stunResponses: StunMessage[] = [];
  connected = false;
  closedReason: string | undefined;
  #outbound: SrtpSession | undefined;
  #inbound: SrtpSession | undefined;
  readonly #dtls: DtlsSession;

  private constructor(
    readonly socket: Socket,
    readonly endpoint: WebRtcLocalDescription,
    readonly role: 'client' | 'server',
    certificate: DtlsCertificate,
  ) {
    const to = endpoint.candidates[0]!;
    this.#dtls = new DtlsSession(role, certificate, (data) => socket.send(data, to.port, to.address), {
      onConnected: (keys) => {
        this.#outbound = new SrtpSession(keys.profile, keys.localKey, keys.localSalt);
        this.#inbound = new SrtpSession(keys.profile, keys.remoteKey, keys.remoteSalt);
        this.connected = true;
      },
      onClosed: (reason) => (this.closedReason = reason),
    });
    socket.on('message', (msg: Buffer) => {
      const b = msg[0]!;
      if (b < 4) {
        const m = StunMessage.parse(msg);
        if (m) this.stunResponses.push(m);
      } else if (b >= 20 && b <= 63) this.#dtls.handle(msg);
      else if (b >= 128 && b <= 191) {
        const pt = msg[1]! & 0x7f;
        const plain =
          pt >= 64 && pt <= 95 ? this.#inbound?.unprotectRtcp(msg) : this.#inbound?.unprotectRtp(msg);
        if (plain) this.received.push(plain);
      }
    });
  }

  /** `role` is the browser's DTLS role: `client` when it answered `a=setup:active`. */
  static async open(
    endpoint: WebRtcLocalDescription,
    certificate: DtlsCertificate,
    role: 'client' | 'server' = 'client',
  ): Promise<SimBrowser> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new SimBrowser(socket, endpoint, role, certificate);
  }

  /** What the endpoint learns from this browser's SDP. */
  remote(certificate: DtlsCertificate): WebRtcRemoteDescription {
    return {
      iceUfrag: this.ufrag,
      icePwd: this.pwd,
      fingerprints: [certificate.fingerprint],
      dtlsRole: this.role === 'client' ? 'server' : 'client',
    };
  }

  /** One connectivity check (nominating when asked), with the given credentials. */
  check(options: { nominate?: boolean; pwd?: string; controlled?: boolean } = {}): void {
    const to = this.endpoint.candidates[0]!;
    const request = serializeStun({
      type: StunType.BindingRequest,
      transactionId: randomBytes(12),
      attributes: [
        {
          type: StunAttr.Username,
          value: new TextEncoder().encode(`${this.endpoint.iceUfrag}:${this.ufrag}`),
        },
        { type: StunAttr.Priority, value: uint32Value(0x6e7f1eff) },
        {
          type: options.controlled ? StunAttr.IceControlled : StunAttr.IceControlling,
          value: randomBytes(8),
        },
        ...(options.nominate === false ? [] : [{ type: StunAttr.UseCandidate, value: new Uint8Array(0) }]),
      ],
      integrityKey: options.pwd ?? this.endpoint.icePwd,
      fingerprint: true,
    });
    this.socket.send(request, to.port, to.address);
  }

  /** Client role: starts the DTLS handshake. */
  connect(): void {
    this.#dtls.connect();
  }

  sendRtp(packet: Buffer): void {
    const to = this.endpoint.candidates[0]!;
    if (this.#outbound) this.socket.send(this.#outbound.protectRtp(packet), to.port, to.address);
  }

  close(): void {
    this.#dtls.close();
    this.socket.close();
  }
}
