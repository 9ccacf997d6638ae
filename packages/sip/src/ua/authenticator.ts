// The hook through which the UA answers 401/407 challenges (RFC 3261 §22.2, §22.3). The UA
// only knows this small interface; `digestAuthenticator` adapts the auth package's
// DigestClient to it, and tests can pass a fake.
import type { DigestClient } from '../auth/digest-client.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';

/** Credentials headers put on one request (Authorization / Proxy-Authorization). */
export interface AuthAttempt {
  readonly headers: readonly { readonly name: string; readonly value: string }[];
}

export interface UacAuthenticator {
  /** Credentials for a request's first send (e.g. from a cached challenge); may be undefined. */
  initial?(request: SipRequest): AuthAttempt | undefined;
  /**
   * A 401/407 answered a request that carried `previous`. Returns the credentials for the
   * retry of `request` (the new request: same Call-ID and From tag, CSeq + 1, new branch), or
   * undefined to stop and hand the challenge to the caller (wrong password, loop, no realm).
   */
  retry(
    challenge: SipResponse,
    request: SipRequest,
    previous: AuthAttempt | undefined,
  ): AuthAttempt | undefined;
}

/** Header names a retry replaces. */
export const AUTHORIZATION_HEADERS = ['Authorization', 'Proxy-Authorization'] as const;

/** Adapts a DigestClient (one account; its state spans requests) to the UA's hook. */
export function digestAuthenticator(client: DigestClient): UacAuthenticator {
  type DigestSet = ReturnType<DigestClient['authorize']>;
  const input = (request: SipRequest, previous?: DigestSet) => ({
    method: request.method,
    requestUri: request.uri.toString(),
    ...(request.body.length > 0 ? { body: request.body } : {}),
    ...(previous ? { previous } : {}),
  });
  return {
    initial(request) {
      const set = client.authorize(input(request));
      return set.headers.length > 0 ? set : undefined;
    },
    retry(challenge, request, previous) {
      const status = challenge.status;
      if (status !== 401 && status !== 407) return undefined;
      const rows = challenge.headers.getFieldValues(
        status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate',
      );
      const sent = previous as DigestSet | undefined;
      const verdict = client.handleChallenge({ status, headers: rows, ...(sent ? { sent } : {}) });
      if (!verdict.ok) return undefined;
      return client.authorize(input(request, sent ?? { headers: [], used: [], round: 0 }));
    },
  };
}
