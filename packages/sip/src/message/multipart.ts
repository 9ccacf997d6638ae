// multipart/* bodies (RFC 2046 §5.1; used by SIP for SDP + ISUP, RFC 5621 body handling):
// parts separated by "--boundary" lines, ended by "--boundary--".
import { headerKey } from '../header/header-names.ts';
import { type MediaType, parseMediaType } from '../header/media-type.ts';
import { type Parsed, fail, ok } from '../header/parsed.ts';
import { Headers } from './headers.ts';

export interface BodyPart {
  readonly headers: Headers;
  readonly body: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] as number;
  let i = hay.indexOf(first, from);
  while (i !== -1 && i + needle.length <= hay.length) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i = hay.indexOf(first, i + 1);
  }
  return -1;
}

/** Splits a multipart body. `contentType` is the message's Content-Type (value or parsed). */
export function parseMultipart(body: Uint8Array, contentType: string | MediaType): Parsed<BodyPart[]> {
  let type: MediaType;
  if (typeof contentType === 'string') {
    const t = parseMediaType(contentType);
    if (!t.ok) return fail(t.reason);
    type = t.value;
  } else type = contentType;
  if (type.type !== 'multipart') return fail(`${type.essence} is not a multipart type`);
  const boundary = type.param('boundary');
  if (boundary === undefined || boundary === '') return fail('multipart Content-Type without boundary');
  const delimiter = encoder.encode('--' + boundary);
  const parts: BodyPart[] = [];
  // The first delimiter may start the body or follow a preamble line.
  let at = indexOfBytes(body, delimiter, 0);
  while (at > 0 && body[at - 1] !== 10) at = indexOfBytes(body, delimiter, at + 1);
  if (at === -1) return fail('multipart body has no boundary delimiter');
  for (;;) {
    let p = at + delimiter.length;
    if (body[p] === 45 && body[p + 1] === 45) return ok(parts); // "--": close delimiter
    // Skip transport padding and the line end after the delimiter.
    while (body[p] === 32 || body[p] === 9) p++;
    if (body[p] === 13) p++;
    if (body[p] !== 10) return fail('boundary delimiter not followed by a line end');
    p++;
    // The next delimiter is preceded by CRLF (or LF), which belongs to it.
    let next = indexOfBytes(body, delimiter, p);
    while (next !== -1 && !(body[next - 1] === 10)) next = indexOfBytes(body, delimiter, next + 1);
    if (next === -1) return fail('multipart body not closed by a final boundary');
    let partEnd = next - 1;
    if (partEnd > p && body[partEnd - 1] === 13) partEnd--;
    const part = parsePart(body.subarray(p, Math.max(p, partEnd)));
    if (!part.ok) return part;
    parts.push(part.value);
    at = next;
  }
}

function parsePart(bytes: Uint8Array): Parsed<BodyPart> {
  // Headers, then an empty line, then the body. A part may have no headers at all.
  let bodyStart = -1;
  let headerEnd = 0;
  if (bytes[0] === 10) bodyStart = 1;
  else if (bytes[0] === 13 && bytes[1] === 10) bodyStart = 2;
  else {
    let lf = bytes.indexOf(10);
    while (lf !== -1) {
      if (bytes[lf + 1] === 10) {
        headerEnd = lf;
        bodyStart = lf + 2;
        break;
      }
      if (bytes[lf + 1] === 13 && bytes[lf + 2] === 10) {
        headerEnd = lf;
        bodyStart = lf + 3;
        break;
      }
      lf = bytes.indexOf(10, lf + 1);
    }
  }
  if (bodyStart === -1) return fail('body part without an empty line after its headers');
  const headers = new Headers();
  const text = decoder.decode(bytes.subarray(0, headerEnd));
  for (const raw of text.split(/\r?\n/)) {
    if (raw === '') continue;
    if (raw[0] === ' ' || raw[0] === '\t') continue; // folding inside parts: rare, ignored
    const colon = raw.indexOf(':');
    if (colon <= 0) return fail(`invalid body part header ${JSON.stringify(raw)}`);
    const name = raw.slice(0, colon).trim();
    if (headerKey(name) === '') return fail('empty body part header name');
    headers.append(name, raw.slice(colon + 1).trim());
  }
  return ok({ headers, body: bytes.subarray(bodyStart) });
}

/** Builds a multipart body with the given boundary (the caller sets the Content-Type). */
export function formatMultipart(parts: readonly BodyPart[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    let head = '--' + boundary + '\r\n';
    for (const f of part.headers.fields()) head += f.name + ': ' + f.value + '\r\n';
    chunks.push(encoder.encode(head + '\r\n'), part.body, encoder.encode('\r\n'));
  }
  chunks.push(encoder.encode('--' + boundary + '--\r\n'));
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
