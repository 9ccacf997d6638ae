// Tunables of the registrar, with the defaults common PBXs ship.

export interface RegistrarOptions {
  /** Shortest registration accepted; shorter ones get 423 Interval Too Brief (RFC 3261 §10.3 step 7). */
  readonly minExpires: number;
  /** Longest registration granted; longer requests are shortened to this. */
  readonly maxExpires: number;
  /** Used when neither the Contact nor the Expires header asks for an interval. */
  readonly defaultExpires: number;
  /** Most devices one extension may register at once. */
  readonly maxBindingsPerAor: number;
}

export const DEFAULT_REGISTRAR_OPTIONS: RegistrarOptions = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
  maxBindingsPerAor: 10,
};
