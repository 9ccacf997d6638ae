// What happens to the bytes of one message from the network: parse; deliver a good message to
// the receiver; count a bad one and, when it is a request whose Via, From, To, Call-ID and
// CSeq are readable, answer 400 (RFC 3261 §8.2, §16.3) — otherwise drop it silently, since
// there is nobody to answer.
import type { MessageSource, SipRequest, SipResponse, TransportReceiver } from '@switchboard/sip';
import { createResponse, parseMessage } from '@switchboard/sip';
import type { TransportCounters } from './counters.ts';
import type { ResolvedOptions } from './options.ts';

export interface IntakeContext {
  readonly options: ResolvedOptions;
  readonly counters: TransportCounters;
  readonly receiver: TransportReceiver | undefined;
}

/** Sends a reply (a 400) back the way the message came. */
export type Reply = (bytes: Uint8Array) => Promise<void>;

export function intake(context: IntakeContext, bytes: Uint8Array, source: MessageSource, reply: Reply): void {
  const { options, counters } = context;
  const result = parseMessage(bytes, options.limits);
  if (result.kind === 'message') {
    counters.increment('messages_received', source.protocol);
    deliver(context, result.message, source);
    return;
  }
  const reason = result.kind === 'malformed' ? result.reason : 'incomplete message';
  counters.increment('parse_errors', source.protocol);
  // Debug, not warn: a garbage flood must not become a log flood.
  options.logger.debug(
    { protocol: source.protocol, remote: source.remote, reason },
    'malformed SIP message dropped',
  );
  const partial = result.kind === 'malformed' ? result.partial : undefined;
  const answer = partial !== undefined ? badRequest(partial, reason) : undefined;
  if (answer === undefined) return;
  counters.increment('bad_requests_answered', source.protocol);
  reply(answer.toBytes()).catch((error: Error) => {
    counters.increment('send_errors', source.protocol);
    options.logger.debug({ remote: source.remote, error: error.message }, 'could not send 400');
  });
}

function deliver(context: IntakeContext, message: SipRequest | SipResponse, source: MessageSource): void {
  const { receiver, options, counters } = context;
  if (receiver === undefined) return;
  try {
    receiver.receive(message, source);
  } catch (error) {
    // A bug above must not take the socket loop down with it.
    counters.increment('receiver_errors', source.protocol);
    options.logger.error(
      {
        protocol: source.protocol,
        remote: source.remote,
        error: error instanceof Error ? error.stack : String(error),
      },
      'SIP receiver threw',
    );
  }
}

/** A 400 for a malformed request, when what a response needs is readable; else undefined. */
export function badRequest(partial: SipRequest | SipResponse, reason: string): SipResponse | undefined {
  if (!('method' in partial) || partial.method === 'ACK') return undefined; // never answer ACK
  for (const key of ['via', 'from', 'to', 'call-id', 'cseq'] as const) {
    if (!partial.parsedHeader(key).ok) return undefined;
  }
  const via = partial.parsedHeader('via');
  if (!via.ok || via.value.length === 0) return undefined;
  try {
    // RFC 3261 §20.43: warn-code 399 "miscellaneous warning" carries the parser's reason.
    const text = reason
      .replace(/[\\"]/g, '\\$&')
      .replace(/[\r\n]/g, ' ')
      .slice(0, 200);
    return createResponse(partial, 400, 'Bad Request', { headers: { Warning: `399 - "${text}"` } });
  } catch {
    return undefined;
  }
}
