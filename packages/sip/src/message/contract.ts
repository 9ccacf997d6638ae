// The public shape of the SIP message layer, agreed before it was built so that the parser,
// transactions, dialogs and transports could be written in parallel. Implementations live in
// the files beside this one; everything here is re-exported from the package root.
//
// NOTE: this file holds types only. Keep it in sync with the implementation; it is the
// reference a newcomer reads first.

/** Limits applied by the parser to anything read from the network. */
export interface ParseLimits {
  /** Longest request/status line, in bytes. Default 8 KiB. */
  readonly maxStartLine: number;
  /** Total size of the header section (start line excluded), in bytes. Default 64 KiB. */
  readonly maxHeaderBytes: number;
  /** Most header fields in one message. Default 256. */
  readonly maxHeaderCount: number;
  /** Largest body, in bytes. Default 1 MiB. */
  readonly maxBodyBytes: number;
}

/**
 * The result of parsing bytes from the network. Parsing never throws on network input.
 * - `message`: a complete message; `consumed` bytes were used (stream transports keep the rest).
 * - `incomplete`: valid so far, need more bytes (only meaningful on stream transports).
 * - `malformed`: rejected; `reason` says why in words a log reader understands. When the
 *   start line and the headers needed to answer were readable, `partial` carries what was
 *   understood so a server can still send 400 (RFC 3261 §16.3 / §8.2).
 */
export type ParseResult<M> =
  | { readonly kind: 'message'; readonly message: M; readonly consumed: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'malformed'; readonly reason: string; readonly partial?: M };

/** One header field line as it arrived: name as written (maybe compact), raw value unfolded. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}
