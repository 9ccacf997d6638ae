// The worker-thread request/reply channel (src/worker/) on real worker threads: replies,
// events, errors, a worker that crashes or exits, and a clean shutdown.
import { describe, expect, it } from 'vitest';
import { inProcessRpc, startWorkerRpc } from '../src/worker/worker-rpc.ts';
import type { EchoEvent, EchoInit, EchoReplies, EchoRequest } from './worker/echo-worker.ts';

const bootstrap = new URL('./worker/echo-worker-bootstrap.mjs', import.meta.url);

function start(init: EchoInit, events: EchoEvent[] = []) {
  return startWorkerRpc<EchoRequest, EchoReplies, EchoEvent>(bootstrap, {
    name: 'echo worker',
    workerData: init,
    onEvent: (event) => events.push(event),
  });
}

describe('worker rpc', () => {
  it('answers calls with their own replies, forwards events, and shuts the host down on close', async () => {
    const events: EchoEvent[] = [];
    const rpc = await start({ tag: 't1' }, events);
    const replies = await Promise.all([
      rpc.call({ op: 'echo', value: { n: 1, bytes: new Uint8Array([1, 2]) } }),
      rpc.call({ op: 'echo', value: 'two' }),
    ]);
    expect(replies).toEqual([{ n: 1, bytes: new Uint8Array([1, 2]) }, 'two']);
    await rpc.call({ op: 'emit', event: 'hello' });
    // An event posted before the reply is seen before the call resolves.
    expect(events).toEqual([{ tag: 't1', name: 'hello' }]);
    await expect(rpc.call({ op: 'fail', message: 'no such leg' })).rejects.toThrow('no such leg');
    // A failed request leaves the worker serving.
    await expect(rpc.call({ op: 'echo', value: 3 })).resolves.toBe(3);

    await rpc.close();
    expect(events.at(-1)).toEqual({ tag: 't1', name: 'shut down' });
    await expect(rpc.call({ op: 'echo', value: 4 })).rejects.toThrow(/echo worker exited with code/);
  });

  it('rejects every pending call, and every later one, when the worker exits', async () => {
    const rpc = await start({ tag: 't2' });
    const hanging = [rpc.call({ op: 'hang' }), rpc.call({ op: 'hang' })];
    const exiting = rpc.call({ op: 'exit', code: 3 });
    for (const call of [...hanging, exiting])
      await expect(call).rejects.toThrow('echo worker exited with code 3');
    await expect(rpc.call({ op: 'echo', value: 1 })).rejects.toThrow('echo worker exited with code 3');
    // Closing a dead worker does not wait for a shutdown reply that will never come.
    await rpc.close();
  });

  it('rejects pending calls with the error that crashed the worker', async () => {
    const rpc = await start({ tag: 't3' });
    const hanging = rpc.call({ op: 'hang' });
    await rpc.call({ op: 'crash', message: 'boom' });
    await expect(hanging).rejects.toThrow('boom');
    await expect(rpc.call({ op: 'echo', value: 1 })).rejects.toThrow('boom');
    await rpc.close();
  });

  it('fails to start when the worker exits before it is ready', async () => {
    await expect(start({ tag: 't4', exitAtStart: 7 })).rejects.toThrow('echo worker exited with code 7');
  });

  it('runs the same protocol on the calling thread', async () => {
    const closed: string[] = [];
    const rpc = inProcessRpc<EchoRequest, EchoReplies>(
      async (request) => (request.op === 'echo' ? request.value : undefined),
      () => void closed.push('closed'),
    );
    await expect(rpc.call({ op: 'echo', value: 'here' })).resolves.toBe('here');
    await rpc.close();
    expect(closed).toEqual(['closed']);
  });
});
