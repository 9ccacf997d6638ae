import type { RemoteInfo, Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import {
  DtlsSession,
  matchesFingerprint,
  type DtlsCertificate,
  type SrtpKeyMaterial,
} from './dtls-session.ts';
import { IceLiteAgent } from './ice-lite-agent.ts';
import { SrtpSession } from './srtp-session.ts';
import { StunMessage } from './stun-message.ts';
import type {
  IceHostCandidate,
  PlainRtpTarget,
  WebRtcCounters,
  WebRtcEndpointOptions,
  WebRtcEvent,
  WebRtcLocalDescription,
  WebRtcRemoteDescription,
  WebRtcState,
  WebRtcStats,
} from './webrtc-types.ts';

/** What an endpoint shares with the others of its thread. */
export interface EndpointContext {
  readonly certificate: DtlsCertificate;
  readonly counters: WebRtcCounters;
  readonly emit: (event: WebRtcEvent) => void;
}

/**
 * One browser leg: an ICE-lite, DTLS-SRTP transport on a public UDP port, bridged to a plain
 * RTP leg through a loopback socket.
 *
 *   browser ⇄ [ice socket: STUN | DTLS | SRTP/SRTCP] ⇄ decrypt/encrypt ⇄ [plain socket] ⇄ relay leg
 *
 * The relay leg treats the plain socket as its phone, so payload-type mapping, transcoding,
 * DTMF detection and RTCP handling stay where they are. Datagrams on the ice socket are told
 * apart by their first byte (RFC 7983 §7): 0–3 STUN, 20–63 DTLS, 128–191 RTP/RTCP.
 */
export class WebRtcEndpoint {
  readonly id: string;
  readonly local: WebRtcLocalDescription;
  readonly agent = new IceLiteAgent();
  #state: WebRtcState = 'new';
  #remote: WebRtcRemoteDescription | undefined;
  #dtls: DtlsSession;
  #keys: { material: SrtpKeyMaterial; certificate: Buffer } | undefined;
  #outbound: SrtpSession | undefined;
  #inbound: SrtpSession | undefined;
  #media: PlainRtpTarget;
  readonly #inactivityMs: number;
  /** When the idle clock started (remote description set), or undefined before. */
  #activeSinceMs: number | undefined;
  #lastInMs = 0;
  #timedOut = false;
  #closed = false;
  /** Counted in the thread's `connected` gauge. */
  #counted = false;

  packetsIn = 0;
  packetsOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  srtpErrors = 0;
  dropped = 0;

  constructor(
    id: string,
    readonly iceSocket: Socket,
    readonly plainSocket: Socket,
    candidates: readonly IceHostCandidate[],
    options: WebRtcEndpointOptions,
    private readonly ctx: EndpointContext,
  ) {
    this.id = id;
    const first = candidates[0];
    if (!first) throw new Error('a WebRTC endpoint needs at least one candidate');
    this.local = {
      iceUfrag: this.agent.localUfrag,
      icePwd: this.agent.localPwd,
      iceLite: true,
      fingerprint: ctx.certificate.fingerprint,
      candidates,
      address: first.address,
      port: first.port,
    };
    this.#media = options.media;
    this.#inactivityMs = options.inactivityTimeoutMs ?? 0;
    // Until the browser's SDP says otherwise we are the DTLS server: the usual case both when
    // we answer (a=setup:passive) and when we offer actpass (browsers answer active).
    this.#dtls = this.#newDtls('server');
    iceSocket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.#fromBrowser(msg, rinfo));
    plainSocket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.#fromRelay(msg, rinfo));
    iceSocket.on('error', () => this.dropped++);
    plainSocket.on('error', () => this.dropped++);
  }

  #newDtls(role: 'server' | 'client'): DtlsSession {
    return new DtlsSession(
      role,
      this.ctx.certificate,
      (data) => {
        const to = this.agent.selected;
        if (to && !this.#closed) this.iceSocket.send(data, to.port, to.address);
      },
      {
        onConnected: (material, certificate) => {
          this.#keys = { material, certificate };
          this.#verify();
        },
        onClosed: (reason) => this.#end(reason),
      },
    );
  }

  get state(): WebRtcState {
    return this.#state;
  }

  /**
   *   new ──setRemote──▶ checking ──DTLS done, fingerprint matches──▶ connected
   *    └──────────────────┴───────────────── alert, mismatch, close ──────────┴──▶ closed
   *
   * (The handshake may finish before the SDP arrives: `connected` waits for both, RFC 5763 §5.)
   */
  #transition(to: WebRtcState): void {
    const from = this.#state;
    const legal =
      to === 'closed' || (from === 'new' && to === 'checking') || (from === 'checking' && to === 'connected');
    if (!legal) throw new Error(`WebRTC endpoint ${this.id}: ${from} → ${to}`);
    this.#state = to;
  }

  /** Sends plain RTP to (and takes it only from) another relay leg from now on. */
  setMedia(media: PlainRtpTarget): void {
    if (this.#closed) throw new Error(`WebRTC endpoint ${this.id} is closed`);
    this.#media = media;
  }

  /** Applies the browser's SDP: ICE credentials, certificate fingerprints, our DTLS role. */
  setRemote(remote: WebRtcRemoteDescription): void {
    if (this.#closed) throw new Error(`WebRTC endpoint ${this.id} is closed`);
    const first = this.#remote === undefined;
    this.#remote = remote;
    this.agent.remoteUfrag = remote.iceUfrag;
    if (first) {
      this.#activeSinceMs = performance.now();
      if (this.#state === 'new') this.#transition('checking');
      if (remote.dtlsRole === 'client' && this.#dtls.role === 'server' && !this.#keys) {
        this.#dtls.close();
        this.#dtls = this.#newDtls('client');
        if (this.agent.selected) this.#dtls.connect();
      }
    }
    this.#verify();
  }

  /** Once both the handshake and the browser's SDP are in: check its certificate, start SRTP. */
  #verify(): void {
    const keys = this.#keys;
    const remote = this.#remote;
    if (!keys || !remote || this.#inbound || this.#state === 'closed') return;
    if (!matchesFingerprint(keys.certificate, remote.fingerprints)) {
      this.#end('the DTLS certificate does not match the SDP fingerprint');
      return;
    }
    const m = keys.material;
    this.#outbound = new SrtpSession(m.profile, m.localKey, m.localSalt);
    this.#inbound = new SrtpSession(m.profile, m.remoteKey, m.remoteSalt);
    this.#transition('connected');
    this.#counted = true;
    this.ctx.counters.connected++;
    const to = this.agent.selected;
    this.ctx.emit({
      type: 'connected',
      endpointId: this.id,
      profile: m.profile,
      address: to?.address ?? '',
      port: to?.port ?? 0,
    });
  }

  #fromBrowser(msg: Buffer, rinfo: RemoteInfo): void {
    const b = msg[0];
    if (b === undefined) return;
    const counters = this.ctx.counters;
    if (b >= 128 && b <= 191) {
      const inbound = this.#inbound;
      if (!inbound || !this.agent.isValid(rinfo)) {
        this.dropped++;
        counters.dropped++;
        return;
      }
      const pt = msg[1]! & 0x7f;
      // RFC 5761 §4: RTCP packet types 192–223 read as payload types 64–95.
      const rtcp = pt >= 64 && pt <= 95;
      const plain = rtcp ? inbound.unprotectRtcp(msg) : inbound.unprotectRtp(msg);
      if (!plain) {
        this.srtpErrors++;
        counters.srtpErrors++;
        return;
      }
      this.#lastInMs = performance.now();
      this.packetsIn++;
      this.bytesIn += msg.length;
      counters.packetsIn++;
      const media = this.#media;
      this.plainSocket.send(plain, rtcp ? media.rtcpPort : media.rtpPort, media.address);
      return;
    }
    if (b < 4) {
      const stun = StunMessage.parse(msg);
      if (!stun) return;
      const wasSelected = this.agent.selected !== undefined;
      const result = this.agent.handle(stun, rinfo, performance.now());
      if (result.response) this.iceSocket.send(result.response, rinfo.port, rinfo.address);
      if (result.selected) {
        this.#lastInMs = performance.now();
        if (!wasSelected && this.#dtls.role === 'client' && this.#remote) this.#dtls.connect();
      }
      return;
    }
    if (b >= 20 && b <= 63 && this.agent.isValid(rinfo)) {
      this.#dtls.handle(msg);
      return;
    }
    this.dropped++;
    counters.dropped++;
  }

  #fromRelay(msg: Buffer, rinfo: RemoteInfo): void {
    const outbound = this.#outbound;
    const to = this.agent.selected;
    const counters = this.ctx.counters;
    if (
      !outbound ||
      !to ||
      rinfo.address !== this.#media.address ||
      // Only the relay leg we are bound to (after a move, the old one's music or voice is not
      // the browser's to hear); it sends RTP and RTCP from its RTP or RTCP port.
      (rinfo.port !== this.#media.rtpPort && rinfo.port !== this.#media.rtcpPort) ||
      msg.length < 12 ||
      (msg[0]! & 0xc0) !== 0x80
    ) {
      this.dropped++;
      counters.dropped++;
      return;
    }
    const pt = msg[1]! & 0x7f;
    const secured = pt >= 64 && pt <= 95 ? outbound.protectRtcp(msg) : outbound.protectRtp(msg);
    this.iceSocket.send(secured, to.port, to.address);
    this.packetsOut++;
    this.bytesOut += secured.length;
    counters.packetsOut++;
  }

  /** Periodic duty: the inactivity timeout (no consent checks and no media). */
  tick(nowMs: number): void {
    const since = this.#activeSinceMs;
    if (this.#inactivityMs <= 0 || since === undefined || this.#closed) return;
    const last = Math.max(since, this.#lastInMs, this.agent.lastCheckMs);
    const idle = nowMs - last;
    if (idle < this.#inactivityMs) {
      this.#timedOut = false;
    } else if (!this.#timedOut) {
      this.#timedOut = true;
      this.ctx.counters.timeouts++;
      this.ctx.emit({ type: 'timeout', endpointId: this.id, idleMs: Math.round(idle) });
    }
  }

  #end(reason: string): void {
    if (this.#closed || this.#state === 'closed') return;
    this.#transition('closed');
    this.#uncount();
    this.#inbound = undefined;
    this.#outbound = undefined;
    this.ctx.emit({ type: 'closed', endpointId: this.id, reason });
  }

  #uncount(): void {
    if (this.#counted) this.ctx.counters.connected--;
    this.#counted = false;
  }

  stats(): WebRtcStats {
    return {
      state: this.#state,
      profile: this.#keys?.material.profile,
      remote: this.agent.selected,
      iceChecks: this.agent.checks,
      packetsIn: this.packetsIn,
      packetsOut: this.packetsOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      srtpErrors: this.srtpErrors,
      dropped: this.dropped,
    };
  }

  /** Stops forwarding and handshakes; the host closes the sockets. */
  close(): WebRtcStats {
    this.#closed = true;
    this.#uncount();
    if (this.#state !== 'closed') this.#transition('closed');
    this.#dtls.close();
    this.iceSocket.removeAllListeners('message');
    this.plainSocket.removeAllListeners('message');
    return this.stats();
  }
}
