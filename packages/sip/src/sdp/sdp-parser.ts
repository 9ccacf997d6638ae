// SDP parser (RFC 4566 §5; RFC 8866 §5 restates it). Input from the network never throws:
// the result is the description or a stable code, a reason and the 1-based line number.
//
// What we accept beyond the letter of the RFC, on purpose (robustness, §5 "parsers SHOULD be
// tolerant"):
// - lines ending in LF alone, a last line without a line ending, blank lines;
// - session-level lines in any order after `v=` (the RFC order is used when serializing);
// - an empty `s=`, a missing `t=`, an `m=` line without formats.
// What we reject: anything else that breaks the grammar, a type letter we do not know
// (§5: a parser "MUST completely ignore any session description that contains a type letter
// that it does not understand"), session-only lines inside a media section, NUL bytes,
// invalid UTF-8 and input over the limits.

import {
  parseAttribute,
  parseBandwidth,
  parseConnection,
  parseMediaLine,
  parseOrigin,
  parseRepeat,
  parseTimeZones,
  parseTiming,
  type FieldResult,
} from './sdp-fields.ts';
import {
  DEFAULT_SDP_LIMITS,
  type SdpAttribute,
  type SdpBandwidth,
  type SdpConnection,
  type MediaDescription,
  type SdpOrigin,
  type SdpRepeatTime,
  type SdpErrorCode,
  type SdpLimits,
  type SdpParseResult,
  type SessionDescription,
  type SdpTimeZone,
} from './sdp-model.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface MutableTiming {
  start: string;
  stop: string;
  repeats: SdpRepeatTime[];
}

interface MutableMedia {
  type: string;
  port: number;
  portCount?: number;
  protocol: string;
  formats: readonly string[];
  information?: string;
  connections: SdpConnection[];
  bandwidths: SdpBandwidth[];
  key?: string;
  attributes: SdpAttribute[];
}

interface MutableSession {
  origin?: SdpOrigin;
  sessionName?: string;
  information?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: SdpConnection;
  bandwidths: SdpBandwidth[];
  timings: MutableTiming[];
  timeZones?: SdpTimeZone[];
  key?: string;
  attributes: SdpAttribute[];
  media: MutableMedia[];
}

class SdpSyntaxError {
  constructor(
    readonly code: SdpErrorCode,
    readonly reason: string,
    readonly line?: number,
  ) {}
}

/** Number of UTF-8 bytes `text` encodes to, without allocating. */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const SESSION_SINGLETONS = new Set(['o', 's', 'i', 'u', 'c', 'z', 'k']);
const MEDIA_SINGLETONS = new Set(['i', 'k']);
const SESSION_ONLY = new Set(['v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z']);
const KNOWN = new Set(['v', 'o', 's', 'i', 'u', 'e', 'p', 'c', 'b', 't', 'r', 'z', 'k', 'a', 'm']);
const LETTER_NAMES: Record<string, string> = {
  o: 'origin',
  s: 'session name',
  i: 'information',
  u: 'URI',
  c: 'connection',
  z: 'time zone',
  k: 'key',
};

/**
 * Parses an SDP body. `input` is the body as text or as the bytes of a SIP message body
 * (decoded as UTF-8; RFC 4566 §5 says text fields are UTF-8 unless `a=charset` says otherwise).
 */
export function parseSdp(input: string | Uint8Array, limits: Partial<SdpLimits> = {}): SdpParseResult {
  const lim: SdpLimits = { ...DEFAULT_SDP_LIMITS, ...limits };
  try {
    let text: string;
    if (typeof input === 'string') {
      if (input.length > lim.maxBytes || utf8Length(input) > lim.maxBytes) {
        throw new SdpSyntaxError('too-large', `SDP is larger than ${lim.maxBytes} bytes`);
      }
      text = input;
    } else {
      if (input.byteLength > lim.maxBytes) {
        throw new SdpSyntaxError('too-large', `SDP is ${input.byteLength} bytes, limit is ${lim.maxBytes}`);
      }
      try {
        text = utf8.decode(input);
      } catch {
        throw new SdpSyntaxError('bad-encoding', 'SDP is not valid UTF-8');
      }
    }
    return { ok: true, sdp: parseLines(text, lim) };
  } catch (e) {
    if (e instanceof SdpSyntaxError) {
      return e.line === undefined
        ? { ok: false, code: e.code, reason: e.reason }
        : { ok: false, code: e.code, reason: `line ${e.line}: ${e.reason}`, line: e.line };
    }
    // Defensive: a bug here must not take down the caller that fed us network bytes.
    return { ok: false, code: 'bad-line', reason: `internal parser error: ${String(e)}` };
  }
}

function unwrap<T>(r: FieldResult<T>, lineNo: number): T {
  if (!r.ok) throw new SdpSyntaxError(r.code, r.reason, lineNo);
  return r.value;
}

function parseLines(text: string, lim: SdpLimits): SessionDescription {
  const lines = text.split('\n');
  // A final line ending yields one empty element; it is not a line.
  const count = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  if (count > lim.maxLines)
    throw new SdpSyntaxError('too-many-lines', `SDP has ${count} lines, limit is ${lim.maxLines}`);

  const s: MutableSession = {
    emails: [],
    phones: [],
    bandwidths: [],
    timings: [],
    attributes: [],
    media: [],
  };
  let sawVersion = false;
  let current: MutableMedia | undefined;

  for (let i = 0; i < count; i++) {
    const lineNo = i + 1;
    let line = lines[i] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    if (line.length > lim.maxLineLength) {
      throw new SdpSyntaxError(
        'line-too-long',
        `line is ${line.length} characters, limit is ${lim.maxLineLength}`,
        lineNo,
      );
    }
    if (line.includes('\r')) throw new SdpSyntaxError('bad-line', 'bare CR inside a line', lineNo);
    if (line.includes('\0')) throw new SdpSyntaxError('bad-encoding', 'NUL byte inside a line', lineNo);
    const type = line[0] as string;
    if (line[1] !== '=' || type < 'a' || type > 'z') {
      throw new SdpSyntaxError('bad-line', `expected <letter>=<value>, got "${line.slice(0, 40)}"`, lineNo);
    }
    if (!KNOWN.has(type))
      throw new SdpSyntaxError('unknown-line-type', `unknown line type "${type}="`, lineNo);
    const value = line.slice(2);

    if (!sawVersion) {
      if (type !== 'v') throw new SdpSyntaxError('missing-line', 'SDP must start with v=', lineNo);
      if (value.trim() !== '0')
        throw new SdpSyntaxError('bad-version', `v= must be 0, got "${value}"`, lineNo);
      sawVersion = true;
      continue;
    }
    if (type === 'm') {
      if (s.media.length >= lim.maxMediaSections) {
        throw new SdpSyntaxError('too-many-media', `more than ${lim.maxMediaSections} m= sections`, lineNo);
      }
      current = {
        ...unwrap(parseMediaLine(value, lim.maxFormats), lineNo),
        connections: [],
        bandwidths: [],
        attributes: [],
      };
      s.media.push(current);
      continue;
    }
    if (current) mediaLine(current, type, value, lineNo);
    else sessionLine(s, type, value, lineNo);
  }

  if (!sawVersion) throw new SdpSyntaxError('missing-line', 'SDP is empty (no v= line)');
  if (!s.origin) throw new SdpSyntaxError('missing-line', 'SDP has no o= line (RFC 4566 §5.2)');
  if (s.sessionName === undefined)
    throw new SdpSyntaxError('missing-line', 'SDP has no s= line (RFC 4566 §5.3)');
  return finish(s, s.origin, s.sessionName);
}

function sessionLine(s: MutableSession, type: string, value: string, lineNo: number): void {
  if (SESSION_SINGLETONS.has(type) && isSet(s, type)) {
    throw new SdpSyntaxError(
      'duplicate-line',
      `more than one ${type}= (${LETTER_NAMES[type]}) line at session level`,
      lineNo,
    );
  }
  switch (type) {
    case 'v':
      throw new SdpSyntaxError('misplaced-line', 'v= may appear only once, first', lineNo);
    case 'o':
      s.origin = unwrap(parseOrigin(value), lineNo);
      return;
    case 's':
      s.sessionName = value;
      return;
    case 'i':
      s.information = value;
      return;
    case 'u':
      s.uri = value;
      return;
    case 'e':
      s.emails.push(value);
      return;
    case 'p':
      s.phones.push(value);
      return;
    case 'c':
      s.connection = unwrap(parseConnection(value), lineNo);
      return;
    case 'b':
      s.bandwidths.push(unwrap(parseBandwidth(value), lineNo));
      return;
    case 't':
      s.timings.push({ ...unwrap(parseTiming(value), lineNo), repeats: [] });
      return;
    case 'r': {
      const last = s.timings[s.timings.length - 1];
      if (!last)
        throw new SdpSyntaxError('misplaced-line', 'r= must follow a t= line (RFC 4566 §5.10)', lineNo);
      last.repeats.push(unwrap(parseRepeat(value), lineNo));
      return;
    }
    case 'z':
      s.timeZones = unwrap(parseTimeZones(value), lineNo);
      return;
    case 'k':
      s.key = value;
      return;
    case 'a':
      s.attributes.push(unwrap(parseAttribute(value), lineNo));
      return;
  }
}

function isSet(s: MutableSession, type: string): boolean {
  switch (type) {
    case 'o':
      return s.origin !== undefined;
    case 's':
      return s.sessionName !== undefined;
    case 'i':
      return s.information !== undefined;
    case 'u':
      return s.uri !== undefined;
    case 'c':
      return s.connection !== undefined;
    case 'z':
      return s.timeZones !== undefined;
    case 'k':
      return s.key !== undefined;
    default:
      return false;
  }
}

function mediaLine(m: MutableMedia, type: string, value: string, lineNo: number): void {
  if (SESSION_ONLY.has(type)) {
    throw new SdpSyntaxError(
      'misplaced-line',
      `${type}= is a session-level line and may not follow m=`,
      lineNo,
    );
  }
  if (MEDIA_SINGLETONS.has(type) && (type === 'i' ? m.information : m.key) !== undefined) {
    throw new SdpSyntaxError('duplicate-line', `more than one ${type}= line in a media section`, lineNo);
  }
  switch (type) {
    case 'i':
      m.information = value;
      return;
    case 'c':
      m.connections.push(unwrap(parseConnection(value), lineNo));
      return;
    case 'b':
      m.bandwidths.push(unwrap(parseBandwidth(value), lineNo));
      return;
    case 'k':
      m.key = value;
      return;
    case 'a':
      m.attributes.push(unwrap(parseAttribute(value), lineNo));
      return;
  }
}

/** Drops undefined optional fields so parsed values compare equal to literals. */
function finish(s: MutableSession, origin: SdpOrigin, sessionName: string): SessionDescription {
  const media: MediaDescription[] = s.media.map((m) => {
    const out: {
      -readonly [K in keyof MediaDescription]: MediaDescription[K];
    } = {
      type: m.type,
      port: m.port,
      protocol: m.protocol,
      formats: m.formats,
      connections: m.connections,
      bandwidths: m.bandwidths,
      attributes: m.attributes,
    };
    if (m.portCount !== undefined) out.portCount = m.portCount;
    if (m.information !== undefined) out.information = m.information;
    if (m.key !== undefined) out.key = m.key;
    return out;
  });
  const out: { -readonly [K in keyof SessionDescription]: SessionDescription[K] } = {
    version: 0,
    origin,
    sessionName,
    emails: s.emails,
    phones: s.phones,
    bandwidths: s.bandwidths,
    timings: s.timings,
    timeZones: s.timeZones ?? [],
    attributes: s.attributes,
    media,
  };
  if (s.information !== undefined) out.information = s.information;
  if (s.uri !== undefined) out.uri = s.uri;
  if (s.connection !== undefined) out.connection = s.connection;
  if (s.key !== undefined) out.key = s.key;
  return out;
}
