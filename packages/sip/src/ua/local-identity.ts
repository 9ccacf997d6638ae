// Who this UA is on the wire: its AOR (From), Contact, Via sent-by, the option tags and
// methods it announces, and the requests it starts outside dialogs (RFC 3261 §8.1.1).
import { type RandomSource, newBranch, newCallId, newTag } from '../core/random.ts';
import type { Destination } from '../core/transport.ts';
import { NameAddr, parseNameAddr } from '../header/name-addr.ts';
import { unwrap } from '../header/parsed.ts';
import { Via } from '../header/via.ts';
import type { SipRequest } from '../message/sip-request.ts';
import { uriHost } from '../nat/received.ts';
import { type Uri, parseUri } from '../uri/parse-uri.ts';
import { SipUri } from '../uri/sip-uri.ts';
import { destinationForUri } from './next-hop.ts';
import { type OutOfDialogRequestOptions, buildOutOfDialogRequest } from './request-factory.ts';
import type { UserAgentOptions } from './user-agent-options.ts';

/** Methods this UA core understands (Allow, §20.5). */
export const ALLOWED_METHODS: readonly string[] = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'PRACK',
  'UPDATE',
  'INFO',
  'MESSAGE',
  'NOTIFY',
  'REFER',
];

export class LocalIdentity {
  readonly aor: NameAddr | undefined;

  constructor(
    private readonly options: UserAgentOptions,
    private readonly random: RandomSource,
    private readonly features: {
      readonly reliableProvisional: 'supported' | 'required' | 'none';
      readonly timers: boolean;
    },
  ) {
    this.aor = options.aor === undefined ? undefined : unwrap(parseNameAddr(options.aor), 'aor');
    if (this.aor && options.displayName !== undefined) this.aor.displayName = options.displayName;
  }

  /** Option tags for Supported (and the ones a Require may name, §8.2.2.3). */
  supportedTags(): string[] {
    // NOTE: only what this core implements; Replaces (RFC 3891) is the application's to add.
    const tags: string[] = [];
    if (this.features.reliableProvisional !== 'none') tags.push('100rel');
    if (this.features.timers) tags.push('timer');
    return tags;
  }

  /** Allow and Supported, announced in responses and in dialog-creating requests. */
  capabilityHeaders(): Array<[string, string]> {
    const headers: Array<[string, string]> = [['Allow', ALLOWED_METHODS.join(', ')]];
    const tags = this.supportedTags();
    if (tags.length > 0) headers.push(['Supported', tags.join(', ')]);
    return headers;
  }

  /** A Via for a request sent to `destination`, with a new branch (§8.1.1.7) and rport (RFC 3581 §3). */
  via(destination: Destination): Via {
    const local = this.options.transport.localAddress(destination);
    return new Via({
      transport: destination.protocol,
      host: uriHost(local.host),
      port: local.port,
      params: { branch: newBranch(this.random), rport: null },
    });
  }

  /** Our Contact for messages to `destination` (the configured one, or built from the local address). */
  contact(destination: Destination): string {
    if (this.options.contact) return `<${this.options.contact}>`;
    const local = this.options.transport.localAddress(destination);
    const aorUri = this.aor?.uri;
    const user =
      this.options.contactUser ?? (aorUri instanceof SipUri ? aorUri.user : undefined) ?? 'switchboard';
    const uri = new SipUri({ user, host: uriHost(local.host), port: local.port });
    if (destination.protocol !== 'UDP') uri.params.set('transport', destination.protocol.toLowerCase());
    return new NameAddr({ uri }).toString();
  }

  /** §8.1.1: a new request outside any dialog, without its Via (added when sent). */
  buildRequest(
    method: string,
    target: string | Uri,
    options: OutOfDialogRequestOptions,
    extraHeaders: ReadonlyArray<readonly [string, string]>,
    cseq: number,
  ): SipRequest {
    const uri = typeof target === 'string' ? unwrap(parseUri(target), 'target') : target;
    const proxy = this.options.outboundProxy;
    const firstHop = proxy ? unwrap(parseUri(proxy), 'outboundProxy') : uri;
    const destination = options.destination ?? destinationForUri(firstHop, this.options.defaultProtocol);
    const headers: Array<readonly [string, string]> = [...extraHeaders];
    if (method === 'INVITE' || method === 'UPDATE' || method === 'OPTIONS' || method === 'REGISTER') {
      headers.push(...this.capabilityHeaders());
    }
    if (method === 'INVITE' && this.features.reliableProvisional === 'required')
      headers.push(['Require', '100rel']);
    return buildOutOfDialogRequest(method, uri, {
      ...options,
      from: options.from ?? this.aor?.toString() ?? '<sip:anonymous@anonymous.invalid>',
      fromTag: newTag(this.random),
      callId: options.callId ?? newCallId(undefined, this.random),
      cseq,
      routes: proxy ? [proxy] : [],
      ...(method === 'INVITE' || options.contact ? { contactValue: this.contact(destination) } : {}),
      headers: [...headers, ...(options.headers ?? [])],
    });
  }
}
