import { FakeClock, RecordingTransport, inviteText, optionsText } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMER_VALUES } from '../core/timer-values.ts';
import type { Destination } from '../core/transport.ts';
import { createResponse } from '../message/create-response.ts';
import { parseMessage } from '../message/parse-message.ts';
import { SipRequest } from '../message/sip-request.ts';
import { InviteServerTransactionState as IST } from './invite-server-transaction-state.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteServerTransactionState as NIST } from './non-invite-server-transaction-state.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';

const UDP: Destination = { protocol: 'UDP', host: '192.0.2.10', port: 5060 };
const TCP: Destination = { protocol: 'TCP', host: '192.0.2.10', port: 5060, connectionId: 'c1' };

function request(text: string): SipRequest {
  const r = parseMessage(text);
  if (r.kind !== 'message' || !(r.message instanceof SipRequest)) throw new Error('fixture did not parse');
  return r.message;
}

function ackFor(invite: SipRequest, toTag: string): SipRequest {
  const ack = request(
    inviteText({ toTag, branch: invite.topVia()!.branch! })
      .replace('INVITE sip:', 'ACK sip:')
      .replace('314159 INVITE', '314159 ACK'),
  );
  return ack;
}

function setupInvite(destination: Destination = UDP) {
  const clock = new FakeClock();
  const transport = new RecordingTransport();
  const events: string[] = [];
  const invite = request(inviteText());
  const tx = new InviteServerTransaction(
    'id',
    invite,
    destination,
    { clock, transport, timers: DEFAULT_TIMER_VALUES },
    (r) => createResponse(r, 100),
  );
  tx.delegate = {
    onTimeout: () => events.push('timeout'),
    onTransportError: () => events.push('transport-error'),
    onAck: () => events.push('ack'),
    onTerminated: () => events.push('terminated'),
  };
  tx.start();
  return { clock, transport, events, invite, tx };
}

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026)', () => {
  it('sends 100 Trying when the TU is silent for 200 ms, and not when it answered', () => {
    const a = setupInvite();
    a.clock.advance(199);
    expect(a.transport.labels()).toEqual([]);
    a.clock.advance(1);
    expect(a.transport.labels()).toEqual(['100']);
    expect(a.transport.sent[0]!.destination).toEqual(UDP);

    const b = setupInvite();
    b.tx.respond(createResponse(b.invite, 180, undefined, { toTag: 'u' }));
    b.clock.advance(1000);
    expect(b.transport.labels()).toEqual(['180']);
  });

  it('answers an INVITE retransmission with the latest provisional response', () => {
    const { tx, invite, transport } = setupInvite();
    tx.receiveRequest(invite);
    expect(transport.labels()).toEqual([]);
    tx.respond(createResponse(invite, 180, undefined, { toTag: 'u' }));
    tx.respond(createResponse(invite, 183, undefined, { toTag: 'u' }));
    tx.receiveRequest(invite);
    expect(transport.labels()).toEqual(['180', '183', '183']);
  });

  it('retransmits a non-2xx final with timer G (T1 doubling, capped at T2) until the ACK, then absorbs ACKs until timer I', () => {
    const { clock, tx, invite, transport, events } = setupInvite();
    tx.respond(createResponse(invite, 486, undefined, { toTag: 'u' }));
    expect(tx.state).toBe(IST.Completed);
    const times: number[] = [];
    for (let t = 0; t <= 20_000; t += 250) {
      const before = transport.sent.length;
      clock.advanceTo(t);
      if (transport.sent.length > before) times.push(t);
    }
    expect(times).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500]);
    tx.receiveRequest(invite);
    expect(transport.labels().at(-1)).toBe('486');
    const sent = transport.sent.length;
    tx.receiveRequest(ackFor(invite, 'u'));
    expect(tx.state).toBe(IST.Confirmed);
    tx.receiveRequest(ackFor(invite, 'u'));
    clock.advance(4_999);
    expect(tx.state).toBe(IST.Confirmed);
    expect(transport.sent.length).toBe(sent);
    clock.advance(1);
    expect(tx.state).toBe(IST.Terminated);
    expect(events).toEqual(['terminated']);
  });

  it('reports a timeout when timer H fires without an ACK', () => {
    const { clock, tx, invite, events } = setupInvite();
    tx.respond(createResponse(invite, 603, undefined, { toTag: 'u' }));
    clock.advance(31_999);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['timeout', 'terminated']);
    expect(tx.state).toBe(IST.Terminated);
  });

  it('does not retransmit over a reliable transport and ends on the ACK (timer I = 0)', () => {
    const { clock, tx, invite, transport } = setupInvite(TCP);
    tx.respond(createResponse(invite, 486, undefined, { toTag: 'u' }));
    clock.advance(10_000);
    expect(transport.labels()).toEqual(['486']);
    tx.receiveRequest(ackFor(invite, 'u'));
    expect(tx.state).toBe(IST.Terminated);
  });

  it('in Accepted, absorbs INVITE retransmissions, passes ACKs and 2xx retransmissions, and ends after timer L', () => {
    const { clock, tx, invite, transport, events } = setupInvite();
    const ok = createResponse(invite, 200, undefined, { toTag: 'u' });
    expect(tx.respond(ok)).toBe(true);
    expect(tx.state).toBe(IST.Accepted);
    tx.receiveRequest(invite);
    expect(transport.labels()).toEqual(['200']);
    expect(tx.respond(ok)).toBe(true);
    expect(tx.respond(createResponse(invite, 500))).toBe(false);
    expect(transport.labels()).toEqual(['200', '200']);
    tx.receiveRequest(ackFor(invite, 'u'));
    expect(events).toEqual(['ack']);
    clock.advance(32_000);
    expect(tx.state).toBe(IST.Terminated);
    expect(tx.respond(ok)).toBe(false);
  });

  it('terminates and informs the TU when a response cannot be sent', () => {
    const { tx, invite, transport, events } = setupInvite();
    transport.failure = 'throw';
    tx.respond(createResponse(invite, 486, undefined, { toTag: 'u' }));
    expect(events).toEqual(['transport-error', 'terminated']);
    expect(tx.state).toBe(IST.Terminated);
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  function setup(destination: Destination = UDP) {
    const clock = new FakeClock();
    const transport = new RecordingTransport();
    const req = request(optionsText());
    const tx = new NonInviteServerTransaction('id', req, destination, {
      clock,
      transport,
      timers: DEFAULT_TIMER_VALUES,
    });
    tx.start();
    return { clock, transport, req, tx };
  }

  it('absorbs retransmissions in Trying, repeats the last response afterwards, ends after timer J', () => {
    const { clock, transport, req, tx } = setup();
    tx.receiveRequest(req);
    expect(transport.labels()).toEqual([]);
    tx.respond(createResponse(req, 100));
    expect(tx.state).toBe(NIST.Proceeding);
    tx.receiveRequest(req);
    expect(transport.labels()).toEqual(['100', '100']);
    tx.respond(createResponse(req, 200, undefined, { toTag: 'x' }));
    expect(tx.state).toBe(NIST.Completed);
    tx.receiveRequest(req);
    expect(transport.labels()).toEqual(['100', '100', '200', '200']);
    expect(tx.respond(createResponse(req, 500))).toBe(false);
    clock.advance(31_999);
    expect(tx.state).toBe(NIST.Completed);
    clock.advance(1);
    expect(tx.state).toBe(NIST.Terminated);
  });

  it('ends as soon as the final response is sent over a reliable transport (timer J = 0)', () => {
    const { req, tx, transport } = setup(TCP);
    tx.respond(createResponse(req, 200, undefined, { toTag: 'x' }));
    expect(transport.labels()).toEqual(['200']);
    expect(tx.state).toBe(NIST.Terminated);
  });
});
