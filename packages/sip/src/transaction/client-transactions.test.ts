import { FakeClock, RecordingTransport, inviteText, optionsText } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMER_VALUES } from '../core/timer-values.ts';
import type { Destination } from '../core/transport.ts';
import { createResponse } from '../message/create-response.ts';
import { parseMessage } from '../message/parse-message.ts';
import { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import { InviteClientTransactionState as ICT } from './invite-client-transaction-state.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { NonInviteClientTransactionState as NICT } from './non-invite-client-transaction-state.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import type { ClientTransactionDelegate } from './transaction-delegate.ts';

const UDP: Destination = { protocol: 'UDP', host: '192.0.2.20', port: 5060 };
const TCP: Destination = { protocol: 'TCP', host: '192.0.2.20', port: 5060 };

function request(text: string): SipRequest {
  const r = parseMessage(text);
  if (r.kind !== 'message' || !(r.message instanceof SipRequest)) throw new Error('fixture did not parse');
  return r.message;
}

function recorder() {
  const events: string[] = [];
  const responses: SipResponse[] = [];
  const delegate: ClientTransactionDelegate = {
    onResponse: (r) => {
      events.push(`response ${r.status}`);
      responses.push(r);
    },
    onTimeout: () => events.push('timeout'),
    onTransportError: () => events.push('transport-error'),
    onTerminated: () => events.push('terminated'),
  };
  return { events, responses, delegate };
}

function setup(kind: 'invite' | 'non-invite', destination: Destination = UDP) {
  const clock = new FakeClock();
  const transport = new RecordingTransport();
  const rec = recorder();
  const ctx = { clock, transport, timers: DEFAULT_TIMER_VALUES };
  const req = request(kind === 'invite' ? inviteText() : optionsText());
  const tx =
    kind === 'invite'
      ? new InviteClientTransaction('id', req, destination, ctx, rec.delegate)
      : new NonInviteClientTransaction('id', req, destination, ctx, rec.delegate);
  tx.start();
  return { clock, transport, tx, req, ...rec };
}

/** Times (ms) at which the transport was asked to send something. */
function sendTimes(clock: FakeClock, transport: RecordingTransport, untilMs: number): number[] {
  const times: number[] = [];
  let seen = transport.sent.length;
  for (let t = 0; t <= untilMs; t += 250) {
    clock.advanceTo(t);
    while (seen < transport.sent.length) {
      times.push(clock.now());
      seen++;
    }
  }
  return times;
}

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026)', () => {
  it('retransmits with timer A doubling from T1 and times out with timer B at 64*T1', () => {
    const { clock, transport, tx, events } = setup('invite');
    const times = [0, ...sendTimes(clock, transport, 40_000)];
    // Sent at 0, then 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; timer B fires at 32 s.
    expect(times).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(transport.labels().every((l) => l === 'INVITE')).toBe(true);
    expect(events).toEqual(['timeout', 'terminated']);
    expect(tx.state).toBe(ICT.Terminated);
  });

  it('does not retransmit over a reliable transport, but still times out', () => {
    const { clock, transport, events } = setup('invite', TCP);
    clock.advance(31_999);
    expect(transport.labels()).toEqual(['INVITE']);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['timeout', 'terminated']);
  });

  it('stops retransmitting on a provisional response and passes every 1xx up', () => {
    const { clock, transport, tx, req, events } = setup('invite');
    tx.receiveResponse(createResponse(req, 180, undefined, { toTag: 'b1' }));
    expect(tx.state).toBe(ICT.Proceeding);
    tx.receiveResponse(createResponse(req, 183, undefined, { toTag: 'b1' }));
    clock.advance(60_000);
    expect(transport.labels()).toEqual(['INVITE']);
    // Timer B only acts in Calling: a ringing call waits for its final response.
    expect(tx.state).toBe(ICT.Proceeding);
    expect(events).toEqual(['response 180', 'response 183']);
  });

  it('ACKs a non-2xx final itself (§17.1.1.3), absorbs its retransmissions, and ends after timer D', () => {
    const { clock, transport, tx, req, events } = setup('invite');
    const busy = createResponse(req, 486, undefined, { toTag: 'callee' });
    tx.receiveResponse(busy);
    expect(tx.state).toBe(ICT.Completed);
    const ack = transport.sent[1]!.message as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(ack.uri.toString()).toBe(req.uri.toString());
    expect(ack.vias()).toHaveLength(1);
    expect(ack.topVia()!.branch).toBe(req.topVia()!.branch);
    expect(ack.to.tag).toBe('callee');
    expect(ack.from.toString()).toBe(req.from.toString());
    expect(ack.callId).toBe(req.callId);
    expect(ack.cseq).toEqual({ seq: req.cseq.seq, method: 'ACK' });
    expect(transport.sent[1]!.destination).toEqual(UDP);

    tx.receiveResponse(busy);
    expect(transport.labels()).toEqual(['INVITE', 'ACK', 'ACK']);
    expect(events).toEqual(['response 486']);
    clock.advance(31_999);
    expect(tx.state).toBe(ICT.Completed);
    clock.advance(1);
    expect(tx.state).toBe(ICT.Terminated);
    expect(events).toEqual(['response 486', 'terminated']);
  });

  it('ends at once after a non-2xx final over a reliable transport (timer D = 0)', () => {
    const { tx, req, events } = setup('invite', TCP);
    tx.receiveResponse(createResponse(req, 404, undefined, { toTag: 'x' }));
    expect(tx.state).toBe(ICT.Terminated);
    expect(events).toEqual(['response 404', 'terminated']);
  });

  it('enters Accepted on 2xx, passes 2xx retransmissions up, and ends after timer M', () => {
    const { clock, transport, tx, req, events } = setup('invite');
    const ok = createResponse(req, 200, undefined, { toTag: 'callee' });
    tx.receiveResponse(ok);
    expect(tx.state).toBe(ICT.Accepted);
    tx.receiveResponse(ok);
    tx.receiveResponse(createResponse(req, 180, undefined, { toTag: 'callee' }));
    expect(events).toEqual(['response 200', 'response 200']);
    // The UA core, not the transaction, ACKs a 2xx.
    expect(transport.labels()).toEqual(['INVITE']);
    clock.advance(32_000);
    expect(tx.state).toBe(ICT.Terminated);
    tx.receiveResponse(ok);
    expect(events).toEqual(['response 200', 'response 200', 'terminated']);
  });

  it('reports a synchronous transport failure and terminates', () => {
    const clock = new FakeClock();
    const transport = new RecordingTransport();
    transport.failure = 'throw';
    const rec = recorder();
    const tx = new InviteClientTransaction(
      'id',
      request(inviteText()),
      UDP,
      { clock, transport, timers: DEFAULT_TIMER_VALUES },
      rec.delegate,
    );
    tx.start();
    expect(rec.events).toEqual(['transport-error', 'terminated']);
    expect(tx.state).toBe(ICT.Terminated);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports an asynchronous transport failure (rejected send) and terminates', async () => {
    const clock = new FakeClock();
    const transport = new RecordingTransport();
    transport.failure = 'reject';
    const rec = recorder();
    const tx = new InviteClientTransaction(
      'id',
      request(inviteText()),
      UDP,
      { clock, transport, timers: DEFAULT_TIMER_VALUES },
      rec.delegate,
    );
    tx.start();
    await Promise.resolve();
    await Promise.resolve();
    expect(rec.events).toEqual(['transport-error', 'terminated']);
    expect(tx.state).toBe(ICT.Terminated);
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('retransmits with timer E capped at T2 and times out with timer F at 64*T1', () => {
    const { clock, transport, tx, events } = setup('non-invite');
    const times = [0, ...sendTimes(clock, transport, 40_000)];
    expect(times).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(events).toEqual(['timeout', 'terminated']);
    expect(tx.state).toBe(NICT.Terminated);
  });

  it('retransmits every T2 once a provisional response arrived', () => {
    const { clock, transport, tx, req, events } = setup('non-invite');
    clock.advance(500); // one retransmission (E = T1), next E would be 1 s later
    tx.receiveResponse(createResponse(req, 100));
    expect(tx.state).toBe(NICT.Proceeding);
    const before = transport.sent.length;
    const times = sendTimes(clock, transport, 20_000).filter((t) => t > 500);
    expect(transport.sent.length - before).toBe(times.length);
    // In Proceeding, timer E fires next at its running interval, then every T2.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(DEFAULT_TIMER_VALUES.T2);
    expect(events[0]).toBe('response 100');
  });

  it('passes the final response up once, absorbs retransmissions, ends after timer K', () => {
    const { clock, transport, tx, req, events } = setup('non-invite');
    const ok = createResponse(req, 200, undefined, { toTag: 't' });
    tx.receiveResponse(ok);
    tx.receiveResponse(ok);
    expect(tx.state).toBe(NICT.Completed);
    expect(events).toEqual(['response 200']);
    clock.advance(4_999);
    expect(tx.state).toBe(NICT.Completed);
    clock.advance(1);
    expect(tx.state).toBe(NICT.Terminated);
    expect(transport.labels()).toEqual(['OPTIONS']);
  });

  it('ends at once after the final response over a reliable transport (timer K = 0)', () => {
    const { tx, req, clock, transport } = setup('non-invite', TCP);
    clock.advance(10_000);
    expect(transport.labels()).toEqual(['OPTIONS']);
    tx.receiveResponse(createResponse(req, 200, undefined, { toTag: 't' }));
    expect(tx.state).toBe(NICT.Terminated);
  });
});
