// Switchboard's own parser (@switchboard/sip). It takes bytes, as they come off a socket: the
// message text is encoded to UTF-8 once, outside the timed loop. Header values are parsed
// lazily, so the proxy fields are read explicitly (topVia().branch, callId, cseq, from.tag).
import { type SipMessageAny, Via, parseMessage } from '@switchboard/sip';
import type { Contestant } from '../contestant.ts';
import { proxyVia } from '../sample-messages.ts';

function parse(bytes: Uint8Array): SipMessageAny {
  const result = parseMessage(bytes);
  if (result.kind !== 'message') {
    throw new Error(
      `Switchboard rejected the message: ${result.kind === 'malformed' ? result.reason : 'incomplete'}`,
    );
  }
  return result.message;
}

function touch(m: SipMessageAny): number {
  return (m.topVia()?.branch ?? '').length + m.callId.length + m.cseq.seq + (m.from.tag ?? '').length;
}

function forward(m: SipMessageAny): Uint8Array {
  m.pushVia(
    new Via({
      transport: proxyVia.transport,
      host: proxyVia.host,
      port: proxyVia.port,
      params: { branch: proxyVia.branch },
    }),
  );
  m.maxForwards = (m.maxForwards ?? 70) - 1;
  return m.toBytes();
}

const decoder = new TextDecoder();

export const switchboard: Contestant = {
  name: 'Switchboard',
  ours: true,
  serializeNote:
    'Switchboard: toBytes() of an unchanged parsed message returns the bytes it was parsed from; ' +
    'after a change (proxy forward) it rebuilds the message from its fields.',
  bind(text) {
    const bytes = new TextEncoder().encode(text);
    return {
      parse() {
        return touch(parse(bytes));
      },
      parseAndSerialize() {
        const m = parse(bytes);
        if (touch(m) === 0) return undefined;
        return m.toBytes();
      },
      forward() {
        const m = parse(bytes);
        if (touch(m) === 0) return undefined;
        return forward(m);
      },
      check() {
        const m = parse(bytes);
        const fields = {
          branch: m.topVia()?.branch ?? '',
          callId: m.callId,
          cseq: m.cseq.seq,
          fromTag: m.from.tag ?? '',
        };
        const serialized = decoder.decode(m.toBytes());
        return { fields, serialized, forwarded: decoder.decode(forward(parse(bytes))) };
      },
    };
  },
};
