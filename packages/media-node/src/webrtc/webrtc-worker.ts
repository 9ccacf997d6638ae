// Entry of a WebRTC worker thread: one WebRtcHost driven by the gateway's requests.
import { serveWorkerRpc } from '../worker/worker-serve.ts';
import { WebRtcHost } from './webrtc-host.ts';
import { dispatchWebRtc, type WebRtcRequest, type WebRtcWorkerInit } from './webrtc-protocol.ts';
import type { WebRtcEvent } from './webrtc-types.ts';

serveWorkerRpc<WebRtcWorkerInit, WebRtcRequest, WebRtcEvent>((init, onEvent) => {
  const host = new WebRtcHost({
    portRange: init.portRange,
    address: init.address,
    ...(init.candidateAddresses ? { candidateAddresses: init.candidateAddresses } : {}),
    ...(init.relayAddress ? { relayAddress: init.relayAddress } : {}),
    certificate: init.certificate,
    idPrefix: init.idPrefix,
    onEvent,
  });
  return (request) => dispatchWebRtc(host, request);
});
