// Contact (RFC 3261 §20.10): `*` or a list of name-addr with contact-params (q, expires, …).
import { AbsoluteUri } from '../uri/absolute-uri.ts';
import { NameAddr, type NameAddrInit, parseNameAddrParts } from './name-addr.ts';
import { type Parsed, fail, ok } from './parsed.ts';
import { splitList } from './scan.ts';

const WILDCARD_URI = new AbsoluteUri('*', '');

export class Contact extends NameAddr {
  /** True for `Contact: *` (REGISTER removing all bindings, RFC 3261 §10.2.2). */
  readonly isWildcard: boolean;

  constructor(init: NameAddrInit, isWildcard = false) {
    super(init);
    this.isWildcard = isWildcard;
  }

  static wildcard(): Contact {
    return new Contact({ uri: WILDCARD_URI }, true);
  }

  /** `expires` parameter in seconds, if present and numeric. */
  get expires(): number | undefined {
    const v = this.params.get('expires');
    if (v === undefined || v === null || !/^\d+$/.test(v)) return undefined;
    return Math.min(Number(v), 2 ** 32 - 1);
  }

  set expires(value: number | undefined) {
    if (value === undefined) this.params.delete('expires');
    else this.params.set('expires', String(value));
  }

  /** `q` preference 0..1, if present and valid. */
  get q(): number | undefined {
    const v = this.params.get('q');
    if (v === undefined || v === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v)) return undefined;
    return Number(v);
  }

  override clone(): Contact {
    return new Contact(
      { displayName: this.displayName, uri: this.cloneUriOrText(), params: this.params },
      this.isWildcard,
    );
  }

  override toString(): string {
    return this.isWildcard ? '*' : super.toString();
  }
}

/** Parses one Contact field value (which may hold several comma-separated contacts). */
export function parseContacts(value: string): Parsed<Contact[]> {
  if (value.trim() === '*') return ok([Contact.wildcard()]);
  const out: Contact[] = [];
  for (const item of splitList(value)) {
    if (item === '*') return fail('"*" mixed with other contacts');
    const parts = parseNameAddrParts(item);
    if (!parts.ok) return fail(parts.reason);
    const c = new Contact({ displayName: parts.value.displayName, uri: parts.value.uri });
    c.params = parts.value.params; // freshly parsed: adopt instead of copying
    out.push(c);
  }
  if (out.length === 0) return fail('empty Contact');
  return ok(out);
}
