// Parsers for the value of each structured SDP line (RFC 4566 §5, ABNF in §9). Each returns
// the value or a reason; none throws. The line parser in sdp-parser.ts adds line numbers.
//
// NOTE: RFC 4566 separates fields with exactly one SP. We accept runs of spaces or tabs and
// ignore leading/trailing blanks on these structured lines (robustness principle: real
// phones send trailing spaces after `m=` formats). Attribute values are never trimmed.

import type {
  SdpAttribute,
  SdpBandwidth,
  SdpConnection,
  MediaDescription,
  SdpOrigin,
  SdpRepeatTime,
  SdpErrorCode,
  SdpTimeZone,
} from './sdp-model.ts';

export type FieldResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: SdpErrorCode; readonly reason: string };

const fail = <T>(code: SdpErrorCode, reason: string): FieldResult<T> => ({ ok: false, code, reason });
const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });

/** token-char of RFC 4566 §9: visible US-ASCII except separators ( ) < > @ , ; : \ " / [ ] ? = {} */
const TOKEN = /^[!#-'*+\-.0-9A-Z^-~]+$/;
/** proto = token *("/" token) */
const PROTO = /^[!#-'*+\-.0-9A-Z^-~]+(?:\/[!#-'*+\-.0-9A-Z^-~]+)*$/;
const DIGITS = /^[0-9]+$/;
/** typed-time = 1*DIGIT [fixed-len-time-unit] (§5.10) */
const TYPED_TIME = /^[0-9]+[dhms]?$/;
/** RFC 8866 §9 allows an optional "-" on the z= offset. */
const SIGNED_TYPED_TIME = /^-?[0-9]+[dhms]?$/;

export const isToken = (s: string): boolean => TOKEN.test(s);

/** Split a structured line value into fields (see NOTE at top). */
export function fields(value: string): string[] {
  const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, '');
  return trimmed === '' ? [] : trimmed.split(/[ \t]+/);
}

/** A non-negative decimal integer that fits a JS number exactly, or undefined. */
export function parseUint(s: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!DIGITS.test(s) || s.length > 16) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

/** o= (§5.2). */
export function parseOrigin(value: string): FieldResult<SdpOrigin> {
  const f = fields(value);
  if (f.length !== 6) {
    return fail(
      'bad-origin',
      `o= needs 6 fields (username sess-id sess-version nettype addrtype address), got ${f.length}`,
    );
  }
  const [username, sessionId, sessionVersion, netType, addrType, address] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!DIGITS.test(sessionId))
    return fail('bad-origin', `o= sess-id must be decimal digits, got "${sessionId}"`);
  if (!DIGITS.test(sessionVersion)) {
    return fail('bad-origin', `o= sess-version must be decimal digits, got "${sessionVersion}"`);
  }
  if (!TOKEN.test(netType)) return fail('bad-origin', `o= nettype is not a token: "${netType}"`);
  if (!TOKEN.test(addrType)) return fail('bad-origin', `o= addrtype is not a token: "${addrType}"`);
  return ok({ username, sessionId, sessionVersion, netType, addrType, address });
}

/** c= (§5.7): `IN IP4 224.2.1.1/127/3`, `IN IP6 ff15::101/3`, `IN IP4 192.0.2.1`. */
export function parseConnection(value: string): FieldResult<SdpConnection> {
  const f = fields(value);
  if (f.length !== 3)
    return fail('bad-connection', `c= needs 3 fields (nettype addrtype address), got ${f.length}`);
  const [netType, addrType, raw] = f as [string, string, string];
  if (!TOKEN.test(netType)) return fail('bad-connection', `c= nettype is not a token: "${netType}"`);
  if (!TOKEN.test(addrType)) return fail('bad-connection', `c= addrtype is not a token: "${addrType}"`);
  const parts = raw.split('/');
  const address = parts[0] ?? '';
  if (address === '') return fail('bad-connection', 'c= address is empty');
  if (parts.length === 1) return ok({ netType, addrType, address });
  const numbers = parts.slice(1).map((p) => parseUint(p, 0xffffffff));
  if (numbers.some((n) => n === undefined)) {
    return fail('bad-connection', `c= multicast suffix must be decimal numbers: "${raw}"`);
  }
  const isIp4 = addrType.toUpperCase() === 'IP4';
  // IP4: addr/ttl[/count]; IP6 (and other families): addr/count (§5.7).
  if (isIp4) {
    if (parts.length > 3) return fail('bad-connection', `c= IP4 multicast is addr/ttl[/count]: "${raw}"`);
    const [ttl, count] = numbers as [number, number | undefined];
    if (ttl > 255) return fail('bad-connection', `c= ttl must be 0..255, got ${ttl}`);
    if (count === 0) return fail('bad-connection', 'c= number of addresses must be at least 1');
    return ok(
      count === undefined
        ? { netType, addrType, address, ttl }
        : { netType, addrType, address, ttl, addressCount: count },
    );
  }
  if (parts.length > 2) return fail('bad-connection', `c= ${addrType} multicast is addr/count: "${raw}"`);
  const [count] = numbers as [number];
  if (count === 0) return fail('bad-connection', 'c= number of addresses must be at least 1');
  return ok({ netType, addrType, address, addressCount: count });
}

/** b= (§5.8). */
export function parseBandwidth(value: string): FieldResult<SdpBandwidth> {
  const colon = value.indexOf(':');
  if (colon < 0) return fail('bad-bandwidth', `b= must be <bwtype>:<bandwidth>, got "${value}"`);
  const type = value.slice(0, colon);
  const amount = value.slice(colon + 1).trim();
  if (!TOKEN.test(type)) return fail('bad-bandwidth', `b= bwtype is not a token: "${type}"`);
  const n = parseUint(amount);
  if (n === undefined)
    return fail('bad-bandwidth', `b= bandwidth must be a decimal integer, got "${amount}"`);
  return ok({ type, value: n });
}

/** t= (§5.9). */
export function parseTiming(value: string): FieldResult<{ start: string; stop: string }> {
  const f = fields(value);
  if (f.length !== 2) return fail('bad-timing', `t= needs 2 fields (start stop), got ${f.length}`);
  const [start, stop] = f as [string, string];
  if (!DIGITS.test(start) || !DIGITS.test(stop)) {
    return fail('bad-timing', `t= times must be decimal NTP seconds, got "${value}"`);
  }
  return ok({ start, stop });
}

/** r= (§5.10). */
export function parseRepeat(value: string): FieldResult<SdpRepeatTime> {
  const f = fields(value);
  if (f.length < 3)
    return fail('bad-repeat', `r= needs interval, duration and at least one offset, got ${f.length} fields`);
  const bad = f.find((t) => !TYPED_TIME.test(t));
  if (bad !== undefined) return fail('bad-repeat', `r= field is not a typed time: "${bad}"`);
  const [interval, duration, ...offsets] = f as [string, string, ...string[]];
  return ok({ interval, duration, offsets });
}

/** z= (§5.11). */
export function parseTimeZones(value: string): FieldResult<SdpTimeZone[]> {
  const f = fields(value);
  if (f.length === 0 || f.length % 2 !== 0) {
    return fail('bad-time-zone', `z= needs pairs of <adjustment time> <offset>, got ${f.length} fields`);
  }
  const out: SdpTimeZone[] = [];
  for (let i = 0; i < f.length; i += 2) {
    const time = f[i] as string;
    const offset = f[i + 1] as string;
    if (!DIGITS.test(time)) return fail('bad-time-zone', `z= adjustment time must be decimal, got "${time}"`);
    if (!SIGNED_TYPED_TIME.test(offset))
      return fail('bad-time-zone', `z= offset is not a typed time: "${offset}"`);
    out.push({ time, offset });
  }
  return ok(out);
}

/** a= (§5.13): `name` or `name:value`; the value is kept verbatim. */
export function parseAttribute(value: string): FieldResult<SdpAttribute> {
  const colon = value.indexOf(':');
  // NOTE: trailing blanks after a property attribute (`a=recvonly `) are dropped; seen in
  // the wild and harmless.
  const name = colon < 0 ? value.replace(/[ \t]+$/, '') : value.slice(0, colon);
  if (!TOKEN.test(name)) return fail('bad-attribute', `a= attribute name is not a token: "${name}"`);
  return ok(colon < 0 ? { name } : { name, value: value.slice(colon + 1) });
}

type MediaLine = Pick<MediaDescription, 'type' | 'port' | 'portCount' | 'protocol' | 'formats'>;

/** m= (§5.14). */
export function parseMediaLine(value: string, maxFormats: number): FieldResult<MediaLine> {
  const f = fields(value);
  // NOTE: RFC 4566 requires at least one fmt; a bare `m=audio 0 RTP/AVP` is tolerated.
  if (f.length < 3) return fail('bad-media', `m= needs media, port and proto, got ${f.length} fields`);
  const [type, portField, protocol, ...formats] = f as [string, string, string, ...string[]];
  if (!TOKEN.test(type)) return fail('bad-media', `m= media is not a token: "${type}"`);
  const [portText, countText, extra] = portField.split('/');
  const port = parseUint(portText ?? '', 65535);
  if (port === undefined) return fail('bad-media', `m= port must be 0..65535, got "${portField}"`);
  if (extra !== undefined)
    return fail('bad-media', `m= port is <port>[/<number of ports>], got "${portField}"`);
  let portCount: number | undefined;
  if (countText !== undefined) {
    portCount = parseUint(countText, 65535);
    if (portCount === undefined || portCount === 0) {
      return fail('bad-media', `m= number of ports must be a positive integer, got "${countText}"`);
    }
  }
  if (!PROTO.test(protocol)) return fail('bad-media', `m= proto is not token *("/" token): "${protocol}"`);
  if (formats.length > maxFormats) {
    return fail('too-many-formats', `m= has ${formats.length} formats, limit is ${maxFormats}`);
  }
  const badFormat = formats.find((fmt) => !TOKEN.test(fmt));
  if (badFormat !== undefined) return fail('bad-media', `m= format is not a token: "${badFormat}"`);
  return ok(
    portCount === undefined
      ? { type, port, protocol, formats }
      : { type, port, portCount, protocol, formats },
  );
}
