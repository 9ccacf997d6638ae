// The PBX's view of its SIP trunks: which trunk (if any) an external number goes out on and
// whether the tenant lets this extension call out; how the INVITE to the provider is written
// (caller ID, digest credentials, outbound proxy); and which trunk and DID an inbound INVITE
// belongs to. Inbound calls are accepted only from a trunk's own addresses — never from the
// world — and only for the tenant's DIDs.
import {
  DigestClient,
  digestAuthenticator,
  isSipUri,
  parseNameAddr,
  type Destination,
  type SipRequest,
  type TransportProtocol,
} from '@switchboard/sip';
import type { RequestSource } from '../routing/request-source.ts';
import type { Extension, Tenant } from '../store/directory.ts';
import { matchesDialPattern, normaliseDialled, rewriteNumber } from './dial-pattern.ts';
import type { PbxTrunk, TrunkDirectory } from './trunk.ts';
import type { TrunkTarget } from './trunk-target.ts';

export interface TrunksOptions {
  readonly directory: TrunkDirectory;
  /** The tenant of a trunk (by id). */
  readonly tenant: (tenantId: string) => Promise<Tenant | undefined>;
  /** Resolves a host name to IPv4 addresses (inbound matching); default: IPv4 literals only. */
  readonly resolve?: (host: string) => Promise<readonly string[]>;
  readonly randomBytes: (n: number) => Uint8Array;
  /** Current time in ms (cache ages). */
  readonly now: () => number;
  /**
   * How long the trunk list is reused (default 5 s). A server told of every change
   * (`invalidate`) keeps it much longer: this is then only a safety net.
   */
  readonly cacheMs?: number;
  /** How long a host's resolved addresses are reused (default 60 s). */
  readonly resolveCacheMs?: number;
}

/** Where an external number goes: nowhere (no route: not external), refused, or a trunk. */
export type ExternalTarget =
  | { readonly ok: false; readonly status: 403; readonly reason: string }
  | {
      readonly ok: true;
      readonly target: TrunkTarget;
      /** The called party as the call's callee: the number sent to the provider. */
      readonly party: Extension;
    };

export type InboundMatch =
  | {
      readonly ok: true;
      readonly trunk: PbxTrunk;
      readonly tenant: Tenant;
      /** The DID dialled and the extension it rings. */
      readonly did: string;
      readonly extension: string;
      /** The caller as the call's caller: the provider's From number and name. */
      readonly caller: Extension;
    }
  | { readonly ok: false; readonly status: 404 | 480; readonly reason: string; readonly trunk: PbxTrunk };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const literalOnly = async (host: string): Promise<readonly string[]> => (IPV4.test(host) ? [host] : []);

/** The user part our Contact carries for a trunk's registration: inbound INVITEs come back to it. */
export function registrationUser(trunk: PbxTrunk): string {
  return `sb${trunk.id.replace(/-/g, '').slice(0, 12)}`;
}

export class Trunks {
  private trunkCache: { at: number; trunks: Promise<readonly PbxTrunk[]> } | undefined;
  private readonly addresses = new Map<string, { at: number; ips: Promise<readonly string[]> }>();
  private readonly cacheMs: number;
  private readonly resolveCacheMs: number;
  private readonly resolve: (host: string) => Promise<readonly string[]>;

  constructor(private readonly options: TrunksOptions) {
    this.cacheMs = options.cacheMs ?? 5_000;
    this.resolveCacheMs = options.resolveCacheMs ?? 60_000;
    this.resolve = options.resolve ?? literalOnly;
  }

  /** Forget cached trunks (they changed: API, database notification). */
  invalidate(): void {
    this.trunkCache = undefined;
    this.addresses.clear();
  }

  /** Every enabled trunk (cached briefly: inbound matching runs for every INVITE). */
  trunks(): Promise<readonly PbxTrunk[]> {
    const now = this.options.now();
    if (!this.trunkCache || now - this.trunkCache.at > this.cacheMs) {
      const trunks = this.options.directory.enabledTrunks();
      this.trunkCache = { at: now, trunks };
      trunks.catch(() => (this.trunkCache = undefined));
    }
    return this.trunkCache.trunks;
  }

  // ─── Outbound ─────────────────────────────────────────────────────────────────────────

  /**
   * The trunk for `dialled` from extension `permittedBy` (the caller, the forwarding or the
   * transferring extension): undefined when no outbound route matches (not an external number),
   * a 403 when the tenant does not allow it, else the INVITE to send.
   */
  async external(
    tenant: Tenant,
    caller: Extension,
    permittedBy: string,
    dialled: string,
  ): Promise<ExternalTarget | undefined> {
    const number = normaliseDialled(dialled);
    if (number === undefined) return undefined;
    const { directory } = this.options;
    const routes = await directory.routes(tenant.id);
    const trunks = (await this.trunks()).filter((t) => t.tenantId === tenant.id);
    for (const route of routes) {
      const trunk = trunks.find((t) => t.id === route.trunkId);
      if (!trunk || !matchesDialPattern(route.pattern, number)) continue;
      const policy = await directory.policy(tenant.id);
      if (!policy.externalCalls)
        return { ok: false, status: 403, reason: 'Forbidden (external calls are not allowed)' };
      if (policy.allowedExtensions && !policy.allowedExtensions.includes(permittedBy))
        return { ok: false, status: 403, reason: `Forbidden (${permittedBy} may not call external numbers)` };
      const sent = rewriteNumber(number, route.strip, route.prepend);
      const target = await this.target(trunk, sent, caller);
      return {
        ok: true,
        target,
        party: { tenantId: tenant.id, username: sent, displayName: undefined, enabled: true },
      };
    }
    return undefined;
  }

  /** The INVITE toward `trunk` for `number`, presenting the trunk's caller ID. */
  async target(trunk: PbxTrunk, number: string, caller: Extension): Promise<TrunkTarget> {
    const protocol = trunk.transport.toUpperCase() as TransportProtocol;
    const hostPort = trunk.port === 5060 ? trunk.host : `${trunk.host}:${trunk.port}`;
    const transportParam = trunk.transport === 'udp' ? '' : `;transport=${trunk.transport}`;
    const domain = trunk.fromDomain ?? trunk.host;
    const presented = trunk.callerId ?? caller.username;
    const fromUser = trunk.fromUser ?? presented;
    const display = caller.displayName ? `"${caller.displayName.replace(/["\\]/g, '')}" ` : '';
    const headers: [string, string][] = [];
    let destination: Destination = { protocol, host: trunk.host, port: trunk.port };
    if (trunk.outboundProxy) {
      const [host = trunk.outboundProxy, port] = trunk.outboundProxy.split(':');
      destination = { protocol, host, port: port ? Number(port) : 5060 };
      headers.push(['Route', `<sip:${trunk.outboundProxy}${transportParam};lr>`]);
    }
    // RFC 3325 §9.1: the identity we assert; providers that trust us present it.
    if (trunk.callerId) headers.push(['P-Asserted-Identity', `<sip:${trunk.callerId}@${domain}>`]);
    const password = trunk.authUsername
      ? await this.options.directory.password(trunk.tenantId, trunk.id)
      : undefined;
    const authenticator =
      trunk.authUsername && password !== undefined
        ? digestAuthenticator(
            new DigestClient({
              credentials: { username: trunk.authUsername, password },
              randomBytes: this.options.randomBytes,
            }),
          )
        : undefined;
    return {
      kind: 'trunk',
      trunkId: trunk.id,
      trunkName: trunk.name,
      uri: `sip:${number}@${hostPort}${transportParam}`,
      from: `${display}<sip:${fromUser}@${domain}>`,
      to: `<sip:${number}@${domain}>`,
      destination,
      headers,
      authenticator,
      codecs: trunk.codecs,
    };
  }

  // ─── Inbound ──────────────────────────────────────────────────────────────────────────

  /**
   * The trunk an INVITE came from — by its source address only (the trunk's host, outbound
   * proxy and extra inbound addresses) — and the DID it is for: the Request-URI user, or the
   * To user when the provider sends to our registered Contact. Undefined: not from a trunk.
   */
  async inbound(request: SipRequest, source: RequestSource): Promise<InboundMatch | undefined> {
    const from = source.remote.host;
    const candidates: PbxTrunk[] = [];
    for (const trunk of await this.trunks()) if (await this.sendsFrom(trunk, from)) candidates.push(trunk);
    if (candidates.length === 0) return undefined;
    const ruri = isSipUri(request.uri) ? request.uri.user : undefined;
    // The Contact we registered names the trunk (two tenants may share one provider).
    const named = candidates.filter((t) => ruri !== undefined && registrationUser(t) === ruri);
    // Several trunks at one provider address: the one whose SIP port the request came from first.
    const port = source.remote.port;
    const trunks = (named.length > 0 ? named : candidates).sort(
      (a, b) => Number(b.port === port) - Number(a.port === port),
    );
    const toUri = request.to.uri;
    const numbers = [ruri, isSipUri(toUri) ? toUri.user : undefined]
      .filter((n): n is string => n !== undefined && n !== '')
      .map((n) => decodeURIComponent(n).replace(/[\s\-.()]/g, ''));
    for (const trunk of trunks) {
      for (const number of numbers) {
        for (const variant of [number, number.startsWith('+') ? number.slice(1) : `+${number}`]) {
          const did = await this.options.directory.did(trunk.tenantId, variant);
          if (!did || (did.trunkId !== null && did.trunkId !== trunk.id)) continue;
          const tenant = await this.options.tenant(trunk.tenantId);
          if (!tenant) continue;
          return {
            ok: true,
            trunk,
            tenant,
            did: variant,
            extension: did.extension,
            caller: callerOf(request, tenant),
          };
        }
      }
    }
    return { ok: false, status: 404, reason: 'Not Found (no such number)', trunk: trunks[0]! };
  }

  private async sendsFrom(trunk: PbxTrunk, ip: string): Promise<boolean> {
    for (const range of trunk.inboundAddresses) if (inRange(ip, range)) return true;
    const hosts = [trunk.host, ...(trunk.outboundProxy ? [trunk.outboundProxy.split(':')[0]!] : [])];
    for (const host of hosts) if ((await this.addressesOf(host)).includes(ip)) return true;
    return false;
  }

  private addressesOf(host: string): Promise<readonly string[]> {
    const now = this.options.now();
    const cached = this.addresses.get(host);
    if (cached && now - cached.at <= this.resolveCacheMs) return cached.ips;
    const ips = this.resolve(host).catch(() => [] as readonly string[]);
    this.addresses.set(host, { at: now, ips });
    return ips;
  }
}

/** The caller of an inbound call as the PBX shows it: the From number and display name. */
function callerOf(request: SipRequest, tenant: Tenant): Extension {
  const from = parseNameAddr(request.headers.get('From') ?? '');
  const uri = from.ok ? from.value.uri : undefined;
  const user = uri && isSipUri(uri) ? uri.user : undefined;
  const display = from.ok ? from.value.displayName : undefined;
  return {
    tenantId: tenant.id,
    username: user ? decodeURIComponent(user) : 'anonymous',
    displayName: display || undefined,
    enabled: true,
  };
}

/** Whether IPv4 `ip` is `range` (an address, or a.b.c.d/n). */
export function inRange(ip: string, range: string): boolean {
  const [base = '', bits] = range.split('/');
  const a = toInt(ip);
  const b = toInt(base);
  if (a === undefined || b === undefined) return false;
  const n = bits === undefined ? 32 : Number(bits);
  if (n === 0) return true;
  const mask = (0xffffffff << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function toInt(ip: string): number | undefined {
  const m = IPV4.exec(ip);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3], m[4]].map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}
