// A message body with its type, as a session keeps its last offer/answer (RFC 3264).
import type { SipMessage } from '../message/sip-message.ts';

export interface SessionBody {
  readonly body: Uint8Array;
  readonly contentType: string;
}

const encoder = new TextEncoder();

/** The body of a message, or undefined when it has none. */
export function bodyOf(message: SipMessage): SessionBody | undefined {
  if (message.body.length === 0) return undefined;
  return { body: message.body, contentType: message.headers.get('Content-Type') ?? 'application/sdp' };
}

/** A body from what an API caller passes (`application/sdp` unless told otherwise). */
export function toSessionBody(
  body: Uint8Array | string | undefined,
  contentType?: string,
): SessionBody | undefined {
  if (body === undefined) return undefined;
  return {
    body: typeof body === 'string' ? encoder.encode(body) : body,
    contentType: contentType ?? 'application/sdp',
  };
}
