// Entry of a WebRTC worker thread: one WebRtcHost driven by messages from the gateway.
import { parentPort, workerData } from 'node:worker_threads';
import {
  dispatchWebRtc,
  type WebRtcWorkerInit,
  type WebRtcWorkerMessage,
  type WebRtcRequest,
} from './webrtc-protocol.ts';
import { WebRtcHost } from './webrtc-host.ts';

const port = parentPort;
if (!port) throw new Error('webrtc-worker.ts must run in a worker thread');
const init = workerData as WebRtcWorkerInit;
const post = (message: WebRtcWorkerMessage): void => port.postMessage(message);

const host = new WebRtcHost({
  portRange: init.portRange,
  address: init.address,
  ...(init.candidateAddresses ? { candidateAddresses: init.candidateAddresses } : {}),
  ...(init.relayAddress ? { relayAddress: init.relayAddress } : {}),
  certificate: init.certificate,
  idPrefix: init.idPrefix,
  onEvent: (event) => post({ kind: 'event', event }),
});

port.on('message', ({ id, request }: { id: number; request: WebRtcRequest }) => {
  dispatchWebRtc(host, request).then(
    (result) => {
      post({ kind: 'reply', id, ok: true, result });
      if (request.op === 'shutdown') port.close();
    },
    (err: unknown) =>
      post({ kind: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
post({ kind: 'ready' });
