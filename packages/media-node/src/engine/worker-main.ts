// Entry of a media worker thread: one RelayHost driven by messages from the engine.
import { parentPort, workerData } from 'node:worker_threads';
import { RelayHost } from '../relay/relay-host.ts';
import { dispatch } from './host-dispatch.ts';
import type { WorkerInit, WorkerMessage, WorkerRequest } from './host-protocol.ts';

const port = parentPort;
if (!port) throw new Error('worker-main.ts must run in a worker thread');
const init = workerData as WorkerInit;
const post = (message: WorkerMessage): void => port.postMessage(message);

const host = new RelayHost({
  portRange: init.portRange,
  address: init.address,
  advertisedAddress: init.advertisedAddress,
  idPrefix: init.idPrefix,
  onEvent: (event) => post({ kind: 'event', event }),
});

port.on('message', ({ id, request }: WorkerRequest) => {
  dispatch(host, request).then(
    (result) => {
      post({ kind: 'reply', id, ok: true, result });
      if (request.op === 'shutdown') port.close();
    },
    (err: unknown) =>
      post({ kind: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
post({ kind: 'ready' });
