// Via (RFC 3261 §20.42, §18.2.1; rport RFC 3581):
//   SIP/2.0/UDP host:port;branch=z9hG4bK…;received=…;rport=…;maddr=…;ttl=…
import { checkHost, isHostnameChar, parsePort } from '../uri/host.ts';
import { type Params, formatParams, parseParams, toParams } from './params.ts';
import { type Parsed, fail, ok } from './parsed.ts';
import { firstListItem, isDigits, isToken, isTokenChar, isWs, skipWs, splitList } from './scan.ts';

/** The RFC 3261 branch prefix ("magic cookie", §8.1.1.7). */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export interface ViaInit {
  protocol?: string;
  transport: string;
  host: string;
  port?: number;
  params?: Params | Record<string, string | null>;
}

export class Via {
  /** `SIP/2.0` as written (protocol-name/protocol-version). */
  protocol: string;
  /** Upper case: UDP, TCP, TLS, SCTP, WS, WSS, … */
  transport: string;
  /** sent-by host, IPv6 with brackets. */
  host: string;
  port: number | undefined;
  params: Params;

  constructor(init: ViaInit) {
    this.protocol = init.protocol ?? 'SIP/2.0';
    this.transport = init.transport.toUpperCase();
    this.host = init.host;
    this.port = init.port;
    this.params = toParams(init.params);
  }

  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  set branch(value: string | undefined) {
    this.setParam('branch', value);
  }

  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  set received(value: string | undefined) {
    this.setParam('received', value);
  }

  /**
   * RFC 3581 rport: `true` when present without a value (a request asking for it), the port
   * number when filled in, undefined when absent.
   */
  get rport(): number | true | undefined {
    if (!this.params.has('rport')) return undefined;
    const v = this.params.get('rport');
    return v === null || v === undefined ? true : Number(v);
  }

  set rport(value: number | true | undefined) {
    if (value === undefined) this.params.delete('rport');
    else this.params.set('rport', value === true ? null : String(value));
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  get ttl(): number | undefined {
    const v = this.params.get('ttl');
    return v === undefined || v === null ? undefined : Number(v);
  }

  /** `host:port` of sent-by (port only when present). */
  get sentBy(): string {
    return this.port === undefined ? this.host : `${this.host}:${this.port}`;
  }

  private setParam(name: string, value: string | undefined): void {
    if (value === undefined) this.params.delete(name);
    else this.params.set(name, value);
  }

  clone(): Via {
    return new Via(this);
  }

  toString(): string {
    return `${this.protocol}/${this.transport} ${this.sentBy}${formatParams(this.params)}`;
  }
}

function readToken(s: string, i: number, stop: string): [string, number] {
  const start = i;
  while (i < s.length && !isWs(s.charCodeAt(i)) && stop.indexOf(s[i] as string) === -1) i++;
  return [s.slice(start, i), i];
}

/** Parses one via-parm (one element of a Via list). */
export function parseVia(input: string): Parsed<Via> {
  const s = input;
  let i = skipWs(s, 0);
  let protocol: string;
  if (s.startsWith('SIP/2.0/', i)) {
    // Fast path: the form nearly every Via has.
    protocol = 'SIP/2.0';
    i += 8;
  } else {
    const [name, i1] = readToken(s, i, '/');
    i = skipWs(s, i1);
    if (s[i] !== '/') return fail('expected "/" after protocol name');
    i = skipWs(s, i + 1);
    const [version, i2] = readToken(s, i, '/');
    i = skipWs(s, i2);
    if (s[i] !== '/') return fail('expected "/" after protocol version');
    i = skipWs(s, i + 1);
    if (!isToken(name) || !isToken(version)) return fail(`invalid sent-protocol "${s.slice(0, i).trim()}"`);
    protocol = `${name}/${version}`;
  }
  let transport: string;
  // Common transports without slicing.
  if (s.startsWith('UDP ', i)) transport = 'UDP';
  else if (s.startsWith('TCP ', i)) transport = 'TCP';
  else if (s.startsWith('TLS ', i)) transport = 'TLS';
  else {
    const tStart = i;
    while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
    transport = s.slice(tStart, i);
    if (transport === '' || (i < s.length && !isWs(s.charCodeAt(i))))
      return fail(`invalid sent-protocol "${s.slice(0, i + 1).trim()}"`);
    i -= 3; // the common case below skips 3 characters
  }
  i += 3;
  const afterTransport = i;
  i = skipWs(s, i);
  if (i === afterTransport && i < s.length) return fail('missing space before sent-by');
  // sent-by = host [ COLON port ]
  let hostEnd: number;
  let plainHost = true;
  if (s.charCodeAt(i) === 0x5b /* [ */) {
    const close = s.indexOf(']', i);
    if (close === -1) return fail('unterminated IPv6 reference in sent-by');
    hostEnd = close + 1;
    plainHost = false;
  } else {
    hostEnd = i;
    while (hostEnd < s.length) {
      const c = s.charCodeAt(hostEnd);
      if (c === 0x3a || c === 0x3b || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
      if (!isHostnameChar(c)) plainHost = false;
      hostEnd++;
    }
  }
  const host = s.slice(i, hostEnd);
  if (host === '') return fail('empty host');
  if (!plainHost || host.charCodeAt(0) === 0x2e || host.charCodeAt(0) === 0x2d) {
    const hostError = checkHost(host);
    if (hostError !== undefined) return fail(hostError);
  }
  i = hostEnd;
  if (i < s.length && s.charCodeAt(i) !== 0x3a && s.charCodeAt(i) !== 0x3b) i = skipWs(s, i);
  let port: number | undefined;
  if (s.charCodeAt(i) === 0x3a /* : */) {
    i = skipWs(s, i + 1);
    let p = 0;
    const pStart = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      p = p * 10 + (c - 0x30);
      i++;
    }
    const c = s.charCodeAt(i);
    const endOk = i === s.length || c === 0x3b || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
    if (i === pStart || i - pStart > 5 || p > 65535 || !endOk)
      return fail(`invalid sent-by port "${s.slice(pStart, i + 1).trim()}"`);
    port = p;
  }
  const params = parseParams(s, i);
  if (!params.ok) return fail(params.reason);
  const p = params.value;
  const ttl = p.get('ttl');
  if (ttl !== undefined && (ttl === null || !isDigits(ttl) || Number(ttl) > 255)) return fail('invalid ttl');
  const rport = p.get('rport');
  if (rport !== undefined && rport !== null && parsePort(rport) === undefined) return fail('invalid rport');
  const branch = p.get('branch');
  if (branch !== undefined && (branch === null || !isToken(branch))) return fail('invalid branch');
  const received = p.get('received');
  if (received !== undefined && (received === null || checkHost(received) !== undefined)) {
    // received may be a bare IPv6 address (RFC 5118 §4.5 examples use it without brackets).
    if (received === null || checkHost(`[${received}]`) !== undefined) return fail('invalid received');
  }
  const via = new Via({ protocol, transport, host, port });
  via.params = p;
  return ok(via);
}

/** Parses a Via field value, which may hold several comma-separated via-parms. */
export function parseVias(value: string): Parsed<Via[]> {
  const out: Via[] = [];
  for (const item of splitList(value)) {
    const v = parseVia(item);
    if (!v.ok) return v;
    out.push(v.value);
  }
  if (out.length === 0) return fail('empty Via');
  return ok(out);
}

/** Parses only the first via-parm of a Via field value (the top Via of a message). */
export function parseTopVia(value: string): Parsed<Via> {
  const first = firstListItem(value);
  return first === '' ? fail('empty Via') : parseVia(first);
}
