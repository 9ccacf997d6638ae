// What a Session needs from the user agent that owns it. Declared here so the dialog layer
// depends on an interface, not on the UserAgent class.
import type { Clock } from '../core/clock.ts';
import type { SipLogger } from '../core/logger.ts';
import type { TimerValues } from '../core/timer-values.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';
import type { OutgoingRequest, OutgoingRequestDelegate } from '../ua/outgoing-request.ts';
import type { Dialog } from './dialog.ts';
import type { SessionTimerOptions } from './session-timer.ts';

export interface SessionHost {
  readonly clock: Clock;
  readonly timers: TimerValues;
  readonly sessionTimers: SessionTimerOptions;
  readonly logger: SipLogger;
  /**
   * Sends a request built by `dialog.createRequest`: adds the Via, routes it (next hop, or the
   * dialog's flow), answers challenges, and retries with the dialog's next CSeq.
   */
  sendInDialog(
    dialog: Dialog,
    request: SipRequest,
    delegate: OutgoingRequestDelegate,
    retryOn?: (response: SipResponse, next: SipRequest) => boolean,
  ): OutgoingRequest;
  /** Sends the ACK for a 2xx (its own transaction, §13.2.2.4) to the dialog's next hop. */
  sendAck(dialog: Dialog, ack: SipRequest): void;
  /** The Contact header value for requests and 2xx responses in this dialog. */
  contactFor(dialog: Dialog): string;
  /** Headers the UA puts on every request it sends (User-Agent, Allow, Supported). */
  requestHeaders(): Array<[string, string]>;
  /** Headers the UA puts on every response it sends. */
  responseHeaders(): Array<[string, string]>;
  /** Lets the UA route a CANCEL for an INVITE server transaction to its handler. */
  onCancel(transaction: ServerTransaction, handler: (cancel: SipRequest) => void): void;
  /** The session ended: the UA drops it from its dialog table. */
  forget(dialog: Dialog): void;
  /** A random number in [0, 1) for Retry-After jitter. */
  random(): number;
}
