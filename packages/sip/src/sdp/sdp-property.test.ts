// Property tests (fast-check): any description we can represent survives serialize → parse;
// no input, random or mutated from real SDP, makes the parser or the offer/answer helpers
// throw. Run counts are fixed so the suite stays bounded in time.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAudioAnswer } from './audio-answer.ts';
import { readAudioStreams, readFormats } from './audio-stream.ts';
import { defaultCodecs, sameCodec } from './codecs.ts';
import { formatCrypto, parseCrypto, type CryptoAttribute } from './crypto-attribute.ts';
import * as fixtures from './fixtures/index.ts';
import { formatCandidate, parseCandidate, readIce, type IceCandidate } from './ice-attributes.ts';
import type {
  SdpAttribute,
  SdpConnection,
  MediaDescription,
  SessionDescription,
  SdpTiming,
} from './sdp-model.ts';
import { parseSdp } from './sdp-parser.ts';
import { serializeSdp } from './sdp-serializer.ts';
import { readWebRtc } from './webrtc-attributes.ts';

const TOKEN_CHARS = "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{|}~";
const char = (set: string) => fc.constantFrom(...set.split(''));
const token = fc.string({ unit: char(TOKEN_CHARS), minLength: 1, maxLength: 12 });
const digits = fc.stringMatching(/^[0-9]{1,20}$/);
const visible = fc.string({ unit: char(TOKEN_CHARS + '"(),/:;<=>?@[\\]'), minLength: 1, maxLength: 16 });
/** Free text for s=, i=, a= values…: anything but CR, LF and NUL, Unicode included. */
const text = fc.string({ unit: 'grapheme', maxLength: 24 }).filter((s) => !/[\r\n\0]/.test(s));
const typedTime = fc.stringMatching(/^[0-9]{1,6}[dhms]?$/);

const connection: fc.Arbitrary<SdpConnection> = fc.oneof(
  fc
    .record({
      netType: token,
      addrType: fc.constant('IP4'),
      address: visible.filter((s) => !s.includes('/')),
    })
    .chain((c) =>
      fc.oneof(
        fc.constant<SdpConnection>(c),
        fc.integer({ min: 0, max: 255 }).map((ttl): SdpConnection => ({ ...c, ttl })),
        fc
          .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 1000 }))
          .map(([ttl, addressCount]): SdpConnection => ({ ...c, ttl, addressCount })),
      ),
    ),
  fc
    .record({
      netType: token,
      addrType: fc.constantFrom('IP6', 'X-ATM'),
      address: visible.filter((s) => !s.includes('/')),
    })
    .chain((c) =>
      fc.oneof(
        fc.constant<SdpConnection>(c),
        fc.integer({ min: 1, max: 1000 }).map((addressCount): SdpConnection => ({ ...c, addressCount })),
      ),
    ),
);

const attribute: fc.Arbitrary<SdpAttribute> = fc.oneof(
  token.map((name): SdpAttribute => ({ name })),
  fc.record({ name: token, value: text }),
);
const bandwidth = fc.record({ type: token, value: fc.integer({ min: 0, max: 2 ** 40 }) });
const timing: fc.Arbitrary<SdpTiming> = fc.record({
  start: digits,
  stop: digits,
  repeats: fc.array(
    fc.record({
      interval: typedTime,
      duration: typedTime,
      offsets: fc.array(typedTime, { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 2 },
  ),
});

/** Adds optional fields only when present, as the parser does. */
const optional = <T extends object>(base: object, extra: Record<string, unknown>): T => {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
};

const media: fc.Arbitrary<MediaDescription> = fc
  .record({
    type: token,
    port: fc.integer({ min: 0, max: 65535 }),
    portCount: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    protocol: fc.array(token, { minLength: 1, maxLength: 3 }).map((p) => p.join('/')),
    formats: fc.array(token, { maxLength: 8 }),
    information: fc.option(text, { nil: undefined }),
    connections: fc.array(connection, { maxLength: 2 }),
    bandwidths: fc.array(bandwidth, { maxLength: 2 }),
    key: fc.option(text, { nil: undefined }),
    attributes: fc.array(attribute, { maxLength: 8 }),
  })
  .map(({ portCount, information, key, ...rest }) =>
    optional<MediaDescription>(rest, { portCount, information, key }),
  );

const session: fc.Arbitrary<SessionDescription> = fc
  .record({
    origin: fc.record({
      username: visible,
      sessionId: digits,
      sessionVersion: digits,
      netType: token,
      addrType: token,
      address: visible,
    }),
    sessionName: text,
    information: fc.option(text, { nil: undefined }),
    uri: fc.option(text, { nil: undefined }),
    emails: fc.array(text, { maxLength: 2 }),
    phones: fc.array(text, { maxLength: 2 }),
    connection: fc.option(connection, { nil: undefined }),
    bandwidths: fc.array(bandwidth, { maxLength: 2 }),
    timings: fc.array(timing, { maxLength: 2 }),
    timeZones: fc.array(fc.record({ time: digits, offset: fc.stringMatching(/^-?[0-9]{1,6}[dhms]?$/) }), {
      maxLength: 3,
    }),
    key: fc.option(text, { nil: undefined }),
    attributes: fc.array(attribute, { maxLength: 6 }),
    media: fc.array(media, { maxLength: 4 }),
  })
  .map(({ information, uri, connection: c, key, ...rest }) =>
    optional<SessionDescription>({ version: 0, ...rest }, { information, uri, connection: c, key }),
  );

const goldens = Object.values(fixtures) as string[];

/** Real SDP with random edits: characters replaced, inserted or deleted, lines dropped or repeated. */
const mutated = fc
  .tuple(
    fc.constantFrom(...goldens),
    fc.array(
      fc.record({
        kind: fc.constantFrom('replace', 'insert', 'delete', 'drop-line', 'dup-line'),
        at: fc.nat(),
        ch: fc.constantFrom(' ', ':', '/', '=', '\r', '\n', '0', '9', 'a', 'm', '-', '\t', '\0', 'é'),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([golden, edits]) => {
    let s = golden;
    for (const e of edits) {
      const i = s.length === 0 ? 0 : e.at % s.length;
      if (e.kind === 'replace') s = s.slice(0, i) + e.ch + s.slice(i + 1);
      else if (e.kind === 'insert') s = s.slice(0, i) + e.ch + s.slice(i);
      else if (e.kind === 'delete') s = s.slice(0, i) + s.slice(i + 1);
      else {
        const lines = s.split('\r\n');
        const n = e.at % lines.length;
        if (e.kind === 'drop-line') lines.splice(n, 1);
        else lines.splice(n, 0, lines[n] ?? '');
        s = lines.join('\r\n');
      }
    }
    return s;
  });

describe('SDP properties', () => {
  it('serialize → parse gives back the same description', () => {
    fc.assert(
      fc.property(session, (sdp) => {
        const text1 = serializeSdp(sdp);
        const r = parseSdp(text1);
        if (!r.ok) throw new Error(`${r.reason}\n${text1}`);
        expect(r.sdp).toEqual(sdp);
        expect(serializeSdp(r.sdp)).toBe(text1);
      }),
      { numRuns: 400 },
    );
  });

  it('random bytes and random text never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), (bytes) => {
        expect(typeof parseSdp(bytes).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (s) => {
        expect(typeof parseSdp(s).ok).toBe('boolean');
        expect(typeof parseSdp(`v=0\r\n${s}`).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('random lines of every type after v=0 never throw, and what parses is a serialize fixpoint', () => {
    const value = fc.oneof(
      text,
      fc
        .array(
          fc.oneof(token, digits, visible, fc.constantFrom('IN', 'IP4', 'IP6', 'RTP/AVP', '0', '-1h', '7d')),
          {
            maxLength: 7,
          },
        )
        .map((f) => f.join(' ')),
    );
    const line = fc
      .tuple(fc.constantFrom(...'vosiuepcbtrzkam'.split('')), value)
      .map(([t, v]) => `${t}=${v}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const input = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', ...lines].join('\r\n');
        const r = parseSdp(input);
        if (!r.ok) {
          expect(r.line === undefined || r.line >= 1).toBe(true);
          return;
        }
        const once = serializeSdp(r.sdp);
        const again = parseSdp(once);
        expect(again.ok && serializeSdp(again.sdp)).toBe(once);
      }),
      { numRuns: 600 },
    );
  });

  it('mutated real SDP: parse never throws; what parses is a serialize fixpoint and the readers and answerer cope', () => {
    const local = defaultCodecs.resolve(['opus', 'G722', 'PCMU', 'PCMA', 'G729']);
    if (!local.ok) throw new Error(local.reason);
    fc.assert(
      fc.property(mutated, (input) => {
        const r = parseSdp(input);
        if (!r.ok) {
          expect(r.reason.length).toBeGreaterThan(0);
          return;
        }
        const once = serializeSdp(r.sdp);
        const again = parseSdp(once);
        expect(again.ok && serializeSdp(again.sdp)).toBe(once);
        for (const m of r.sdp.media) {
          readIce(m, r.sdp);
          readWebRtc(m, r.sdp);
        }
        readAudioStreams(r.sdp);
        const a = createAudioAnswer(r.sdp, {
          origin: { sessionId: '1', address: '192.0.2.1' },
          address: '192.0.2.1',
          port: 4000,
          codecs: local.codecs,
          protocols: ['RTP/AVP', 'UDP/TLS/RTP/SAVPF'],
        });
        if (!a.ok) {
          expect(a.status).toBe(488);
          return;
        }
        // RFC 3264 §6: same number of m= lines; only offered codecs, under offered numbers.
        expect(a.answer.media).toHaveLength(r.sdp.media.length);
        const offered = readFormats(r.sdp.media[a.negotiated.mediaIndex]!).formats;
        for (const c of a.negotiated.codecs) {
          expect(offered.some((f) => sameCodec(f, c) && f.payloadType === c.sendPayloadType)).toBe(true);
        }
        expect(parseSdp(serializeSdp(a.answer)).ok).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('a=candidate and a=crypto: format → parse round-trips', () => {
    const ice = fc.string({ unit: char('abcdefABCDEF0123456789+/'), minLength: 1, maxLength: 32 });
    const candidate: fc.Arbitrary<IceCandidate> = fc
      .record({
        foundation: ice,
        component: fc.integer({ min: 1, max: 256 }),
        transport: fc.constantFrom('UDP', 'udp', 'TCP'),
        priority: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        address: visible,
        port: fc.integer({ min: 0, max: 65535 }),
        type: fc.constantFrom('host', 'srflx', 'prflx', 'relay'),
        relatedAddress: fc.option(visible, { nil: undefined }),
        relatedPort: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
        extensions: fc.array(
          fc.record({ name: token.filter((n) => n !== 'raddr' && n !== 'rport'), value: visible }),
          { maxLength: 3 },
        ),
      })
      .map(({ relatedAddress, relatedPort, ...rest }) =>
        optional<IceCandidate>(rest, { relatedAddress, relatedPort }),
      );
    fc.assert(
      fc.property(candidate, (c) => {
        expect(parseCandidate(formatCandidate(c))).toEqual(c);
      }),
      { numRuns: 300 },
    );

    const base64 = fc.base64String({ minLength: 4, maxLength: 60 }).filter((s) => s.length > 0);
    const crypto: fc.Arbitrary<CryptoAttribute> = fc.record({
      tag: fc.integer({ min: 0, max: 999_999_999 }),
      suite: fc.stringMatching(/^[A-Z0-9_]{1,30}$/),
      keys: fc.array(
        fc
          .record({
            keySalt: base64,
            lifetime: fc.option(fc.stringMatching(/^(2\^)?[0-9]{1,9}$/), { nil: undefined }),
            mki: fc.option(
              fc.record({
                value: fc.stringMatching(/^[0-9]{1,5}$/),
                length: fc.stringMatching(/^[0-9]{1,3}$/),
              }),
              {
                nil: undefined,
              },
            ),
          })
          .map(({ lifetime, mki, keySalt }) =>
            optional({ method: 'inline' as const, keySalt }, { lifetime, mki }),
          ),
        { minLength: 1, maxLength: 3 },
      ),
      sessionParams: fc.array(fc.stringMatching(/^[A-Z_]{1,10}(=[0-9]{1,3})?$/), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(crypto, (c) => {
        expect(parseCrypto(formatCrypto(c))).toEqual(c);
      }),
      { numRuns: 300 },
    );
  });
});
