// WebRTC legs (ICE-lite, DTLS-SRTP) bridged to plain RTP: the public surface of src/webrtc/.
export {
  createWebRtcGateway,
  type WebRtcGateway,
  type WebRtcGatewayOptions,
  type WebRtcEndpointDelegate,
  type WebRtcLeg,
} from './webrtc-gateway.ts';
export { createDtlsCertificate, type DtlsCertificate } from './dtls-session.ts';
export { WebRtcHost, defaultCandidateAddresses, type WebRtcHostOptions } from './webrtc-host.ts';
export { SrtpSession } from './srtp-session.ts';
export { type SrtpProfile } from './srtp-keys.ts';
export * from './webrtc-types.ts';
