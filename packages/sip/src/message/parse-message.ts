// The SIP message parser (RFC 3261 §7, framing §18.3). It works on bytes: finds the end of the
// header section with indexOf, decodes that section once, splits it into fields (unfolding
// continuation lines, §7.3.1) and slices the body by Content-Length. Header values are parsed
// lazily, except the few every element needs (Via, From, To, Call-ID, CSeq, Max-Forwards,
// Content-Length, Content-Type), which are validated here so that a message that parses is
// one a transaction can use. Network input never makes it throw.
import { headerKey } from '../header/header-names.ts';
import { isToken, trimLws } from '../header/scan.ts';
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
   * Which headers to validate while parsing. `core` (default): the ones every element needs
   * (Via, From, To, Call-ID, CSeq and its method, Max-Forwards, Content-Length, Content-Type).
   * `all`: also Contact, Route, Record-Route and Expires. `none`: framing only. Headers not
   * validated here are parsed on first access (and their accessors may then throw
   * SipHeaderError; `message.validate('all')` reports the problem without throwing).
   */
  readonly validate?: ValidationLevel | 'none';
}

const CR = 13;
const LF = 10;
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function malformed<M>(reason: string, partial?: M): ParseResult<M> {
  return partial === undefined ? { kind: 'malformed', reason } : { kind: 'malformed', reason, partial };
}

const INCOMPLETE = { kind: 'incomplete' } as const;

function decode(bytes: Uint8Array, start: number, end: number): string | undefined {
  // Fast path for ASCII, which nearly every header section is.
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((bytes[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii && end - start < 2048) {
    return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  try {
    return decoder.decode(bytes.subarray(start, end));
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
  if (lineEnd === -1) {
    if (n - start > limits.maxStartLine)
      return malformed(`start line longer than ${limits.maxStartLine} bytes`);
    return stream ? INCOMPLETE : malformed('no line end after the start line');
  }
  const startLineEnd = lineEnd > start && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
  if (startLineEnd - start > limits.maxStartLine)
    return malformed(`start line longer than ${limits.maxStartLine} bytes`);

  // Header section: up to the first empty line.
  const headerStart = lineEnd + 1;
  let headerEnd = -1; // index of the byte after the last header line's content
  let bodyStart = -1;
  let pos = lineEnd; // position of a LF
  for (;;) {
    const next = pos + 1;
    if (next < n && bytes[next] === LF) {
      headerEnd = next;
      bodyStart = next + 1;
      break;
    }
    if (next + 1 < n && bytes[next] === CR && bytes[next + 1] === LF) {
      headerEnd = next;
      bodyStart = next + 2;
      break;
    }
    if (next >= n || (next + 1 >= n && bytes[next] === CR)) break; // need more bytes
    const lf = bytes.indexOf(LF, next);
    if (lf === -1 || lf - headerStart > limits.maxHeaderBytes) {
      pos = -1;
      break;
    }
    pos = lf;
  }
  if (headerEnd === -1) {
    if (n - headerStart > limits.maxHeaderBytes)
      return malformed(`header section larger than ${limits.maxHeaderBytes} bytes`);
    return stream ? INCOMPLETE : malformed('header section not terminated by an empty line');
  }
  if (headerEnd - headerStart > limits.maxHeaderBytes)
    return malformed(`header section larger than ${limits.maxHeaderBytes} bytes`);

  const startLine = decode(bytes, start, startLineEnd);
  if (startLine === undefined) return malformed('start line is not valid UTF-8');
  const headerText = decode(bytes, headerStart, headerEnd);
  if (headerText === undefined) return malformed('header section is not valid UTF-8');

  // Fields.
  const names: string[] = [];
  const values: string[] = [];
  const keys: string[] = [];
  let i = 0;
  const hn = headerText.length;
  while (i < hn) {
    let e = headerText.indexOf('\n', i);
    if (e === -1) e = hn;
    const lineStop = e > i && headerText.charCodeAt(e - 1) === CR ? e - 1 : e;
    const first = headerText.charCodeAt(i);
    if (first === 0x20 || first === 0x09) {
      // Continuation line (LWS folding): joins the previous field with one space.
      const last = values.length - 1;
      if (last < 0) return malformed('header section starts with a continuation line');
      const more = trimLws(headerText.slice(i, lineStop));
      if (more !== '') values[last] = values[last] === '' ? more : values[last] + ' ' + more;
    } else {
      const colon = headerText.indexOf(':', i);
      if (colon === -1 || colon > lineStop) {
        return malformed(
          `header line without colon: ${JSON.stringify(headerText.slice(i, Math.min(lineStop, i + 80)))}`,
        );
      }
      let nameEnd = colon;
      while (
        nameEnd > i &&
        (headerText.charCodeAt(nameEnd - 1) === 0x20 || headerText.charCodeAt(nameEnd - 1) === 0x09)
      )
        nameEnd--;
      const name = headerText.slice(i, nameEnd);
      if (!isToken(name)) return malformed(`invalid header name ${JSON.stringify(name)}`);
      if (names.length >= limits.maxHeaderCount)
        return malformed(`more than ${limits.maxHeaderCount} header fields`);
      names.push(name);
      values.push(trimLws(headerText.slice(colon + 1, lineStop)));
      keys.push(headerKey(name));
    }
    i = e + 1;
  }
  const headers = Headers.fromParsed(names, values, keys);

  // Start line → request or response.
  const built = buildMessage(startLine, headers);
  if (typeof built === 'string') return malformed(built);
  const message = built;

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
  setBody(message, bytes.subarray(bodyStart, end));
  message.adoptRaw(start === 0 ? bytes.subarray(0, end) : bytes.subarray(start, end));

  const level = options?.validate ?? 'core';
  if (level !== 'none') {
    const problem = message.validate(level);
    if (problem !== undefined) return malformed(problem, message);
  }
  return { kind: 'message', message, consumed: end };
}

function setBody(message: SipMessageAny, body: Uint8Array): void {
  // Assigning through the setter would drop the raw bytes; the parser sets the body before
  // adoptRaw, so the order keeps them.
  message.body = body;
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
    return SipResponse.fromParsed(Number(code), reason, version, headers, new Uint8Array(0), line);
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
  return SipRequest.fromParsed(method, uri.value, version, headers, new Uint8Array(0), line);
}
