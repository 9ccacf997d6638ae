// The portal's one way to the API: JSON over fetch with the session cookie. Failures arrive as
// `RequestError`, carrying the API's stable `code` and the per-field `details` forms show next
// to their fields. A 401 on a signed-in page is announced (the page stays, a sign-in dialog
// opens over it), so a form being saved is never thrown away.
import type { ApiErrorBody, ErrorCode, ErrorDetail } from '@switchboard/contracts';

export const API_BASE = '/api/v1';

export class RequestError extends Error {
  constructor(
    readonly status: number,
    /** The API's code, or `network` when the server could not be reached. */
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called when a request that needed a session got 401 (the session ended or expired). */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly signal?: AbortSignal;
  /** Public endpoints (sign in, register…): a 401 there is an answer, not an expired session. */
  readonly anonymous?: boolean;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(API_BASE + path, window.location.origin);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new RequestError(0, 'network', 'The server could not be reached. Check your connection and retry.');
  }
  if (response.status === 204 || response.status === 202) return undefined as T;
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as ApiErrorBody | undefined)?.error;
    const code = error?.code ?? 'internal_error';
    if (response.status === 401 && !options.anonymous && code === 'unauthenticated') {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw new RequestError(
      response.status,
      code,
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.details ?? [],
      error?.retryAfterSeconds,
    );
  }
  return body as T;
}
