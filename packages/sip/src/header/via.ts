// Via (RFC 3261 §20.42, §18.2.1; rport RFC 3581):
//   SIP/2.0/UDP host:port;branch=z9hG4bK…;received=…;rport=…;maddr=…;ttl=…
import { checkHost, parsePort } from '../uri/host.ts';
import { type Params, formatParams, parseParams } from './params.ts';
import { type Parsed, fail, ok } from './parsed.ts';
import { isDigits, isToken, isWs, skipWs, splitList } from './scan.ts';

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
    this.params =
      init.params instanceof Map
        ? new Map(init.params)
        : new Map(Object.entries(init.params ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
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
  const [name, i1] = readToken(s, i, '/');
  i = skipWs(s, i1);
  if (s[i] !== '/') return fail('expected "/" after protocol name');
  i = skipWs(s, i + 1);
  const [version, i2] = readToken(s, i, '/');
  i = skipWs(s, i2);
  if (s[i] !== '/') return fail('expected "/" after protocol version');
  i = skipWs(s, i + 1);
  const [transport, i3] = readToken(s, i, ';');
  if (!isToken(name) || !isToken(version) || !isToken(transport))
    return fail(`invalid sent-protocol "${s.slice(0, i3).trim()}"`);
  i = skipWs(s, i3);
  if (i === i3 && i < s.length) return fail('missing space before sent-by');
  // sent-by = host [ COLON port ]
  let hostEnd: number;
  if (s[i] === '[') {
    const close = s.indexOf(']', i);
    if (close === -1) return fail('unterminated IPv6 reference in sent-by');
    hostEnd = close + 1;
  } else {
    hostEnd = i;
    while (hostEnd < s.length) {
      const c = s.charCodeAt(hostEnd);
      if (c === 0x3a || c === 0x3b || isWs(c)) break;
      hostEnd++;
    }
  }
  const host = s.slice(i, hostEnd);
  const hostError = checkHost(host);
  if (hostError !== undefined) return fail(hostError);
  i = skipWs(s, hostEnd);
  let port: number | undefined;
  if (s[i] === ':') {
    i = skipWs(s, i + 1);
    const [portText, pEnd] = readToken(s, i, ';');
    port = parsePort(portText);
    if (port === undefined) return fail(`invalid sent-by port "${portText}"`);
    i = pEnd;
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
  return ok(new Via({ protocol: `${name}/${version}`, transport, host, port, params: p }));
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
