// The ACK side of INVITE transactions inside one dialog. As UAC: build the ACK for each 2xx
// and send the same ACK again for each retransmission (§13.2.2.4). As UAS: retransmit our 2xx
// until its ACK arrives, and give up after 64*T1 (§13.3.1.4).
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';
import { AUTHORIZATION_HEADERS } from '../ua/authenticator.ts';
import type { Dialog } from './dialog.ts';
import { Retransmitter } from './retransmitter.ts';
import type { SessionBody } from './session-body.ts';
import type { SessionHost } from './session-host.ts';

type AckHost = Pick<SessionHost, 'clock' | 'timers' | 'requestHeaders' | 'sendAck'>;

export class InviteAcks {
  private readonly sent = new Map<number, SipRequest>();
  private wait: { readonly cseq: number; readonly retransmitter: Retransmitter } | undefined;

  constructor(
    private readonly host: AckHost,
    private readonly dialog: Dialog,
  ) {}

  /** True while our 2xx waits for its ACK. */
  get waiting(): boolean {
    return this.wait !== undefined;
  }

  /**
   * §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx received from the
   * transaction layer ... the CSeq header field's sequence number MUST be the same as the
   * INVITE being acknowledged ... the ACK MUST contain the same credentials as the INVITE."
   */
  acknowledge(invite: SipRequest, body?: SessionBody): void {
    const ack = this.dialog.createRequest('ACK', {
      cseq: invite.cseq.seq,
      headers: [...this.host.requestHeaders()],
      ...(body ? { body: body.body, contentType: body.contentType } : {}),
    });
    for (const name of AUTHORIZATION_HEADERS) {
      for (const value of invite.headers.getFieldValues(name)) ack.headers.append(name, value);
    }
    this.sent.set(invite.cseq.seq, ack);
    this.host.sendAck(this.dialog, ack);
  }

  /** A retransmitted 2xx: send the same ACK again. False when we never ACKed that INVITE. */
  resend(response: SipResponse): boolean {
    const ack = this.sent.get(response.cseq.seq);
    if (!ack) return false;
    this.host.sendAck(this.dialog, ack);
    return true;
  }

  /**
   * §13.3.1.4: "the 2xx response is passed to the transport with an interval that starts at
   * T1 seconds and doubles for each retransmission until it reaches T2 seconds ... If the
   * server retransmits the 2xx response for 64*T1 seconds without receiving an ACK, the dialog
   * is confirmed, but the session SHOULD be terminated."
   */
  awaitAck(response: SipResponse, transaction: ServerTransaction, onTimeout: () => void): void {
    this.wait?.retransmitter.stop();
    const { T1, T2 } = this.host.timers;
    const retransmitter = new Retransmitter({
      clock: this.host.clock,
      initialMs: T1,
      capMs: T2,
      deadlineMs: 64 * T1,
      send: () => void transaction.respond(response),
      giveUp: () => {
        this.wait = undefined;
        onTimeout();
      },
    });
    this.wait = { cseq: response.cseq.seq, retransmitter };
  }

  /** An ACK arrived; true when it acknowledges the 2xx we wait for (retransmitted ACKs: false). */
  received(ack: SipRequest): boolean {
    if (!this.wait || this.wait.cseq !== ack.cseq.seq) return false;
    this.stop();
    return true;
  }

  stop(): void {
    this.wait?.retransmitter.stop();
    this.wait = undefined;
  }
}
