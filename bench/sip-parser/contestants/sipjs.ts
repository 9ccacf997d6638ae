// SIP.js (npm `sip.js`): the core's Parser.parseMessage(data, logger), the same code path its
// transport uses for every incoming message. Like JsSIP (it is a fork of it) it reads Via,
// From, To, Call-ID, CSeq, Contact, Record-Route and Content-* eagerly with a PEG grammar.
import type { Logger } from 'sip.js/lib/core/log/logger.js';
import { Parser } from 'sip.js/lib/core/messages/parser.js';
import type { IncomingRequestMessage, IncomingResponseMessage } from 'sip.js/lib/core/messages/index.js';
import type { Contestant } from '../contestant.ts';
import { packageVersion } from './package-version.ts';

const silent = { warn() {}, error() {}, log() {}, debug() {} } as unknown as Logger;

function parse(text: string): IncomingRequestMessage | IncomingResponseMessage {
  const message = Parser.parseMessage(text, silent);
  if (!message) throw new Error('SIP.js rejected the message');
  return message;
}

export const sipjs: Contestant = {
  name: `SIP.js ${packageVersion('sip.js')}`,
  ours: false,
  serializeNote: 'SIP.js: toString() of an incoming message returns the text it was parsed from (no work).',
  bind(text) {
    return {
      parse() {
        const m = parse(text);
        return m.viaBranch.length + m.callId.length + m.cseq + m.fromTag.length;
      },
      parseAndSerialize() {
        const m = parse(text);
        if (m.viaBranch.length + m.callId.length + m.cseq + m.fromTag.length === 0) return '';
        return m.toString();
      },
      check() {
        const m = parse(text);
        return {
          fields: { branch: m.viaBranch, callId: m.callId, cseq: m.cseq, fromTag: m.fromTag },
          serialized: m.toString(),
        };
      },
    };
  },
};
