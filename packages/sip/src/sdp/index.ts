// SDP (RFC 4566 / RFC 8866) and audio offer/answer (RFC 3264). Start with parseSdp /
// serializeSdp for the model, createAudioOffer / createAudioAnswer / acceptAudioAnswer for a
// call, and readAudio to see what a remote SDP asks for.

export * from './sdp-model.ts';
export { parseSdp } from './sdp-parser.ts';
export {
  serializeSdp,
  encodeSdp,
  formatAttribute,
  formatConnection,
  formatMediaLine,
  formatOrigin,
} from './sdp-serializer.ts';
export * from './attributes.ts';
export * from './rtp-attributes.ts';
export * from './direction.ts';
export * from './crypto-attribute.ts';
export * from './ice-attributes.ts';
export * from './webrtc-attributes.ts';
export * from './codecs.ts';
export * from './telephone-event.ts';
export * from './audio-stream.ts';
export * from './negotiated-audio.ts';
export * from './session-version.ts';
export { type LocalOrigin, type LocalAudioOptions } from './local-audio.ts';
export { createAudioOffer, assignPayloadTypes, type AudioOfferOptions } from './audio-offer.ts';
export {
  createAudioAnswer,
  intersectCodecs,
  type CodecPair,
  type AudioAnswerOptions,
  type AudioAnswerResult,
} from './audio-answer.ts';
export { acceptAudioAnswer, type AcceptAnswerResult } from './accept-answer.ts';
