// The PBX's per-user services as the softphone sees them (issue 7), beside the engine that
// makes the calls: each line's Do Not Disturb and forwarding (the PBX applies them to every
// device of the extension), the PBX's call history merged into Recents, voicemail messages and
// the message-waiting count (SIP MWI subscription per line, RFC 3842), and on-demand recording
// of the call going on. All through the device-scoped API with the device token.
//
// Freshness: everything is read when the app starts, when the configuration changes, after
// each call, and every POLL_MS while the app is visible (a DND set by *78 on a desk phone shows
// within that time, and so does a recording the other party started with *1); voicemail counts
// arrive at once by SIP NOTIFY on lines that subscribed.
import type {
  CallHistoryEntry,
  CallSettingsPatchRequest,
  CallSettingsView,
  DeviceLiveCall,
  DeviceVoicemailMessage,
  List,
} from '@switchboard/contracts';
import { CallPhase } from '../calls/call-phase.ts';
import type { CallSnapshot } from '../calls/call.ts';
import type { AppLog } from '../log/app-log.ts';
import { sameNumber } from '../model/phone-numbers.ts';
import { fromServerEntry, type CallRecord } from '../model/recents.ts';
import { LineStatus } from '../sip/line-status.ts';
import type { SipLine } from '../sip/sip-line.ts';
import type { AppStores } from '../storage/app-stores.ts';
import { LocalStore } from '../storage/local-store.ts';
import { MwiSubscription, type MessageCounts } from '../voicemail/mwi-subscription.ts';
import { DeviceApi, DeviceApiError } from './device-api.ts';
import type { LineView, PhoneSnapshot } from './phone-engine.ts';

export const POLL_MS = 10_000;
const HISTORY_LIMIT = 200;

export interface ServicesSnapshot {
  /** Lines whose DND and forwarding the PBX keeps (by account id). */
  readonly settings: Readonly<Record<string, CallSettingsView>>;
  /** Lines without PBX call settings (another provider): the app's own DND/forwarding apply. */
  readonly localOnly: Readonly<Record<string, true>>;
  /** Voicemail counts by account id. */
  readonly counts: Readonly<Record<string, MessageCounts>>;
  /** Lines whose counts come by SIP NOTIFY. */
  readonly mwi: Readonly<Record<string, true>>;
  readonly messages: readonly DeviceVoicemailMessage[];
  /** The PBX's history as Recents records (merged with the device's by mergeRecords). */
  readonly history: readonly CallRecord[];
  /** Calls (app call id) the PBX is recording now. */
  readonly recording: Readonly<Record<string, boolean>>;
}

/** What the services need from the engine: its snapshot and its SIP lines. */
export interface ServicesHost {
  subscribe(listener: () => void): () => void;
  getSnapshot(): PhoneSnapshot;
  sipLine(accountId: string): SipLine | undefined;
}

const EMPTY: ServicesSnapshot = {
  settings: {},
  localOnly: {},
  counts: {},
  mwi: {},
  messages: [],
  history: [],
  recording: {},
};

export class PbxServices {
  private snapshot: ServicesSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private readonly api: DeviceApi;
  private readonly subscriptions = new Map<string, { ua: unknown; mwi: MwiSubscription }>();
  private readonly seenCalls = new Map<string, CallPhase>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: Array<() => void> = [];
  private started = false;
  /** PBX records deleted from Recents on this device. */
  readonly hidden = new LocalStore<string[]>('switchboard.phone.hiddenPbxCalls', []);

  constructor(
    private readonly stores: AppStores,
    private readonly log: AppLog,
    origin: string,
    private readonly host: ServicesHost,
  ) {
    this.api = new DeviceApi(origin, () => stores.device.get()?.token);
  }

  // ─── React side ─────────────────────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ServicesSnapshot => this.snapshot;

  private set(change: Partial<ServicesSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  // ─── Life ───────────────────────────────────────────────────────────────────────────────

  start(): void {
    if (this.started) return;
    this.started = true;
    let configVersion = this.stores.device.get()?.config.version;
    this.unsubscribe = [
      this.host.subscribe(() => this.engineChanged()),
      this.stores.device.subscribe(() => {
        const version = this.stores.device.get()?.config.version;
        if (version !== undefined && version !== configVersion) {
          configVersion = version;
          void this.refresh();
        }
      }),
    ];
    const onVisible = () => document.visibilityState === 'visible' && void this.refresh();
    document.addEventListener('visibilitychange', onVisible);
    this.unsubscribe.push(() => document.removeEventListener('visibilitychange', onVisible));
    this.timer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.refresh();
    }, POLL_MS);
    this.engineChanged();
    void this.refresh();
  }

  stop(): void {
    this.started = false;
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    for (const { mwi } of this.subscriptions.values()) mwi.stop();
    this.subscriptions.clear();
    this.seenCalls.clear();
    this.set(EMPTY);
  }

  /** Reads everything again (settings, history, voicemail); failures are logged, not thrown. */
  async refresh(): Promise<void> {
    if (!this.started) return;
    await Promise.all([
      this.refreshSettings(),
      this.refreshHistory(),
      this.refreshVoicemail(),
      this.refreshRecording(),
    ]);
  }

  private lines(): readonly LineView[] {
    return this.host.getSnapshot().lines;
  }

  private quietly(what: string, error: unknown): void {
    if (this.started) this.log.warn('services', `${what} failed`, { error: String(error) });
  }

  // ─── Do Not Disturb and forwarding ──────────────────────────────────────────────────────

  /** Whether the PBX applies this line's DND and forwarding (else the app does, locally). */
  handlesCallSettings(accountId: string): boolean {
    return this.snapshot.settings[accountId] !== undefined;
  }

  private async refreshSettings(): Promise<void> {
    const settings: Record<string, CallSettingsView> = {};
    const localOnly: Record<string, true> = {};
    await Promise.all(
      this.lines().map(async (line) => {
        try {
          settings[line.id] = await this.api.json<CallSettingsView>(
            'GET',
            `/provisioning/call-settings?accountId=${encodeURIComponent(line.id)}`,
          );
        } catch (error) {
          // 400: not an extension of the built-in PBX; 404: a PBX without the endpoint.
          if (error instanceof DeviceApiError && (error.status === 400 || error.status === 404))
            localOnly[line.id] = true;
          else if (this.snapshot.settings[line.id]) settings[line.id] = this.snapshot.settings[line.id]!;
          this.quietly('call settings', error);
        }
      }),
    );
    this.set({ settings, localOnly });
  }

  /** PATCH one line's settings on the PBX; the answer is what the PBX now applies. */
  async updateSettings(accountId: string, patch: CallSettingsPatchRequest): Promise<CallSettingsView> {
    const view = await this.api.json<CallSettingsView>(
      'PATCH',
      `/provisioning/call-settings?accountId=${encodeURIComponent(accountId)}`,
      patch,
    );
    this.set({ settings: { ...this.snapshot.settings, [accountId]: view } });
    return view;
  }

  // ─── History ────────────────────────────────────────────────────────────────────────────

  private async refreshHistory(): Promise<void> {
    try {
      const { items } = await this.api.json<{ items: CallHistoryEntry[] }>(
        'GET',
        `/provisioning/call-history?limit=${HISTORY_LIMIT}`,
      );
      const lineIds = new Map(this.lines().map((l) => [l.username, l.id]));
      this.set({ history: items.map((e) => fromServerEntry(e, lineIds)) });
    } catch (error) {
      this.quietly('call history', error);
    }
  }

  /** Deletes a PBX record from this device's Recents (the PBX keeps it). */
  hide(recordId: string): void {
    this.hidden.set((ids) => [...new Set([recordId, ...ids])].slice(0, 2000));
  }

  // ─── Voicemail ──────────────────────────────────────────────────────────────────────────

  async refreshVoicemail(): Promise<void> {
    try {
      const [{ items }, counts] = await Promise.all([
        this.api.json<List<DeviceVoicemailMessage>>('GET', '/provisioning/voicemail/messages'),
        this.api.json<{ lines: { extension: string; newMessages: number; oldMessages: number }[] }>(
          'GET',
          '/provisioning/voicemail',
        ),
      ]);
      const byLine: Record<string, MessageCounts> = {};
      for (const line of this.lines()) {
        const c = counts.lines.find((x) => x.extension === line.username);
        if (c) byLine[line.id] = { newMessages: c.newMessages, oldMessages: c.oldMessages };
      }
      this.set({ messages: items, counts: byLine });
    } catch (error) {
      this.quietly('voicemail', error);
    }
  }

  /** Total new messages over every line (the badge). */
  newMessages(): number {
    return Object.values(this.snapshot.counts).reduce((n, c) => n + c.newMessages, 0);
  }

  async markHeard(message: DeviceVoicemailMessage, heard = true): Promise<void> {
    if ((message.folder === 'saved') === heard) return;
    await this.api.json('PATCH', `/provisioning/voicemail/messages/${message.id}`, {
      folder: heard ? 'saved' : 'new',
    });
    await this.refreshVoicemail();
  }

  async deleteMessage(message: DeviceVoicemailMessage): Promise<void> {
    await this.api.json('DELETE', `/provisioning/voicemail/messages/${message.id}`);
    await this.refreshVoicemail();
  }

  /** An object URL of the audio at `audioUrl` (a message or a recording) for <audio>. */
  audio(audioUrl: string): Promise<string> {
    return this.api.objectUrl(audioUrl);
  }

  /** Subscribes each connected line to its mailbox (again after a reconnect: a new UA). */
  private followMwi(): void {
    const connected = new Set<string>();
    for (const line of this.lines()) {
      const ua = this.host.sipLine(line.id)?.ua;
      if (line.status !== LineStatus.Connected || !ua) continue;
      connected.add(line.id);
      const current = this.subscriptions.get(line.id);
      if (current?.ua === ua) continue;
      current?.mwi.stop();
      const sip = this.host.sipLine(line.id)!;
      const mwi = new MwiSubscription(
        { ua, aor: sip.aor, destination: sip.destination },
        (counts) => this.onCounts(line.id, counts),
        this.log,
      );
      this.subscriptions.set(line.id, { ua, mwi });
      mwi.start();
    }
    for (const [id, { mwi }] of this.subscriptions)
      if (!connected.has(id)) {
        mwi.stop();
        this.subscriptions.delete(id);
      }
  }

  private onCounts(accountId: string, counts: MessageCounts): void {
    const before = this.snapshot.counts[accountId];
    this.log.info('voicemail', 'message summary', { accountId, ...counts });
    this.set({
      counts: { ...this.snapshot.counts, [accountId]: counts },
      mwi: { ...this.snapshot.mwi, [accountId]: true },
    });
    if (before?.newMessages !== counts.newMessages || before.oldMessages !== counts.oldMessages)
      void this.refreshVoicemail();
  }

  // ─── Recording ──────────────────────────────────────────────────────────────────────────

  /**
   * Starts or stops the PBX recording the call: finds it among the line's live calls (by
   * extension and the other party's number) and switches it. Returns whether it records now.
   */
  async setRecording(call: CallSnapshot, on: boolean): Promise<boolean> {
    const { items } = await this.api.json<List<DeviceLiveCall>>('GET', '/provisioning/live-calls');
    const live = this.liveCallOf(call, items);
    if (!live) throw new Error('the PBX does not know this call');
    const result = await this.api.json<{ recording: boolean }>(
      'PUT',
      `/provisioning/live-calls/${encodeURIComponent(live.callId)}/recording`,
      { recording: on },
    );
    this.set({ recording: { ...this.snapshot.recording, [call.id]: result.recording } });
    return result.recording;
  }

  /** The PBX's live call for one of ours: the line's extension and the other party's number. */
  private liveCallOf(call: CallSnapshot, items: readonly DeviceLiveCall[]): DeviceLiveCall | undefined {
    const line = this.lines().find((l) => l.id === call.lineId);
    if (!line) return undefined;
    return items.find((c) =>
      call.direction === 'outbound'
        ? c.caller === line.username && sameNumber(c.callee, call.number)
        : c.callee === line.username && sameNumber(c.caller, call.number),
    );
  }

  /** During calls: whether the PBX records them (the other party may have keyed *1). */
  private async refreshRecording(): Promise<void> {
    const active = this.host.getSnapshot().calls.filter((c) => c.phase === CallPhase.Active);
    if (active.length === 0) return;
    try {
      const { items } = await this.api.json<List<DeviceLiveCall>>('GET', '/provisioning/live-calls');
      const recording = { ...this.snapshot.recording };
      for (const call of active) {
        const live = this.liveCallOf(call, items);
        if (live) recording[call.id] = live.recording;
      }
      this.set({ recording });
    } catch (error) {
      this.quietly('live calls', error);
    }
  }

  // ─── Engine changes ─────────────────────────────────────────────────────────────────────

  private engineChanged(): void {
    if (!this.started) return;
    this.followMwi();
    // A call that ended: the PBX's record (and recordings) exist a moment later.
    let ended = false;
    const recording = { ...this.snapshot.recording };
    for (const call of this.host.getSnapshot().calls) {
      const before = this.seenCalls.get(call.id);
      if (before !== call.phase && call.phase === CallPhase.Ended) {
        ended = true;
        delete recording[call.id];
      }
      this.seenCalls.set(call.id, call.phase);
    }
    const present = new Set(this.host.getSnapshot().calls.map((c) => c.id));
    for (const id of this.seenCalls.keys()) if (!present.has(id)) this.seenCalls.delete(id);
    if (ended) {
      this.set({ recording });
      for (const ms of [1_500, 5_000]) setTimeout(() => void this.refreshHistory(), ms);
    }
  }
}
