// Admission of a new call, as a pipeline of small named steps (STYLE.md, from jambonz):
// check Max-Forwards, identify the tenant, authenticate the caller, find the callee. Each step
// returns the admitted call or a rejection value; nothing throws for a bad request.
import { isSipUri, type DigestServer, type SipRequest } from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { RequestSource } from '../routing/request-source.ts';
import { resolveTenant, type IsLocalHost } from '../routing/tenant-resolver.ts';
import type { Directory, Extension, Tenant } from '../store/directory.ts';

export interface Rejection {
  readonly status: number;
  readonly reason: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

export interface AdmittedCall {
  readonly tenant: Tenant;
  readonly caller: Extension;
  readonly callee: Extension;
  /** Max-Forwards for the outgoing leg (the incoming value minus one, §16.6 step 3). */
  readonly maxForwards: number;
  /** Calls from or to a SIP trunk (trunks/): their direction and trunk; else internal. */
  readonly direction?: 'inbound' | 'outbound';
  readonly trunkId?: string;
  /** Forwarded: the extensions that diverted the call to `callee`, in order (its call record). */
  readonly divertedFrom?: readonly string[];
}

export interface AdmissionDeps {
  readonly directory: Directory;
  readonly digest: DigestServer;
  readonly events: PbxEventBus;
  readonly isLocalHost: IsLocalHost;
}

/** An authenticated caller whose call could not be placed: it still gets a call record. */
export interface FailedAttempt {
  readonly tenant: Tenant;
  readonly caller: Extension;
  readonly callee: string;
}

export type Admission =
  | { readonly ok: true; readonly call: AdmittedCall }
  | { readonly ok: false; readonly rejection: Rejection; readonly attempt?: FailedAttempt };

const reject = (status: number, reason: string, headers?: Rejection['headers']): Admission => ({
  ok: false,
  rejection: { status, reason, ...(headers ? { headers } : {}) },
});

/** Max-Forwards (§16.3 step 3, §8.2): 0 means the request has travelled too far. */
export function checkMaxForwards(request: SipRequest): number | undefined {
  const value = request.maxForwards ?? 70;
  return value <= 0 ? undefined : value - 1;
}

/** Proxy-style digest authentication of the caller (407, RFC 3261 §22.3). */
export async function authenticateCaller(
  deps: AdmissionDeps,
  request: SipRequest,
  tenant: Tenant,
  source: RequestSource,
): Promise<{ ok: true; username: string } | { ok: false; rejection: Rejection }> {
  const verdict = await deps.digest.verify({
    headers: request.headers.getFieldValues('Proxy-Authorization'),
    realm: tenant.domain,
    method: request.method,
    requestUri: request.startLine().split(' ')[1] ?? request.uri.toString(),
    lookup: async (user) => {
      const creds = await deps.directory.credentials(tenant.id, user);
      if (!creds) return undefined;
      if (creds.password !== undefined) return { password: creds.password };
      return { ha1: { MD5: creds.ha1Md5, 'SHA-256': creds.ha1Sha256 } };
    },
  });
  if (verdict.ok) return { ok: true, username: verdict.username };
  if (verdict.reason === 'missing' || verdict.stale || verdict.reason === 'bad-nonce') {
    const challenges = deps.digest.challenge({ realm: tenant.domain, stale: verdict.stale });
    return {
      ok: false,
      rejection: {
        status: 407,
        reason: 'Proxy Authentication Required',
        headers: challenges.map((c) => ['Proxy-Authenticate', c] as const),
      },
    };
  }
  deps.events.publish({
    type: 'auth-failure',
    tenantId: tenant.id,
    username: verdict.username ?? '',
    source: `${source.remote.host}:${source.remote.port}`,
  });
  return { ok: false, rejection: { status: 403, reason: 'Forbidden' } };
}

export async function admitCall(
  deps: AdmissionDeps,
  request: SipRequest,
  source: RequestSource,
): Promise<Admission> {
  const maxForwards = checkMaxForwards(request);
  if (maxForwards === undefined) return reject(483, 'Too Many Hops');
  const uri = request.uri;
  if (!isSipUri(uri)) return reject(416, 'Unsupported URI Scheme');
  const tenant = await resolveTenant(deps.directory, deps.isLocalHost, uri.host);
  if (!tenant) return reject(404, 'Not Found (domain not served)');

  const auth = await authenticateCaller(deps, request, tenant, source);
  if (!auth.ok) return { ok: false, rejection: auth.rejection };
  const caller = await deps.directory.findExtension(tenant.id, auth.username);
  if (!caller?.enabled) return reject(403, 'Forbidden');

  const calleeNumber = uri.user ?? '';
  const attempt = { tenant, caller, callee: calleeNumber };
  const callee =
    calleeNumber === '' ? undefined : await deps.directory.findExtension(tenant.id, calleeNumber);
  if (!callee) return { ok: false, rejection: { status: 404, reason: 'Not Found' }, attempt };
  if (!callee.enabled)
    return { ok: false, rejection: { status: 480, reason: 'Temporarily Unavailable' }, attempt };
  return { ok: true, call: { tenant, caller, callee, maxForwards } };
}
