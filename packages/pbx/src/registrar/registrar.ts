// The registrar (RFC 3261 §10.3): authenticates REGISTER, keeps each extension's bindings in a
// LocationStore, answers with the current contact list, and publishes every change.
import {
  createResponse,
  flatString,
  ownString,
  isSipUri,
  parseUri,
  SipHeaderError,
  uriEquals,
  type DigestServer,
  type SipRequest,
  type SipResponse,
} from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { RequestSource } from '../routing/request-source.ts';
import { resolveTenant, type IsLocalHost } from '../routing/tenant-resolver.ts';
import type { Directory } from '../store/directory.ts';
import type { Binding, BindingChange } from './binding.ts';
import type { LocationStore } from './location-store.ts';
import { DEFAULT_REGISTRAR_OPTIONS, type RegistrarOptions } from './registrar-options.ts';

export interface RegistrarDeps {
  readonly directory: Directory;
  readonly locations: LocationStore;
  readonly digest: DigestServer;
  readonly events: PbxEventBus;
  readonly now: () => number;
  readonly isLocalHost: IsLocalHost;
  readonly options?: Partial<RegistrarOptions>;
}

export class Registrar {
  private readonly options: RegistrarOptions;
  /** AORs with a REGISTER being processed: the tail of each one's queue (oneAtATime). */
  private readonly busy = new Map<string, Promise<void>>();

  constructor(private readonly deps: RegistrarDeps) {
    this.options = { ...DEFAULT_REGISTRAR_OPTIONS, ...deps.options };
  }

  /** Handles one REGISTER and returns the final response to send. Never throws on bad input. */
  async handle(request: SipRequest, source: RequestSource): Promise<SipResponse> {
    try {
      return await this.process(request, source);
    } catch (error) {
      if (error instanceof SipHeaderError)
        return createResponse(request, 400, `Bad Request (${error.message})`);
      throw error;
    }
  }

  private async process(request: SipRequest, source: RequestSource): Promise<SipResponse> {
    const { directory, digest } = this.deps;
    if (!isSipUri(request.uri)) return createResponse(request, 416, 'Unsupported URI Scheme');
    const tenant = await resolveTenant(directory, this.deps.isLocalHost, request.uri.host);
    if (!tenant) return createResponse(request, 404, 'Domain Not Served');

    const aor = request.to.uri;
    if (!isSipUri(aor) || aor.user === undefined) return createResponse(request, 404, 'Not Found');
    const username = aor.user;

    // §10.3 step 2 and §22: authenticate.
    const verdict = await digest.verify({
      headers: request.headers.getFieldValues('Authorization'),
      realm: tenant.domain,
      method: request.method,
      // The URI exactly as on the request line: the phone hashed those bytes (RFC 3261 §22.4).
      requestUri: request.startLine().split(' ')[1] ?? request.uri.toString(),
      lookup: async (user) => {
        const creds = await directory.credentials(tenant.id, user);
        if (!creds) return undefined;
        if (creds.password !== undefined) return { password: creds.password };
        return { ha1: { MD5: creds.ha1Md5, 'SHA-256': creds.ha1Sha256 } };
      },
    });
    if (!verdict.ok) {
      const challengeAgain = verdict.reason === 'missing' || verdict.stale || verdict.reason === 'bad-nonce';
      if (!challengeAgain) {
        this.deps.events.publish({
          type: 'auth-failure',
          tenantId: tenant.id,
          username: verdict.username ?? username,
          source: `${source.remote.host}:${source.remote.port}`,
        });
        // NOTE: 403 rather than another 401 for a wrong password: it ends the exchange, so a
        // phone with a bad password cannot loop on 401 forever.
        return createResponse(request, 403, 'Forbidden');
      }
      const response = createResponse(request, 401, 'Unauthorized');
      for (const value of digest.challenge({ realm: tenant.domain, stale: verdict.stale }))
        response.headers.append('WWW-Authenticate', value);
      return response;
    }
    // §10.3 step 3: the authenticated user may only change its own bindings.
    // NOTE: no separate extension lookup: credentials exist only for enabled extensions
    // (Directory.credentials), so a verified user is an enabled extension of this tenant. One
    // database query less per REGISTER (bench/pbx-register.ts).
    if (verdict.username !== username)
      return createResponse(request, 403, 'Forbidden (credentials do not match the AOR)');
    // One REGISTER per AOR at a time: two devices registering at once would otherwise both read
    // the bindings, and the second write would drop the first device's binding (§10.3: each
    // request is processed against the bindings the previous one left).
    const response = await this.oneAtATime(`${tenant.id}\u0000${username}`, () =>
      this.bind(request, source, tenant.id, username),
    );
    if (response.status === 200 && verdict.authenticationInfo !== undefined)
      response.headers.set('Authentication-Info', verdict.authenticationInfo);
    return response;
  }

  /** Runs `work` after every earlier call for the same key has finished. */
  private async oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.busy.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous ? previous.then(() => mine) : mine;
    this.busy.set(key, tail);
    try {
      if (previous) await previous;
      return await work();
    } finally {
      done();
      if (this.busy.get(key) === tail) this.busy.delete(key);
    }
  }

  /** §10.3 steps 6–8 for an authenticated REGISTER: updates the AOR's bindings. */
  private async bind(
    request: SipRequest,
    source: RequestSource,
    tenantId: string,
    username: string,
  ): Promise<SipResponse> {
    const tenant = { id: tenantId };
    const now = this.deps.now();
    const current = await this.deps.locations.lookup(tenant.id, username, now);
    const contacts = request.contacts();
    const headerExpires = request.expires;
    const callId = request.callId;
    const cseq = request.cseq.seq;

    // §10.3 step 6: "*" removes every binding; only with Expires: 0 and no other contact.
    if (contacts.some((c) => c.isWildcard)) {
      if (contacts.length !== 1 || headerExpires !== 0)
        return createResponse(request, 400, 'Bad Request (invalid wildcard Contact)');
      const kept = current.filter((b) => b.callId === callId && b.cseq >= cseq);
      await this.store(tenant.id, username, kept, current, new Map());
      return this.ok(request, kept, now);
    }

    const next = [...current];
    const changes = new Map<Binding, BindingChange['kind']>();
    for (const contact of contacts) {
      const expires = contact.expires ?? headerExpires ?? this.options.defaultExpires;
      if (expires > 0 && expires < this.options.minExpires) {
        const response = createResponse(request, 423, 'Interval Too Brief');
        response.headers.set('Min-Expires', String(this.options.minExpires));
        return response;
      }
      const contactText = contact.uri.toString();
      const uri = parseUri(contactText);
      if (!uri.ok) return createResponse(request, 400, `Bad Request (Contact: ${uri.reason})`);
      const instanceId = contact.params.get('+sip.instance') ?? undefined;
      const index = next.findIndex((b) =>
        instanceId !== undefined && b.instanceId !== undefined
          ? b.instanceId === instanceId
          : sameContact(b.contact, contactText),
      );
      const existing = index >= 0 ? next[index] : undefined;
      // §10.3 step 7: an older or repeated REGISTER from the same Call-ID changes nothing.
      if (existing && existing.callId === callId && existing.cseq >= cseq) continue;
      if (expires === 0) {
        if (existing) next.splice(index, 1);
        continue;
      }
      // Own strings: a binding lives for hours, and parts cut from the REGISTER would keep the
      // whole message alive with it (core/own-string.ts).
      const binding: Binding = {
        tenantId: tenant.id,
        username: ownString(username),
        contact: flatString(contactText),
        source: { transport: source.transport, host: source.remote.host, port: source.remote.port },
        connectionId: source.connectionId,
        callId: ownString(callId),
        cseq,
        expiresAt: now + Math.min(expires, this.options.maxExpires) * 1000,
        q: contact.q,
        userAgent: optionalOwn(request.headers.get('User-Agent')),
        instanceId: typeof instanceId === 'string' ? ownString(instanceId) : undefined,
      };
      if (existing) next[index] = binding;
      else next.push(binding);
      changes.set(binding, existing ? 'refreshed' : 'added');
    }
    if (next.length > this.options.maxBindingsPerAor)
      return createResponse(
        request,
        403,
        `Forbidden (at most ${this.options.maxBindingsPerAor} devices per extension)`,
      );
    await this.store(tenant.id, username, next, current, changes);
    return this.ok(request, next, now);
  }

  private async store(
    tenantId: string,
    username: string,
    next: readonly Binding[],
    current: readonly Binding[],
    changes: ReadonlyMap<Binding, BindingChange['kind']>,
  ): Promise<void> {
    if (next.length !== current.length || changes.size > 0 || next.some((b, i) => b !== current[i]))
      await this.deps.locations.replace(tenantId, username, next);
    for (const old of current) {
      if (!next.some((b) => sameContact(b.contact, old.contact)))
        this.deps.events.publish({
          type: 'registration',
          change: { kind: 'removed', binding: old, reason: 'unregistered' },
        });
    }
    for (const [binding, kind] of changes) {
      if (kind === 'added' || kind === 'refreshed')
        this.deps.events.publish({ type: 'registration', change: { kind, binding } });
    }
  }

  private ok(request: SipRequest, bindings: readonly Binding[], now: number): SipResponse {
    const response = createResponse(request, 200, 'OK');
    // A binding's contact is a URI as serialized when it was stored: written back as it is.
    for (const b of bindings)
      response.headers.append(
        'Contact',
        `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
      );
    response.headers.set('Date', new Date(now).toUTCString());
    return response;
  }
}

function optionalOwn(value: string | undefined): string | undefined {
  return value === undefined ? undefined : ownString(value);
}

/** RFC 3261 §19.1.4 URI equality of two stored contacts; identical text needs no parsing. */
function sameContact(stored: string, contact: string): boolean {
  if (stored === contact) return true;
  const a = parseUri(stored);
  const b = parseUri(contact);
  return a.ok && b.ok && uriEquals(a.value, b.value);
}
