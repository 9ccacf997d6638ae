// One conference room: a mixing bridge (each participant hears everyone but themselves) and the
// calls in it. The owner — who opened the room — adds parties by dialling them (the PBX calls
// the extension and joins it), and controls everyone: mute, hold (with music), remove, and the
// same for the whole room, or ends it. Keys on the phone (RFC 4733) do the same as the API:
//
//   1            mute / unmute yourself (anyone)
//   2            owner: mute / unmute everyone else
//   3            owner: hold / resume everyone else
//   * ext #      owner: call extension `ext` into the conference
//   9            owner: end the conference for everyone
import type { PlaybackAudio } from '../../call/media-port.ts';
import type { Extension, Tenant } from '../../store/directory.ts';
import type { AppCall } from '../media-app/app-call.ts';
import type { MediaBridgeHandle } from '../media-app/endpoint-port.ts';
import { ALONE, JOINED, MUTED, UNMUTED } from '../media-app/prompts.ts';

export interface Participant {
  /** The participant's call (its SIP Call-ID). */
  readonly id: string;
  readonly extension: string;
  readonly name: string;
  readonly party: Extension;
  readonly owner: boolean;
  readonly joinedAt: Date;
  muted: boolean;
  /** Held by the owner or the API (hears music, is not heard). */
  held: boolean;
  /** The phone itself put the call on hold. */
  phoneHeld: boolean;
  readonly call: AppCall;
  /** What the room plays to it now. */
  playing: 'music' | 'alone' | undefined;
  /** Keys of a `*` command being typed. */
  command: string | undefined;
  commandTimer: { cancel(): void } | undefined;
}

export interface ParticipantView {
  readonly id: string;
  readonly extension: string;
  readonly name: string;
  readonly owner: boolean;
  readonly muted: boolean;
  readonly held: boolean;
  readonly joinedAt: string;
}

export interface ConferenceView {
  readonly room: string;
  readonly owner: string | undefined;
  readonly startedAt: string;
  readonly participants: ParticipantView[];
}

export interface RoomServices {
  readonly clock: { setTimer(ms: number, fn: () => void): { cancel(): void } };
  readonly musicOnHold: (tenantId: string) => Promise<PlaybackAudio>;
  /** Calls `extension` into the room on behalf of `by`. */
  readonly invite: (room: ConferenceRoom, extension: string, by: Extension) => Promise<InviteResult>;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
}

export type InviteResult =
  | { readonly ok: true; readonly participant: string }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/** A pause this long ends a `*` command. */
const COMMAND_TIMEOUT_MS = 4000;

export class ConferenceRoom {
  readonly participants = new Map<string, Participant>();
  readonly startedAt: Date;
  owner: string | undefined;
  private closed = false;

  constructor(
    readonly tenant: Tenant,
    readonly number: string,
    readonly bridge: MediaBridgeHandle,
    private readonly services: RoomServices,
    private readonly onClosed: (room: ConferenceRoom) => void,
    now: Date,
  ) {
    this.startedAt = now;
  }

  get open(): boolean {
    return !this.closed;
  }

  /** Puts an answered call into the room; the first participant (or `owner`) owns it. */
  async add(
    call: AppCall,
    party: Extension,
    options: { readonly owner?: boolean } = {},
  ): Promise<Participant> {
    const owner = options.owner ?? this.owner === undefined;
    const p: Participant = {
      id: call.id,
      extension: party.username,
      name: party.displayName ?? '',
      party,
      owner,
      joinedAt: new Date(),
      muted: false,
      held: false,
      phoneHeld: call.held,
      call,
      playing: undefined,
      command: undefined,
      commandTimer: undefined,
    };
    if (owner) this.owner = p.id;
    this.participants.set(p.id, p);
    call.digits.listener = (digit) => this.onDigit(p, digit);
    call.events = {
      onHold: (held) => {
        p.phoneHeld = held;
        void this.apply(p);
      },
      onEnded: () => void this.remove(p.id),
    };
    await this.bridge.join(call.endpoint, this.memberState(p));
    this.services.log({ room: this.number, participant: p.extension, owner }, 'conference: joined');
    // The others hear a short rising tone; then everyone's music/alone state is refreshed.
    for (const other of this.participants.values())
      if (other !== p && other.playing === undefined && !other.held) void other.call.play(JOINED);
    await this.refresh();
    return p;
  }

  /** Takes a participant out (it hung up, or was removed: then it gets BYE). */
  async remove(id: string, hangup = false): Promise<boolean> {
    const p = this.participants.get(id);
    if (!p) return false;
    this.participants.delete(id);
    p.commandTimer?.cancel();
    await this.bridge.leave(p.call.endpoint).catch(() => undefined);
    if (hangup) await p.call.hangup('removed', 'system');
    this.services.log({ room: this.number, participant: p.extension }, 'conference: left');
    if (this.owner === id) {
      // The longest-present participant takes over.
      const next = [...this.participants.values()].sort((a, b) => +a.joinedAt - +b.joinedAt)[0];
      this.owner = next?.id;
    }
    if (this.participants.size === 0) await this.close();
    else await this.refresh();
    return true;
  }

  async setMuted(id: string, muted: boolean): Promise<boolean> {
    const p = this.participants.get(id);
    if (!p) return false;
    p.muted = muted;
    await this.apply(p);
    return true;
  }

  async setHeld(id: string, held: boolean): Promise<boolean> {
    const p = this.participants.get(id);
    if (!p) return false;
    p.held = held;
    await this.apply(p);
    return true;
  }

  /** Mutes (or holds) everyone, or everyone but `except` (the owner keeps talking). */
  async muteAll(muted: boolean, except?: string): Promise<void> {
    for (const p of this.participants.values()) if (p.id !== except) p.muted = muted;
    await Promise.all([...this.participants.values()].map((p) => this.apply(p)));
  }

  async holdAll(held: boolean, except?: string): Promise<void> {
    for (const p of this.participants.values()) if (p.id !== except) p.held = held;
    await Promise.all([...this.participants.values()].map((p) => this.apply(p)));
  }

  /** Ends the conference: everyone gets BYE. */
  async end(): Promise<void> {
    await Promise.all([...this.participants.keys()].map((id) => this.remove(id, true)));
    await this.close();
  }

  view(): ConferenceView {
    return {
      room: this.number,
      owner: this.owner && this.participants.get(this.owner)?.extension,
      startedAt: this.startedAt.toISOString(),
      participants: [...this.participants.values()].map((p) => ({
        id: p.id,
        extension: p.extension,
        name: p.name,
        owner: p.id === this.owner,
        muted: p.muted,
        held: p.held || p.phoneHeld,
        joinedAt: p.joinedAt.toISOString(),
      })),
    };
  }

  // ─── Keys ───────────────────────────────────────────────────────────────────────────────

  private onDigit(p: Participant, digit: string): void {
    const owner = p.id === this.owner;
    if (p.command !== undefined) {
      p.commandTimer?.cancel();
      if (digit === '#') return this.runCommand(p);
      if (/^[0-9]$/.test(digit)) {
        p.command += digit;
        p.commandTimer = this.services.clock.setTimer(COMMAND_TIMEOUT_MS, () => this.runCommand(p));
      } else p.command = undefined;
      return;
    }
    switch (digit) {
      case '1':
        void this.setMuted(p.id, !p.muted).then(() => p.call.play(p.muted ? MUTED : UNMUTED));
        return;
      case '2':
        if (owner) void this.muteAll(!this.othersAll(p, 'muted'), p.id);
        return;
      case '3':
        if (owner) void this.holdAll(!this.othersAll(p, 'held'), p.id);
        return;
      case '9':
        if (owner) void this.end();
        return;
      case '*':
        if (!owner) return;
        p.command = '';
        p.commandTimer = this.services.clock.setTimer(COMMAND_TIMEOUT_MS, () => (p.command = undefined));
        return;
      default:
    }
  }

  private othersAll(p: Participant, what: 'muted' | 'held'): boolean {
    const others = [...this.participants.values()].filter((o) => o !== p);
    return others.length > 0 && others.every((o) => o[what]);
  }

  private runCommand(p: Participant): void {
    const number = p.command;
    p.command = undefined;
    p.commandTimer?.cancel();
    if (!number) return;
    void this.services
      .invite(this, number, p.party)
      .then((result) =>
        this.services.log(
          { room: this.number, by: p.extension, number, ok: result.ok },
          'conference: invite by key',
        ),
      );
  }

  // ─── Media state ────────────────────────────────────────────────────────────────────────

  private memberState(p: Participant): { muted: boolean; held: boolean } {
    return { muted: p.muted, held: p.held || p.phoneHeld };
  }

  /** Applies a participant's state to the bridge and to what it hears. */
  private async apply(p: Participant): Promise<void> {
    if (!this.participants.has(p.id)) return;
    await this.bridge.update(p.call.endpoint, this.memberState(p)).catch(() => undefined);
    await this.playFor(p);
  }

  private async refresh(): Promise<void> {
    await Promise.all([...this.participants.values()].map((p) => this.playFor(p)));
  }

  /** Music while held, a soft tone while alone, else the conference itself. */
  private async playFor(p: Participant): Promise<void> {
    const want = p.held ? 'music' : this.participants.size === 1 ? 'alone' : undefined;
    if (want === p.playing) return;
    p.playing = want;
    if (want === 'music') {
      const music = await this.services.musicOnHold(this.tenant.id);
      if (p.playing === 'music')
        void p.call.play([{ samples: music.samples, sampleRate: music.sampleRate }], { loop: true });
    } else if (want === 'alone') void p.call.play(ALONE, { loop: true });
    else await p.call.stopPlayback();
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.bridge.close().catch(() => undefined);
    this.onClosed(this);
  }
}
