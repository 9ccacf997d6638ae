import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RtpHeader, SrtcpSession as WeriftSrtcp, SrtpSession as WeriftSrtp } from 'werift';
import { deriveSessionKeys, masterLengths, SRTP_PROFILE_IDS, type SrtpProfile } from './srtp-keys.ts';
import { SrtpSession } from './srtp-session.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 3711 Appendix B.3 (key derivation) and libsrtp's AES_CM_128_HMAC_SHA1_80 test case.
const MASTER_KEY = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
const MASTER_SALT = hex('0EC675AD498AFEEBB6960B3AABE6');
const PLAIN = hex('800f1234 decafbad cafebabe abababab abababab abababab abababab');
const PROTECTED = hex(
  '800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402 b78d6acc 99ea179b 8dbb',
);

function rtp(seq: number, ssrc: number, payload = randomBytes(160), pt = 0): Buffer {
  const p = Buffer.alloc(12 + payload.length);
  p[0] = 0x80;
  p[1] = pt;
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE((seq * 160) >>> 0, 4);
  p.writeUInt32BE(ssrc >>> 0, 8);
  payload.copy(p, 12);
  return p;
}

function rtcp(ssrc: number): Buffer {
  // A receiver report without blocks followed by padding-free SDES-like filler.
  const p = Buffer.alloc(24);
  p[0] = 0x80;
  p[1] = 201;
  p.writeUInt16BE(5, 2);
  p.writeUInt32BE(ssrc, 4);
  randomBytes(16).copy(p, 8);
  return p;
}

function weriftPair(profile: SrtpProfile, key: Buffer, salt: Buffer) {
  const config = {
    keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt },
    profile: SRTP_PROFILE_IDS[profile],
  };
  return { srtp: new WeriftSrtp(config), srtcp: new WeriftSrtcp(config) };
}

describe('SRTP key derivation (RFC 3711 §4.3)', () => {
  it('matches the RFC 3711 B.3 test vectors', () => {
    const keys = deriveSessionKeys('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    expect(keys.rtpKey.toString('hex')).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(keys.rtpSalt.toString('hex')).toBe('30cbbc08863d8c85d49db34a9ae1');
    expect(keys.rtpAuthKey.toString('hex')).toBe('cebe321f6ff7716b6fd4ab49af256a156d38baa4');
  });
});

describe('SRTP and SRTCP (RFC 3711, RFC 7714)', () => {
  it('protects the libsrtp AES_CM_128_HMAC_SHA1_80 test packet byte for byte, and back', () => {
    const sender = new SrtpSession('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    expect(sender.protectRtp(PLAIN).toString('hex')).toBe(PROTECTED.toString('hex'));
    const receiver = new SrtpSession('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    expect(receiver.unprotectRtp(PROTECTED)?.toString('hex')).toBe(PLAIN.toString('hex'));
  });

  for (const profile of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] as const) {
    describe(profile, () => {
      const { key: keyLength, salt: saltLength } = masterLengths(profile);
      const key = randomBytes(keyLength);
      const salt = randomBytes(saltLength);

      it('interoperates with werift in both directions, RTP and RTCP', () => {
        const ours = new SrtpSession(profile, key, salt);
        const ourReceiver = new SrtpSession(profile, key, salt);
        const theirs = weriftPair(profile, key, salt);
        for (let seq = 65530; seq < 65540; seq++) {
          // Across the sequence-number wrap: the ROC must follow on both sides.
          const plain = rtp(seq, 0x11223344);
          const header = RtpHeader.deSerialize(plain);
          const fromWerift = theirs.srtp.encrypt(plain.subarray(12), header);
          expect(ourReceiver.unprotectRtp(fromWerift)).toEqual(plain);
          const ourPacket = ours.protectRtp(plain);
          expect(Buffer.compare(ourPacket, fromWerift)).toBe(0);
          expect(theirs.srtp.decrypt(ourPacket).subarray(0, plain.length)).toEqual(plain);
        }
        const report = rtcp(0x55667788);
        const ourRtcp = ours.protectRtcp(report);
        expect(theirs.srtcp.decrypt(ourRtcp).subarray(0, report.length)).toEqual(report);
        const theirRtcp = theirs.srtcp.encrypt(report);
        expect(new SrtpSession(profile, key, salt).unprotectRtcp(theirRtcp)).toEqual(report);
      });

      it('follows the rollover counter, refuses replays and tampered packets', () => {
        const sender = new SrtpSession(profile, key, salt);
        const receiver = new SrtpSession(profile, key, salt);
        const sent: Buffer[] = [];
        for (let seq = 65000; seq < 65000 + 1200; seq++) sent.push(sender.protectRtp(rtp(seq, 42)));
        for (const p of sent) expect(receiver.unprotectRtp(p)).toBeDefined();
        expect(receiver.unprotectRtp(sent[sent.length - 1]!)).toBeUndefined(); // replay
        expect(receiver.unprotectRtp(sent[0]!)).toBeUndefined(); // too old
        const tampered = Buffer.from(sender.protectRtp(rtp(66200, 42)));
        tampered[20]! ^= 1;
        expect(receiver.unprotectRtp(tampered)).toBeUndefined();
        // Reordered within the window: accepted once.
        const a = sender.protectRtp(rtp(66201, 42));
        const b = sender.protectRtp(rtp(66202, 42));
        expect(receiver.unprotectRtp(b)).toBeDefined();
        expect(receiver.unprotectRtp(a)).toBeDefined();
        expect(receiver.unprotectRtp(a)).toBeUndefined();
        // SRTCP: once each, tampering refused.
        const r = sender.protectRtcp(rtcp(42));
        expect(receiver.unprotectRtcp(r)).toBeDefined();
        expect(receiver.unprotectRtcp(r)).toBeUndefined();
        const bad = Buffer.from(sender.protectRtcp(rtcp(42)));
        bad[9]! ^= 1;
        expect(receiver.unprotectRtcp(bad)).toBeUndefined();
      });

      it('keeps CSRCs and header extensions in the clear and authenticated', () => {
        const p = Buffer.concat([
          hex('92 00 0001 00000010 0000002a 0000000b 0000000c'), // V=2, X=1, CC=2

          hex('bede 0001 10ff0000'),
          randomBytes(40),
        ]);
        const sender = new SrtpSession(profile, key, salt);
        const receiver = new SrtpSession(profile, key, salt);
        const out = sender.protectRtp(p);
        expect(out.subarray(0, 28)).toEqual(p.subarray(0, 28));
        expect(receiver.unprotectRtp(out)).toEqual(p);
      });
    });
  }
});
