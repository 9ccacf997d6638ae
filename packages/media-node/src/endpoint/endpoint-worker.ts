// Entry of an endpoint worker thread: one EndpointHost driven by messages from the engine.
import { parentPort, workerData } from 'node:worker_threads';
import { dispatchEndpoint } from './endpoint-dispatch.ts';
import { EndpointHost } from './endpoint-host.ts';
import type {
  EndpointWorkerInit,
  EndpointWorkerMessage,
  EndpointWorkerRequest,
} from './endpoint-protocol.ts';

const port = parentPort;
if (!port) throw new Error('endpoint-worker.ts must run in a worker thread');
const init = workerData as EndpointWorkerInit;
const post = (message: EndpointWorkerMessage): void => port.postMessage(message);

const host = new EndpointHost({
  portRange: init.portRange,
  address: init.address,
  ...(init.advertisedAddress !== undefined && { advertisedAddress: init.advertisedAddress }),
  idPrefix: init.idPrefix,
  onEvent: (event) => post({ kind: 'event', event }),
});

port.on('message', ({ id, request }: EndpointWorkerRequest) => {
  dispatchEndpoint(host, request).then(
    (result) => {
      post({ kind: 'reply', id, ok: true, result });
      if (request.op === 'shutdown') port.close();
    },
    (err: unknown) =>
      post({ kind: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
post({ kind: 'ready' });
