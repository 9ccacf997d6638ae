// DTLS-SRTP, BUNDLE and WebRTC attributes. Readers only interpret; the raw lines stay in
// the model and are forwarded unchanged.
//
//   a=fingerprint:<hash-func> <fingerprint>         RFC 8122 §5
//   a=setup:active|passive|actpass|holdconn         RFC 4145 §4, RFC 5763 §5
//   a=tls-id:<id>                                   RFC 8842 §5
//   a=mid:<identification-tag>                      RFC 5888 §4, RFC 9143
//   a=group:<semantics> *(SP <identification-tag>)  RFC 5888 §5 (BUNDLE: RFC 9143)
//   a=msid:<stream id> [<track id>]                 RFC 8830 §2
//   a=ssrc:<ssrc-id> <attribute>[:<value>]          RFC 5576 §4.1
//   a=ssrc-group:<semantics> *(SP <ssrc-id>)        RFC 5576 §4.2
//   a=extmap:<id>[/<direction>] <uri> [<attrs>]     RFC 8285 §8
//   a=sctp-port:<port>  a=max-message-size:<bytes>  RFC 8841 §5, §6

import { attributeValue, readAttributes, type HasAttributes } from './attributes.ts';
import { MEDIA_DIRECTIONS, type MediaDirection } from './direction.ts';
import type { SdpAttribute } from './sdp-model.ts';

export interface DtlsFingerprint {
  /** `sha-256`, `sha-1`, … (lower case as registered; compared case-insensitively). */
  readonly hashFunction: string;
  /** Upper-case hex pairs separated by colons, as written. */
  readonly value: string;
}

export function parseFingerprint(value: string): DtlsFingerprint | undefined {
  const m = /^([A-Za-z0-9-]+)[ \t]+((?:[0-9A-Fa-f]{2}:)*[0-9A-Fa-f]{2})[ \t]*$/.exec(value.trim());
  return m ? { hashFunction: m[1] as string, value: m[2] as string } : undefined;
}

export type SetupRole = 'active' | 'passive' | 'actpass' | 'holdconn';

export function parseSetup(value: string): SetupRole | undefined {
  const v = value.trim().toLowerCase();
  return v === 'active' || v === 'passive' || v === 'actpass' || v === 'holdconn' ? v : undefined;
}

export interface SdpGroup {
  readonly semantics: string;
  readonly mids: readonly string[];
}

export function parseGroup(value: string): SdpGroup | undefined {
  const [semantics, ...mids] = value.trim().split(/[ \t]+/);
  return semantics ? { semantics, mids } : undefined;
}

export interface Msid {
  readonly streamId: string;
  readonly trackId?: string;
}

export function parseMsid(value: string): Msid | undefined {
  const [streamId, trackId, extra] = value.trim().split(/[ \t]+/);
  if (!streamId || extra !== undefined) return undefined;
  return trackId === undefined ? { streamId } : { streamId, trackId };
}

export interface SsrcAttribute {
  readonly ssrc: number;
  readonly attribute: string;
  readonly value?: string;
}

export function parseSsrc(value: string): SsrcAttribute | undefined {
  const m = /^([0-9]{1,10})[ \t]+([^: \t]+)(?::(.*))?$/.exec(value.trim());
  if (!m) return undefined;
  const ssrc = Number(m[1]);
  if (ssrc > 0xffffffff) return undefined;
  return m[3] === undefined
    ? { ssrc, attribute: m[2] as string }
    : { ssrc, attribute: m[2] as string, value: m[3] };
}

export interface SsrcGroup {
  readonly semantics: string;
  readonly ssrcs: readonly number[];
}

export function parseSsrcGroup(value: string): SsrcGroup | undefined {
  const [semantics, ...ids] = value.trim().split(/[ \t]+/);
  if (!semantics || ids.some((id) => !/^[0-9]{1,10}$/.test(id) || Number(id) > 0xffffffff)) return undefined;
  return { semantics, ssrcs: ids.map(Number) };
}

export interface Extmap {
  /** 1..14 for one-byte headers, 1..255 with two-byte headers (RFC 8285 §5). */
  readonly id: number;
  readonly direction?: MediaDirection;
  readonly uri: string;
  readonly attributes?: string;
}

export function parseExtmap(value: string): Extmap | undefined {
  const m = /^([0-9]{1,3})(?:\/([a-z]+))?[ \t]+([^ \t]+)(?:[ \t]+(.*))?$/.exec(value.trim());
  if (!m) return undefined;
  const id = Number(m[1]);
  if (id < 1 || id > 255) return undefined;
  const dir = m[2];
  if (dir !== undefined && !(MEDIA_DIRECTIONS as readonly string[]).includes(dir)) return undefined;
  return {
    id,
    ...(dir === undefined ? {} : { direction: dir as MediaDirection }),
    uri: m[3] as string,
    ...(m[4] === undefined ? {} : { attributes: m[4] }),
  };
}

/** What the DTLS-SRTP and BUNDLE attributes say about one media section. */
export interface WebRtcMediaInfo {
  readonly fingerprints: readonly DtlsFingerprint[];
  readonly setup?: SetupRole;
  readonly tlsId?: string;
  readonly mid?: string;
  readonly msid: readonly Msid[];
  readonly ssrcs: readonly SsrcAttribute[];
  readonly ssrcGroups: readonly SsrcGroup[];
  readonly extmaps: readonly Extmap[];
  readonly sctpPort?: number;
  readonly maxMessageSize?: number;
}

function uint(v: string | undefined): number | undefined {
  const t = v?.trim();
  return t !== undefined && /^[0-9]{1,15}$/.test(t) ? Number(t) : undefined;
}

/**
 * Reads the DTLS/BUNDLE attributes of a media section. Fingerprints and setup fall back to
 * the session level (RFC 8122 §5 allows either level).
 */
export function readWebRtc(media: HasAttributes, session?: HasAttributes): WebRtcMediaInfo {
  const fingerprints = readAttributes(media, 'fingerprint', parseFingerprint);
  const setupText =
    attributeValue(media, 'setup') ?? (session ? attributeValue(session, 'setup') : undefined);
  const setup = setupText === undefined ? undefined : parseSetup(setupText);
  const tlsId = attributeValue(media, 'tls-id')?.trim();
  const mid = attributeValue(media, 'mid')?.trim();
  const sctpPort = uint(attributeValue(media, 'sctp-port'));
  const maxMessageSize = uint(attributeValue(media, 'max-message-size'));
  return {
    fingerprints:
      fingerprints.length > 0 || !session
        ? fingerprints
        : readAttributes(session, 'fingerprint', parseFingerprint),
    ...(setup === undefined ? {} : { setup }),
    ...(tlsId === undefined ? {} : { tlsId }),
    ...(mid === undefined ? {} : { mid }),
    msid: readAttributes(media, 'msid', parseMsid),
    ssrcs: readAttributes(media, 'ssrc', parseSsrc),
    ssrcGroups: readAttributes(media, 'ssrc-group', parseSsrcGroup),
    extmaps: readAttributes(media, 'extmap', parseExtmap),
    ...(sctpPort === undefined ? {} : { sctpPort }),
    ...(maxMessageSize === undefined ? {} : { maxMessageSize }),
  };
}

/** Session-level `a=group` lines (`BUNDLE 0 1`, `LS 1 2`). */
export function readGroups(session: HasAttributes): SdpGroup[] {
  return readAttributes(session, 'group', parseGroup);
}

/** The BUNDLE group, if the session has one (RFC 9143 §7). */
export function readBundle(session: HasAttributes): SdpGroup | undefined {
  return readGroups(session).find((g) => g.semantics.toUpperCase() === 'BUNDLE');
}

export const webRtcAttribute = {
  fingerprint: (f: DtlsFingerprint): SdpAttribute => ({
    name: 'fingerprint',
    value: `${f.hashFunction} ${f.value}`,
  }),
  setup: (role: SetupRole): SdpAttribute => ({ name: 'setup', value: role }),
  mid: (mid: string): SdpAttribute => ({ name: 'mid', value: mid }),
  group: (g: SdpGroup): SdpAttribute => ({ name: 'group', value: [g.semantics, ...g.mids].join(' ') }),
  msid: (m: Msid): SdpAttribute => ({
    name: 'msid',
    value: m.trackId === undefined ? m.streamId : `${m.streamId} ${m.trackId}`,
  }),
  ssrc: (s: SsrcAttribute): SdpAttribute => ({
    name: 'ssrc',
    value: s.value === undefined ? `${s.ssrc} ${s.attribute}` : `${s.ssrc} ${s.attribute}:${s.value}`,
  }),
  extmap: (e: Extmap): SdpAttribute => ({
    name: 'extmap',
    value: `${e.id}${e.direction === undefined ? '' : `/${e.direction}`} ${e.uri}${e.attributes === undefined ? '' : ` ${e.attributes}`}`,
  }),
};
