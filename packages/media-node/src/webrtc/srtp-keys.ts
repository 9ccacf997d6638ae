// SRTP protection profiles negotiated by DTLS-SRTP (RFC 5764 §4.1.2) and the SRTP key
// derivation (RFC 3711 §4.3) that turns each side's master key and salt into session keys.
import { createCipheriv } from 'node:crypto';

/** The profiles we offer and accept, preferred first (RFC 8827 §6.5 requires the second). */
export type SrtpProfile = 'AEAD_AES_128_GCM' | 'AES_CM_128_HMAC_SHA1_80';

/** Profile ids in the DTLS use_srtp extension (RFC 5764 §4.1.2, RFC 7714 §14.2). */
export const SRTP_PROFILE_IDS: Readonly<Record<SrtpProfile, number>> = {
  AES_CM_128_HMAC_SHA1_80: 0x0001,
  AEAD_AES_128_GCM: 0x0007,
};

export function srtpProfileOf(id: number | undefined): SrtpProfile | undefined {
  if (id === 0x0001) return 'AES_CM_128_HMAC_SHA1_80';
  if (id === 0x0007) return 'AEAD_AES_128_GCM';
  return undefined;
}

/** Master key and salt lengths, bytes (RFC 3711 §8.2; RFC 7714 §12: a 96-bit salt for GCM). */
export function masterLengths(profile: SrtpProfile): { key: number; salt: number } {
  return profile === 'AEAD_AES_128_GCM' ? { key: 16, salt: 12 } : { key: 16, salt: 14 };
}

export interface SessionKeys {
  readonly rtpKey: Buffer;
  readonly rtpSalt: Buffer;
  readonly rtpAuthKey: Buffer;
  readonly rtcpKey: Buffer;
  readonly rtcpSalt: Buffer;
  readonly rtcpAuthKey: Buffer;
}

/**
 * RFC 3711 §4.3.1 with key_derivation_rate 0: x = (label || 0^48) XOR master_salt, and the
 * session key is the AES-CM keystream of the master key at IV = x · 2^16 (§4.3.3). A 96-bit
 * salt (GCM, RFC 7714 §11) is zero-padded on the right to 112 bits, as libsrtp does.
 */
function prf(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.set(masterSalt.subarray(0, 14));
  iv[7]! ^= label; // the label sits 7 bytes from the right end of the 112-bit salt
  return createCipheriv('aes-128-ctr', masterKey, iv).update(Buffer.alloc(length));
}

export function deriveSessionKeys(
  profile: SrtpProfile,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
): SessionKeys {
  const { salt } = masterLengths(profile);
  if (masterKey.length !== 16 || masterSalt.length !== salt)
    throw new RangeError(`bad ${profile} master key/salt lengths ${masterKey.length}/${masterSalt.length}`);
  // RFC 3711 §4.3.2 labels: 0 SRTP encryption, 1 SRTP auth, 2 SRTP salt, 3–5 the same for SRTCP.
  return {
    rtpKey: prf(masterKey, masterSalt, 0x00, 16),
    rtpAuthKey: prf(masterKey, masterSalt, 0x01, 20),
    rtpSalt: prf(masterKey, masterSalt, 0x02, salt),
    rtcpKey: prf(masterKey, masterSalt, 0x03, 16),
    rtcpAuthKey: prf(masterKey, masterSalt, 0x04, 20),
    rtcpSalt: prf(masterKey, masterSalt, 0x05, salt),
  };
}
