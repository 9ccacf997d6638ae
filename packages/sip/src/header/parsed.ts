// The result type of the value parsers (URIs, header grammars). They never throw on input
// from the network; a caller that wants an exception uses `unwrap`.

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T = never>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/** Thrown by the lazy header accessors of a message when a header value is malformed. */
export class SipHeaderError extends Error {
  constructor(
    readonly header: string,
    readonly reason: string,
  ) {
    super(`malformed ${header} header: ${reason}`);
    this.name = 'SipHeaderError';
  }
}

/** Returns the value or throws a SipHeaderError naming `header`. */
export function unwrap<T>(result: Parsed<T>, header: string): T {
  if (result.ok) return result.value;
  throw new SipHeaderError(header, result.reason);
}
