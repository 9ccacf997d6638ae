// Message waiting indication for one line (RFC 3842 over RFC 6665): the line subscribes to its
// own mailbox's `message-summary` event on its SIP WebSocket, and every NOTIFY the PBX sends
// (at once, then on each new, heard or deleted message) carries the new/old counts.
//
//   SUBSCRIBE sip:1001@domain ──▶ 200 (Expires) ─┐   refresh at half the granted time
//   NOTIFY (Voice-Message: 1/0) ◀── 200 ─────────┘   terminated → subscribe again later
import {
  Dialog,
  IncomingRequest,
  type Destination,
  type DialogHandler,
  type MessageSource,
  type ServerTransaction,
  type SipRequest,
  type SipResponse,
  type UserAgent,
} from '@switchboard/sip';
import type { AppLog } from '../log/app-log.ts';

export const MWI_EVENT = 'message-summary';
export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';
/** What we ask for; the PBX grants 60–3600 s. */
export const MWI_EXPIRES = 600;
const RETRY_MS = 30_000;

export interface MessageCounts {
  readonly newMessages: number;
  readonly oldMessages: number;
}

/** The counts of an RFC 3842 §5.2 body (`Voice-Message: 2/8 (0/0)`); undefined without one. */
export function parseMessageSummary(body: string): MessageCounts | undefined {
  const voice = /^Voice-Message\s*:\s*(\d+)\/(\d+)/im.exec(body);
  if (!voice) return undefined;
  return { newMessages: Number(voice[1]), oldMessages: Number(voice[2]) };
}

export interface MwiLine {
  readonly ua: UserAgent;
  /** `sip:1001@domain`: the mailbox is the line's own. */
  readonly aor: string;
  readonly destination: Destination;
}

export class MwiSubscription implements DialogHandler {
  private dialog: Dialog | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly line: MwiLine,
    private readonly onCounts: (counts: MessageCounts) => void,
    private readonly log: AppLog,
  ) {}

  start(): void {
    this.stopped = false;
    void this.subscribe();
  }

  /** Ends the subscription (un-SUBSCRIBE, best effort). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const dialog = this.dialog;
    this.forget();
    if (dialog) void this.send(dialog, 0).catch(() => undefined);
  }

  private forget(): void {
    if (this.dialog) this.line.ua.unregisterDialog(this.dialog, this);
    this.dialog = undefined;
  }

  private async subscribe(): Promise<void> {
    const { ua, aor, destination } = this.line;
    // The dialog must exist before the first NOTIFY, which may follow the 200 at once
    // (RFC 6665 §4.1.2.4): register it as the response arrives, not after a promise hop.
    const outgoing = ua.request(
      'SUBSCRIBE',
      aor,
      {
        to: aor,
        contact: true,
        destination,
        headers: this.headers(MWI_EXPIRES),
      },
      {
        onResponse: (response, request) => {
          if (response.status >= 200 && response.status < 300 && !this.dialog && !this.stopped) {
            this.dialog = Dialog.asUac(request, response);
            ua.registerDialog(this.dialog, this);
          }
        },
      },
    );
    const response = await outgoing.final;
    if (this.stopped) return;
    if (response.status >= 200 && response.status < 300) this.armRefresh(response);
    else {
      this.log.warn('voicemail', 'MWI subscription refused', { status: response.status, aor });
      this.retryLater();
    }
  }

  private headers(expires: number): Array<[string, string]> {
    return [
      ['Event', MWI_EVENT],
      ['Accept', MESSAGE_SUMMARY_TYPE],
      ['Expires', String(expires)],
    ];
  }

  private armRefresh(response: SipResponse): void {
    const granted = response.expires ?? MWI_EXPIRES;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(30, granted / 2) * 1000);
  }

  /** RFC 6665 §4.1.2.2: a SUBSCRIBE inside the dialog refreshes it. */
  private async refresh(): Promise<void> {
    const dialog = this.dialog;
    if (!dialog || this.stopped) return;
    const response = await this.send(dialog, MWI_EXPIRES).catch(() => undefined);
    if (this.stopped) return;
    if (!response) {
      this.forget();
      this.retryLater(1);
      return;
    }
    if (response.status >= 200 && response.status < 300) this.armRefresh(response);
    else {
      this.forget();
      this.retryLater(1);
    }
  }

  /** Async so that a UA already disposed (the line reconnected) rejects instead of throwing. */
  private async send(dialog: Dialog, expires: number): Promise<SipResponse> {
    const ua = this.line.ua;
    const request = dialog.createRequest('SUBSCRIBE', {
      contact: ua.contactFor(dialog),
      headers: this.headers(expires),
    });
    return ua.sendInDialog(dialog, request, {}).final;
  }

  private retryLater(ms = RETRY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.stopped) void this.subscribe();
    }, ms);
  }

  /** NOTIFYs of our subscription (DialogHandler). */
  receiveRequest(request: SipRequest, tx: ServerTransaction | undefined, source: MessageSource): void {
    if (!tx || !this.dialog) return;
    const incoming = new IncomingRequest(request, tx, source, this.dialog.localTag);
    if (request.method !== 'NOTIFY') {
      incoming.respond(405, { headers: [['Allow', 'NOTIFY']] });
      return;
    }
    this.dialog.acceptRemoteSeq(request);
    incoming.respond(200);
    const counts = parseMessageSummary(request.bodyText ?? '');
    if (counts) this.onCounts(counts);
    // RFC 6665 §4.1.3: "terminated" ends it; subscribe again (the PBX may have restarted).
    const state = request.headers.get('Subscription-State') ?? '';
    if (/^\s*terminated/i.test(state) && !this.stopped) {
      this.forget();
      this.retryLater(/reason=noresource|reason=rejected/i.test(state) ? RETRY_MS : 1_000);
    }
  }
}
