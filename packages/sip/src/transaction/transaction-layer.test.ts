import { FakeClock, RecordingTransport, inviteText, optionsText } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import type { MessageSource } from '../core/transport.ts';
import { createResponse } from '../message/create-response.ts';
import { parseMessage } from '../message/parse-message.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from './transaction-types.ts';
import { TransactionLayer } from './transaction-layer.ts';

const FROM_NAT: MessageSource = {
  protocol: 'UDP',
  remote: { host: '203.0.113.7', port: 40123 },
  local: { host: '192.0.2.20', port: 5060 },
};

function parse(text: string): SipRequest | SipResponse {
  const r = parseMessage(text);
  if (r.kind !== 'message') throw new Error(`fixture did not parse: ${r.kind}`);
  return r.message;
}

function setup() {
  const clock = new FakeClock();
  const transport = new RecordingTransport({ host: '192.0.2.20', port: 5060 });
  const requests: Array<{ request: SipRequest; tx: ServerTransaction | undefined }> = [];
  const strays: SipResponse[] = [];
  const layer = new TransactionLayer(
    { clock, transport },
    {
      onRequest: (request, tx) => requests.push({ request, tx }),
      onStrayResponse: (r) => strays.push(r),
    },
  );
  return { clock, transport, layer, requests, strays };
}

describe('TransactionLayer: server side (§17.2.3, §18.2, RFC 3581)', () => {
  it('creates one server transaction per request and absorbs retransmissions', () => {
    const { layer, requests } = setup();
    layer.receive(parse(inviteText()), FROM_NAT);
    layer.receive(parse(inviteText()), FROM_NAT);
    layer.receive(parse(optionsText()), FROM_NAT);
    expect(requests.map((r) => r.request.method)).toEqual(['INVITE', 'OPTIONS']);
    expect(layer.size.servers).toBe(2);
  });

  it('stamps received and rport on the top Via and answers to the source address', () => {
    const { layer, requests, transport } = setup();
    layer.receive(parse(inviteText()), FROM_NAT);
    const { request, tx } = requests[0]!;
    const via = request.topVia()!;
    expect(via.received).toBe('203.0.113.7');
    expect(via.rport).toBe(40123);
    tx!.respond(createResponse(request, 180, undefined, { toTag: 'x' }));
    expect(transport.sent[0]!.destination).toEqual({ protocol: 'UDP', host: '203.0.113.7', port: 40123 });
    expect((transport.sent[0]!.message as SipResponse).topVia()!.received).toBe('203.0.113.7');
  });

  it('passes an ACK for a 2xx (new branch) up without a transaction, and matches an ACK for a non-2xx', () => {
    const { layer, requests } = setup();
    layer.receive(parse(inviteText()), FROM_NAT);
    const { request, tx } = requests[0]!;
    tx!.respond(createResponse(request, 486, undefined, { toTag: 'x' }));
    const ackSameBranch = inviteText({ toTag: 'x' })
      .replace('INVITE sip:', 'ACK sip:')
      .replace('314159 INVITE', '314159 ACK');
    layer.receive(parse(ackSameBranch), FROM_NAT);
    expect(tx!.state).toBe('Confirmed');
    expect(requests).toHaveLength(1);
    layer.receive(parse(ackSameBranch.replace('z9hG4bK776asdhds', 'z9hG4bKother')), FROM_NAT);
    expect(requests.map((r) => [r.request.method, r.tx])).toEqual([
      ['INVITE', tx],
      ['ACK', undefined],
    ]);
  });

  it('keeps CANCEL apart from the INVITE it shares a branch with, and finds that INVITE (§9.2)', () => {
    const { layer, requests } = setup();
    layer.receive(parse(inviteText()), FROM_NAT);
    const cancel = parse(
      inviteText()
        .replace('INVITE sip:', 'CANCEL sip:')
        .replace('314159 INVITE', '314159 CANCEL')
        .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n'),
    ) as SipRequest;
    layer.receive(cancel, FROM_NAT);
    expect(requests.map((r) => r.request.method)).toEqual(['INVITE', 'CANCEL']);
    expect(layer.findInviteForCancel(cancel)).toBe(requests[0]!.tx);
    expect(requests[1]!.tx!.kind).toBe('non-invite-server');
  });

  it('matches RFC 2543 requests without the magic cookie (§17.2.3 fallback)', () => {
    const { layer, requests } = setup();
    const old = inviteText({ branch: 'oldstyle1' });
    layer.receive(parse(old), FROM_NAT);
    layer.receive(parse(old), FROM_NAT);
    expect(requests).toHaveLength(1);
    const { request, tx } = requests[0]!;
    tx!.respond(createResponse(request, 404, undefined, { toTag: 'nf' }));
    const ack = old
      .replace('INVITE sip:', 'ACK sip:')
      .replace('314159 INVITE', '314159 ACK')
      .replace('<sip:bob@example.com>', '<sip:bob@example.com>;tag=nf');
    layer.receive(parse(ack), FROM_NAT);
    expect(tx!.state).toBe('Confirmed');
    // A request differing in the From tag is a new transaction.
    layer.receive(parse(old.replace('tag=1928301774', 'tag=other')), FROM_NAT);
    expect(requests).toHaveLength(2);
  });

  it('answers a malformed request whose headers were readable with a stateless 400', () => {
    const { layer, transport, requests } = setup();
    const bad = optionsText().replace('Max-Forwards: 70', 'Max-Forwards: seventy');
    layer.receiveBytes(new TextEncoder().encode(bad), FROM_NAT);
    expect(requests).toHaveLength(0);
    expect(transport.labels()).toEqual(['400']);
    expect(transport.sent[0]!.destination.host).toBe('203.0.113.7');
  });
});

describe('TransactionLayer: client side (§17.1.3)', () => {
  it('routes responses by branch and CSeq method and drops strays (RFC 6026 §8.9)', () => {
    const { layer, transport, strays } = setup();
    const invite = parse(inviteText()) as SipRequest;
    const seen: number[] = [];
    layer.sendRequest(
      invite,
      { protocol: 'UDP', host: '192.0.2.20', port: 5060 },
      { onResponse: (r) => seen.push(r.status) },
    );
    expect(transport.labels()).toEqual(['INVITE']);
    layer.receive(createResponse(invite, 180, undefined, { toTag: 'a' }), FROM_NAT);
    const cancelResponse = createResponse(invite, 200, undefined, { toTag: 'a' });
    cancelResponse.cseq = { seq: invite.cseq.seq, method: 'CANCEL' };
    layer.receive(cancelResponse, FROM_NAT);
    const otherBranch = createResponse(invite, 200, undefined, { toTag: 'a' });
    const via = otherBranch.topVia()!.clone();
    via.branch = 'z9hG4bKelse';
    otherBranch.setTopVia(via);
    layer.receive(otherBranch, FROM_NAT);
    expect(seen).toEqual([180]);
    expect(strays).toHaveLength(2);
  });

  it('forgets transactions once they terminate', () => {
    const { layer, clock } = setup();
    const options = parse(optionsText()) as SipRequest;
    layer.sendRequest(options, { protocol: 'UDP', host: '192.0.2.20', port: 5060 }, {});
    expect(layer.size.clients).toBe(1);
    clock.runAll();
    expect(layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
  });
});

describe('TransactionLayer: completed non-INVITE server transactions kept as bytes (§17.2.2)', () => {
  const TIMER_J = 64 * 500;

  it('answers retransmissions with the same final response for Timer J, then treats the key as new', () => {
    const { clock, layer, requests, transport } = setup();
    const ended: string[] = [];
    layer.delegate.onServerEnded = (id) => ended.push(id);
    layer.receive(parse(optionsText()), FROM_NAT);
    const { request, tx } = requests[0]!;
    tx!.respond(createResponse(request, 200, undefined, { toTag: 't1' }));
    // The transaction object is gone; its response stays, as bytes.
    expect(tx!.state).toBe('Terminated');
    expect(layer.size).toEqual({ clients: 0, servers: 0, retained: 1 });
    expect(ended).toEqual([]);
    const first = transport.sent[0]!.message.toString();

    clock.advance(5_000);
    layer.receive(parse(optionsText()), FROM_NAT);
    expect(requests).toHaveLength(1);
    expect(transport.sent).toHaveLength(2);
    expect(transport.sent[1]!.message.toString()).toBe(first);
    expect(transport.sent[1]!.destination).toEqual({ protocol: 'UDP', host: '203.0.113.7', port: 40123 });

    // Timer J (plus at most the one-second sweep) ends it for the TU too.
    clock.advance(TIMER_J);
    expect(layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
    expect(ended).toEqual([tx!.id]);
    layer.receive(parse(optionsText()), FROM_NAT);
    expect(requests).toHaveLength(2);
    expect(transport.sent).toHaveLength(2);
  });

  it('sends the retained bytes as they are when the transport can', () => {
    const clock = new FakeClock();
    const sentBytes: string[] = [];
    const sentMessages: string[] = [];
    const requests: Array<{ request: SipRequest; tx: ServerTransaction | undefined }> = [];
    const layer = new TransactionLayer(
      {
        clock,
        transport: {
          send: (message) => void sentMessages.push(message.toString()),
          sendBytes: (bytes) => void sentBytes.push(new TextDecoder().decode(bytes)),
          localAddress: () => ({ host: '192.0.2.20', port: 5060 }),
        },
      },
      { onRequest: (request, tx) => requests.push({ request, tx }) },
    );
    layer.receive(parse(optionsText()), FROM_NAT);
    const { request, tx } = requests[0]!;
    tx!.respond(createResponse(request, 100));
    tx!.respond(createResponse(request, 404, undefined, { toTag: 't1' }));
    layer.receive(parse(optionsText()), FROM_NAT);
    expect(sentMessages.map((m) => m.split('\r\n')[0])).toEqual(['SIP/2.0 100 Trying']);
    expect(sentBytes).toHaveLength(2);
    expect(sentBytes[0]).toMatch(/^SIP\/2\.0 404 Not Found\r\n/);
    expect(sentBytes[1]).toBe(sentBytes[0]);
  });

  it('keeps whole transactions on reliable transports and for RFC 2543 requests (no magic cookie)', () => {
    const { clock, layer, requests } = setup();
    layer.receive(parse(optionsText()), { ...FROM_NAT, protocol: 'TCP' });
    layer.receive(parse(optionsText().replace(/branch=z9hG4bK\w+/, 'branch=old2543')), FROM_NAT);
    for (const { request, tx } of requests)
      tx!.respond(createResponse(request, 200, undefined, { toTag: 't' }));
    // TCP: Timer J is zero, nothing kept. RFC 2543: matched with the To tag, so the whole
    // transaction stays in Completed until Timer J.
    expect(layer.size).toEqual({ clients: 0, servers: 1, retained: 0 });
    expect(requests[1]!.tx!.state).toBe('Completed');
    clock.advance(TIMER_J);
    expect(layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
  });

  it('holds thousands of completed transactions as one entry each and expires them in order', () => {
    const { clock, layer, requests } = setup();
    for (let i = 0; i < 3000; i++) {
      layer.receive(parse(optionsText().replace(/branch=z9hG4bK\w+/, `branch=z9hG4bKn${i}`)), FROM_NAT);
      const { request, tx } = requests[i]!;
      tx!.respond(createResponse(request, 200, undefined, { toTag: 't' }));
      clock.advance(20); // 3,000 over 60 s
      const alive = Math.min(i + 1, TIMER_J / 20 - 1); // those younger than Timer J
      expect(layer.size.retained).toBeGreaterThanOrEqual(alive);
      expect(layer.size.retained).toBeLessThanOrEqual(alive + 1000 / 20 + 1); // the sweep runs each second
    }
    expect(layer.size.servers).toBe(0);
    clock.advance(TIMER_J + 1000);
    expect(layer.size.retained).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('TransactionLayer: stateless final responses (§8.2.7)', () => {
  it('sends a challenge and forgets the request: nothing retained, a retransmission is a new request', () => {
    const { layer, requests, transport } = setup();
    const ended: string[] = [];
    layer.delegate.onServerEnded = (id) => ended.push(id);
    layer.receive(parse(optionsText()), FROM_NAT);
    const { request, tx } = requests[0]!;
    expect(tx!.respond(createResponse(request, 401, undefined, { toTag: 'c1' }), { stateless: true })).toBe(
      true,
    );
    expect(tx!.state).toBe('Terminated');
    expect(layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
    expect(ended).toEqual([tx!.id]);
    expect(transport.labels()).toEqual(['401']);
    layer.receive(parse(optionsText()), FROM_NAT);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.tx).not.toBe(tx);
  });
});
