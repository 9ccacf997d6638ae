// The `sip` npm package (kirm/sip.js, the stack drachtio's predecessors and many Node SIP
// servers used): sip.parse(string) splits the message with regular expressions and parses
// Via, From, To, Contact, Route/Record-Route, CSeq, Content-Length and auth headers eagerly;
// sip.stringify(message) rebuilds the text from the parsed model.
import { createRequire } from 'node:module';
import type { Contestant } from '../contestant.ts';
import { proxyVia } from '../sample-messages.ts';
import { packageVersion } from './package-version.ts';

interface SipNpmVia {
  readonly version: string;
  readonly protocol: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Readonly<Record<string, string | null>>;
}

interface SipNpmMessage {
  readonly headers: {
    readonly via: SipNpmVia[];
    'max-forwards'?: string | number;
    readonly 'call-id': string;
    readonly cseq: { readonly seq: number; readonly method: string };
    readonly from: { readonly params: Readonly<Record<string, string | null>> };
  };
}

interface SipNpm {
  parse(data: string): SipNpmMessage | undefined;
  stringify(message: SipNpmMessage): string;
}

const require = createRequire(import.meta.url);
const sip = require('sip') as SipNpm;

function parse(text: string): SipNpmMessage {
  const message = sip.parse(text);
  if (!message) throw new Error('sip rejected the message');
  return message;
}

function touch(m: SipNpmMessage): number {
  const h = m.headers;
  return (
    (h.via[0]?.params.branch ?? '').length +
    h['call-id'].length +
    h.cseq.seq +
    (h.from.params.tag ?? '').length
  );
}

function forward(m: SipNpmMessage): string {
  m.headers.via.unshift({
    version: '2.0',
    protocol: proxyVia.transport,
    host: proxyVia.host,
    port: proxyVia.port,
    params: { branch: proxyVia.branch },
  });
  m.headers['max-forwards'] = Number(m.headers['max-forwards'] ?? 70) - 1;
  return sip.stringify(m);
}

export const sipNpm: Contestant = {
  name: `sip ${packageVersion('sip')}`,
  ours: false,
  serializeNote: 'sip: stringify() rebuilds the text from the parsed model.',
  bind(text) {
    return {
      parse() {
        return touch(parse(text));
      },
      parseAndSerialize() {
        const m = parse(text);
        if (touch(m) === 0) return '';
        return sip.stringify(m);
      },
      forward() {
        const m = parse(text);
        if (touch(m) === 0) return '';
        return forward(m);
      },
      check() {
        const m = parse(text);
        const h = m.headers;
        return {
          fields: {
            branch: h.via[0]?.params.branch ?? '',
            callId: h['call-id'],
            cseq: h.cseq.seq,
            fromTag: h.from.params.tag ?? '',
          },
          serialized: sip.stringify(m),
          forwarded: forward(parse(text)),
        };
      },
    };
  },
};
