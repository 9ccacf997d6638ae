// STUN messages (RFC 8489, formerly RFC 5389) as ICE uses them for connectivity checks
// (RFC 8445 §7) and consent freshness (RFC 7675): Binding requests and responses with
// short-term credentials. Only what an ICE-lite agent and its test peers need.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |0 0|     STUN Message Type     |         Message Length        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                         Magic Cookie                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                     Transaction ID (96 bits)                  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  then attributes: Type (16) | Length (16) | Value, padded to 4 bytes  (RFC 8489 §14)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

export const MAGIC_COOKIE = 0x2112a442;
const HEADER_LENGTH = 20;
/** RFC 8489 §14.7: CRC-32 of the message XOR'ed with 0x5354554e ("STUN"). */
const FINGERPRINT_XOR = 0x5354554e;

/** Message types (method + class, RFC 8489 §5): Binding only. */
export const StunType = {
  BindingRequest: 0x0001,
  BindingSuccess: 0x0101,
  BindingError: 0x0111,
  BindingIndication: 0x0011,
} as const;

/** Attribute types used by ICE (RFC 8489 §18.3, RFC 8445 §16.1). */
export const StunAttr = {
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  XorMappedAddress: 0x0020,
  Priority: 0x0024,
  UseCandidate: 0x0025,
  Software: 0x8022,
  Fingerprint: 0x8028,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
} as const;

export interface StunAttribute {
  readonly type: number;
  /** A view into the parsed message (no copy). */
  readonly value: Uint8Array;
}

export interface TransportAddress {
  readonly address: string;
  readonly port: number;
}

/** True when the datagram can be STUN (RFC 7983 §7: first byte 0–3, and the magic cookie). */
export function isStun(data: Uint8Array): boolean {
  return (
    data.length >= HEADER_LENGTH &&
    data[0]! < 4 &&
    data[4] === 0x21 &&
    data[5] === 0x12 &&
    data[6] === 0xa4 &&
    data[7] === 0x42
  );
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as in ISO 3309 / ITU-T V.42 (the one zlib and RFC 1952 use). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A parsed STUN message. `raw` keeps the bytes, for checking integrity and fingerprint. */
export class StunMessage {
  constructor(
    readonly type: number,
    readonly transactionId: Uint8Array,
    readonly attributes: readonly StunAttribute[],
    readonly raw?: Uint8Array,
  ) {}

  /** Parses a datagram; undefined if it is not a well-formed STUN message. */
  static parse(data: Uint8Array): StunMessage | undefined {
    if (!isStun(data)) return undefined;
    const v = view(data);
    const length = v.getUint16(2);
    if (length % 4 !== 0 || HEADER_LENGTH + length !== data.length) return undefined;
    const attributes: StunAttribute[] = [];
    let offset = HEADER_LENGTH;
    while (offset + 4 <= data.length) {
      const type = v.getUint16(offset);
      const len = v.getUint16(offset + 2);
      if (offset + 4 + len > data.length) return undefined;
      attributes.push({ type, value: data.subarray(offset + 4, offset + 4 + len) });
      offset += 4 + ((len + 3) & ~3);
    }
    if (offset !== data.length) return undefined;
    return new StunMessage(v.getUint16(0), data.subarray(8, 20), attributes, data);
  }

  get(type: number): Uint8Array | undefined {
    return this.attributes.find((a) => a.type === type)?.value;
  }

  has(type: number): boolean {
    return this.attributes.some((a) => a.type === type);
  }

  get username(): string | undefined {
    const v = this.get(StunAttr.Username);
    return v && new TextDecoder().decode(v);
  }

  /** ICE PRIORITY (RFC 8445 §7.1.1). */
  get priority(): number | undefined {
    const v = this.get(StunAttr.Priority);
    return v && v.length === 4 ? view(v).getUint32(0) : undefined;
  }

  /** The error code of an error response (RFC 8489 §14.8). */
  get errorCode(): number | undefined {
    const v = this.get(StunAttr.ErrorCode);
    return v && v.length >= 4 ? (v[2]! & 7) * 100 + v[3]! : undefined;
  }

  /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2). */
  get xorMappedAddress(): TransportAddress | undefined {
    const v = this.get(StunAttr.XorMappedAddress);
    if (!v || v.length < 8) return undefined;
    const port = view(v).getUint16(2) ^ (MAGIC_COOKIE >>> 16);
    if (v[1] === 1) {
      const a = (view(v).getUint32(4) ^ MAGIC_COOKIE) >>> 0;
      return { address: `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`, port };
    }
    if (v[1] !== 2 || v.length < 20) return undefined;
    const mask = xorMask(this.transactionId);
    const words: string[] = [];
    for (let i = 0; i < 16; i += 2)
      words.push((((v[4 + i]! ^ mask[i]!) << 8) | (v[5 + i]! ^ mask[i + 1]!)).toString(16));
    return { address: words.join(':'), port };
  }

  /**
   * Checks MESSAGE-INTEGRITY (RFC 8489 §14.5) with a short-term credential (the ICE password,
   * RFC 8445 §7.2.2): HMAC-SHA1 over the message up to the attribute, with the length field
   * counting up to the end of MESSAGE-INTEGRITY. False when absent.
   */
  verifyIntegrity(password: string): boolean {
    const raw = this.raw;
    if (!raw) return false;
    const offset = attributeOffset(raw, StunAttr.MessageIntegrity);
    if (offset < 0 || offset + 24 > raw.length) return false;
    const head = new Uint8Array(raw.subarray(0, offset));
    view(head).setUint16(2, offset + 24 - HEADER_LENGTH);
    const expected = createHmac('sha1', password).update(head).digest();
    return timingSafeEqual(expected, raw.subarray(offset + 4, offset + 24));
  }

  /** Checks FINGERPRINT (RFC 8489 §14.7); true when absent (it is optional). */
  verifyFingerprint(): boolean {
    const raw = this.raw;
    if (!raw) return false;
    const offset = attributeOffset(raw, StunAttr.Fingerprint);
    if (offset < 0) return true;
    if (offset + 8 !== raw.length) return false;
    return (crc32(raw.subarray(0, offset)) ^ FINGERPRINT_XOR) >>> 0 === view(raw).getUint32(offset + 4);
  }
}

function attributeOffset(raw: Uint8Array, wanted: number): number {
  const v = view(raw);
  let offset = HEADER_LENGTH;
  while (offset + 4 <= raw.length) {
    if (v.getUint16(offset) === wanted) return offset;
    offset += 4 + ((v.getUint16(offset + 2) + 3) & ~3);
  }
  return -1;
}

function xorMask(transactionId: Uint8Array): Uint8Array {
  const mask = new Uint8Array(16);
  view(mask).setUint32(0, MAGIC_COOKIE);
  mask.set(transactionId, 4);
  return mask;
}

/** Encodes XOR-MAPPED-ADDRESS for an IPv4 or IPv6 address. */
export function xorAddressValue(to: TransportAddress, transactionId: Uint8Array): Uint8Array {
  const v4 = isIPv4(to.address);
  const out = new Uint8Array(v4 ? 8 : 20);
  const dv = view(out);
  out[1] = v4 ? 1 : 2;
  dv.setUint16(2, to.port ^ (MAGIC_COOKIE >>> 16));
  if (v4) {
    const [a, b, c, d] = to.address.split('.').map(Number) as [number, number, number, number];
    dv.setUint32(4, ((((a << 24) | (b << 16) | (c << 8) | d) >>> 0) ^ MAGIC_COOKIE) >>> 0);
  } else {
    const bytes = ipv6Bytes(to.address);
    const mask = xorMask(transactionId);
    for (let i = 0; i < 16; i++) out[4 + i] = bytes[i]! ^ mask[i]!;
  }
  return out;
}

function ipv6Bytes(address: string): Uint8Array {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  words.forEach((w, i) => view(out).setUint16(i * 2, w));
  return out;
}

export interface StunBuild {
  readonly type: number;
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
  /** Adds MESSAGE-INTEGRITY keyed with this password. */
  readonly integrityKey?: string;
  /** Adds FINGERPRINT (ICE requires it, RFC 8445 §7.2.2). */
  readonly fingerprint?: boolean;
  /** The byte that pads attribute values (receivers ignore it, RFC 8489 §14); default 0. */
  readonly padding?: number;
}

/** Serializes a message, then MESSAGE-INTEGRITY and FINGERPRINT as asked (in that order). */
export function serializeStun(m: StunBuild): Uint8Array {
  let size = HEADER_LENGTH;
  for (const a of m.attributes) size += 4 + ((a.value.length + 3) & ~3);
  const total = size + (m.integrityKey !== undefined ? 24 : 0) + (m.fingerprint ? 8 : 0);
  const out = new Uint8Array(total);
  if (m.padding) out.fill(m.padding, 0, size);
  const v = view(out);
  v.setUint16(0, m.type);
  v.setUint32(4, MAGIC_COOKIE);
  out.set(m.transactionId.subarray(0, 12), 8);
  let offset = HEADER_LENGTH;
  for (const a of m.attributes) {
    v.setUint16(offset, a.type);
    v.setUint16(offset + 2, a.value.length);
    out.set(a.value, offset + 4);
    offset += 4 + ((a.value.length + 3) & ~3);
  }
  if (m.integrityKey !== undefined) {
    v.setUint16(2, offset + 24 - HEADER_LENGTH);
    const mac = createHmac('sha1', m.integrityKey).update(out.subarray(0, offset)).digest();
    v.setUint16(offset, StunAttr.MessageIntegrity);
    v.setUint16(offset + 2, 20);
    out.set(mac, offset + 4);
    offset += 24;
  }
  if (m.fingerprint) {
    v.setUint16(2, offset + 8 - HEADER_LENGTH);
    const crc = (crc32(out.subarray(0, offset)) ^ FINGERPRINT_XOR) >>> 0;
    v.setUint16(offset, StunAttr.Fingerprint);
    v.setUint16(offset + 2, 4);
    v.setUint32(offset + 4, crc);
    offset += 8;
  }
  v.setUint16(2, offset - HEADER_LENGTH);
  return out;
}

/** The value of an ERROR-CODE attribute (RFC 8489 §14.8). */
export function errorCodeValue(code: number, reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason);
  const out = new Uint8Array(4 + text.length);
  out[2] = Math.floor(code / 100);
  out[3] = code % 100;
  out.set(text, 4);
  return out;
}

export const uint32Value = (n: number): Uint8Array => {
  const out = new Uint8Array(4);
  view(out).setUint32(0, n >>> 0);
  return out;
};
