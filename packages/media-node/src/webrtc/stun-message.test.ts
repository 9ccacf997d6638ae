import { describe, expect, it } from 'vitest';
import {
  crc32,
  isStun,
  serializeStun,
  StunAttr,
  StunMessage,
  StunType,
  uint32Value,
  xorAddressValue,
} from './stun-message.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

// RFC 5769 §2.1: sample request (password "VOkJxbRl1RmTxUk/WvJxBt", padding with spaces).
const REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
// RFC 5769 §2.2: sample IPv4 response, mapped address 192.0.2.1:32853.
const RESPONSE_V4 = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
// RFC 5769 §2.3: sample IPv6 response, mapped address 2001:db8:1234:5678:11:2233:4455:6677 port 32853.
const RESPONSE_V6 = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const TXID = hex('b7 e7 a7 01 bc 34 d6 86 fa 87 df ae');

describe('STUN messages (RFC 8489) against the RFC 5769 test vectors', () => {
  it('parses the sample request and checks its integrity and fingerprint', () => {
    expect(isStun(REQUEST)).toBe(true);
    const m = StunMessage.parse(REQUEST)!;
    expect(m.type).toBe(StunType.BindingRequest);
    expect(m.transactionId).toEqual(TXID);
    expect(m.username).toBe('evtj:h6vY');
    expect(m.priority).toBe(0x6e0001ff);
    expect(m.get(StunAttr.IceControlled)).toEqual(hex('93 2f f9 b1 51 26 3b 36'));
    expect(m.verifyIntegrity(PASSWORD)).toBe(true);
    expect(m.verifyIntegrity('wrong')).toBe(false);
    expect(m.verifyFingerprint()).toBe(true);
  });

  it('parses the IPv4 and IPv6 sample responses', () => {
    const v4 = StunMessage.parse(RESPONSE_V4)!;
    expect(v4.type).toBe(StunType.BindingSuccess);
    expect(v4.xorMappedAddress).toEqual({ address: '192.0.2.1', port: 32853 });
    expect(v4.verifyIntegrity(PASSWORD)).toBe(true);
    expect(v4.verifyFingerprint()).toBe(true);
    const v6 = StunMessage.parse(RESPONSE_V6)!;
    expect(v6.xorMappedAddress).toEqual({ address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    expect(v6.verifyIntegrity(PASSWORD)).toBe(true);
    expect(v6.verifyFingerprint()).toBe(true);
  });

  it('serializes the sample request and responses byte for byte', () => {
    const request = serializeStun({
      type: StunType.BindingRequest,
      transactionId: TXID,
      attributes: [
        { type: StunAttr.Software, value: text('STUN test client') },
        { type: StunAttr.Priority, value: uint32Value(0x6e0001ff) },
        { type: StunAttr.IceControlled, value: hex('93 2f f9 b1 51 26 3b 36') },
        { type: StunAttr.Username, value: text('evtj:h6vY') },
      ],
      integrityKey: PASSWORD,
      fingerprint: true,
      padding: 0x20,
    });
    expect(Buffer.from(request).toString('hex')).toBe(Buffer.from(REQUEST).toString('hex'));
    for (const [bytes, address] of [
      [RESPONSE_V4, '192.0.2.1'],
      [RESPONSE_V6, '2001:db8:1234:5678:11:2233:4455:6677'],
    ] as const) {
      const response = serializeStun({
        type: StunType.BindingSuccess,
        transactionId: TXID,
        attributes: [
          { type: StunAttr.Software, value: text('test vector') },
          { type: StunAttr.XorMappedAddress, value: xorAddressValue({ address, port: 32853 }, TXID) },
        ],
        integrityKey: PASSWORD,
        fingerprint: true,
        padding: 0x20,
      });
      expect(Buffer.from(response).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
    }
  });

  it('rejects what is not STUN or is truncated, and a corrupted fingerprint', () => {
    expect(StunMessage.parse(hex('80 00 00 00'))).toBeUndefined();
    expect(StunMessage.parse(REQUEST.subarray(0, REQUEST.length - 4))).toBeUndefined();
    const bad = new Uint8Array(REQUEST);
    bad[bad.length - 1]! ^= 1;
    expect(StunMessage.parse(bad)!.verifyFingerprint()).toBe(false);
    const tampered = new Uint8Array(REQUEST);
    tampered[30]! ^= 1; // inside SOFTWARE, covered by MESSAGE-INTEGRITY
    expect(StunMessage.parse(tampered)!.verifyIntegrity(PASSWORD)).toBe(false);
  });

  it('computes the CRC-32 of zlib', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
  });
});
