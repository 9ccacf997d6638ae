// JsSIP (npm `jssip`): lib/Parser.js parseMessage(data, ua). The UA is only stored on incoming
// requests, so an empty object stands in for it. The parser reads Via (first), From, To,
// Call-ID, CSeq, Contact, Record-Route, Content-Length/-Type eagerly with its PEG grammar.
import { createRequire } from 'node:module';
import type { Contestant } from '../contestant.ts';
import { packageVersion } from './package-version.ts';

interface JsSipIncomingMessage {
  readonly via_branch: string;
  readonly call_id: string;
  readonly cseq: number;
  readonly from_tag: string;
  toString(): string;
}

interface JsSipParser {
  parseMessage(data: string, ua: object): JsSipIncomingMessage | undefined;
}

const require = createRequire(import.meta.url);
const Parser = require('jssip/lib/Parser.js') as JsSipParser;
const ua = {};

function parse(text: string): JsSipIncomingMessage {
  const message = Parser.parseMessage(text, ua);
  if (!message) throw new Error('JsSIP rejected the message');
  return message;
}

export const jssip: Contestant = {
  name: `JsSIP ${packageVersion('jssip')}`,
  ours: false,
  serializeNote: 'JsSIP: toString() of an incoming message returns the text it was parsed from (no work).',
  bind(text) {
    return {
      parse() {
        const m = parse(text);
        return m.via_branch.length + m.call_id.length + m.cseq + m.from_tag.length;
      },
      parseAndSerialize() {
        const m = parse(text);
        if (m.via_branch.length + m.call_id.length + m.cseq + m.from_tag.length === 0) return '';
        return m.toString();
      },
      check() {
        const m = parse(text);
        return {
          fields: { branch: m.via_branch, callId: m.call_id, cseq: m.cseq, fromTag: m.from_tag },
          serialized: m.toString(),
        };
      },
    };
  },
};
