// The SDP data model (RFC 4566 §5, restated by RFC 8866 §5). A session description is a
// session-level section followed by zero or more media sections:
//
//   Session description                     Media description (repeated)
//     v=  protocol version (always 0)         m=  media name and transport address
//     o=  originator and session identifier   i=* media title
//     s=  session name                        c=* connection information
//     i=* session information                 b=* bandwidth
//     u=* URI of description                  k=* encryption key (obsolete, RFC 8866 §5.12)
//     e=* email address                       a=* media attributes
//     p=* phone number
//     c=* connection information
//     b=* bandwidth
//     t=  time active  (one or more, each followed by r=* repeat times)
//     z=* time zone adjustments
//     k=* encryption key (obsolete)
//     a=* session attributes
//
// Values are plain readonly objects so they can be compared, copied and built literally.
// Attributes stay as name/value text in their original order (a proxy or B2BUA forwards
// what it does not understand, byte for byte); typed readers live in the *-attributes.ts
// files beside this one.

/** `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (§5.2). */
export interface SdpOrigin {
  readonly username: string;
  /** Decimal digits, kept as text: real stacks use 64-bit values (Chromium: 19 digits). */
  readonly sessionId: string;
  /** Decimal digits, kept as text; incremented with BigInt (RFC 3264 §8). */
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

/**
 * `c=<nettype> <addrtype> <connection-address>` (§5.7). Multicast addresses carry
 * `/<ttl>` (IP4 only) and `/<number of addresses>`.
 */
export interface SdpConnection {
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
  readonly ttl?: number;
  readonly addressCount?: number;
}

/** `b=<bwtype>:<bandwidth>` (§5.8), e.g. `AS:64`, `TIAS:64000`, `RR:0`. */
export interface SdpBandwidth {
  readonly type: string;
  readonly value: number;
}

/** `r=<repeat interval> <active duration> <offsets from start-time>` (§5.10). */
export interface SdpRepeatTime {
  /** Typed times as written (`604800`, `7d`, `1h`…). */
  readonly interval: string;
  readonly duration: string;
  readonly offsets: readonly string[];
}

/** `t=<start-time> <stop-time>` (§5.9) and the `r=` lines that follow it. */
export interface SdpTiming {
  /** NTP seconds as decimal text; `0` means unbounded. */
  readonly start: string;
  readonly stop: string;
  readonly repeats: readonly SdpRepeatTime[];
}

/** One pair of `z=<adjustment time> <offset> …` (§5.11). */
export interface SdpTimeZone {
  readonly time: string;
  /** Typed time with an optional sign, as written (`-1h`, `0`). */
  readonly offset: string;
}

/**
 * `a=<name>` (property attribute: `value` is undefined) or `a=<name>:<value>` (§5.13).
 * The value is everything after the first colon, exactly as received (leading spaces too).
 */
export interface SdpAttribute {
  readonly name: string;
  readonly value?: string;
}

/** `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` and its lines (§5.14). */
export interface MediaDescription {
  /** `audio`, `video`, `text`, `application`, `message`, or another token. */
  readonly type: string;
  /** 0 means the stream is rejected or disabled (RFC 3264 §6, §8.2). */
  readonly port: number;
  readonly portCount?: number;
  /** `RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`, `UDP/DTLS/SCTP`… */
  readonly protocol: string;
  /** RTP payload type numbers as text, or other format tokens (`webrtc-datachannel`). */
  readonly formats: readonly string[];
  readonly information?: string;
  readonly connections: readonly SdpConnection[];
  readonly bandwidths: readonly SdpBandwidth[];
  readonly key?: string;
  readonly attributes: readonly SdpAttribute[];
}

export interface SessionDescription {
  /** `v=` — always 0 (§5.1). */
  readonly version: number;
  readonly origin: SdpOrigin;
  /** `s=` — RFC 4566 wants a non-empty name (`-` when there is none); empty is tolerated. */
  readonly sessionName: string;
  readonly information?: string;
  readonly uri?: string;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly connection?: SdpConnection;
  readonly bandwidths: readonly SdpBandwidth[];
  /** RFC 4566 requires at least one `t=`; SIP uses `t=0 0` (RFC 3264 §5). */
  readonly timings: readonly SdpTiming[];
  readonly timeZones: readonly SdpTimeZone[];
  readonly key?: string;
  readonly attributes: readonly SdpAttribute[];
  readonly media: readonly MediaDescription[];
}

/** Limits applied to SDP read from the network. */
export interface SdpLimits {
  /** Whole description, in bytes (UTF-8). Default 64 KiB. */
  readonly maxBytes: number;
  /** Longest line, in characters. Default 8 KiB. */
  readonly maxLineLength: number;
  /** Most lines. Default 2048. */
  readonly maxLines: number;
  /** Most `m=` sections. Default 64. */
  readonly maxMediaSections: number;
  /** Most formats on one `m=` line. Default 128. */
  readonly maxFormats: number;
}

export const DEFAULT_SDP_LIMITS: SdpLimits = {
  maxBytes: 64 * 1024,
  maxLineLength: 8 * 1024,
  maxLines: 2048,
  maxMediaSections: 64,
  maxFormats: 128,
};

/** Why an SDP was rejected. Codes are stable; `reason` is for humans and logs. */
export type SdpErrorCode =
  | 'too-large'
  | 'too-many-lines'
  | 'line-too-long'
  | 'too-many-media'
  | 'too-many-formats'
  | 'bad-encoding'
  | 'bad-line'
  | 'unknown-line-type'
  | 'misplaced-line'
  | 'duplicate-line'
  | 'missing-line'
  | 'bad-version'
  | 'bad-origin'
  | 'bad-connection'
  | 'bad-bandwidth'
  | 'bad-timing'
  | 'bad-repeat'
  | 'bad-time-zone'
  | 'bad-attribute'
  | 'bad-media';

/** Parsing never throws on input: it answers with the description or a precise reason. */
export type SdpParseResult =
  | { readonly ok: true; readonly sdp: SessionDescription }
  | {
      readonly ok: false;
      readonly code: SdpErrorCode;
      readonly reason: string;
      /** 1-based line number where the problem was found, when there is one. */
      readonly line?: number;
    };
