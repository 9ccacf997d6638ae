// Contact rewriting for user agents behind NAT. A phone behind a NAT writes its private
// address into Contact; a server that wants to reach it again must use the address the
// request came from instead (the "fix nated contact" of common SIP servers). RFC 3581 fixes
// responses; these helpers fix the Contact that later requests are sent to.
import type { MessageSource } from '../core/transport.ts';
import type { Contact } from '../header/contact.ts';
import { isIPv4 } from '../uri/host.ts';
import type { SipMessage } from '../message/sip-message.ts';
import { SipUri } from '../uri/sip-uri.ts';
import { bareHost, uriHost } from './received.ts';

/**
 * Addresses that cannot be reached from the public Internet: RFC 1918 private ranges, RFC 6598
 * shared (carrier-grade NAT) space, link-local (RFC 3927, fe80::/10), unique local IPv6
 * (fc00::/7) and loopback.
 */
export function isPrivateAddress(host: string): boolean {
  const h = bareHost(host).toLowerCase();
  if (isIPv4(h)) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254)
    );
  }
  if (h.includes(':')) return h === '::1' || h.startsWith('fc') || h.startsWith('fd') || /^fe[89ab]/.test(h);
  return false;
}

/**
 * Whether a message looks like it crossed a NAT: the top Via (requests) or the first Contact
 * names a private address different from the address the message came from.
 */
export function looksNatted(message: SipMessage, source: MessageSource): boolean {
  const remote = bareHost(source.remote.host).toLowerCase();
  const via = message.topVia();
  if (via && isPrivateAddress(via.host) && bareHost(via.host).toLowerCase() !== remote) return true;
  const contact = contactsOf(message)[0];
  if (contact && contact.uri instanceof SipUri && isPrivateAddress(contact.uri.host)) {
    return bareHost(contact.uri.host).toLowerCase() !== remote;
  }
  return false;
}

/**
 * A copy of `contact` pointing at the source address and port; the transport parameter is set
 * to the protocol it came over (dropped for UDP). Other parameters (expires, +sip.instance, …)
 * are kept. Non-SIP URIs and the wildcard are returned unchanged.
 */
export function rewriteContact(contact: Contact, source: MessageSource): Contact {
  if (contact.isWildcard || !(contact.uri instanceof SipUri)) return contact;
  const copy = contact.clone();
  const uri = copy.uri as SipUri;
  uri.host = uriHost(source.remote.host);
  uri.port = source.remote.port;
  if (source.protocol === 'UDP') uri.params.delete('transport');
  else uri.params.set('transport', source.protocol.toLowerCase());
  return copy;
}

export interface RewriteContactsOptions {
  /** Rewrite only when the Contact host is a private address (default true). */
  readonly onlyPrivate?: boolean;
}

/**
 * Rewrites every SIP Contact of `message` in place to the source address (see rewriteContact).
 * Returns true when something changed.
 */
export function rewriteContacts(
  message: SipMessage,
  source: MessageSource,
  options: RewriteContactsOptions = {},
): boolean {
  const contacts = contactsOf(message);
  let changed = false;
  const out = contacts.map((c) => {
    if (!(c.uri instanceof SipUri) || c.isWildcard) return c;
    if (options.onlyPrivate !== false && !isPrivateAddress(c.uri.host)) return c;
    changed = true;
    return rewriteContact(c, source);
  });
  if (changed) message.setContacts(out);
  return changed;
}

function contactsOf(message: SipMessage): Contact[] {
  try {
    return message.contacts();
  } catch {
    return [];
  }
}
