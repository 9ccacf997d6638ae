// Typed readers and writers for the RTP attributes of a media section: rtpmap and fmtp
// (RFC 4566 §6, RFC 8866 §6.6/§6.15), ptime/maxptime (§6.4/§6.5), rtcp (RFC 3605), rtcp-mux
// (RFC 5761), rtcp-fb (RFC 4585). Readers return undefined for a value they cannot parse;
// the raw attribute stays in the model either way.

import { attributeValue, hasAttribute, readAttributes, type HasAttributes } from './attributes.ts';
import type { SdpAttribute } from './sdp-model.ts';

const DIGITS = /^[0-9]+$/;

/** `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]` */
export interface RtpMap {
  readonly payloadType: number;
  readonly encodingName: string;
  readonly clockRate: number;
  /** Audio: number of channels, when written. */
  readonly channels?: number;
}

export function parseRtpMap(value: string): RtpMap | undefined {
  const m = /^([0-9]{1,3})[ \t]+([^ \t/]+)\/([0-9]{1,10})(?:\/([0-9]{1,3}))?[ \t]*$/.exec(value);
  if (!m) return undefined;
  const payloadType = Number(m[1]);
  if (payloadType > 127) return undefined;
  const base = { payloadType, encodingName: m[2] as string, clockRate: Number(m[3]) };
  return m[4] === undefined ? base : { ...base, channels: Number(m[4]) };
}

export function formatRtpMap(r: RtpMap): string {
  const channels = r.channels === undefined ? '' : `/${r.channels}`;
  return `${r.payloadType} ${r.encodingName}/${r.clockRate}${channels}`;
}

/** `a=fmtp:<format> <format specific parameters>` */
export interface Fmtp {
  readonly format: string;
  readonly parameters: string;
}

export function parseFmtp(value: string): Fmtp | undefined {
  const m = /^([^ \t]+)[ \t]+(.*)$/.exec(value);
  if (!m) return undefined;
  return { format: m[1] as string, parameters: m[2] as string };
}

export function formatFmtp(f: Fmtp): string {
  return `${f.format} ${f.parameters}`;
}

/**
 * Splits `key=value;key2=value2` (the common fmtp form; RFC 7587 opus, RFC 4867 AMR…) into a
 * map with lower-cased keys. Items without `=` (telephone-event's `0-16`) map to ''.
 */
export function fmtpParameters(parameters: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of parameters.split(';')) {
    const t = item.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    if (eq < 0) out.set(t.toLowerCase(), '');
    else out.set(t.slice(0, eq).trim().toLowerCase(), t.slice(eq + 1).trim());
  }
  return out;
}

export function readRtpMaps(media: HasAttributes): RtpMap[] {
  return readAttributes(media, 'rtpmap', parseRtpMap);
}

export function readFmtps(media: HasAttributes): Fmtp[] {
  return readAttributes(media, 'fmtp', parseFmtp);
}

/** The fmtp parameters of one format, or undefined. */
export function fmtpFor(media: HasAttributes, format: string | number): string | undefined {
  const key = String(format);
  return readFmtps(media).find((f) => f.format === key)?.parameters;
}

function parseMilliseconds(value: string): number | undefined {
  const t = value.trim();
  // RFC 4566 §6: ptime is in milliseconds; decimals appear in the wild (`a=ptime:0.125`).
  if (!/^[0-9]{1,6}(?:\.[0-9]{1,6})?$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 ? n : undefined;
}

/** `a=ptime:<packet time>`: the packetization the sender of this SDP wants to receive. */
export function readPtime(media: HasAttributes): number | undefined {
  const v = attributeValue(media, 'ptime');
  return v === undefined ? undefined : parseMilliseconds(v);
}

/** `a=maxptime:<maximum packet time>` */
export function readMaxPtime(media: HasAttributes): number | undefined {
  const v = attributeValue(media, 'maxptime');
  return v === undefined ? undefined : parseMilliseconds(v);
}

/** `a=rtcp:<port> [<nettype> <addrtype> <connection-address>]` (RFC 3605 §2.1). */
export interface RtcpAttribute {
  readonly port: number;
  readonly netType?: string;
  readonly addrType?: string;
  readonly address?: string;
}

export function parseRtcp(value: string): RtcpAttribute | undefined {
  const f = value.trim().split(/[ \t]+/);
  const [portText, netType, addrType, address] = f;
  if (portText === undefined || !DIGITS.test(portText) || portText.length > 5) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  if (f.length === 1) return { port };
  if (f.length !== 4 || netType === undefined || addrType === undefined || address === undefined)
    return undefined;
  return { port, netType, addrType, address };
}

export function formatRtcp(r: RtcpAttribute): string {
  return r.address === undefined
    ? `${r.port}`
    : `${r.port} ${r.netType ?? 'IN'} ${r.addrType ?? 'IP4'} ${r.address}`;
}

export function readRtcp(media: HasAttributes): RtcpAttribute | undefined {
  const v = attributeValue(media, 'rtcp');
  return v === undefined ? undefined : parseRtcp(v);
}

/** `a=rtcp-mux` (RFC 5761 §5.1.1): RTP and RTCP share one port. */
export function readRtcpMux(media: HasAttributes): boolean {
  return hasAttribute(media, 'rtcp-mux');
}

/** `a=rtcp-fb:<pt or *> <type> [<subtype and parameters>]` (RFC 4585 §4.2). */
export interface RtcpFeedback {
  readonly payloadType: string;
  readonly type: string;
  readonly parameter?: string;
}

export function parseRtcpFeedback(value: string): RtcpFeedback | undefined {
  const m = /^([^ \t]+)[ \t]+([^ \t]+)(?:[ \t]+(.+))?$/.exec(value.trim());
  if (!m) return undefined;
  const base = { payloadType: m[1] as string, type: m[2] as string };
  return m[3] === undefined ? base : { ...base, parameter: m[3] };
}

export function readRtcpFeedback(media: HasAttributes): RtcpFeedback[] {
  return readAttributes(media, 'rtcp-fb', parseRtcpFeedback);
}

/** Builders for the attributes the offer/answer helpers write. */
export const rtpAttribute = {
  rtpmap: (r: RtpMap): SdpAttribute => ({ name: 'rtpmap', value: formatRtpMap(r) }),
  fmtp: (f: Fmtp): SdpAttribute => ({ name: 'fmtp', value: formatFmtp(f) }),
  ptime: (ms: number): SdpAttribute => ({ name: 'ptime', value: String(ms) }),
  maxptime: (ms: number): SdpAttribute => ({ name: 'maxptime', value: String(ms) }),
  rtcp: (r: RtcpAttribute): SdpAttribute => ({ name: 'rtcp', value: formatRtcp(r) }),
  rtcpMux: (): SdpAttribute => ({ name: 'rtcp-mux' }),
};
