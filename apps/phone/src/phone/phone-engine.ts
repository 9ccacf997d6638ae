// The phone without its face: the device's lines (from the provisioning configuration), the
// calls on them, and what the user does to them. React reads `getSnapshot()` through
// useSyncExternalStore; every action is a method here, so the drag gestures, the buttons and
// the keyboard all end in the same place.
import { applyDialingRules, type DeviceConfig, type ProvisionedAccount } from '@switchboard/contracts';
import type { IncomingInvite } from '@switchboard/sip';
import { Call, type CallContext, type CallSnapshot } from '../calls/call.ts';
import { CallPhase } from '../calls/call-phase.ts';
import { ConferenceMixer } from '../calls/conference-mixer.ts';
import { ConferenceRoomClient } from '../calls/conference-room.ts';
import type { AppLog } from '../log/app-log.ts';
import { ProvisioningClient } from '../provisioning/provisioning-client.ts';
import type { LineStatus } from '../sip/line-status.ts';
import { SipLine } from '../sip/sip-line.ts';
import type { AppStores, DeviceState } from '../storage/app-stores.ts';
import { CallAlerts } from './call-alerts.ts';
import { DeviceApi } from './device-api.ts';
import { recordEndedCall } from './call-history.ts';
import { PbxServices } from './pbx-services.ts';

export const APP_VERSION = '0.1.0';
export const MAX_LINES = 4;
/** The PBX's conference feature code (the default of docs/feature-codes.md). */
/** The PBX's default conference code, for servers whose configuration does not name it. */
const CONFERENCE_CODE = '*8';

export interface LineView {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly domain: string;
  readonly displayName: string;
  readonly status: LineStatus;
  readonly failure: string | undefined;
  readonly manualPassword: boolean;
  readonly needsPassword: boolean;
  readonly dialingRules: string;
}

export interface PhoneSnapshot {
  readonly lines: readonly LineView[];
  readonly calls: readonly CallSnapshot[];
  /** The provisioning live channel is open. */
  readonly live: boolean;
  /** Something the user should read (a failed transfer, a refused microphone). */
  readonly notice: string | undefined;
}

export interface PhoneEngineOptions {
  readonly stores: AppStores;
  readonly log: AppLog;
  /** The server the app came from: `https://pbx.example` (API and SIP WebSocket). */
  readonly origin: string;
  readonly os: string;
  readonly onSignedOut: (reason: string) => void;
}

export class PhoneEngine {
  private lines: SipLine[] = [];
  private calls: Call[] = [];
  private provisioning: ProvisioningClient | undefined;
  private readonly listeners = new Set<() => void>();
  private snapshot: PhoneSnapshot = { lines: [], calls: [], live: false, notice: undefined };
  private live = false;
  private notice: string | undefined;
  private readonly mixer = new ConferenceMixer();
  /** The PBX conference rooms our calls own (calls/conference-room.ts), by call id. */
  private readonly rooms = new Map<string, ConferenceRoomClient>();
  private readonly conferenceApi: DeviceApi;
  private readonly recorded = new Set<string>();
  readonly alerts: CallAlerts;
  /** The PBX's DND/forwarding, history, voicemail and recording for these lines (issue 7). */
  readonly services: PbxServices;

  constructor(private readonly options: PhoneEngineOptions) {
    this.conferenceApi = new DeviceApi(options.origin, () => options.stores.device.get()?.token);
    this.services = new PbxServices(options.stores, options.log, options.origin, this);
    this.alerts = new CallAlerts(options.stores, options.log, (callId, action) =>
      action === 'answer' ? void this.answer(callId) : this.decline(callId),
    );
  }

  // ─── React side ─────────────────────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PhoneSnapshot => this.snapshot;

  private changed(): void {
    this.snapshot = {
      lines: this.lines.map((line) => this.lineView(line)),
      calls: this.calls.map((call) => call.snapshot()),
      live: this.live,
      notice: this.notice,
    };
    for (const listener of [...this.listeners]) listener();
  }

  private lineView(line: SipLine): LineView {
    const a = line.account;
    return {
      id: a.id,
      name: a.name,
      username: a.username,
      domain: a.domain,
      displayName: a.displayName,
      status: line.status,
      failure: line.failure,
      manualPassword: a.manualPassword,
      // No password typed yet, or the server refused the one typed (401/403): ask for it.
      needsPassword:
        a.manualPassword &&
        (!this.options.stores.passwords.get()[a.id] || /^(401|403)\b/.test(line.failure ?? '')),
      dialingRules: a.dialingRules,
    };
  }

  // ─── Device and lines ───────────────────────────────────────────────────────────────────

  /** Starts with an activated device: provisioning channel, heartbeats, and every line. */
  start(device: DeviceState): void {
    this.provisioning?.stop();
    this.provisioning = new ProvisioningClient(
      this.options.origin,
      device.token,
      device.config,
      APP_VERSION,
      {
        onConfig: (config) => this.applyConfig(config),
        onDeactivated: (reason) => void this.signOut(reason),
        onLive: (connected) => {
          this.live = connected;
          this.changed();
        },
      },
      this.options.log,
    );
    this.provisioning.start();
    this.applyConfig(device.config);
    this.services.start();
  }

  /** A new configuration: lines that changed restart, removed ones stop, new ones start. */
  applyConfig(config: DeviceConfig): void {
    const { stores } = this.options;
    const current = stores.device.get();
    if (current) stores.device.set({ ...current, config });
    const wanted = config.accounts.slice(0, MAX_LINES);
    const keep: SipLine[] = [];
    for (const line of this.lines) {
      const next = wanted.find((a) => a.id === line.id);
      if (next && JSON.stringify(next) === JSON.stringify(line.account)) keep.push(line);
      else void line.stop();
    }
    this.lines = wanted.map((account) => keep.find((l) => l.id === account.id) ?? this.startLine(account));
    const selected = stores.settings.get().selectedLineId;
    if (!selected || !this.lines.some((l) => l.id === selected))
      stores.settings.set((s) => ({ ...s, selectedLineId: this.lines[0]?.id }));
    this.changed();
    this.reportLines();
  }

  private startLine(account: ProvisionedAccount): SipLine {
    const origin = new URL(this.options.origin);
    const wsUrl = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}/`;
    const line = new SipLine({
      account,
      password: account.manualPassword ? this.options.stores.passwords.get()[account.id] : account.password,
      webSocketUrl: wsUrl,
      log: this.options.log,
      delegate: {
        onStatus: () => {
          this.changed();
          this.reportLines();
        },
        onInvite: (invite, from) => this.onInvite(invite, from),
      },
    });
    line.start();
    return line;
  }

  /** A line's SIP side (the services subscribe to its mailbox over it). */
  sipLine(accountId: string): SipLine | undefined {
    return this.lines.find((l) => l.id === accountId);
  }

  private reportLines(): void {
    void this.provisioning?.reportLines(this.lines.map((l) => ({ accountId: l.id, state: l.report })));
  }

  /** The password of a manual-password line (typed after activation or in Account Info). */
  setLinePassword(accountId: string, password: string): Promise<void> {
    this.options.stores.passwords.set((all) => ({ ...all, [accountId]: password }));
    const line = this.lines.find((l) => l.id === accountId);
    if (!line) return Promise.resolve();
    // Resolves once the line restarted with the new password (its registration then follows).
    return line.stop().then(() => {
      this.lines = this.lines.map((l) => (l === line ? this.startLine(line.account) : l));
      this.changed();
    });
  }

  /** Stops everything and forgets the device (reset in the portal, or the user signs out). */
  async signOut(reason: string): Promise<void> {
    const { stores, log } = this.options;
    log.info('app', 'signing out', { reason });
    this.provisioning?.stop();
    this.provisioning = undefined;
    this.services.stop();
    for (const call of this.calls) call.hangUp();
    await Promise.all(this.lines.map((l) => l.stop()));
    this.lines = [];
    this.calls = [];
    this.mixer.close();
    for (const room of this.rooms.values()) room.stop();
    this.rooms.clear();
    this.alerts.update([]);
    stores.device.set(null);
    stores.passwords.set({});
    this.changed();
    this.options.onSignedOut(reason);
  }

  // ─── Calls ──────────────────────────────────────────────────────────────────────────────

  private context(line: SipLine): CallContext {
    const s = this.options.stores.settings.get();
    return {
      line,
      devices: {
        ...(s.inputDeviceId && { inputDeviceId: s.inputDeviceId }),
        ...(s.outputDeviceId && { outputDeviceId: s.outputDeviceId }),
      },
      log: this.options.log,
      onChange: (call) => this.callChanged(call),
    };
  }

  private lineFor(lineId: string | undefined): SipLine | undefined {
    const id = lineId ?? this.options.stores.settings.get().selectedLineId;
    return this.lines.find((l) => l.id === id) ?? this.lines[0];
  }

  /** The number after the line's dialing rules (docs/dialing-rules.md). */
  dialString(number: string, lineId?: string): string {
    const line = this.lineFor(lineId);
    try {
      return line ? applyDialingRules(number, line.account.dialingRules) : number.trim();
    } catch {
      return number.trim();
    }
  }

  /** Places a call; with `conference`, the new call joins the calls already going on. */
  dial(
    number: string,
    options: { lineId?: string; name?: string; conference?: boolean } = {},
  ): string | undefined {
    const line = this.lineFor(options.lineId);
    const target = this.dialString(number, line?.id);
    if (!line || target === '') {
      this.setNotice(line ? 'Enter a number to call.' : 'No line is configured.');
      return undefined;
    }
    // Adding a party while talking: the PBX's conference bridge (the current call moves there).
    const talking = this.calls.find((c) => c.currentPhase === CallPhase.Active && !c.isHeld);
    if (options.conference && talking && talking.lineId === line.id) {
      void this.addToConference(talking, target);
      return talking.id;
    }
    if (!options.conference) {
      // Like any phone: a new call puts the current one on hold.
      for (const other of this.calls)
        if (other.currentPhase === CallPhase.Active && !other.isHeld) void other.setHeld(true);
    }
    const call = Call.dial(this.context(line), target, options.name);
    if (options.conference) this.markConference(call);
    this.calls = [...this.calls, call];
    this.options.log.info('call', 'dialing', { line: line.account.name, target });
    this.changed();
    return call.id;
  }

  private markConference(call: Call): void {
    call.setConference(true);
    for (const other of this.calls) if (other.currentPhase === CallPhase.Active) other.setConference(true);
  }

  private onInvite(invite: IncomingInvite, line: SipLine): void {
    const call = Call.receive(this.context(line), invite);
    const settings = this.options.stores.settings.get();
    this.calls = [...this.calls, call];
    // The PBX applies the line's DND and forwarding itself (PbxServices); these are the
    // app's own, for lines without PBX call settings.
    const local = !this.services.handlesCallSettings(line.id);
    if (local && settings.dnd) {
      // Do Not Disturb: the call is refused without ringing (it still shows in Recents).
      call.decline(480, 'declined', [['Reason', 'SIP;cause=480;text="Do Not Disturb"']]);
    } else if (local && settings.forwardEnabled && settings.forwardNumber.trim()) {
      // Call forwarding: 302 to the forwarding number, which the PBX follows (RFC 3261 §8.3).
      const target = line.targetUri(this.dialString(settings.forwardNumber, line.id));
      call.decline(302, 'forwarded', [['Contact', `<${target}>`]]);
    }
    // The ringtone and the system notification start with the ringing (call alerts).
    this.alerts.update(this.calls.map((c) => c.snapshot()));
    this.changed();
  }

  private callChanged(call: Call): void {
    if (call.currentPhase === CallPhase.Ended && !this.recorded.has(call.id)) {
      this.recorded.add(call.id);
      recordEndedCall(this.options.stores, call.snapshot());
      // Ended calls leave the screen after a moment (long enough to read why).
      setTimeout(() => {
        this.calls = this.calls.filter((c) => c !== call);
        this.changed();
      }, 1_500);
    }
    void this.mixer.update(
      this.calls.filter((c) => c.currentPhase === CallPhase.Active && c.snapshot().conference && !c.isHeld),
    );
    this.watchRooms();
    this.alerts.update(this.calls.map((c) => c.snapshot()));
    this.changed();
  }

  private find(callId: string): Call | undefined {
    return this.calls.find((c) => c.id === callId);
  }

  async answer(callId: string): Promise<void> {
    const call = this.find(callId);
    if (!call || call.currentPhase !== CallPhase.Ringing) return;
    // Answering a second call holds the first.
    for (const other of this.calls)
      if (other !== call && other.currentPhase === CallPhase.Active && !other.isHeld)
        void other.setHeld(true);
    await call.answer();
  }

  decline(callId: string): void {
    this.find(callId)?.decline();
  }

  hangUp(callId: string): void {
    this.find(callId)?.hangUp();
  }

  /** Hangs up every call (the Hang up button with nothing chosen). */
  hangUpAll(): void {
    for (const call of this.calls) if (call.currentPhase !== CallPhase.Ringing) call.hangUp();
  }

  hold(callId: string, held: boolean): Promise<void> {
    const call = this.find(callId);
    if (!call) return Promise.resolve();
    // Call waiting: resuming one call holds the others (swap), unless they are in a conference.
    if (!held)
      for (const other of this.calls)
        if (
          other !== call &&
          other.currentPhase === CallPhase.Active &&
          !other.isHeld &&
          !other.snapshot().conference
        )
          void other.setHeld(true);
    return call.setHeld(held);
  }

  mute(callId: string, muted: boolean): void {
    this.find(callId)?.setMuted(muted);
  }

  sendDtmf(callId: string, tones: string): void {
    this.find(callId)?.sendDtmf(tones);
  }

  async transfer(callId: string, number: string): Promise<boolean> {
    const call = this.find(callId);
    const line = call && this.lines.find((l) => l.id === call.lineId);
    if (!call || !line) return false;
    const ok = await call.transfer(line.targetUri(this.dialString(number, line.id)));
    if (!ok) this.setNotice(call.snapshot().reason ?? 'The transfer failed.');
    return ok;
  }

  /**
   * Attended transfer: connects the far ends of two of our calls (REFER on `callId` whose
   * Refer-To names `withCallId`'s party and dialog in Replaces, RFC 3891 / RFC 5589 §7); the PBX
   * joins them and releases both our legs. On failure both calls stay, with a notice.
   */
  async completeTransfer(callId: string, withCallId: string): Promise<boolean> {
    const call = this.find(callId);
    const other = this.find(withCallId);
    const line = call && this.lines.find((l) => l.id === call.lineId);
    const replaces = other?.replacesValue();
    if (!call || !other || !line || !replaces) return false;
    const uri = `${line.targetUri(other.number)}?Replaces=${encodeURIComponent(replaces)}`;
    const ok = await call.transfer(uri);
    if (ok) other.hangUp();
    else this.setNotice(call.snapshot().reason ?? 'The transfer failed.');
    return ok;
  }

  /**
   * Adds `target` to a conference on the PBX's mixing bridge (docs/conference.md): the first
   * time, `call` moves into the room named after our extension (REFER to `*8` + extension; we
   * own it); then the owner's key command `*` + number + `#` has the PBX call the party in.
   */
  private async addToConference(call: Call, target: string): Promise<void> {
    const line = this.lines.find((l) => l.id === call.lineId);
    if (!line) return;
    if (!call.snapshot().room) {
      const room = line.account.username;
      const code = this.options.stores.device.get()?.config.featureCodes?.['conference'] ?? CONFERENCE_CODE;
      const moved = await call.moveToConference(line.targetUri(`${code}${room}`), room);
      if (!moved) {
        this.setNotice(call.snapshot().reason ?? 'The conference could not be opened.');
        return;
      }
    }
    this.options.log.info('call', 'inviting into the conference', { target });
    call.sendDtmf(`*${target}#`);
  }

  /** One participant of a room we own: mute / hold (PATCH) or hang up (DELETE). */
  async participant(
    callId: string,
    participant: string,
    action: { readonly muted?: boolean; readonly held?: boolean } | 'remove',
  ): Promise<void> {
    const room = this.rooms.get(callId);
    if (!room) return;
    try {
      if (action === 'remove') await room.remove(participant);
      else await room.set(participant, action);
    } catch (error) {
      this.setNotice(`The conference refused: ${String(error)}`);
    }
  }

  /** Polls the room of each call that owns one; stops with the call. */
  private watchRooms(): void {
    for (const call of this.calls) {
      const { room } = call.snapshot();
      const watching = this.rooms.get(call.id);
      if (call.currentPhase === CallPhase.Ended || !room) {
        watching?.stop();
        this.rooms.delete(call.id);
      } else if (!watching) {
        const client = new ConferenceRoomClient(this.conferenceApi, room, (list) =>
          call.setParticipants(list),
        );
        this.rooms.set(call.id, client);
        client.start();
      }
    }
  }

  /**
   * The whole room: mute / hold everyone else, or end it — through the device API (the owner
   * keys `2`, `3`, `9` do the same from a desk phone, but a key is a toggle the app would have
   * to guess the state of).
   */
  async conferenceRoom(
    callId: string,
    action: { readonly muted?: boolean; readonly held?: boolean } | 'end',
  ): Promise<void> {
    const room = this.rooms.get(callId);
    if (!room) {
      // No room view (yet): the owner keys.
      if (action === 'end') this.find(callId)?.conferenceKey('9');
      return;
    }
    try {
      if (action === 'end') await room.end();
      else await room.setAll(action);
    } catch (error) {
      this.setNotice(`The conference refused: ${String(error)}`);
    }
  }

  setNotice(notice: string | undefined): void {
    this.notice = notice;
    this.changed();
  }

  /** New audio devices from Settings: applied to the calls going on and the ringer. */
  async devicesChanged(): Promise<void> {
    const s = this.options.stores.settings.get();
    await this.alerts.setOutput(s.ringerDeviceId ?? s.outputDeviceId);
    await Promise.all(
      this.calls.map((c) =>
        c.setDevices({
          ...(s.inputDeviceId && { inputDeviceId: s.inputDeviceId }),
          ...(s.outputDeviceId && { outputDeviceId: s.outputDeviceId }),
        }),
      ),
    );
  }
}
