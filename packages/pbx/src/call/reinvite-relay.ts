// Mid-call media changes from one leg of an answered call: a re-INVITE (hold, resume, a new
// address) goes on to the other leg with an offer from the relay, and that leg's answer becomes
// ours (RFC 3264 §8); an UPDATE is answered here. Hold and resume the features answer themselves
// before this relay sees them (features/hold.ts).
import type { IncomingReinvite, IncomingRequest, Session, SipResponse } from '@switchboard/sip';
import { otherSide, type CallSide } from '../features/answered-call.ts';
import type { MediaAnchor } from './media-anchor.ts';
import {
  acceptCalleeAnswer,
  answerToCaller,
  legSettings,
  offerToCallee,
  parseBody,
  sdpText,
} from './sdp-bridge.ts';

const SDP = 'application/sdp';

/**
 * A re-INVITE from one side (hold, resume, new address) becomes a re-INVITE to the other side
 * with an offer from the relay; the other side's answer becomes our answer (RFC 3264 §8).
 */
export async function relayReinvite(
  from: CallSide,
  reinvite: IncomingReinvite,
  /** The phone on the other side; undefined while a transfer has taken it out. */
  other: Session | undefined,
  anchor: MediaAnchor,
  sessionId: () => string,
): Promise<void> {
  const to = otherSide(from);
  const relay = anchor.relay;
  const offerBody = reinvite.offer;
  if (!relay || !other || !offerBody) {
    // No offer (a session refresh or a request for our offer): answer with what we last sent.
    const local = anchor.local(from);
    reinvite.accept(local ? { body: sdpText(local), contentType: SDP } : {});
    return;
  }
  const offer = parseBody(offerBody.body);
  if (!offer.ok) {
    reinvite.reject(400, { reason: offer.reason });
    return;
  }
  const toOther = offerToCallee(offer.value, relay[to], sessionId(), anchor.local(to), anchor.browser(to));
  if (!toOther.ok) {
    reinvite.reject(toOther.status, { reason: toOther.reason });
    return;
  }
  let response: SipResponse;
  try {
    response = await other.reinvite({ body: sdpText(toOther.value), contentType: SDP });
  } catch {
    reinvite.reject(491, { reason: 'Request Pending' });
    return;
  }
  if (response.status >= 300) {
    reinvite.reject(response.status === 491 ? 491 : 488);
    return;
  }
  const otherAnswer = parseBody(response.body);
  const otherNegotiated = otherAnswer.ok ? acceptCalleeAnswer(toOther.value, otherAnswer.value) : undefined;
  if (!otherNegotiated?.ok) {
    reinvite.reject(488);
    return;
  }
  const ours = answerToCaller(
    offer.value,
    otherNegotiated.value,
    relay[from],
    sessionId(),
    anchor.local(from),
    undefined,
    anchor.browser(from),
  );
  if (!ours.ok) {
    reinvite.reject(ours.status, { reason: ours.reason });
    return;
  }
  anchor.setLocal(from, ours.value.local);
  anchor.setLocal(to, toOther.value);
  await relay.configure({
    [from]: legSettings(ours.value.negotiated, anchor.browser(from)),
    [to]: legSettings(otherNegotiated.value, anchor.browser(to)),
  });
  reinvite.accept({ body: sdpText(ours.value.local), contentType: SDP });
}

/** UPDATE without SDP is a session refresh; with SDP we ask for a re-INVITE instead. */
export function answerUpdate(request: IncomingRequest): void {
  if (request.request.body.length === 0) request.respond(200);
  else request.respond(488, { reason: 'Not Acceptable Here (use re-INVITE to change media)' });
}
