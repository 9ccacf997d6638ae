// What IncomingInvite and OutgoingInvite need from the UserAgent beyond what a Session needs.
import type { Destination, MessageSource } from '../core/transport.ts';
import type { DialogHandler } from '../dialog/dialog-handler.ts';
import type { Dialog } from '../dialog/dialog.ts';
import type { SessionHost } from '../dialog/session-host.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { ClientTransactionDelegate } from '../transaction/transaction-delegate.ts';
import type { UacAuthenticator } from './authenticator.ts';
import type { OutgoingRequest, OutgoingRequestDelegate, OutgoingRequestOptions } from './outgoing-request.ts';

export interface InviteHost extends SessionHost {
  /** RFC 3262 support: whether we offer/accept reliable provisional responses. */
  readonly reliableProvisional: 'supported' | 'required' | 'none';
  /** Routes requests of `dialog` to `handler` (replacing an earlier handler). */
  registerDialog(dialog: Dialog, handler: DialogHandler): void;
  /** Drops the route for `dialog` if `handler` still owns it. */
  unregisterDialog(dialog: Dialog, handler: DialogHandler): void;
  /** Sends a request outside any dialog with challenge handling. */
  sendOutOfDialog(
    request: SipRequest,
    delegate: OutgoingRequestDelegate,
    options: OutgoingRequestOptions,
  ): OutgoingRequest;
  /** Sends a CANCEL (never challenged, §22.1) on its own client transaction. */
  sendCancel(cancel: SipRequest, destination: Destination, delegate: ClientTransactionDelegate): void;
  newTag(): string;
  /** The flow of a dialog we created by sending to `destination` (to reach a callee behind NAT). */
  flowTo(destination: Destination): MessageSource;
  /** Requests inside `dialog` answer challenges with `authenticator` (the call's own account). */
  bindAuthenticator(dialog: Dialog, authenticator: UacAuthenticator): void;
}
