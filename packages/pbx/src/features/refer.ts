// REFER (RFC 3515) as a transfer request from a phone: who to call (Refer-To), whether it
// replaces another dialog (RFC 3891 Replaces, an attended transfer), and the implicit
// subscription that reports the outcome in NOTIFYs carrying a message/sipfrag (RFC 3420).
import {
  isSipUri,
  parseNameAddr,
  reasonPhrase,
  SessionState,
  type IncomingRequest,
  type Session,
} from '@switchboard/sip';

export interface Replaces {
  readonly callId: string;
  readonly toTag: string | undefined;
  readonly fromTag: string | undefined;
}

export type ReferTarget =
  | { readonly ok: true; readonly number: string; readonly replaces: Replaces | undefined }
  | { readonly ok: false; readonly reason: string };

/** RFC 3891 §6.1: `callid *(;to-tag=… | ;from-tag=… | ;early-only)`. */
export function parseReplaces(value: string): Replaces | undefined {
  const [callId, ...params] = value.split(';').map((p) => p.trim());
  if (!callId) return undefined;
  const param = (name: string): string | undefined =>
    params.find((p) => p.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1);
  return { callId, toTag: param('to-tag'), fromTag: param('from-tag') };
}

/** The Refer-To of a REFER: an extension of ours, perhaps with `?Replaces=` (attended transfer). */
export function readReferTo(request: IncomingRequest): ReferTarget {
  const values = request.request.headers.getFieldValues('Refer-To');
  if (values.length !== 1) return { ok: false, reason: 'exactly one Refer-To is needed (RFC 3515 §2.4.1)' };
  const parsed = parseNameAddr(values[0]!);
  if (!parsed.ok) return { ok: false, reason: `bad Refer-To: ${parsed.reason}` };
  const problem = parsed.value.checkUri();
  if (problem !== undefined) return { ok: false, reason: `bad Refer-To URI: ${problem}` };
  const uri = parsed.value.uri;
  if (!isSipUri(uri) || !uri.user)
    return { ok: false, reason: 'Refer-To must be a SIP URI with a user part' };
  const replacesHeader = uri.headers.find(([name]) => name.toLowerCase() === 'replaces')?.[1];
  const replaces = replacesHeader === undefined ? undefined : parseReplaces(replacesHeader);
  if (replacesHeader !== undefined && !replaces) return { ok: false, reason: 'bad Replaces in Refer-To' };
  // A number may be written with visual separators (tel-style); the PBX dials digits.
  const number = uri.user.replace(/[-.() ]/g, '');
  return { ok: true, number, replaces };
}

/**
 * The implicit subscription a REFER creates (RFC 3515 §2.4.4): NOTIFYs in the REFER's dialog
 * with `Event: refer` and the progress of the new call as a sipfrag status line. `Refer-Sub:
 * false` (RFC 4488) asks for none.
 */
export class ReferSubscription {
  private terminated = false;

  constructor(
    private readonly session: Session,
    private readonly wanted: boolean,
  ) {}

  static accept(request: IncomingRequest, session: Session): ReferSubscription {
    const wanted = request.request.headers.get('Refer-Sub')?.trim().toLowerCase() !== 'false';
    request.respond(202, wanted ? {} : { headers: [['Refer-Sub', 'false']] });
    const subscription = new ReferSubscription(session, wanted);
    subscription.notify(100);
    return subscription;
  }

  /** Reports `status` of the new call; a final one (≥ 200) ends the subscription. */
  notify(status: number, reason = reasonPhrase(status)): void {
    if (!this.wanted || this.terminated) return;
    const final = status >= 200;
    this.terminated = final;
    // The transferor may have hung up already: then there is nobody to tell.
    if (this.session.state === SessionState.Terminated) return;
    void this.session
      .request('NOTIFY', {
        headers: [
          ['Event', 'refer'],
          ['Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60'],
        ],
        body: `SIP/2.0 ${status} ${reason}\r\n`,
        contentType: 'message/sipfrag;version=2.0',
      })
      .catch(() => undefined);
  }
}
