// Parent side of the request/reply channel between an engine and one of its hosts: on a worker
// thread (startWorkerRpc) or on the calling thread (inProcessRpc), behind one typed interface.
// The worker side is worker-serve.ts; the media engine, WebRTC gateway and endpoint engine all
// speak this protocol, each with its own request union.
import { Worker } from 'node:worker_threads';

/**
 * A host's requests: a union discriminated by `op`. Every protocol has `{ op: 'shutdown' }`,
 * which the host answers by closing itself (the worker side then closes its port).
 */
export interface RpcRequest {
  readonly op: string;
}

/** What each request of `Req` resolves to, keyed by `op`. */
export type RpcReplies<Req extends RpcRequest> = { readonly [K in Req['op']]: unknown };

/** Worker → parent messages. */
export type RpcWorkerMessage<E> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly kind: 'event'; readonly event: E };

/** Parent → worker messages. */
export interface RpcEnvelope<Req extends RpcRequest> {
  readonly id: number;
  readonly request: Req;
}

/** A host as its engine sees it, wherever it runs. */
export interface RpcChannel<Req extends RpcRequest, Replies extends RpcReplies<Req>> {
  call<K extends Req['op']>(request: Extract<Req, { op: K }>): Promise<Replies[K]>;
  /** Closes the host (a worker is asked to shut down, then terminated). */
  close(): Promise<void>;
}

export interface WorkerRpcOptions<E> {
  /** Names the thread in errors: `${name} exited with code 1`. */
  readonly name: string;
  /** Becomes the worker's `workerData` (structured-cloned). */
  readonly workerData: unknown;
  /** Every event the worker emits, in order. */
  readonly onEvent: (event: E) => void;
}

/** A host on the calling thread: calls go straight to `handle`. */
export function inProcessRpc<Req extends RpcRequest, Replies extends RpcReplies<Req>>(
  handle: (request: Req) => Promise<unknown>,
  close: () => void | Promise<void>,
): RpcChannel<Req, Replies> {
  return {
    // NOTE: one unchecked cast: `handle` is the protocol's dispatch switch, which returns unknown.
    call: (request) => handle(request) as Promise<never>,
    close: async () => close(),
  };
}

/**
 * Starts a worker from `bootstrap` and resolves once it posts 'ready' (rejects if it fails or
 * exits first). When the worker errors or exits, every pending call and every later one rejects
 * with that error.
 */
export async function startWorkerRpc<Req extends RpcRequest, Replies extends RpcReplies<Req>, E>(
  bootstrap: URL,
  options: WorkerRpcOptions<E>,
): Promise<RpcChannel<Req, Replies>> {
  const worker = new Worker(bootstrap, { workerData: options.workerData });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (err: Error): void => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const post = (id: number, request: RpcRequest): void => worker.postMessage({ id, request });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: RpcWorkerMessage<E>) => {
      if (message.kind === 'ready') resolve();
      else if (message.kind === 'event') options.onEvent(message.event);
      else {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) p?.resolve(message.result);
        else p?.reject(new Error(message.error));
      }
    });
    worker.once('error', (err) => {
      failAll(err);
      reject(err);
    });
    worker.once('exit', (code) => {
      const err = new Error(`${options.name} exited with code ${code}`);
      failAll(err);
      // After 'ready' this is a no-op; before it, startup failed.
      reject(err);
    });
  });
  return {
    call: (request) => {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        post(id, request);
      });
    },
    close: async () => {
      // The host closes its sockets before the thread goes; a failure here changes nothing.
      if (!failure)
        await new Promise<unknown>((resolve) => {
          const id = nextId++;
          pending.set(id, { resolve, reject: resolve });
          post(id, { op: 'shutdown' });
        });
      await worker.terminate();
    },
  };
}
