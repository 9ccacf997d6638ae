// Message waiting indication (RFC 3842) over SIP-specific event notification (RFC 6665): a
// phone SUBSCRIBEs to `message-summary` for its own mailbox, gets a NOTIFY with the counts at
// once, another whenever they change (a new message, one listened to or deleted), and a last
// one when the subscription ends. Subscribers authenticate like callers (digest, 407) and may
// only watch their own extension's mailbox.
//
//   SUBSCRIBE ──▶ 200 (Expires) + NOTIFY active ──▶ … NOTIFY on change … ──▶ expiry/Expires: 0
//                                                                           └▶ NOTIFY terminated
import {
  Dialog,
  DialogState,
  IncomingRequest,
  isSipUri,
  type DialogHandler,
  type DigestServer,
  type MessageSource,
  type ServerTransaction,
  type SipRequest,
  type TimerHandle,
  type UserAgent,
} from '@switchboard/sip';
import { authenticateCaller } from '../../call/call-admission.ts';
import type { PbxEventBus } from '../../events/pbx-events.ts';
import type { RequestSource } from '../../routing/request-source.ts';
import { resolveTenant, type IsLocalHost } from '../../routing/tenant-resolver.ts';
import type { Directory, Tenant } from '../../store/directory.ts';
import { MESSAGE_SUMMARY_TYPE, messageSummary } from './message-summary.ts';
import type { MessageCounts } from './voicemail-store.ts';

export const MWI_EVENT = 'message-summary';
const MIN_EXPIRES = 60;
const MAX_EXPIRES = 3600;

export interface MessageWaitingDeps {
  readonly ua: UserAgent;
  readonly directory: Directory;
  readonly digest: DigestServer;
  readonly events: PbxEventBus;
  readonly isLocalHost: IsLocalHost;
  readonly counts: (tenantId: string, extension: string) => Promise<MessageCounts>;
  readonly log?: (fields: Record<string, unknown>, message: string) => void;
}

/** The event package a SUBSCRIBE or NOTIFY names (RFC 6665 §8.2.1: the token before any parameter). */
export function eventPackage(request: SipRequest): string {
  return (request.headers.get('Event') ?? '').split(';')[0]!.trim().toLowerCase();
}

export class MessageWaiting {
  private readonly subscriptions = new Map<string, Set<MwiSubscription>>();

  constructor(private readonly deps: MessageWaitingDeps) {}

  /** Subscriptions now, for metrics and tests. */
  get size(): number {
    let n = 0;
    for (const set of this.subscriptions.values()) n += set.size;
    return n;
  }

  /** A SUBSCRIBE outside any dialog (Pbx.onRequest hands it here). */
  async subscribe(incoming: IncomingRequest, source: RequestSource): Promise<void> {
    const { request } = incoming;
    if (eventPackage(request) !== MWI_EVENT) {
      incoming.respond(489, { reason: 'Bad Event', headers: [['Allow-Events', MWI_EVENT]] });
      return;
    }
    const uri = request.uri;
    if (!isSipUri(uri)) {
      incoming.respond(416);
      return;
    }
    const tenant = await resolveTenant(this.deps.directory, this.deps.isLocalHost, uri.host);
    if (!tenant) {
      incoming.respond(404, { reason: 'Not Found (domain not served)' });
      return;
    }
    const auth = await authenticateCaller(this.deps, request, tenant, source);
    if (!auth.ok) {
      incoming.respond(auth.rejection.status, {
        reason: auth.rejection.reason,
        ...(auth.rejection.headers ? { headers: auth.rejection.headers } : {}),
      });
      return;
    }
    const mailbox = uri.user ?? auth.username;
    if (mailbox !== auth.username) {
      incoming.respond(403, { reason: 'Forbidden (not your mailbox)' });
      return;
    }
    const expires = requestedExpires(request);
    if (expires === 'too-brief') {
      incoming.respond(423, { headers: [['Min-Expires', String(MIN_EXPIRES)]] });
      return;
    }
    const dialog = Dialog.asUas(request, incoming.toTag, DialogState.Confirmed, incoming.source);
    const sub = new MwiSubscription(this, tenant, mailbox, dialog);
    incoming.respond(200, {
      headers: [
        ['Expires', String(expires)],
        ['Contact', this.deps.ua.contactFor(dialog)],
      ],
    });
    this.deps.log?.({ tenantId: tenant.id, mailbox, expires }, 'mwi: subscribed');
    if (expires > 0) this.add(sub);
    await sub.start(expires);
  }

  /** Sends the current counts to every phone watching this mailbox. */
  async notify(tenantId: string, extension: string): Promise<void> {
    const subs = this.subscriptions.get(key(tenantId, extension));
    if (!subs || subs.size === 0) return;
    await Promise.all([...subs].map((s) => s.notify()));
  }

  /** Ends every subscription (shutdown). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.subscriptions.values()].flatMap((set) => [...set].map((s) => s.end('noresource'))),
    );
  }

  // ─── For the subscriptions ──────────────────────────────────────────────────────────────

  /** @internal */
  get ua(): UserAgent {
    return this.deps.ua;
  }

  /** @internal */
  counts(tenantId: string, extension: string): Promise<MessageCounts> {
    return this.deps.counts(tenantId, extension);
  }

  /** @internal */
  add(sub: MwiSubscription): void {
    const k = key(sub.tenant.id, sub.mailbox);
    let set = this.subscriptions.get(k);
    if (!set) this.subscriptions.set(k, (set = new Set()));
    set.add(sub);
    this.deps.ua.registerDialog(sub.dialog, sub);
  }

  /** @internal */
  remove(sub: MwiSubscription): void {
    const k = key(sub.tenant.id, sub.mailbox);
    this.subscriptions.get(k)?.delete(sub);
    if (this.subscriptions.get(k)?.size === 0) this.subscriptions.delete(k);
    this.deps.ua.unregisterDialog(sub.dialog, sub);
  }

  /** @internal */
  log(fields: Record<string, unknown>, message: string): void {
    this.deps.log?.(fields, message);
  }
}

/** One phone's subscription: its dialog, its expiry, and the NOTIFYs it gets. */
class MwiSubscription implements DialogHandler {
  private timer: TimerHandle | undefined;
  private expiresAt = 0;
  private ended = false;

  constructor(
    private readonly owner: MessageWaiting,
    readonly tenant: Tenant,
    readonly mailbox: string,
    readonly dialog: Dialog,
  ) {}

  /** The first NOTIFY (RFC 6665 §4.2.1.2: sent at once, also for a fetch with Expires: 0). */
  async start(expires: number): Promise<void> {
    if (expires === 0) return this.end('timeout');
    this.arm(expires);
    await this.notify();
  }

  async notify(): Promise<void> {
    if (this.ended) return;
    await this.send(`active;expires=${this.remaining()}`);
  }

  async end(reason: 'timeout' | 'noresource'): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.timer?.cancel();
    this.owner.remove(this);
    await this.send(`terminated;reason=${reason}`);
  }

  /** SUBSCRIBE refreshes (and un-SUBSCRIBE) inside the dialog; anything else is not ours. */
  receiveRequest(request: SipRequest, tx: ServerTransaction | undefined, source: MessageSource): void {
    if (!tx) return;
    const incoming = new IncomingRequest(
      request,
      tx,
      source,
      this.dialog.localTag,
      this.owner.ua.responseHeaders(),
    );
    if (request.method !== 'SUBSCRIBE') {
      incoming.respond(request.method === 'OPTIONS' ? 200 : 405, { headers: [['Allow', 'SUBSCRIBE']] });
      return;
    }
    if (!this.dialog.acceptRemoteSeq(request)) {
      incoming.respond(500, { reason: 'Request Out Of Order' });
      return;
    }
    const expires = requestedExpires(request);
    if (expires === 'too-brief') {
      incoming.respond(423, { headers: [['Min-Expires', String(MIN_EXPIRES)]] });
      return;
    }
    this.dialog.updateRemoteTargetFrom(request);
    incoming.respond(200, {
      headers: [
        ['Expires', String(expires)],
        ['Contact', this.owner.ua.contactFor(this.dialog)],
      ],
    });
    // RFC 6665 §4.2.1.2: a refresh is answered with a NOTIFY too.
    if (expires === 0) void this.end('timeout');
    else {
      this.arm(expires);
      void this.notify();
    }
  }

  private arm(expires: number): void {
    this.timer?.cancel();
    this.expiresAt = Date.now() + expires * 1000;
    this.timer = this.owner.ua.clock.setTimer(expires * 1000, () => void this.end('timeout'));
  }

  private remaining(): number {
    return Math.max(0, Math.round((this.expiresAt - Date.now()) / 1000));
  }

  private async send(state: string): Promise<void> {
    const counts = await this.owner.counts(this.tenant.id, this.mailbox).catch(() => undefined);
    if (!counts) return;
    const request = this.dialog.createRequest('NOTIFY', {
      contact: this.owner.ua.contactFor(this.dialog),
      headers: [
        ['Event', MWI_EVENT],
        ['Subscription-State', state],
      ],
      body: messageSummary(`sip:${this.mailbox}@${this.tenant.domain}`, counts),
      contentType: MESSAGE_SUMMARY_TYPE,
    });
    const response = await this.owner.ua.sendInDialog(this.dialog, request, {}).final;
    // RFC 6665 §4.2.2: a 481 (or a timeout) means the subscriber is gone.
    if ((response.status === 481 || response.status === 408) && !this.ended) {
      this.owner.log({ mailbox: this.mailbox, status: response.status }, 'mwi: subscriber gone');
      this.ended = true;
      this.timer?.cancel();
      this.owner.remove(this);
    }
  }
}

/** Expires of a SUBSCRIBE: default 3600 (RFC 3842 §6), shortened to at most an hour. */
function requestedExpires(request: SipRequest): number | 'too-brief' {
  const raw = request.headers.get('Expires');
  const value = raw === undefined ? MAX_EXPIRES : Number.parseInt(raw, 10);
  if (!Number.isFinite(value) || value < 0) return MAX_EXPIRES;
  if (value === 0) return 0;
  if (value < MIN_EXPIRES) return 'too-brief';
  return Math.min(value, MAX_EXPIRES);
}

const key = (tenantId: string, extension: string): string => `${tenantId}\u0000${extension}`;
