// The SIP message parser (RFC 3261 §7, framing §18.3). Small messages are decoded once and
// their header lines walked with indexOf up to the empty line; larger or non-ASCII ones find
// the empty line in the bytes first. Fields are unfolded (§7.3.1), the body is sliced by
// Content-Length. Header values are parsed lazily, except what every element needs (the
// Request-URI, top Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length), which is
// validated here so that a message that parses is one a transaction can use. Network input
// never makes it throw.
import { headerKey, knownHeaderKey } from '../header/header-names.ts';
import { isToken, isTokenChar, trimLws } from '../header/scan.ts';
import { parseUri } from '../uri/parse-uri.ts';
import { SipUri } from '../uri/sip-uri.ts';
import type { ParseLimits, ParseResult } from './contract.ts';
import { Headers } from './headers.ts';
import type { ValidationLevel } from './sip-message.ts';
import { SipRequest } from './sip-request.ts';
import { SipResponse } from './sip-response.ts';

export type SipMessageAny = SipRequest | SipResponse;

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxStartLine: 8 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 256,
  maxBodyBytes: 1024 * 1024,
};

export interface ParseOptions {
  /**
   * `datagram` (default): the input is one whole packet; without Content-Length the body is the
   * rest of it (RFC 3261 §18.3). `stream`: the input is the start of a byte stream; the result
   * may be `incomplete`, Content-Length is required, and `consumed` tells where the next
   * message starts.
   */
  readonly mode?: 'datagram' | 'stream';
  /**
   * Which headers to validate while parsing (see SipMessage.validate). `core` (default): what
   * a transaction or proxy needs (top Via, From, To, Call-ID, CSeq, Max-Forwards,
   * Content-Length; the Request-URI always). `all`: every header with a typed accessor and the
   * URIs inside name-addr values. `none`: framing only. Headers not
   * validated here are parsed on first access (and their accessors may then throw
   * SipHeaderError; `message.validate('all')` reports the problem without throwing).
   */
  readonly validate?: ValidationLevel | 'none';
}

const CR = 13;
const LF = 10;
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

function malformed<M>(reason: string, partial?: M): ParseResult<M> {
  return partial === undefined ? { kind: 'malformed', reason } : { kind: 'malformed', reason, partial };
}

const INCOMPLETE = { kind: 'incomplete' } as const;

/** Messages up to this size are decoded whole to find the end of the header section. */
const FAST_DECODE_MAX = 16 * 1024;

function tryDecode(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Parses one SIP message. Never throws; see ParseResult for the three outcomes. `limits` bound
 * the start line, header section and body; `options.mode` selects datagram or stream framing.
 */
export function parseMessage(
  input: Uint8Array | string,
  limits?: Partial<ParseLimits>,
  options?: ParseOptions,
): ParseResult<SipMessageAny> {
  try {
    return parseBytes(typeof input === 'string' ? encoder.encode(input) : input, limits, options);
  } catch (err) {
    // Defence in depth: a bug must not take a server down on hostile input.
    return malformed(`internal parser error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Finds the empty line that ends the header section. Returns the index where that empty line
 * starts (so the head is bytes[start, blank)) and where the body starts, or undefined when the
 * bytes end first. Lines end in CRLF; a bare LF is tolerated.
 */
function findBlankLine(bytes: Uint8Array, from: number, maxEnd: number): [number, number] | undefined {
  // A plain loop: TypedArray indexOf costs more per call than it saves on ~60-byte lines.
  // Any blank line has two adjacent bytes from {CR, LF}, so a byte that is neither lets the
  // scan step over its neighbour.
  const n = bytes.length;
  const stop = Math.min(n, maxEnd + 1);
  let i = from;
  while (i < stop) {
    const c = bytes[i] as number;
    if (c > CR) {
      i += 2;
      continue;
    }
    // Back up one byte: the pair may start just before i.
    const p = i > from && bytes[i - 1] === LF ? i - 1 : i;
    if (bytes[p] === LF) {
      const next = p + 1;
      const d = bytes[next];
      if (d === LF) return [next, next + 1];
      if (d === CR && bytes[next + 1] === LF) return [next, next + 2];
    }
    i = p + 1 > i ? p + 1 : i + 1;
  }
  return undefined;
}

function parseBytes(
  bytes: Uint8Array,
  limitsIn: Partial<ParseLimits> | undefined,
  options: ParseOptions | undefined,
): ParseResult<SipMessageAny> {
  const limits = limitsIn === undefined ? DEFAULT_PARSE_LIMITS : { ...DEFAULT_PARSE_LIMITS, ...limitsIn };
  const stream = options?.mode === 'stream';
  const n = bytes.length;
  // RFC 3261 §7.5: ignore CRLFs before the start line.
  let start = 0;
  while (start < n && (bytes[start] === CR || bytes[start] === LF)) start++;
  if (start === n) return stream ? INCOMPLETE : malformed('empty message');

  // Start line.
  const lineEnd = bytes.indexOf(LF, start);
  if (lineEnd === -1 || lineEnd - start > limits.maxStartLine + 1) {
    if (n - start > limits.maxStartLine || lineEnd !== -1)
      return malformed(`start line longer than ${limits.maxStartLine} bytes`);
    return stream ? INCOMPLETE : malformed('no line end after the start line');
  }

  // Header section: up to the first empty line.
  const maxEnd = lineEnd + 1 + limits.maxHeaderBytes;
  let head: string | undefined;
  let blank = -1;
  let bodyStart = -1;
  let fields: Fields | undefined;
  let firstLf = lineEnd - start;
  if (n - start <= FAST_DECODE_MAX) {
    // Fast path: decode the whole message once and split header lines until the empty line.
    // Valid when the text is pure ASCII (character and byte offsets agree). Anything unusual
    // (no empty line yet, a bad line, non-ASCII) goes the careful way below.
    const all = tryDecode(start === 0 ? bytes : bytes.subarray(start));
    if (all !== undefined && all.length === n - start) {
      const r = splitFields(all, firstLf + 1, limits.maxHeaderCount, true);
      if (typeof r !== 'string' && r.blank !== -1 && start + r.blank <= maxEnd) {
        fields = r;
        head = all;
        blank = start + r.blank;
        bodyStart = start + r.bodyStart;
      }
    }
  }
  if (fields === undefined || head === undefined) {
    if (bytes[lineEnd + 1] === LF) {
      blank = lineEnd + 1;
      bodyStart = lineEnd + 2;
    } else if (bytes[lineEnd + 1] === CR && bytes[lineEnd + 2] === LF) {
      blank = lineEnd + 1;
      bodyStart = lineEnd + 3;
    } else {
      const found = findBlankLine(bytes, lineEnd + 1, maxEnd);
      if (found === undefined) {
        if (n > maxEnd) return malformed(`header section larger than ${limits.maxHeaderBytes} bytes`);
        return stream ? INCOMPLETE : malformed('header section not terminated by an empty line');
      }
      [blank, bodyStart] = found;
    }
    if (blank - lineEnd - 1 > limits.maxHeaderBytes)
      return malformed(`header section larger than ${limits.maxHeaderBytes} bytes`);
    head = tryDecode(bytes.subarray(start, blank));
    if (head === undefined) return malformed('start line or header section is not valid UTF-8');
    // Character offsets: the head may hold UTF-8, so find the start line's end again.
    firstLf = head.indexOf('\n');
    const r = splitFields(head, firstLf + 1, limits.maxHeaderCount, false);
    if (typeof r === 'string') return malformed(r);
    fields = r;
  }
  const startLine = head.slice(0, firstLf > 0 && head.charCodeAt(firstLf - 1) === CR ? firstLf - 1 : firstLf);

  const headers = Headers.fromParsed(fields.names, fields.values, fields.keys);

  // Start line → request or response.
  const built = buildMessage(startLine, headers);
  if (typeof built === 'string') return malformed(built);
  const message = built;
  if (fields.invalid !== undefined) return malformed(fields.invalid, message);

  // Body framing (RFC 3261 §18.3).
  const lengthResult = message.parsedHeader('content-length');
  if (!lengthResult.ok) return malformed(`Content-Length: ${lengthResult.reason}`, message);
  const declared = lengthResult.value;
  const available = n - bodyStart;
  let bodyLength: number;
  if (declared === undefined) {
    if (stream) return malformed('Content-Length is required on a stream transport', message);
    bodyLength = available;
  } else {
    bodyLength = declared;
  }
  if (bodyLength > limits.maxBodyBytes)
    return malformed(`body larger than ${limits.maxBodyBytes} bytes`, message);
  if (available < bodyLength) {
    if (stream) return INCOMPLETE;
    return malformed(`Content-Length ${bodyLength} exceeds the ${available} body bytes received`, message);
  }
  const end = bodyStart + bodyLength;
  // The setter would drop the raw bytes; the body is set before adoptRaw.
  message.body = bodyLength === 0 ? EMPTY : bytes.subarray(bodyStart, end);
  message.adoptRaw(start === 0 && end === n ? bytes : bytes.subarray(start, end));

  const level = options?.validate ?? 'core';
  if (level !== 'none') {
    const problem = message.validate(level);
    if (problem !== undefined) return malformed(problem, message);
  }
  return { kind: 'message', message, consumed: end };
}

interface Fields {
  names: string[];
  values: string[];
  keys: string[];
  /** Index of the empty line that ends the header section (-1: not reached). */
  blank: number;
  bodyStart: number;
  /** Why a field is unacceptable although the section could be split (answerable with 400). */
  invalid?: string;
}

/**
 * Splits header lines of `text` from index `from` into names as written, raw values (LWS
 * trimmed, continuation lines joined by one SP, RFC 3261 §7.3.1) and lookup keys. With
 * `untilBlank` it stops at the empty line and reports where it is; otherwise `text` holds
 * exactly the header lines.
 */
function splitFields(text: string, from: number, maxCount: number, untilBlank: boolean): Fields | string {
  const names: string[] = [];
  const values: string[] = [];
  const keys: string[] = [];
  let invalid: string | undefined;
  const hn = text.length;
  let i = from;
  while (i < hn) {
    const first = text.charCodeAt(i);
    if (untilBlank) {
      if (first === LF)
        return { names, values, keys, blank: i, bodyStart: i + 1, ...(invalid && { invalid }) };
      if (first === CR && text.charCodeAt(i + 1) === LF)
        return { names, values, keys, blank: i, bodyStart: i + 2, ...(invalid && { invalid }) };
    }
    let e = text.indexOf('\n', i);
    if (e === -1) {
      if (untilBlank) break;
      e = hn;
    }
    const stop = e > i && text.charCodeAt(e - 1) === CR ? e - 1 : e;
    if (first === 0x20 || first === 0x09) {
      // Continuation line (LWS folding): joins the previous field with one space.
      const last = values.length - 1;
      if (last < 0) return 'header section starts with a continuation line';
      const more = trimLws(text.slice(i, stop));
      if (more !== '') values[last] = values[last] === '' ? more : values[last] + ' ' + more;
    } else {
      const colon = text.indexOf(':', i);
      if (colon === -1 || colon > stop) {
        return `header line without colon: ${JSON.stringify(text.slice(i, Math.min(stop, i + 80)))}`;
      }
      let nameEnd = colon;
      while (nameEnd > i && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09))
        nameEnd--;
      if (nameEnd === i) return 'empty header name';
      if (names.length >= maxCount) return `more than ${maxCount} header fields`;
      const name = text.slice(i, nameEnd);
      let key = knownHeaderKey(name);
      if (key === undefined) {
        for (let k = i; k < nameEnd; k++) {
          if (!isTokenChar(text.charCodeAt(k))) return `invalid header name ${JSON.stringify(name)}`;
        }
        key = headerKey(name);
      }
      let vs = colon + 1;
      while (vs < stop && (text.charCodeAt(vs) === 0x20 || text.charCodeAt(vs) === 0x09)) vs++;
      let ve = stop;
      while (ve > vs && (text.charCodeAt(ve - 1) === 0x20 || text.charCodeAt(ve - 1) === 0x09)) ve--;
      const value = text.slice(vs, ve);
      // RFC 3261 §25.1: a NUL may appear only escaped, as a quoted-pair inside a quoted string
      // (RFC 4475 §3.1.1.2 "intmeth"); a raw NUL anywhere else is malformed.
      for (
        let z = value.indexOf('\u0000');
        z !== -1 && invalid === undefined;
        z = value.indexOf('\u0000', z + 1)
      ) {
        if (value.charCodeAt(z - 1) !== 0x5c /* \ */)
          invalid = `NUL byte in the value of ${JSON.stringify(name)}`;
      }
      names.push(name);
      values.push(value);
      keys.push(key);
    }
    i = e + 1;
  }
  return { names, values, keys, blank: -1, bodyStart: -1, ...(invalid && { invalid }) };
}

/** Parses the start line; returns the message or a reason. */
function buildMessage(line: string, headers: Headers): SipMessageAny | string {
  if (line.startsWith('SIP/')) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    const sp1 = line.indexOf(' ');
    if (sp1 === -1) return `invalid status line ${JSON.stringify(line)}`;
    const version = line.slice(0, sp1);
    const sp2 = line.indexOf(' ', sp1 + 1);
    const code = sp2 === -1 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
    if (code.length !== 3 || !/^[1-6]\d\d$/.test(code)) return `invalid status code ${JSON.stringify(code)}`;
    if (!/^SIP\/\d+\.\d+$/.test(version)) return `invalid SIP version ${JSON.stringify(version)}`;
    const reason = sp2 === -1 ? '' : line.slice(sp2 + 1);
    return SipResponse.fromParsed(Number(code), reason, version, headers, EMPTY, line);
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (exactly one SP each, RFC 3261 §7.1)
  const sp1 = line.indexOf(' ');
  const sp2 = line.lastIndexOf(' ');
  if (sp1 <= 0 || sp2 === sp1) return `invalid request line ${JSON.stringify(line.slice(0, 200))}`;
  if (sp2 === line.length - 1)
    return 'whitespace after the SIP version in the request line (RFC 4475 §3.1.2.10)';
  const method = line.slice(0, sp1);
  const uriText = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (!isToken(method)) return `invalid method ${JSON.stringify(method)}`;
  if (uriText.charCodeAt(0) === 0x20 || uriText.charCodeAt(uriText.length - 1) === 0x20)
    return 'more than one SP between request line elements (RFC 4475 §3.1.2.9)';
  if (uriText.indexOf(' ') !== -1 || uriText.indexOf('\t') !== -1)
    return 'whitespace inside the Request-URI (RFC 4475 §3.1.2.8)';
  if (uriText.charCodeAt(0) === 0x3c /* < */) return 'Request-URI enclosed in "<>" (RFC 4475 §3.1.2.7)';
  if (!/^SIP\/\d+\.\d+$/.test(version))
    return `invalid SIP version ${JSON.stringify(version)} in request line`;
  const uri = parseUri(uriText);
  if (!uri.ok) return `invalid Request-URI: ${uri.reason}`;
  // RFC 3261 §19.1.1 (table): URI headers are not allowed in a Request-URI.
  if (uri.value instanceof SipUri && uri.value.headers.length > 0)
    return 'Request-URI contains URI headers ("?"), not allowed by RFC 3261 §19.1.1';
  return SipRequest.fromParsed(method, uri.value, version, headers, EMPTY, line);
}
