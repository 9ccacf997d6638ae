// SDES key exchange for SRTP: `a=crypto` (RFC 4568 §9.1).
//
//   a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]
//   key-params = key-param *(";" key-param)
//   key-param  = key-method ":" key-info
//   key-info   = key-salt ["|" lifetime] ["|" mki]    (for "inline", §6.1)
//   lifetime   = ["2^"] 1*DIGIT
//   mki        = mki-value ":" mki-length
//
// Example: a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32

import { readAttributes, type HasAttributes } from './attributes.ts';
import type { SdpAttribute } from './sdp-model.ts';

/** A key-param with the `inline` method, split into its parts. */
export interface InlineKey {
  readonly method: 'inline';
  /** Base64 of the master key concatenated with the master salt. */
  readonly keySalt: string;
  /** As written: `2^20` or `1048576`. */
  readonly lifetime?: string;
  readonly mki?: { readonly value: string; readonly length: string };
}

/** A key-param with another method, kept as text (RFC 4568 §9.1 key-method-ext). */
export interface OtherKey {
  readonly method: string;
  readonly info: string;
}

export type KeyParam = InlineKey | OtherKey;

export interface CryptoAttribute {
  /** 1..999999999; the answer echoes the tag of the offer line it accepts (§5.1.2). */
  readonly tag: number;
  /** `AES_CM_128_HMAC_SHA1_80`, `AES_CM_128_HMAC_SHA1_32`, `AEAD_AES_256_GCM`… */
  readonly suite: string;
  readonly keys: readonly KeyParam[];
  /** `KDR=1`, `UNENCRYPTED_SRTCP`, `FEC_ORDER=FEC_SRTP`… as written. */
  readonly sessionParams: readonly string[];
}

/**
 * SDES applies to RTP/SAVP and RTP/SAVPF (RFC 4568 §3.1); `UDP/TLS/RTP/SAVP(F)` keys come
 * from DTLS instead (RFC 5764).
 */
export const usesSdes = (protocol: string): boolean => /^RTP\/SAVPF?$/i.test(protocol);

export const isInlineKey = (k: KeyParam): k is InlineKey => k.method === 'inline';

function parseKeyParam(text: string): KeyParam | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const method = text.slice(0, colon);
  const info = text.slice(colon + 1);
  if (info === '') return undefined;
  if (method.toLowerCase() !== 'inline') return { method, info };
  const [keySalt, ...rest] = info.split('|');
  if (keySalt === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(keySalt) || rest.length > 2) return undefined;
  let lifetime: string | undefined;
  let mki: InlineKey['mki'];
  for (const part of rest) {
    const m = /^([0-9]+):([0-9]+)$/.exec(part);
    if (m) {
      if (mki) return undefined;
      mki = { value: m[1] as string, length: m[2] as string };
    } else if (/^(?:2\^)?[0-9]+$/.test(part) && lifetime === undefined && mki === undefined) {
      lifetime = part;
    } else return undefined;
  }
  return {
    method: 'inline',
    keySalt,
    ...(lifetime === undefined ? {} : { lifetime }),
    ...(mki === undefined ? {} : { mki }),
  };
}

function formatKeyParam(k: KeyParam): string {
  if (!isInlineKey(k)) return `${k.method}:${(k as OtherKey).info}`;
  let s = `inline:${k.keySalt}`;
  if (k.lifetime !== undefined) s += `|${k.lifetime}`;
  if (k.mki !== undefined) s += `|${k.mki.value}:${k.mki.length}`;
  return s;
}

export function parseCrypto(value: string): CryptoAttribute | undefined {
  const f = value.trim().split(/[ \t]+/);
  const [tagText, suite, keyText, ...sessionParams] = f;
  if (tagText === undefined || suite === undefined || keyText === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(tagText) || !/^[A-Za-z0-9_]+$/.test(suite)) return undefined;
  const keys: KeyParam[] = [];
  for (const part of keyText.split(';')) {
    const k = parseKeyParam(part);
    if (!k) return undefined;
    keys.push(k);
  }
  return { tag: Number(tagText), suite, keys, sessionParams };
}

export function formatCrypto(c: CryptoAttribute): string {
  const params = c.sessionParams.length === 0 ? '' : ` ${c.sessionParams.join(' ')}`;
  return `${c.tag} ${c.suite} ${c.keys.map(formatKeyParam).join(';')}${params}`;
}

/** Every well-formed `a=crypto` line of a media section, in order. */
export function readCrypto(media: HasAttributes): CryptoAttribute[] {
  return readAttributes(media, 'crypto', parseCrypto);
}

export const cryptoAttribute = (c: CryptoAttribute): SdpAttribute => ({
  name: 'crypto',
  value: formatCrypto(c),
});
