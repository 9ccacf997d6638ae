// Registration of the PBX at its providers (RFC 3261 §10.2): for every enabled trunk with
// `register`, a REGISTER binding our Contact (`sip:sb<trunk>@<our address>`, so inbound calls
// name the trunk) with digest authentication, refreshed at half the granted time, and retried
// with exponential backoff after a failure. States are published as PbxEvents (metrics, API).
//
//   idle ──start──▶ registering ──2xx──▶ registered ──refresh timer──▶ registering
//                       │  ▲
//                  ≥300/timeout
//                       ▼  │ backoff timer (30 s, 60 s, … 10 min)
//                     failed
//
// NOTE: each REGISTER gets a new Call-ID: the UA numbers CSeq per request, and §10.3 step 7
// lets a registrar update a binding with the same Contact under another Call-ID.
import {
  DigestClient,
  digestAuthenticator,
  type Clock,
  type Destination,
  type SipResponse,
  type TimerHandle,
  type TransportProtocol,
  type UserAgent,
} from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { PbxTrunk, TrunkDirectory } from './trunk.ts';
import { registrationUser } from './trunks.ts';

export enum TrunkRegistrationState {
  Idle = 'idle',
  Registering = 'registering',
  Registered = 'registered',
  Failed = 'failed',
  Stopped = 'stopped',
}

const S = TrunkRegistrationState;
const TRANSITIONS: Record<TrunkRegistrationState, readonly TrunkRegistrationState[]> = {
  [S.Idle]: [S.Registering, S.Stopped],
  [S.Registering]: [S.Registered, S.Failed, S.Stopped],
  [S.Registered]: [S.Registering, S.Stopped],
  [S.Failed]: [S.Registering, S.Stopped],
  [S.Stopped]: [],
};

export interface TrunkRegistrationOptions {
  readonly ua: UserAgent;
  readonly directory: TrunkDirectory;
  readonly clock: Clock;
  readonly events: PbxEventBus;
  readonly randomBytes: (n: number) => Uint8Array;
  /** Expires we ask for (default 3600 s). */
  readonly expiresSeconds?: number;
  /** First retry after a failure (default 30 s), doubled up to maxRetryMs (default 10 min). */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly log?: (fields: Record<string, unknown>, message: string) => void;
  /** Wall-clock time in ms since the epoch, for expiresAt (default Date.now). */
  readonly now?: () => number;
}

export interface TrunkRegistrationStatus {
  readonly trunkId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly state: TrunkRegistrationState;
  /** The last final status from the provider (or 408/503 from us). */
  readonly lastStatus: number | undefined;
  /** When the binding runs out (ms since the epoch), while registered. */
  readonly expiresAt: number | undefined;
}

/** One trunk's registration. */
class TrunkRegistration {
  state = TrunkRegistrationState.Idle;
  lastStatus: number | undefined;
  expiresAt: number | undefined;
  private timer: TimerHandle | undefined;
  private failures = 0;
  private readonly authenticator;

  constructor(
    readonly trunk: PbxTrunk,
    private readonly options: TrunkRegistrationOptions,
    password: string | undefined,
  ) {
    this.authenticator =
      trunk.authUsername && password !== undefined
        ? digestAuthenticator(
            new DigestClient({
              credentials: { username: trunk.authUsername, password },
              randomBytes: options.randomBytes,
            }),
          )
        : undefined;
  }

  private transition(to: TrunkRegistrationState): void {
    if (!TRANSITIONS[this.state].includes(to))
      throw new Error(`trunk registration: illegal transition ${this.state} → ${to}`);
    this.state = to;
    this.options.events.publish({
      type: 'trunk-registration',
      trunkId: this.trunk.id,
      tenantId: this.trunk.tenantId,
      name: this.trunk.name,
      state: to,
      status: this.lastStatus,
    });
  }

  register(): void {
    if (this.state === TrunkRegistrationState.Stopped) return;
    this.transition(TrunkRegistrationState.Registering);
    const expires = this.options.expiresSeconds ?? 3600;
    void this.send(expires).then(
      (response) => this.onResponse(response, expires),
      () => this.onResponse(undefined, expires),
    );
  }

  private send(expires: number): Promise<SipResponse> {
    const { trunk } = this;
    const { ua } = this.options;
    const protocol = trunk.transport.toUpperCase() as TransportProtocol;
    const [proxyHost, proxyPort] = trunk.outboundProxy?.split(':') ?? [];
    const destination: Destination = proxyHost
      ? { protocol, host: proxyHost, port: proxyPort ? Number(proxyPort) : 5060 }
      : { protocol, host: trunk.host, port: trunk.port };
    const local = ua.transport.localAddress(destination);
    const host = local.host.includes(':') ? `[${local.host}]` : local.host;
    const param = trunk.transport === 'udp' ? '' : `;transport=${trunk.transport}`;
    const user = trunk.authUsername ?? trunk.fromUser ?? registrationUser(trunk);
    const domain = trunk.fromDomain ?? trunk.host;
    const aor = `<sip:${user}@${domain}>`;
    const registrar = `sip:${trunk.port === 5060 ? trunk.host : `${trunk.host}:${trunk.port}`}${param}`;
    const request = ua.request(
      'REGISTER',
      registrar,
      {
        from: aor,
        to: aor,
        destination,
        headers: [
          ['Contact', `<sip:${registrationUser(trunk)}@${host}:${local.port}${param}>`],
          ['Expires', String(expires)],
          ...(proxyHost ? ([['Route', `<sip:${trunk.outboundProxy}${param};lr>`]] as const) : []),
        ],
        ...(this.authenticator && { authenticator: this.authenticator }),
      },
      {},
    );
    return request.final;
  }

  private onResponse(response: SipResponse | undefined, asked: number): void {
    if (this.state !== TrunkRegistrationState.Registering) return;
    this.lastStatus = response?.status ?? 408;
    const { clock } = this.options;
    if (response && response.status >= 200 && response.status < 300) {
      const granted = grantedExpires(response, asked);
      this.failures = 0;
      this.expiresAt = (this.options.now ?? Date.now)() + granted * 1000;
      this.transition(TrunkRegistrationState.Registered);
      // Refresh at half the granted time (and never more often than every 5 s).
      this.timer = clock.setTimer(Math.max(5, granted / 2) * 1000, () => this.register());
      return;
    }
    this.expiresAt = undefined;
    const retry = Math.min(
      (this.options.retryMs ?? 30_000) * 2 ** this.failures,
      this.options.maxRetryMs ?? 600_000,
    );
    this.failures++;
    this.options.log?.(
      { trunk: this.trunk.name, status: this.lastStatus, retryMs: retry },
      'trunk: registration failed',
    );
    this.transition(TrunkRegistrationState.Failed);
    this.timer = clock.setTimer(retry, () => this.register());
  }

  /** Stops refreshing; when registered, removes the binding (Expires: 0, best effort). */
  stop(): Promise<void> {
    this.timer?.cancel();
    const was = this.state;
    if (was === TrunkRegistrationState.Stopped) return Promise.resolve();
    this.transition(TrunkRegistrationState.Stopped);
    if (was !== TrunkRegistrationState.Registered) return Promise.resolve();
    return this.send(0).then(
      () => undefined,
      () => undefined,
    );
  }

  status(): TrunkRegistrationStatus {
    return {
      trunkId: this.trunk.id,
      tenantId: this.trunk.tenantId,
      name: this.trunk.name,
      state: this.state,
      lastStatus: this.lastStatus,
      expiresAt: this.expiresAt,
    };
  }
}

/** The Expires the registrar granted for our Contact (§10.2.4): its `expires` param, else the header. */
function grantedExpires(response: SipResponse, asked: number): number {
  for (const contact of response.headers.getFieldValues('Contact')) {
    const match = /;\s*expires\s*=\s*(\d+)/i.exec(contact);
    if (match && /sip:sb[0-9a-f]{12}@/i.test(contact)) return Number(match[1]);
  }
  const header = Number(response.headers.get('Expires'));
  return Number.isFinite(header) && header > 0 ? header : asked;
}

/** Every trunk's registration; `sync()` follows changes to the trunks. */
export class TrunkRegistrations {
  private readonly live = new Map<string, { registration: TrunkRegistration; key: string }>();
  private closed = false;

  constructor(private readonly options: TrunkRegistrationOptions) {}

  /** Starts, restarts (changed) or stops registrations so they match the enabled trunks. */
  async sync(): Promise<void> {
    if (this.closed) return;
    const trunks = (await this.options.directory.enabledTrunks()).filter((t) => t.register);
    const wanted = new Map<string, { trunk: PbxTrunk; key: string }>();
    for (const trunk of trunks) {
      const password = trunk.authUsername
        ? await this.options.directory.password(trunk.tenantId, trunk.id)
        : undefined;
      wanted.set(trunk.id, { trunk, key: JSON.stringify([trunk, password]) });
    }
    for (const [id, { registration, key }] of this.live) {
      if (wanted.get(id)?.key === key) continue;
      this.live.delete(id);
      // The un-REGISTER goes out; nobody waits for the provider's answer.
      void registration.stop();
    }
    for (const [id, { trunk, key }] of wanted) {
      if (this.live.has(id) || this.closed) continue;
      const password = trunk.authUsername
        ? await this.options.directory.password(trunk.tenantId, trunk.id)
        : undefined;
      const registration = new TrunkRegistration(trunk, this.options, password);
      this.live.set(id, { registration, key });
      registration.register();
    }
  }

  statuses(): TrunkRegistrationStatus[] {
    return [...this.live.values()].map(({ registration }) => registration.status());
  }

  status(trunkId: string): TrunkRegistrationStatus | undefined {
    return this.live.get(trunkId)?.registration.status();
  }

  /** Un-registers every trunk (best effort: waits 2 s at most for the providers) and stops. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.live.values()];
    this.live.clear();
    const stopped = Promise.all(all.map(({ registration }) => registration.stop()));
    let timer: TimerHandle | undefined;
    const grace = new Promise<void>((resolve) => (timer = this.options.clock.setTimer(2_000, resolve)));
    await Promise.race([stopped, grace]);
    timer?.cancel();
  }
}
