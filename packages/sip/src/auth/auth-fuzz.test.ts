// Property tests: hostile header values never throw, and what we write we read back.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandomBytes, TEST_SECRET } from './auth-test-helpers.ts';
import type { AuthItem } from './auth-params.ts';
import { parseAuthItems, parseAuthParamList, serializeAuthItem } from './auth-params.ts';
import { DigestClient } from './digest-client.ts';
import {
  parseAuthenticationInfo,
  parseChallengeRows,
  parseDigestCredentials,
  serializeDigestChallenge,
  serializeDigestCredentials,
} from './digest-header.ts';
import { DigestServer } from './digest-server.ts';

const RUNS = { numRuns: 400 };

/** Fragments that steer random text into the parser's interesting corners. */
const fragment = fc.oneof(
  fc.constantFrom(
    'Digest',
    'Basic',
    'realm',
    'nonce',
    'qop',
    'nc',
    'username',
    'response',
    'uri',
    'algorithm',
  ),
  fc.constantFrom(
    '=',
    ',',
    ' ',
    '\t',
    '"',
    '\\',
    '\r\n ',
    '\r\n',
    '\n',
    '==',
    '/',
    '+',
    '\u0000',
    '\u007f',
    'ä',
    '😀',
  ),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')),
);

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
/** Any text a header may carry inside quotes (no controls besides HTAB). */
const isQuotable = (s: string): boolean =>
  [...s].every((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return (code >= 0x20 && code !== 0x7f) || code === 0x09;
  });
const quotable = fc.string({ maxLength: 30 }).filter(isQuotable);

describe('never throws on hostile input', () => {
  it('parseAuthItems / parseAuthParamList', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const r = parseAuthItems(value);
        expect(typeof r.ok).toBe('boolean');
        parseAuthParamList(value);
      }),
      RUNS,
    );
  });

  it('typed Digest parsers', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 3 }), (rows) => {
        parseChallengeRows(rows);
        for (const row of rows) {
          parseDigestCredentials(row);
          parseAuthenticationInfo(row);
        }
      }),
      RUNS,
    );
  });

  it('DigestServer.verify resolves (never rejects) and never says ok to garbage', async () => {
    const server = new DigestServer({
      secret: TEST_SECRET,
      clock: new ManualClock(),
      randomBytes: seededRandomBytes(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { maxLength: 3 }), async (headers) => {
        const r = await server.verify({
          headers,
          realm: 'r',
          method: 'REGISTER',
          requestUri: 'sip:r',
          lookup: () => ({ password: 'p' }),
        });
        expect(r.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('DigestClient.handleChallenge', () => {
    const client = new DigestClient({
      credentials: { username: 'u', password: 'p' },
      randomBytes: seededRandomBytes(),
    });
    fc.assert(
      fc.property(
        fc.array(hostile, { maxLength: 3 }),
        fc.constantFrom(401 as const, 407 as const),
        (headers, status) => {
          client.handleChallenge({ status, headers });
          client.authorize({ method: 'INVITE', requestUri: 'sip:x' });
        },
      ),
      RUNS,
    );
  });
});

describe('round trips', () => {
  it('serializeAuthItem → parseAuthItems keeps scheme, names and values', () => {
    const item = fc
      .record({
        scheme: token,
        params: fc.uniqueArray(
          fc.record({ name: token.map((t) => t.toLowerCase()), value: quotable, quoted: fc.boolean() }),
          {
            selector: (p) => p.name,
            maxLength: 8,
          },
        ),
      })
      .map((i): AuthItem => i);
    fc.assert(
      fc.property(item, (i) => {
        const r = parseAuthItems(serializeAuthItem(i));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value).toHaveLength(1);
        expect(r.value[0]?.scheme).toBe(i.scheme);
        expect(r.value[0]?.params.map((p) => [p.name, p.value])).toEqual(
          i.params.map((p) => [p.name, p.value]),
        );
      }),
      RUNS,
    );
  });

  it('challenges and credentials survive serialize → parse', () => {
    fc.assert(
      fc.property(
        quotable,
        quotable.filter((s) => s.length > 0),
        quotable,
        fc.boolean(),
        (realm, nonce, username, stale) => {
          const [c] = parseChallengeRows(
            serializeDigestChallenge({ realm, nonce, algorithm: 'SHA-256', qop: ['auth'], stale }),
          ).digest;
          expect(c).toMatchObject({ realm, nonce, stale, algorithm: 'SHA-256', qop: ['auth'] });
          const creds = parseDigestCredentials(
            serializeDigestCredentials({
              username,
              realm,
              nonce,
              uri: 'sip:a@b',
              response: 'ff',
              qop: 'auth',
              nc: '00000001',
              cnonce: username,
            }),
          );
          expect(
            creds.ok && [creds.value.username, creds.value.realm, creds.value.nonce, creds.value.cnonce],
          ).toEqual([username, realm, nonce, username]);
        },
      ),
      RUNS,
    );
  });
});

describe('mutations', () => {
  it('no one-character mutation of accepted credentials is accepted after them', async () => {
    const clock = new ManualClock();
    const server = new DigestServer({ secret: TEST_SECRET, clock, randomBytes: seededRandomBytes() });
    const client = new DigestClient({
      credentials: { username: 'alice', password: 'pw' },
      randomBytes: seededRandomBytes(3),
    });
    client.handleChallenge({ status: 401, headers: server.challenge({ realm: 'r' }) });
    const verify = (headers: string[]) =>
      server.verify({
        headers,
        realm: 'r',
        method: 'REGISTER',
        requestUri: 'sip:r',
        lookup: () => ({ password: 'pw' }),
      });
    const original = client.authorize({ method: 'REGISTER', requestUri: 'sip:r' }).headers[0]?.value ?? '';
    expect((await verify([original])).ok).toBe(true);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: original.length - 1 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        async (at, ch) => {
          const mutant = original.slice(0, at) + ch + original.slice(at + 1);
          expect((await verify([mutant])).ok).toBe(false);
        },
      ),
      RUNS,
    );
  });
});
