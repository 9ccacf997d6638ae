// Ringing the callee: one INVITE per registered device (parallel forking), or one to a SIP
// trunk for an external number. Keeps each fork's final status, cancels the rest, and tells its
// owner (CallSession) of progress, of an answer, and when every fork has failed.
import type {
  Destination,
  OutgoingInvite,
  Session,
  SessionDescription,
  SipResponse,
  TransportProtocol,
  UserAgent,
} from '@switchboard/sip';
import type { Binding } from '../registrar/binding.ts';
import { isTrunkTarget, type TrunkTarget } from '../trunks/trunk-target.ts';
import type { AdmittedCall } from './call-admission.ts';
import { bestFailureStatus } from './call-outcome.ts';
import type { WebRtcLegHandle } from './media-port.ts';
import { sdpText } from './sdp-bridge.ts';

export interface Fork {
  /** A registered device of the callee, or a SIP trunk (an external number). */
  readonly binding: Binding | TrunkTarget;
  /** Undefined when the INVITE never went out (`final` says why). */
  readonly invite: OutgoingInvite | undefined;
  /** Our offer to this device. */
  readonly offer: SessionDescription;
  /** The device's WebRTC leg, when it is a browser. */
  readonly webrtc?: WebRtcLegHandle | undefined;
  final: number | undefined;
}

export interface CalleeForksDelegate {
  /** A provisional response from a device (ringing, early media). */
  onProgress(fork: Fork, response: SipResponse): void;
  /** A device answered (2xx); its `final` is already set. */
  onAccept(fork: Fork, session: Session, response: SipResponse): void;
  /** Every fork has a final failure: `status` is the one to give the caller. */
  onAllFailed(status: number): void;
}

export interface CalleeForksDeps {
  readonly ua: UserAgent;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
}

const SDP = 'application/sdp';

export class CalleeForks {
  private readonly forks: Fork[] = [];
  /** Inside fanOut: more devices are about to be rung, so no failure is final yet. */
  private fanningOut = false;

  constructor(
    private readonly deps: CalleeForksDeps,
    private readonly call: AdmittedCall,
    /** The caller's Call-ID, for the log. */
    private readonly callId: string,
    private readonly delegate: CalleeForksDelegate,
  ) {}

  /** Sends `binding` an INVITE with `offer`; returns it, or undefined when it could not be sent. */
  ring(
    binding: Binding | TrunkTarget,
    offer: SessionDescription,
    webrtc?: WebRtcLegHandle,
  ): OutgoingInvite | undefined {
    const { ua } = this.deps;
    const { tenant, caller, callee, maxForwards } = this.call;
    const trunk = isTrunkTarget(binding) ? binding : undefined;
    const destination: Destination = isTrunkTarget(binding)
      ? binding.destination
      : {
          protocol: binding.source.transport.toUpperCase() as TransportProtocol,
          host: binding.source.host,
          port: binding.source.port,
          ...(binding.connectionId !== undefined ? { connectionId: binding.connectionId } : {}),
        };
    const display = caller.displayName ? `"${caller.displayName.replace(/["\\]/g, '')}" ` : '';
    let fork: Fork | undefined;
    try {
      const invite = ua.invite(
        isTrunkTarget(binding) ? binding.uri : binding.contact,
        {
          from: trunk?.from ?? `${display}<sip:${caller.username}@${tenant.domain}>`,
          to: trunk?.to ?? `<sip:${callee.username}@${tenant.domain}>`,
          destination,
          body: sdpText(offer),
          contentType: SDP,
          headers: [['Max-Forwards', String(maxForwards)], ...(trunk?.headers ?? [])],
          ...(trunk?.authenticator && { authenticator: trunk.authenticator }),
        },
        {
          onProgress: (response) => fork && this.delegate.onProgress(fork, response),
          onAccept: (session, response) => fork && this.accepted(fork, session, response),
          onReject: (response) => fork && this.failed(fork, response.status),
          onCancel: () => fork && this.failed(fork, 487),
        },
      );
      fork = { binding, invite, offer, webrtc, final: undefined };
      this.forks.push(fork);
      void invite.final.catch(() => fork && this.failed(fork, 408));
      return invite;
    } catch (error) {
      const contact = isTrunkTarget(binding) ? binding.uri : binding.contact;
      this.deps.log({ callId: this.callId, contact, error: String(error) }, 'call: fork failed');
      this.forks.push({ binding, invite: undefined, offer, final: 503 });
      this.checkAllFailed();
      return undefined;
    }
  }

  /** A device that cannot be rung at all (`status`, e.g. 488 for no usable offer). */
  refuse(binding: Binding | TrunkTarget, offer: SessionDescription, status: number): void {
    this.forks.push({ binding, invite: undefined, offer, final: status });
  }

  /**
   * Rings every device `ringEach` rings (with `ring`/`refuse`), then reports `onAllFailed` if
   * none is left ringing. A device that fails at once does not end the call while the others
   * are still to be rung.
   */
  fanOut(ringEach: () => void): void {
    this.fanningOut = true;
    try {
      ringEach();
    } finally {
      this.fanningOut = false;
    }
    this.checkAllFailed();
  }

  /** A fork ended without an answer (`status`). */
  failed(fork: Fork, status: number): void {
    if (fork.final !== undefined && fork.final < 300) return;
    fork.final = fork.final ?? status;
    this.checkAllFailed();
  }

  /** A device answered with nothing usable (no common codec): it counts as failed with `status`. */
  answerUnusable(fork: Fork, status: number): void {
    fork.final = status;
    this.checkAllFailed();
  }

  /** Reports `onAllFailed` once no fork is left ringing. */
  checkAllFailed(): void {
    if (this.fanningOut || this.forks.some((f) => f.final === undefined)) return;
    this.delegate.onAllFailed(bestFailureStatus(this.forks.map((f) => f.final ?? 480)));
  }

  /** CANCELs every fork still ringing but `answered` (RFC 3261 §16.7 step 10 for a B2BUA). */
  cancelOthers(answered: Fork): void {
    for (const other of this.forks)
      if (other !== answered && other.final === undefined) other.invite?.cancel();
  }

  /** CANCELs every fork still ringing. */
  cancelAll(): void {
    for (const fork of this.forks) if (fork.final === undefined) fork.invite?.cancel();
  }

  private accepted(fork: Fork, session: Session, response: SipResponse): void {
    fork.final = response.status;
    this.delegate.onAccept(fork, session, response);
  }
}

/** Devices registered over WebSocket (RFC 7118) are browsers: their media is WebRTC. */
export const isBrowser = (binding: Binding | TrunkTarget): boolean =>
  !isTrunkTarget(binding) && (binding.source.transport === 'ws' || binding.source.transport === 'wss');
