/**
 * A parse outcome: a value, or the reason the input was malformed. Parsers in this package
 * never throw on bad input — a relay must survive any datagram the network hands it.
 */
export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const malformed = <T = never>(error: string): ParseResult<T> => ({ ok: false, error });
