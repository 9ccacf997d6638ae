// SDP serializer: lines in the order RFC 4566 §5 prescribes, each ended by CRLF. Attributes
// are written in their stored order with their stored text, so whatever was parsed and not
// touched goes out byte for byte.

import type {
  SdpAttribute,
  SdpBandwidth,
  SdpConnection,
  MediaDescription,
  SdpOrigin,
  SessionDescription,
} from './sdp-model.ts';

const CRLF = '\r\n';
const encoder = new TextEncoder();

/**
 * Refuses text that would break the line structure (a CR, LF or NUL inside a value would let
 * a value inject lines). Values that came from parseSdp never contain them; this guards
 * values built by code.
 */
function text(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) throw new RangeError(`SDP ${what} contains CR, LF or NUL`);
  return value;
}

export function formatOrigin(o: SdpOrigin): string {
  return text(
    `${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`,
    'o=',
  );
}

export function formatConnection(c: SdpConnection): string {
  let address = c.address;
  if (c.ttl !== undefined) address += `/${c.ttl}`;
  if (c.addressCount !== undefined) address += `/${c.addressCount}`;
  return text(`${c.netType} ${c.addrType} ${address}`, 'c=');
}

export function formatBandwidth(b: SdpBandwidth): string {
  return text(`${b.type}:${b.value}`, 'b=');
}

export function formatAttribute(a: SdpAttribute): string {
  return text(a.value === undefined ? a.name : `${a.name}:${a.value}`, `a=${a.name}`);
}

export function formatMediaLine(m: MediaDescription): string {
  const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
  const formats = m.formats.length === 0 ? '' : ` ${m.formats.join(' ')}`;
  return text(`${m.type} ${port} ${m.protocol}${formats}`, 'm=');
}

function media(m: MediaDescription, out: string[]): void {
  out.push(`m=${formatMediaLine(m)}`);
  if (m.information !== undefined) out.push(`i=${text(m.information, 'i=')}`);
  for (const c of m.connections) out.push(`c=${formatConnection(c)}`);
  for (const b of m.bandwidths) out.push(`b=${formatBandwidth(b)}`);
  if (m.key !== undefined) out.push(`k=${text(m.key, 'k=')}`);
  for (const a of m.attributes) out.push(`a=${formatAttribute(a)}`);
}

/** Serializes a description to text with CRLF line endings (RFC 4566 §5). */
export function serializeSdp(sdp: SessionDescription): string {
  const out: string[] = [
    `v=${sdp.version}`,
    `o=${formatOrigin(sdp.origin)}`,
    `s=${text(sdp.sessionName, 's=')}`,
  ];
  if (sdp.information !== undefined) out.push(`i=${text(sdp.information, 'i=')}`);
  if (sdp.uri !== undefined) out.push(`u=${text(sdp.uri, 'u=')}`);
  for (const e of sdp.emails) out.push(`e=${text(e, 'e=')}`);
  for (const p of sdp.phones) out.push(`p=${text(p, 'p=')}`);
  if (sdp.connection) out.push(`c=${formatConnection(sdp.connection)}`);
  for (const b of sdp.bandwidths) out.push(`b=${formatBandwidth(b)}`);
  for (const t of sdp.timings) {
    out.push(`t=${text(`${t.start} ${t.stop}`, 't=')}`);
    for (const r of t.repeats) out.push(`r=${text([r.interval, r.duration, ...r.offsets].join(' '), 'r=')}`);
  }
  if (sdp.timeZones.length > 0) {
    out.push(`z=${text(sdp.timeZones.map((z) => `${z.time} ${z.offset}`).join(' '), 'z=')}`);
  }
  if (sdp.key !== undefined) out.push(`k=${text(sdp.key, 'k=')}`);
  for (const a of sdp.attributes) out.push(`a=${formatAttribute(a)}`);
  for (const m of sdp.media) media(m, out);
  return out.join(CRLF) + CRLF;
}

/** Serializes to UTF-8 bytes, ready to be a SIP message body (Content-Type: application/sdp). */
export function encodeSdp(sdp: SessionDescription): Uint8Array {
  return encoder.encode(serializeSdp(sdp));
}
