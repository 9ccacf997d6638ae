// Any other URI scheme (RFC 3261 §25.1 absoluteURI): kept as written.

export class AbsoluteUri {
  readonly type = 'absolute' as const;
  /** Scheme in lower case (`http`, `urn`, `mailto`, …). */
  readonly scheme: string;
  /** Everything after `scheme:`, as written. */
  readonly rest: string;

  constructor(scheme: string, rest: string) {
    this.scheme = scheme.toLowerCase();
    this.rest = rest;
  }

  clone(): AbsoluteUri {
    return new AbsoluteUri(this.scheme, this.rest);
  }

  toString(): string {
    return this.scheme + ':' + this.rest;
  }
}
