// One SIP line: a provisioned account registered with the PBX over its own WebSocket. It owns
// the WebSocket transport and the UserAgent of @switchboard/sip, registers (RFC 3261 §10.2)
// with digest authentication, refreshes the registration at half the granted time, reconnects
// with a growing delay when the socket drops, and hands incoming INVITEs to its owner.
import type { ProvisionedAccount } from '@switchboard/contracts';
import {
  DigestClient,
  digestAuthenticator,
  hostClock,
  UserAgent,
  type Destination,
  type IncomingInvite,
  type SipResponse,
} from '@switchboard/sip';
import type { AppLog } from '../log/app-log.ts';
import { LineStatus, nextLineStatus, type LineReportState } from './line-status.ts';
import { WebSocketTransport, type SocketFactory } from './websocket-transport.ts';

export const USER_AGENT = 'Switchboard Phone';
/** Registration lifetime we ask for; the PBX accepts 60–3600 s. */
export const REGISTER_EXPIRES = 300;
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

export interface SipLineDelegate {
  onStatus(line: SipLine): void;
  onInvite(invite: IncomingInvite, line: SipLine): void;
}

export interface SipLineOptions {
  readonly account: ProvisionedAccount;
  /** The provisioned password, or the one the user typed for a manual-password account. */
  readonly password: string | undefined;
  /** Where SIP over WebSocket is: the server this app was loaded from. */
  readonly webSocketUrl: string;
  readonly log: AppLog;
  readonly delegate: SipLineDelegate;
  readonly createSocket?: SocketFactory;
}

export class SipLine {
  readonly account: ProvisionedAccount;
  private current = LineStatus.NotConnected;
  private transport: WebSocketTransport | undefined;
  private agent: UserAgent | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private stopped = true;
  /** Why the last attempt failed, for the UI and the log. */
  failure: string | undefined;
  report: LineReportState = 'unregistered';

  constructor(private readonly options: SipLineOptions) {
    this.account = options.account;
  }

  get id(): string {
    return this.account.id;
  }

  get status(): LineStatus {
    return this.current;
  }

  /** The user agent while connected (calls are made and received through it). */
  get ua(): UserAgent | undefined {
    return this.agent;
  }

  /** The SIP address of this line (`sip:user@domain`). */
  get aor(): string {
    return `sip:${this.account.username}@${this.account.domain}`;
  }

  /** Where requests go: the one WebSocket (host and port only matter for Via/Route checks). */
  get destination(): Destination {
    const url = new URL(this.options.webSocketUrl);
    const secure = url.protocol === 'wss:';
    return {
      protocol: secure ? 'WSS' : 'WS',
      host: url.hostname,
      port: Number(url.port || (secure ? 443 : 80)),
    };
  }

  /** A request-URI for a number or SIP address dialled on this line. */
  targetUri(target: string): string {
    if (/^sips?:/i.test(target)) return target;
    const user = target.includes('@') ? target : `${target}@${this.account.domain}`;
    return `sip:${user}`;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failure = undefined;
    void this.connect();
  }

  /** Unregisters (best effort) and closes the socket. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.reconnectTimer);
    const ua = this.agent;
    if (ua && this.current === LineStatus.Connected) {
      await Promise.race([
        ua.register(`sip:${this.account.domain}`, 0, { destination: this.destination }).final,
        new Promise((resolve) => setTimeout(resolve, 1_500)),
      ]).catch(() => undefined);
    }
    this.teardown();
    this.report = 'unregistered';
    this.setStatus(LineStatus.NotConnected);
  }

  private setStatus(to: LineStatus): void {
    const next = nextLineStatus(this.current, to);
    if (next === this.current) return;
    this.current = next;
    this.options.delegate.onStatus(this);
  }

  private teardown(): void {
    this.agent?.dispose();
    this.agent = undefined;
    this.transport?.close();
    this.transport = undefined;
  }

  private async connect(): Promise<void> {
    const { account, log } = this.options;
    if (account.manualPassword && !this.options.password) {
      this.failure = 'password-needed';
      this.report = 'failed';
      this.options.delegate.onStatus(this);
      return;
    }
    this.setStatus(LineStatus.Connecting);
    const transport = new WebSocketTransport({
      url: this.options.webSocketUrl,
      onMessage: (message, source) => this.agent?.receive(message, source),
      onClose: (code) => this.connectionLost(`socket closed (${code})`),
      onSendError: (error) => log.warn('sip', 'send failed', { line: account.name, error: String(error) }),
      onMalformed: (reason) => log.warn('sip', 'malformed message dropped', { line: account.name, reason }),
      ...(this.options.createSocket && { createSocket: this.options.createSocket }),
    });
    this.transport = transport;
    const password = this.options.password ?? '';
    const agent = new UserAgent(
      {
        // NOTE: wrapped, not passed bare: hostClock calls them as methods of its argument, and
        // browsers throw "Illegal invocation" for window.setTimeout called on another object.
        clock: hostClock({
          setTimeout: (callback, ms) => setTimeout(callback, ms),
          clearTimeout: (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle),
          now: () => performance.now(),
        }),
        transport,
        aor: this.aor,
        displayName: account.displayName || account.name,
        contact: transport.contactUri(account.username),
        defaultProtocol: transport.protocol,
        userAgent: USER_AGENT,
        authenticator: digestAuthenticator(
          new DigestClient({
            credentials: { username: account.authUsername || account.username, password },
            randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
          }),
        ),
        logger: log.sipLogger(`sip:${account.username}`),
      },
      { onInvite: (invite) => this.options.delegate.onInvite(invite, this) },
    );
    this.agent = agent;
    try {
      await transport.connect();
    } catch (error) {
      log.warn('sip', 'cannot reach the SIP WebSocket', {
        line: account.name,
        url: this.options.webSocketUrl,
        error: String(error),
      });
      this.connectionLost('unreachable');
      return;
    }
    log.info('sip', 'SIP WebSocket open', { line: account.name, url: this.options.webSocketUrl });
    await this.register();
  }

  private async register(): Promise<void> {
    const ua = this.agent;
    if (!ua || this.stopped) return;
    // RFC 3261 §10.2: the Request-URI names the domain; To and From the AOR.
    const response: SipResponse = await ua.register(`sip:${this.account.domain}`, REGISTER_EXPIRES, {
      destination: this.destination,
    }).final;
    if (this.stopped || ua !== this.agent) return;
    if (response.status >= 200 && response.status < 300) {
      this.reconnectDelay = RECONNECT_MIN_MS;
      this.failure = undefined;
      this.report = 'registered';
      const granted = grantedExpires(response, this.transport?.viaHost ?? '') ?? REGISTER_EXPIRES;
      this.options.log.info('sip', 'registered', { line: this.account.name, expires: granted });
      this.setStatus(LineStatus.Connected);
      this.options.delegate.onStatus(this);
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.register(), (granted * 1000) / 2);
      return;
    }
    this.report = 'failed';
    this.failure = `${response.status} ${response.reason}`;
    this.options.log.warn('sip', 'registration refused', {
      line: this.account.name,
      status: response.status,
      reason: response.reason,
      warning: response.headers.get('Warning'),
    });
    // Wrong credentials will not get better by themselves; anything else is retried.
    const hopeless = response.status === 401 || response.status === 403 || response.status === 404;
    this.teardown();
    this.setStatus(LineStatus.NotConnected);
    this.options.delegate.onStatus(this);
    if (!hopeless) this.scheduleReconnect();
  }

  private connectionLost(reason: string): void {
    if (this.stopped) return;
    this.options.log.warn('sip', 'line disconnected', { line: this.account.name, reason });
    clearTimeout(this.refreshTimer);
    this.teardown();
    this.report = 'unregistered';
    this.setStatus(LineStatus.NotConnected);
    this.options.delegate.onStatus(this);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped) void this.connect();
    }, delay);
  }
}

/** The lifetime the registrar granted our Contact (§10.2.4): its `expires` param, else Expires. */
function grantedExpires(response: SipResponse, ourHost: string): number | undefined {
  try {
    // The 200 lists every binding of the AOR (other devices too): ours has our `.invalid` host.
    const ours = response.contacts().find((c) => c.uri.toString().includes(ourHost));
    return ours?.expires ?? response.expires;
  } catch {
    return undefined;
  }
}
