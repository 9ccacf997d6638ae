// Worker side of worker-rpc.ts: the entry of a host's worker thread builds its host from
// `workerData`, then answers each request in turn and forwards the host's events.
import { parentPort, workerData } from 'node:worker_threads';
import type { RpcEnvelope, RpcRequest, RpcWorkerMessage } from './worker-rpc.ts';

/**
 * Runs in a worker thread. `start` receives the parent's `workerData` and an `emit` for events,
 * and returns the request handler (the protocol's dispatch switch over the host it built).
 * Posts 'ready' once `start` returns; closes the port after answering `{ op: 'shutdown' }`.
 */
export function serveWorkerRpc<Init, Req extends RpcRequest, E>(
  start: (init: Init, emit: (event: E) => void) => (request: Req) => Promise<unknown>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerRpc must run in a worker thread');
  const post = (message: RpcWorkerMessage<E>): void => port.postMessage(message);
  const handle = start(workerData as Init, (event) => post({ kind: 'event', event }));
  port.on('message', ({ id, request }: RpcEnvelope<Req>) => {
    handle(request).then(
      (result) => {
        post({ kind: 'reply', id, ok: true, result });
        if (request.op === 'shutdown') port.close();
      },
      (err: unknown) =>
        post({ kind: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  post({ kind: 'ready' });
}
