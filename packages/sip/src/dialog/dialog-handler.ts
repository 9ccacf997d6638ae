// Whatever handles the requests of one dialog: a Session, or an INVITE still in its early
// dialog (PRACK, UPDATE, BYE before the answer).
import type { MessageSource } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';

export interface DialogHandler {
  /** A request whose To tag, From tag and Call-ID name this dialog; ACKs come without a transaction. */
  receiveRequest(
    request: SipRequest,
    transaction: ServerTransaction | undefined,
    source: MessageSource,
  ): void;
}
