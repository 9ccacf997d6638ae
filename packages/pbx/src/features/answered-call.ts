// What the call features (hold, transfer, in-call codes) see of an answered call, and how the
// call session hands them its events. CallSession implements AnsweredCall; CallFeatures
// (call-features.ts) returns an AnsweredCallHandler for each answered call.
import type {
  IncomingReinvite,
  IncomingRequest,
  NegotiatedAudio,
  Session,
  SessionDelegate,
  SessionDescription,
} from '@switchboard/sip';
import type { HangupSide } from '../call/call-record.ts';
import type { MediaLocalEndpoint, MediaRelayHandle, WebRtcLegHandle } from '../call/media-port.ts';
import type { Extension, Tenant } from '../store/directory.ts';

/** Leg `a` of the relay faces the caller, `b` the callee — until a transfer puts others there. */
export type CallSide = 'a' | 'b';

export const otherSide = (side: CallSide): CallSide => (side === 'a' ? 'b' : 'a');

/** The phone on one side of an answered call. */
export interface CallLeg {
  readonly session: Session;
  /** The extension on this side. */
  readonly party: Extension;
  /** The SDP we last sent this phone (its o= version goes on from there, RFC 3264 §8). */
  readonly local: SessionDescription | undefined;
  /** The browser leg in front of the relay leg, when the phone is a browser. */
  readonly webrtc?: WebRtcLegHandle | undefined;
  /** The SIP trunk this leg goes through, when the party is an external number (trunks/). */
  readonly trunkId?: string | undefined;
}

export interface AnsweredCall {
  readonly id: string;
  readonly tenant: Tenant;
  /** The call's media relay (its legs `a` and `b`). */
  readonly media: MediaRelayHandle;
  /** Where the phone on `side` sends its media (the relay leg's endpoint). */
  endpoint(side: CallSide): MediaLocalEndpoint;
  /** The phone on `side`; undefined while a transfer has taken it out. */
  leg(side: CallSide): CallLeg | undefined;
  /**
   * Takes the phone on `side` out of the call: its requests go to `delegate` from now on, so
   * its BYE no longer ends the call. Its relay leg stays as it is until something is attached.
   */
  detach(side: CallSide, delegate: SessionDelegate): CallLeg | undefined;
  /**
   * Puts a phone on `side` (a transfer target, a transferor back). With `negotiated` the relay
   * leg follows the phone's SDP; without it the leg stays as configured (the same phone back).
   */
  attach(side: CallSide, leg: CallLeg, negotiated?: NegotiatedAudio): Promise<void>;
  /**
   * Gives up the browser leg on `side` without closing it: the browser moved to another call
   * (an attended transfer between browsers), which owns its leg from now on.
   */
  releaseWebRtc(side: CallSide): void;
  /** Records the SDP of a re-INVITE the features answered themselves (hold, resume). */
  answeredLocally(side: CallSide, local: SessionDescription): void;
  hangup(cause: string, side: HangupSide): Promise<void>;
  /** A fresh o= session id. */
  newSessionId(): string;
}

/** Events of an answered call that features may take; `true` means "handled". */
export interface AnsweredCallHandler {
  /** A key pressed on the phone on `side` (RFC 4733, detected by the relay). */
  onDtmf?(side: CallSide, digit: string): void;
  /** A re-INVITE with an offer, before it is relayed to the other side. */
  onReinvite?(side: CallSide, reinvite: IncomingReinvite, offer: SessionDescription): boolean;
  /** REFER, NOTIFY, INFO… inside the dialog of `side`. */
  onRequest?(side: CallSide, request: IncomingRequest): boolean;
  /** The phone on `side` hung up (the BYE is answered): true keeps the call going. */
  onBye?(side: CallSide): boolean;
  /** The call is over. */
  onEnded?(): void;
}

/** Why an unanswered call may be diverted (call forwarding, voicemail later). */
export type UnansweredReason = 'busy' | 'no-answer';

/** What a call session asks of the features (all optional: a PBX without features works). */
export interface CallFeatureHooks {
  /** The call was answered: the returned handler sees its events. */
  answered?(call: AnsweredCall): AnsweredCallHandler | undefined;
  /** Nobody answered: true when the features took the caller's INVITE elsewhere (forwarding). */
  unanswered?(reason: UnansweredReason, status: number): boolean;
}
