// The features of one answered call: hold with music, in-call codes from the keypad, and the
// transfers they start (REFER blind or attended, `#1`/`*2` + extension). CallSession hands it
// the call's events (answered-call.ts); a transfer in progress owns the call until it settles.
import type { IncomingReinvite, IncomingRequest, SessionDescription } from '@switchboard/sip';
import type { PlaybackAudio } from '../call/media-port.ts';
import type { AnsweredCall, AnsweredCallHandler, CallSide } from './answered-call.ts';
import { blindTransfer } from './blind-transfer.ts';
import { conferenceTransfer } from './conference-transfer.ts';
import { consultTransfer } from './consult-transfer.ts';
import type { FeatureContext } from './feature-context.ts';
import { matchDialledCode, type FeatureCodeMap, type FeatureMatch } from './feature-codes.ts';
import { holdReinvite } from './hold.ts';
import { InCallCodes } from './in-call-codes.ts';
import { readReferTo, ReferSubscription } from './refer.ts';
import { replacesTransfer } from './replaces-transfer.ts';

/** A transfer under way: it may keep the call alive when a phone hangs up, and is told when the call ends. */
export interface TransferInProgress {
  onBye?(side: CallSide): boolean;
  /** The call ended under the transfer: cancel what is pending, hang up who is parked. */
  abort(): void;
}

export class FeatureSession implements AnsweredCallHandler {
  /** Sides whose phone put the call on hold (the other side hears music). */
  readonly held = new Set<CallSide>();
  transfer: TransferInProgress | undefined;
  ended = false;
  private readonly codes: Record<CallSide, InCallCodes>;

  constructor(
    readonly ctx: FeatureContext,
    readonly call: AnsweredCall,
    private readonly codeMap: FeatureCodeMap,
    private readonly onGone: (session: FeatureSession) => void,
  ) {
    const collector = (side: CallSide): InCallCodes =>
      new InCallCodes(codeMap, ctx.clock, (match) => this.onCode(side, match));
    this.codes = { a: collector('a'), b: collector('b') };
  }

  // ─── Events from the call ───────────────────────────────────────────────────────────────

  onDtmf(side: CallSide, digit: string): void {
    if (!this.transfer) this.codes[side].key(digit);
  }

  onReinvite(side: CallSide, reinvite: IncomingReinvite, offer: SessionDescription): boolean {
    return holdReinvite(this, side, reinvite, offer);
  }

  onRequest(side: CallSide, request: IncomingRequest): boolean {
    if (request.request.method !== 'REFER') return false;
    const leg = this.call.leg(side);
    if (!leg) return false;
    if (this.transfer) {
      request.respond(491, { reason: 'Request Pending (a transfer is under way)' });
      return true;
    }
    const target = readReferTo(request);
    if (!target.ok) {
      request.respond(400, { reason: `Bad Request (${target.reason})` });
      return true;
    }
    this.ctx.log(
      { callId: this.call.id, side, target: target.number, attended: !!target.replaces },
      'call: REFER',
    );
    // REFER to the conference code (`*8` + room): the whole call moves into that room.
    const code = target.replaces ? undefined : matchDialledCode(this.codeMap, target.number);
    if (code?.feature === 'conference') {
      const subscription = ReferSubscription.accept(request, leg.session);
      void conferenceTransfer(this, side, code.argument ?? leg.party.username, subscription).catch(
        (error: unknown) =>
          this.ctx.log({ callId: this.call.id, error: String(error) }, 'call: move into a conference failed'),
      );
    } else if (target.replaces) {
      void replacesTransfer(this, side, request, target.replaces).catch((error: unknown) =>
        this.ctx.log({ callId: this.call.id, error: String(error) }, 'call: attended transfer failed'),
      );
    } else {
      const subscription = ReferSubscription.accept(request, leg.session);
      void blindTransfer(this, side, target.number, subscription).catch((error: unknown) =>
        this.ctx.log({ callId: this.call.id, error: String(error) }, 'call: transfer failed'),
      );
    }
    return true;
  }

  onBye(side: CallSide): boolean {
    return this.transfer?.onBye?.(side) ?? false;
  }

  onEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.codes.a.reset();
    this.codes.b.reset();
    this.transfer?.abort();
    this.transfer = undefined;
    this.onGone(this);
  }

  // ─── Media helpers ──────────────────────────────────────────────────────────────────────

  /** Plays the tenant's music on hold into `side`. */
  async playMusic(side: CallSide): Promise<void> {
    const music = await this.ctx.musicOnHold(this.call.tenant.id);
    await this.play(side, music, true);
  }

  async play(side: CallSide, audio: PlaybackAudio, loop = false): Promise<void> {
    if (this.ended) return;
    await this.call.media.play?.(side, audio, { loop }).catch(() => undefined);
  }

  /** Stops whatever plays into `side`; if the other phone still holds, its music goes on. */
  async stopAudio(side: CallSide): Promise<void> {
    if (this.ended) return;
    if (this.held.has(side === 'a' ? 'b' : 'a')) return this.playMusic(side);
    await this.call.media.stopPlayback?.(side).catch(() => undefined);
  }

  // ─── In-call codes ──────────────────────────────────────────────────────────────────────

  private onCode(side: CallSide, match: FeatureMatch): void {
    if (this.transfer || this.ended || match.argument === undefined) return;
    this.ctx.log(
      { callId: this.call.id, side, feature: match.feature, number: match.argument },
      'call: in-call code',
    );
    const run =
      match.feature === 'transfer-blind'
        ? blindTransfer(this, side, match.argument, undefined)
        : match.feature === 'transfer-attended'
          ? consultTransfer(this, side, match.argument)
          : undefined;
    void run?.catch((error: unknown) =>
      this.ctx.log({ callId: this.call.id, error: String(error) }, 'call: in-call transfer failed'),
    );
  }
}
