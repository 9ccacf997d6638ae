// A tiny host for the worker-rpc test, served through serveWorkerRpc on a real worker thread:
// echoes, emits events, fails, hangs, crashes or exits on request.
import { serveWorkerRpc } from '../../src/worker/worker-serve.ts';

export interface EchoInit {
  readonly tag: string;
  /** Exit with this code before posting 'ready'. */
  readonly exitAtStart?: number;
}

export type EchoRequest =
  | { readonly op: 'echo'; readonly value: unknown }
  | { readonly op: 'emit'; readonly event: string }
  | { readonly op: 'fail'; readonly message: string }
  | { readonly op: 'hang' }
  | { readonly op: 'crash'; readonly message: string }
  | { readonly op: 'exit'; readonly code: number }
  | { readonly op: 'shutdown' };

export interface EchoReplies {
  echo: unknown;
  emit: undefined;
  fail: never;
  hang: never;
  crash: undefined;
  exit: never;
  shutdown: undefined;
}

export interface EchoEvent {
  readonly tag: string;
  readonly name: string;
}

serveWorkerRpc<EchoInit, EchoRequest, EchoEvent>((init, emit) => {
  if (init.exitAtStart !== undefined) process.exit(init.exitAtStart);
  return async (request) => {
    switch (request.op) {
      case 'echo':
        return request.value;
      case 'emit':
        emit({ tag: init.tag, name: request.event });
        return undefined;
      case 'fail':
        throw new Error(request.message);
      case 'hang':
        return new Promise(() => {});
      case 'crash':
        setTimeout(() => {
          throw new Error(request.message);
        });
        return undefined;
      case 'exit':
        return process.exit(request.code);
      case 'shutdown':
        emit({ tag: init.tag, name: 'shut down' });
        return undefined;
    }
  };
});
