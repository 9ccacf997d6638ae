// SRTP and SRTCP (RFC 3711) for one direction of a DTLS-SRTP association: protect what we
// send with our keys, or unprotect what we receive with the peer's. Two profiles:
// AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1 + §4.2.1, 80-bit tag) and AEAD_AES_128_GCM
// (RFC 7714, 128-bit tag). Packets are Buffers straight from and to the sockets.
//
//  SRTP:  | RTP header | encrypted payload | auth tag (10, or 16 for GCM) |
//  SRTCP: | first 8 bytes | encrypted rest | E + SRTCP index (4) | tag (10) |   (AES-CM)
//         | first 8 bytes | encrypted rest | tag (16) | E + SRTCP index (4) |   (GCM, RFC 7714 §9)
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { deriveSessionKeys, type SessionKeys, type SrtpProfile } from './srtp-keys.ts';

const REPLAY_WINDOW = 128;

/** Per-SSRC state: rollover counter and highest sequence number (RFC 3711 §3.3.1), replay list. */
class StreamState {
  roc = 0;
  /** s_l: the highest sequence number seen (receiver) or sent (sender); -1 before the first. */
  lastSeq = -1;
  maxIndex = -1;
  /** Slot i holds the index last accepted with index % REPLAY_WINDOW === i (RFC 3711 §3.3.2). */
  readonly seen = new Float64Array(REPLAY_WINDOW).fill(-1);
}

/** Length of the RTP header (fixed part, CSRCs, extension), or -1 when it does not fit. */
export function rtpHeaderLength(p: Uint8Array, tagLength: number): number {
  if (p.length < 12) return -1;
  let len = 12 + 4 * (p[0]! & 0x0f);
  if (p[0]! & 0x10) {
    if (len + 4 > p.length) return -1;
    len += 4 + 4 * ((p[len + 2]! << 8) | p[len + 3]!);
  }
  return len + tagLength <= p.length ? len : -1;
}

export class SrtpSession {
  readonly profile: SrtpProfile;
  readonly #keys: SessionKeys;
  readonly #gcm: boolean;
  readonly #tag: number;
  readonly #streams = new Map<number, StreamState>();
  readonly #iv = Buffer.alloc(16);
  #srtcpIndex = 0;
  readonly #rtcpSeen = new Map<number, StreamState>();

  constructor(profile: SrtpProfile, masterKey: Uint8Array, masterSalt: Uint8Array) {
    this.profile = profile;
    this.#keys = deriveSessionKeys(profile, masterKey, masterSalt);
    this.#gcm = profile === 'AEAD_AES_128_GCM';
    this.#tag = this.#gcm ? 16 : 10;
  }

  #stream(map: Map<number, StreamState>, ssrc: number): StreamState {
    let s = map.get(ssrc);
    if (!s) {
      s = new StreamState();
      map.set(ssrc, s);
    }
    return s;
  }

  /**
   * The IV: AES-CM (RFC 3711 §4.1.1) (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16), with i the
   * 48-bit packet index; GCM (RFC 7714 §8.1, §9.1) 00 00 | SSRC | ROC | SEQ XOR the 96-bit salt.
   */
  #makeIv(salt: Buffer, ssrc: number, high: number, low: number, rtcp: boolean): Buffer {
    const iv = this.#iv;
    iv.fill(0);
    iv.writeUInt32BE(ssrc, this.#gcm ? 2 : 4);
    if (this.#gcm) {
      if (rtcp) iv.writeUInt32BE(low, 8);
      else {
        iv.writeUInt32BE(high, 6);
        iv.writeUInt16BE(low, 10);
      }
      for (let i = 0; i < 12; i++) iv[i]! ^= salt[i]!;
      return iv.subarray(0, 12);
    }
    // i = high · 2^16 + low occupies bytes 8–13.
    iv.writeUInt32BE(high >>> 0, 8);
    iv.writeUInt16BE(low, 12);
    for (let i = 0; i < 14; i++) iv[i]! ^= salt[i]!;
    return iv;
  }

  #hmac(key: Buffer, data: Uint8Array, extra?: Uint8Array): Buffer {
    const h = createHmac('sha1', key).update(data);
    if (extra) h.update(extra);
    return h.digest();
  }

  /** Encrypts and authenticates one RTP packet; returns the SRTP packet (a new Buffer). */
  protectRtp(packet: Uint8Array): Buffer {
    const headerLength = rtpHeaderLength(packet, 0);
    if (headerLength < 0) throw new RangeError('not an RTP packet');
    const ssrc = readU32(packet, 8);
    const seq = (packet[2]! << 8) | packet[3]!;
    const s = this.#stream(this.#streams, ssrc);
    // RFC 3711 §3.3.1: the sender increments ROC when the sequence number wraps.
    if (s.lastSeq >= 0 && seq < s.lastSeq && s.lastSeq - seq > 0x8000) s.roc = (s.roc + 1) >>> 0;
    if (s.lastSeq < 0 || ((seq - s.lastSeq) & 0xffff) < 0x8000) s.lastSeq = seq;
    const k = this.#keys;
    const iv = this.#makeIv(k.rtpSalt, ssrc, s.roc, seq, false);
    const out = Buffer.allocUnsafe(packet.length + this.#tag);
    out.set(packet.subarray(0, headerLength));
    if (this.#gcm) {
      const c = createCipheriv('aes-128-gcm', k.rtpKey, iv);
      c.setAAD(packet.subarray(0, headerLength));
      const enc = c.update(packet.subarray(headerLength));
      c.final();
      out.set(enc, headerLength);
      out.set(c.getAuthTag(), packet.length);
      return out;
    }
    const enc = createCipheriv('aes-128-ctr', k.rtpKey, iv).update(packet.subarray(headerLength));
    out.set(enc, headerLength);
    const roc = Buffer.allocUnsafe(4);
    roc.writeUInt32BE(s.roc);
    // RFC 3711 §4.2: the tag covers the authenticated portion followed by the ROC.
    this.#hmac(k.rtpAuthKey, out.subarray(0, packet.length), roc).copy(out, packet.length, 0, 10);
    return out;
  }

  /**
   * Authenticates and decrypts one SRTP packet; undefined when authentication fails, the packet
   * is a replay (RFC 3711 §3.3.2), or it is malformed.
   */
  unprotectRtp(packet: Uint8Array): Buffer | undefined {
    const headerLength = rtpHeaderLength(packet, this.#tag);
    if (headerLength < 0) return undefined;
    const ssrc = readU32(packet, 8);
    const seq = (packet[2]! << 8) | packet[3]!;
    const s = this.#stream(this.#streams, ssrc);
    // RFC 3711 §3.3.1 / Appendix A: guess the ROC from s_l.
    let v = s.roc;
    if (s.lastSeq >= 0) {
      if (s.lastSeq < 0x8000) {
        if (seq - s.lastSeq > 0x8000) v = (s.roc - 1) >>> 0;
      } else if (s.lastSeq - 0x8000 > seq) v = (s.roc + 1) >>> 0;
    }
    const index = v * 0x10000 + seq;
    if (s.lastSeq >= 0 && isReplay(s, index)) return undefined;
    const k = this.#keys;
    const end = packet.length - this.#tag;
    const iv = this.#makeIv(k.rtpSalt, ssrc, v, seq, false);
    const out = Buffer.allocUnsafe(end);
    out.set(packet.subarray(0, headerLength));
    if (this.#gcm) {
      const d = createDecipheriv('aes-128-gcm', k.rtpKey, iv);
      d.setAAD(packet.subarray(0, headerLength));
      d.setAuthTag(packet.subarray(end));
      const dec = d.update(packet.subarray(headerLength, end));
      try {
        d.final();
      } catch {
        return undefined;
      }
      out.set(dec, headerLength);
    } else {
      const roc = Buffer.allocUnsafe(4);
      roc.writeUInt32BE(v);
      const mac = this.#hmac(k.rtpAuthKey, packet.subarray(0, end), roc);
      if (!timingSafeEqual(mac.subarray(0, 10), packet.subarray(end))) return undefined;
      out.set(
        createDecipheriv('aes-128-ctr', k.rtpKey, iv).update(packet.subarray(headerLength, end)),
        headerLength,
      );
    }
    // Authenticated: update s_l and ROC (RFC 3711 §3.3.1), and the replay list.
    if (s.lastSeq < 0) {
      s.lastSeq = seq;
    } else if (v === (s.roc + 1) >>> 0) {
      s.roc = v;
      s.lastSeq = seq;
    } else if (v === s.roc && seq > s.lastSeq) {
      s.lastSeq = seq;
    }
    accept(s, index);
    return out;
  }

  /** Encrypts and authenticates one (compound) RTCP packet (RFC 3711 §3.4). */
  protectRtcp(packet: Uint8Array): Buffer {
    if (packet.length < 8) throw new RangeError('not an RTCP packet');
    const ssrc = readU32(packet, 4);
    const index = this.#srtcpIndex;
    this.#srtcpIndex = (this.#srtcpIndex + 1) & 0x7fffffff;
    const k = this.#keys;
    const eIndex = Buffer.allocUnsafe(4);
    eIndex.writeUInt32BE((0x80000000 | index) >>> 0);
    const iv = this.#makeIv(k.rtcpSalt, ssrc, 0, index, true);
    if (this.#gcm) {
      // RFC 7714 §9.2: AAD = first 8 bytes | E + index; the index follows the tag.
      const out = Buffer.allocUnsafe(packet.length + 16 + 4);
      out.set(packet.subarray(0, 8));
      const c = createCipheriv('aes-128-gcm', k.rtcpKey, iv);
      c.setAAD(Buffer.concat([packet.subarray(0, 8), eIndex]));
      out.set(c.update(packet.subarray(8)), 8);
      c.final();
      out.set(c.getAuthTag(), packet.length);
      out.set(eIndex, packet.length + 16);
      return out;
    }
    const out = Buffer.allocUnsafe(packet.length + 4 + 10);
    out.set(packet.subarray(0, 8));
    out.set(createCipheriv('aes-128-ctr', k.rtcpKey, iv).update(packet.subarray(8)), 8);
    out.set(eIndex, packet.length);
    this.#hmac(k.rtcpAuthKey, out.subarray(0, packet.length + 4)).copy(out, packet.length + 4, 0, 10);
    return out;
  }

  /** Authenticates and decrypts one SRTCP packet; undefined on failure or replay. */
  unprotectRtcp(packet: Uint8Array): Buffer | undefined {
    const tag = this.#tag;
    if (packet.length < 8 + 4 + tag) return undefined;
    const k = this.#keys;
    const ssrc = readU32(packet, 4);
    const indexOffset = this.#gcm ? packet.length - 4 : packet.length - 4 - tag;
    const eIndex = readU32(packet, indexOffset);
    const encrypted = eIndex >>> 31 === 1;
    const index = eIndex & 0x7fffffff;
    const s = this.#stream(this.#rtcpSeen, ssrc);
    if (s.maxIndex >= 0 && isReplay(s, index)) return undefined;
    const iv = this.#makeIv(k.rtcpSalt, ssrc, 0, index, true);
    let out: Buffer;
    if (this.#gcm) {
      const tagOffset = indexOffset - 16;
      const d = createDecipheriv('aes-128-gcm', k.rtcpKey, iv);
      const eBytes = packet.subarray(indexOffset);
      d.setAAD(
        encrypted
          ? Buffer.concat([packet.subarray(0, 8), eBytes])
          : Buffer.concat([packet.subarray(0, tagOffset), eBytes]),
      );
      d.setAuthTag(packet.subarray(tagOffset, indexOffset));
      out = Buffer.from(packet.subarray(0, tagOffset));
      const dec = d.update(encrypted ? packet.subarray(8, tagOffset) : Buffer.alloc(0));
      try {
        d.final();
      } catch {
        return undefined;
      }
      if (encrypted) out.set(dec, 8);
    } else {
      const mac = this.#hmac(k.rtcpAuthKey, packet.subarray(0, indexOffset + 4));
      if (!timingSafeEqual(mac.subarray(0, 10), packet.subarray(indexOffset + 4))) return undefined;
      out = Buffer.from(packet.subarray(0, indexOffset));
      if (encrypted)
        out.set(createDecipheriv('aes-128-ctr', k.rtcpKey, iv).update(packet.subarray(8, indexOffset)), 8);
    }
    accept(s, index);
    return out;
  }
}

function readU32(p: Uint8Array, offset: number): number {
  return ((p[offset]! << 24) | (p[offset + 1]! << 16) | (p[offset + 2]! << 8) | p[offset + 3]!) >>> 0;
}

function isReplay(s: StreamState, index: number): boolean {
  if (index <= s.maxIndex - REPLAY_WINDOW) return true; // too old to tell: refuse
  return s.seen[index % REPLAY_WINDOW] === index;
}

function accept(s: StreamState, index: number): void {
  s.seen[index % REPLAY_WINDOW] = index;
  if (index > s.maxIndex) s.maxIndex = index;
}
