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
import type { MediaLocalEndpoint } from '../call/media-port.ts';
import { sdpText } from '../call/sdp-bridge.ts';
import type { Binding } from '../registrar/binding.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { Extension, Tenant } from '../store/directory.ts';
import { pbxOffer, readAnswer, SDP } from './leg-sdp.ts';

export interface OriginateDeps {
  readonly ua: UserAgent;
  readonly locations: LocationStore;
  readonly clock: Clock;
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
  const forks: { invite: OutgoingInvite; final: number | undefined }[] = [];
  let settled = false;
  let timer: TimerHandle | undefined;
  let resolve!: (r: OriginateResult) => void;
  const result = new Promise<OriginateResult>((r) => (resolve = r));
  const settle = (r: OriginateResult): void => {
    if (settled) return;
    settled = true;
    timer?.cancel();
    for (const f of forks) if (f.final === undefined) f.invite.cancel();
    resolve(r);
  };
  const failIfAllFailed = (): void => {
    if (forks.length > 0 && forks.every((f) => f.final !== undefined && f.final >= 300)) {
      const status = bestFailureStatus(forks.map((f) => f.final ?? 480));
      settle({ ok: false, status, reason: 'the target did not answer' });
    }
  };

  void (async () => {
    const { tenant, target, from, endpoint } = request;
    const all = await deps.locations.lookup(tenant.id, target.username, Date.now());
    // NOTE: browsers (WebRTC) cannot be transfer targets yet: their leg needs ICE/DTLS here.
    const bindings = all.filter((b) => !isBrowser(b));
    if (bindings.length === 0) {
      const reason = all.length > 0 ? 'only browsers are registered' : 'not registered';
      return settle({ ok: false, status: all.length > 0 ? 488 : 480, reason });
    }
    if (settled) return;
    const offer = pbxOffer(endpoint, request.sessionId);
    const display = from.displayName ? `"${from.displayName.replace(/["\\]/g, '')}" ` : '';
    timer = deps.clock.setTimer(request.ringTimeoutMs, () =>
      settle({ ok: false, status: 480, reason: 'no answer' }),
    );
    for (const binding of bindings) {
      const destination: Destination = {
        protocol: binding.source.transport.toUpperCase() as TransportProtocol,
        host: binding.source.host,
        port: binding.source.port,
        ...(binding.connectionId !== undefined ? { connectionId: binding.connectionId } : {}),
      };
      const fork: { invite: OutgoingInvite; final: number | undefined } = {
        invite: undefined as never,
        final: undefined,
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
              settle({ ok: true, session, local: offer, negotiated });
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
        forks.push({ ...fork, final: 503 });
      }
    }
    failIfAllFailed();
  })().catch(() => settle({ ok: false, status: 500, reason: 'origination failed' }));

  return {
    result,
    cancel: () => settle({ ok: false, status: 487, reason: 'cancelled' }),
  };
}
