// Reading the answer to our audio offer (RFC 3264 §7): check it against the offer and work
// out what was agreed. The answerer may use other payload type numbers than ours (§6.1
// "SHOULD"), so codecs are matched by name/rate/channels and each direction keeps its number.

import { readAudioStream, rtcpDestination, telephoneEventFor } from './audio-stream.ts';
import { usesSdes } from './crypto-attribute.ts';
import { isTelephoneEvent, sameCodec } from './codecs.ts';
import { canReceive, canSend, directionOf } from './direction.ts';
import {
  negotiationFailure,
  isAuxiliaryCodec,
  type NegotiatedAudio,
  type NegotiatedCodec,
  type NegotiatedTelephoneEvent,
  type SdpNegotiationFailure,
} from './negotiated-audio.ts';
import type { SessionDescription } from './sdp-model.ts';
import { intersectEvents } from './telephone-event.ts';

export type AcceptAnswerResult =
  { readonly ok: true; readonly negotiated: NegotiatedAudio } | SdpNegotiationFailure;

/**
 * Checks `answer` against our `offer` and returns the agreed audio stream. A failure means
 * the session cannot go on as offered: the caller ends the call (after ACK, RFC 3261 §13.2.2.4)
 * or makes another offer.
 */
export function acceptAudioAnswer(offer: SessionDescription, answer: SessionDescription): AcceptAnswerResult {
  if (answer.media.length !== offer.media.length) {
    return negotiationFailure(
      399,
      `the answer has ${answer.media.length} m= lines, the offer had ${offer.media.length} (RFC 3264 §6)`,
    );
  }
  const index = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  const ours = index >= 0 ? readAudioStream(offer, index) : undefined;
  if (!ours) return negotiationFailure(304, 'our offer has no active audio stream');
  const theirs = readAudioStream(answer, index);
  if (!theirs) return negotiationFailure(304, `m= line ${index + 1} of the answer is not audio`);
  if (theirs.port === 0) return negotiationFailure(304, 'the answerer rejected the audio stream (port 0)');
  if (theirs.protocol.toUpperCase() !== ours.protocol.toUpperCase()) {
    return negotiationFailure(
      302,
      `the answer changed the transport from ${ours.protocol} to ${theirs.protocol}`,
    );
  }

  const codecs: NegotiatedCodec[] = [];
  for (const f of theirs.codecs) {
    const mine = ours.codecs.find((c) => sameCodec(c, f));
    if (!mine || codecs.some((c) => sameCodec(c, f))) continue;
    codecs.push({
      name: mine.name,
      clockRate: f.clockRate,
      channels: f.channels,
      sendPayloadType: f.payloadType,
      receivePayloadType: mine.payloadType,
      ...(f.fmtp === undefined ? {} : { remoteFmtp: f.fmtp }),
      ...(mine.fmtp === undefined ? {} : { localFmtp: mine.fmtp }),
    });
  }
  const main = codecs.filter((c) => !isAuxiliaryCodec(c.name));
  if (main.length === 0) return negotiationFailure(305, 'the answer has no codec that was offered');
  const ordered = [...main, ...codecs.filter((c) => isAuxiliaryCodec(c.name))];

  const events: NegotiatedTelephoneEvent[] = [];
  for (const t of theirs.telephoneEvents) {
    const mine = ours.formats.find((f) => isTelephoneEvent(f) && f.clockRate === t.clockRate);
    if (!mine || events.some((e) => e.clockRate === t.clockRate)) continue;
    const agreed = intersectEvents(t.events, mine.fmtp?.trim() || t.events);
    if (agreed !== '') {
      events.push({
        clockRate: t.clockRate,
        sendPayloadType: t.payloadType,
        receivePayloadType: mine.payloadType,
        events: agreed,
      });
    }
  }

  let crypto: NegotiatedAudio['crypto'];
  if (usesSdes(theirs.protocol)) {
    const remote = theirs.crypto[0];
    const local = remote && ours.crypto.find((c) => c.tag === remote.tag && c.suite === remote.suite);
    if (!remote || !local)
      return negotiationFailure(305, 'the answer has no a=crypto line matching one we offered');
    crypto = { local, remote };
  }

  // Our side: we may send if we offered to send and they receive, and the other way round.
  const direction = directionOf(
    canSend(ours.declaredDirection) && canReceive(theirs.direction),
    canReceive(ours.declaredDirection) && canSend(theirs.direction),
  );
  const telephoneEvent = telephoneEventFor(events, ordered[0]);
  const rtcpMux = ours.rtcpMux && theirs.rtcpMux;
  const remoteRtcp = rtcpDestination(theirs.rtp, rtcpMux, theirs.rtcpAttribute);
  return {
    ok: true,
    negotiated: {
      mediaIndex: index,
      protocol: theirs.protocol,
      ...(theirs.rtp ? { remoteRtp: theirs.rtp } : {}),
      ...(remoteRtcp ? { remoteRtcp } : {}),
      codecs: ordered,
      ...(telephoneEvent ? { telephoneEvent } : {}),
      telephoneEvents: events,
      direction,
      remoteHold: theirs.onHold,
      ...(theirs.ptime === undefined ? {} : { ptime: theirs.ptime }),
      ...(theirs.maxptime === undefined ? {} : { maxptime: theirs.maxptime }),
      rtcpMux,
      ...(crypto ? { crypto } : {}),
    },
  };
}
