// The PBX conference room a call of ours owns, as the app sees and controls it: its
// participants (polled while the call is in the room) and, per participant, mute / hold / hang
// up — the device-scoped routes `/provisioning/conferences/{room}` (docs/conference.md), which
// answer only for a room one of this device's lines owns.
import type { DeviceApi } from '../phone/device-api.ts';

export interface RoomParticipant {
  /** The participant's SIP Call-ID at the PBX. */
  readonly id: string;
  readonly extension: string;
  readonly name: string;
  readonly owner: boolean;
  readonly muted: boolean;
  readonly held: boolean;
}

interface RoomView {
  readonly room: string;
  readonly owner: string | undefined;
  readonly participants: readonly RoomParticipant[];
}

const POLL_MS = 1_500;

export class ConferenceRoomClient {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Requests are numbered; an answer older than one already shown is dropped (a poll that
   * started before a change must not undo it on the screen). */
  private issued = 0;
  private shown = 0;

  constructor(
    private readonly api: DeviceApi,
    readonly room: string,
    private readonly onParticipants: (participants: readonly RoomParticipant[]) => void,
  ) {}

  /** Polls the room's participants until stop(). */
  start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async refresh(): Promise<void> {
    const n = ++this.issued;
    try {
      const view = await this.api.json<RoomView>('GET', `/provisioning/conferences/${this.room}`);
      this.show(n, view.participants);
    } catch {
      // The room ended (404) or the network hiccupped: the call's own end tells the rest.
      this.show(n, []);
    }
  }

  async set(
    participant: string,
    patch: { readonly muted?: boolean; readonly held?: boolean },
  ): Promise<void> {
    const n = ++this.issued;
    const view = await this.api.json<RoomView>(
      'PATCH',
      `/provisioning/conferences/${this.room}/participants/${encodeURIComponent(participant)}`,
      patch,
    );
    this.show(n, view.participants);
  }

  /** Mutes or holds everyone but the owner. */
  async setAll(patch: { readonly muted?: boolean; readonly held?: boolean }): Promise<void> {
    const n = ++this.issued;
    const view = await this.api.json<RoomView>('PATCH', `/provisioning/conferences/${this.room}`, patch);
    this.show(n, view.participants);
  }

  /** Ends the conference: the PBX sends everyone BYE (our call ends with it). */
  async end(): Promise<void> {
    await this.api.json('DELETE', `/provisioning/conferences/${this.room}`);
  }

  private show(n: number, participants: readonly RoomParticipant[]): void {
    if (n < this.shown) return;
    this.shown = n;
    this.onParticipants(participants);
  }

  async remove(participant: string): Promise<void> {
    await this.api.json(
      'DELETE',
      `/provisioning/conferences/${this.room}/participants/${encodeURIComponent(participant)}`,
    );
    await this.refresh();
  }
}
