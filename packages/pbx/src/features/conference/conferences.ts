// The conference rooms of every tenant: a caller dialling `*8` + room (or `*8` alone: the room
// named after their extension) joins the room, opening it if needed (and owning it then); the
// owner and the API add parties by calling them, and control who is heard (conference-room.ts).
// Rooms live in this process's memory (NOTE: a multi-node PBX needs rooms pinned to one node).
import type { IncomingInvite, Session, SessionDescription } from '@switchboard/sip';
import type { PlaybackAudio, WebRtcLegHandle } from '../../call/media-port.ts';
import type { Extension, Tenant } from '../../store/directory.ts';
import { AppCall } from '../media-app/app-call.ts';
import type { AppContext } from '../media-app/app-context.ts';
import { ConferenceRoom, type ConferenceView, type InviteResult } from './conference-room.ts';

/** A phone in a call, as the call hands it over to a room. */
export interface ConferencePhone {
  readonly session: Session;
  readonly party: Extension;
  readonly local: SessionDescription | undefined;
  readonly webrtc?: WebRtcLegHandle | undefined;
}

/** Room numbers: 1 to 10 digits. */
export const ROOM_NUMBER = /^[0-9]{1,10}$/;

export interface ConferencesOptions {
  readonly musicOnHold: (tenantId: string) => Promise<PlaybackAudio>;
  /** Most participants per room (default 20). */
  readonly maxParticipants?: number;
}

export type ParticipantAction = 'mute' | 'unmute' | 'hold' | 'resume' | 'remove';
export type RoomAction = 'mute' | 'unmute' | 'hold' | 'resume' | 'end';

export class Conferences {
  private readonly rooms = new Map<string, ConferenceRoom>();
  private readonly opening = new Map<string, Promise<ConferenceRoom>>();
  private readonly max: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: ConferencesOptions,
  ) {
    this.max = options.maxParticipants ?? 20;
  }

  /** A caller dialled into `room`: answer and join (404 for a bad number, 486 when full). */
  async dialIn(
    invite: IncomingInvite,
    call: { tenant: Tenant; caller: Extension; room: string },
  ): Promise<void> {
    if (!ROOM_NUMBER.test(call.room)) {
      invite.reject(404, { reason: 'Not Found (no such conference room)' });
      return;
    }
    const existing = this.get(call.tenant.id, call.room);
    if (existing && existing.participants.size >= this.max) {
      invite.reject(486, { reason: 'Busy Here (the conference is full)' });
      return;
    }
    const room = existing ?? (await this.open(call.tenant, call.room));
    const answered = await AppCall.answer(
      this.ctx,
      invite,
      { tenant: call.tenant, caller: call.caller, callee: `conference:${call.room}` },
      { near: room.bridge },
    );
    if (!answered) {
      if (room.participants.size === 0) await this.closeEmpty(room);
      return;
    }
    if (!room.open) {
      // The room ended while this call was being answered.
      await answered.hangup('conference_ended');
      return;
    }
    await room.add(answered, call.caller);
  }

  /**
   * Moves a phone that is in a call into `room` (opening it): the call's move into a conference
   * (REFER to the conference code, features/conference-transfer.ts). False when it could not.
   */
  async adopt(
    tenant: Tenant,
    roomNumber: string,
    phone: ConferencePhone,
    options: { readonly owner: boolean },
  ): Promise<boolean> {
    if (!ROOM_NUMBER.test(roomNumber)) return false;
    const existing = this.get(tenant.id, roomNumber);
    if (existing && existing.participants.size >= this.max) return false;
    const room = existing ?? (await this.open(tenant, roomNumber));
    const call = await AppCall.adopt(
      this.ctx,
      phone,
      { tenant, caller: phone.party, callee: `conference:${roomNumber}` },
      { near: room.bridge },
    ).catch(() => undefined);
    if (!call) {
      if (room.participants.size === 0) await this.closeEmpty(room);
      return false;
    }
    if (!room.open) {
      await call.hangup('conference_ended');
      return false;
    }
    await room.add(call, phone.party, { owner: options.owner });
    return true;
  }

  /** The tenant's open rooms. */
  list(tenantId: string): ConferenceView[] {
    return [...this.rooms.values()].filter((r) => r.tenant.id === tenantId).map((r) => r.view());
  }

  get(tenantId: string, room: string): ConferenceRoom | undefined {
    return this.rooms.get(key(tenantId, room));
  }

  /**
   * Calls `extension` into `room` (opening the room when the API invites into an empty one).
   * Resolves once the party answered and joined, or with the status that ended the attempt.
   */
  async invite(tenant: Tenant, roomNumber: string, extension: string, by?: Extension): Promise<InviteResult> {
    if (!ROOM_NUMBER.test(roomNumber)) return { ok: false, status: 404, reason: 'no such conference room' };
    const target = await this.ctx.directory.findExtension(tenant.id, extension);
    if (!target?.enabled) return { ok: false, status: 404, reason: 'no such extension' };
    const room = this.get(tenant.id, roomNumber) ?? (await this.open(tenant, roomNumber));
    return this.dialInto(room, target, by);
  }

  async participantAction(
    tenantId: string,
    roomNumber: string,
    participantId: string,
    action: ParticipantAction,
  ): Promise<boolean> {
    const room = this.get(tenantId, roomNumber);
    if (!room) return false;
    switch (action) {
      case 'mute':
      case 'unmute':
        return room.setMuted(participantId, action === 'mute');
      case 'hold':
      case 'resume':
        return room.setHeld(participantId, action === 'hold');
      case 'remove':
        return room.remove(participantId, true);
    }
  }

  /** Acts on everyone (but the owner, for mute and hold: the owner keeps the floor). */
  async roomAction(tenantId: string, roomNumber: string, action: RoomAction): Promise<boolean> {
    const room = this.get(tenantId, roomNumber);
    if (!room) return false;
    switch (action) {
      case 'mute':
      case 'unmute':
        await room.muteAll(action === 'mute', room.owner);
        return true;
      case 'hold':
      case 'resume':
        await room.holdAll(action === 'hold', room.owner);
        return true;
      case 'end':
        await room.end();
        return true;
    }
  }

  /** Ends every room (shutdown). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((r) => r.end()));
  }

  private async dialInto(
    room: ConferenceRoom,
    target: Extension,
    by: Extension | undefined,
  ): Promise<InviteResult> {
    if (room.participants.size >= this.max)
      return { ok: false, status: 486, reason: 'the conference is full' };
    const from = by ?? {
      tenantId: room.tenant.id,
      username: room.number,
      displayName: `Conference ${room.number}`,
      enabled: true,
    };
    const dialled = await AppCall.dial(this.ctx, {
      tenant: room.tenant,
      target,
      from,
      callee: target.username,
      near: room.bridge,
    }).catch((error: unknown) => ({ ok: false as const, status: 503, reason: String(error) }));
    if (!dialled.ok) {
      if (room.participants.size === 0) await this.closeEmpty(room);
      return dialled;
    }
    if (!room.open) {
      await dialled.call.hangup('conference_ended');
      return { ok: false, status: 487, reason: 'the conference ended' };
    }
    const p = await room.add(dialled.call, target, { owner: false });
    return { ok: true, participant: p.id };
  }

  private open(tenant: Tenant, number: string): Promise<ConferenceRoom> {
    const k = key(tenant.id, number);
    const pending = this.opening.get(k);
    if (pending) return pending;
    const opening = (async () => {
      const bridge = await this.ctx.endpoints.createBridge();
      const room = new ConferenceRoom(
        tenant,
        number,
        bridge,
        {
          clock: this.ctx.clock,
          musicOnHold: this.options.musicOnHold,
          invite: (r, extension, by) => this.invite(r.tenant, r.number, extension, by),
          log: this.ctx.log,
        },
        (r) => {
          if (this.rooms.get(k) === r) this.rooms.delete(k);
        },
        this.ctx.now(),
      );
      this.rooms.set(k, room);
      return room;
    })().finally(() => this.opening.delete(k));
    this.opening.set(k, opening);
    return opening;
  }

  private async closeEmpty(room: ConferenceRoom): Promise<void> {
    if (room.participants.size > 0) return;
    await room.end();
  }
}

const key = (tenantId: string, room: string): string => `${tenantId}\u0000${room}`;
