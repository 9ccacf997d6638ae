// A call the PBX places itself to an extension's devices (a transfer target): every registered
// phone rings at once, the first to answer wins, the others get CANCEL (or BYE if they answered
// in the same instant) — the B2BUA's forking, without a caller leg. Its media is a relay leg
// the caller of originate() chose, so answering needs no further SDP work.
import type {
  Clock,
  Destination,
  NegotiatedAudio,
  OutgoingInvite,
  Session,
  SessionDescription,
  TimerHandle,
  TransportProtocol,
  UserAgent,
} from '@switchboard/sip';
import { bestFailureStatus } from '../call/call-outcome.ts';
import type { MediaLocalEndpoint, MediaPort, WebRtcLegHandle } from '../call/media-port.ts';
import { offerToCallee, parseBody, sdpText, webRtcRemote } from '../call/sdp-bridge.ts';
import type { Binding } from '../registrar/binding.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { Extension, Tenant } from '../store/directory.ts';
import { pbxOffer, readAnswer, SDP } from './leg-sdp.ts';

export interface OriginateDeps {
  readonly ua: UserAgent;
  readonly locations: LocationStore;
  readonly clock: Clock;
  /** With a WebRTC gateway, browsers can be called too. */
  readonly media?: MediaPort;
  /** The RTP inactivity timeout (a browser leg's consent clock is the shorter of it and 30 s). */
  readonly rtpTimeoutMs?: number;
}

export interface OriginateRequest {
  readonly tenant: Tenant;
  readonly target: Extension;
  /** Who the target sees calling (From). */
  readonly from: Extension;
  /** The relay leg the target's phone will send to. */
  readonly endpoint: MediaLocalEndpoint;
  readonly sessionId: string;
  readonly ringTimeoutMs: number;
  /** A provisional response arrived (for REFER progress: 180 Ringing). */
  readonly onProgress?: (status: number) => void;
}

export type OriginateResult =
  | {
      readonly ok: true;
      readonly session: Session;
      readonly local: SessionDescription;
      readonly negotiated: NegotiatedAudio;
      /** The browser's WebRTC leg, when a browser answered (the caller owns it from now on). */
      readonly webrtc?: WebRtcLegHandle | undefined;
    }
  | { readonly ok: false; readonly status: number; readonly reason: string };

export interface Origination {
  readonly result: Promise<OriginateResult>;
  /** Gives up (the transferee hung up): CANCEL to every phone still ringing. */
  cancel(): void;
}

/** Devices registered over WebSocket are browsers: their media needs a WebRTC leg. */
const isBrowser = (b: Binding): boolean => b.source.transport === 'ws' || b.source.transport === 'wss';

export function originate(deps: OriginateDeps, request: OriginateRequest): Origination {
  const forks: { invite: OutgoingInvite; final: number | undefined; webrtc?: WebRtcLegHandle }[] = [];
  let settled = false;
  let timer: TimerHandle | undefined;
  let resolve!: (r: OriginateResult) => void;
  const result = new Promise<OriginateResult>((r) => (resolve = r));
  const settle = (r: OriginateResult): void => {
    if (settled) return;
    settled = true;
    timer?.cancel();
    for (const f of forks) if (f.final === undefined) f.invite.cancel();
    // Every browser leg but the winner's is closed (the winner's belongs to the caller now).
    const winner = r.ok ? r.webrtc : undefined;
    for (const f of forks) if (f.webrtc && f.webrtc !== winner) void f.webrtc.close().catch(() => undefined);
    resolve(r);
  };
  let creating = true;
  const failIfAllFailed = (): void => {
    if (creating) return;
    if (forks.length > 0 && forks.every((f) => f.final !== undefined && f.final >= 300)) {
      const status = bestFailureStatus(forks.map((f) => f.final ?? 480));
      settle({ ok: false, status, reason: 'the target did not answer' });
    }
  };

  void (async () => {
    const { tenant, target, from, endpoint } = request;
    const all = await deps.locations.lookup(tenant.id, target.username, Date.now());
    // Browsers need a WebRTC leg: without a gateway they cannot be called.
    const gateway = deps.media?.webrtc;
    const bindings = gateway ? all : all.filter((b) => !isBrowser(b));
    if (bindings.length === 0) {
      const reason = all.length > 0 ? 'only browsers are registered' : 'not registered';
      return settle({ ok: false, status: all.length > 0 ? 488 : 480, reason });
    }
    if (settled) return;
    const plainOffer = pbxOffer(endpoint, request.sessionId);
    const display = from.displayName ? `"${from.displayName.replace(/["\\]/g, '')}" ` : '';
    timer = deps.clock.setTimer(request.ringTimeoutMs, () =>
      settle({ ok: false, status: 480, reason: 'no answer' }),
    );
    for (const binding of bindings) {
      if (settled) break;
      let webrtc: WebRtcLegHandle | undefined;
      let offer = plainOffer;
      if (gateway && isBrowser(binding)) {
        try {
          webrtc = await gateway.createWebRtcLeg({
            relay: endpoint,
            // RFC 7675 §5.1: consent expires 30 s after the last check.
            inactivityTimeoutMs: Math.min(deps.rtpTimeoutMs ?? 30_000, 30_000),
          });
        } catch {
          forks.push({ invite: undefined as never, final: 503 });
          continue;
        }
        const browserOffer = offerToCallee(plainOffer, endpoint, request.sessionId, undefined, webrtc);
        if (!browserOffer.ok || settled) {
          void webrtc.close().catch(() => undefined);
          forks.push({ invite: undefined as never, final: 488 });
          continue;
        }
        offer = browserOffer.value;
      }
      const destination: Destination = {
        protocol: binding.source.transport.toUpperCase() as TransportProtocol,
        host: binding.source.host,
        port: binding.source.port,
        ...(binding.connectionId !== undefined ? { connectionId: binding.connectionId } : {}),
      };
      const fork: { invite: OutgoingInvite; final: number | undefined; webrtc?: WebRtcLegHandle } = {
        invite: undefined as never,
        final: undefined,
        ...(webrtc && { webrtc }),
      };
      try {
        fork.invite = deps.ua.invite(
          binding.contact,
          {
            from: `${display}<sip:${from.username}@${tenant.domain}>`,
            to: `<sip:${target.username}@${tenant.domain}>`,
            destination,
            body: sdpText(offer),
            contentType: SDP,
          },
          {
            onProgress: (response) => {
              if (response.status > 100) request.onProgress?.(response.status);
            },
            onAccept: (session, response) => {
              fork.final = response.status;
              if (settled) {
                void session.bye();
                return;
              }
              const negotiated = readAnswer(offer, response.body);
              if (!negotiated) {
                void session.bye();
                fork.final = 488;
                return failIfAllFailed();
              }
              if (webrtc) {
                // The browser's ICE credentials and fingerprint are in its answer.
                const parsed = parseBody(response.body);
                const remote = parsed.ok ? webRtcRemote(parsed.value) : undefined;
                if (remote?.ok) void webrtc.setRemote(remote.value).catch(() => undefined);
              }
              settle({ ok: true, session, local: offer, negotiated, webrtc });
            },
            onReject: (response) => {
              fork.final = response.status;
              failIfAllFailed();
            },
            onCancel: () => {
              fork.final = 487;
              failIfAllFailed();
            },
          },
        );
        forks.push(fork);
        void fork.invite.final.catch(() => {
          fork.final ??= 408;
          failIfAllFailed();
        });
      } catch {
        fork.final = 503;
        forks.push(fork);
      }
    }
    creating = false;
    failIfAllFailed();
  })().catch(() => settle({ ok: false, status: 500, reason: 'origination failed' }));

  return {
    result,
    cancel: () => settle({ ok: false, status: 487, reason: 'cancelled' }),
  };
}
