// Entry of a media worker thread: one RelayHost driven by the engine's requests.
import { RelayHost } from '../relay/relay-host.ts';
import type { LegEvent } from '../relay/relay-types.ts';
import { serveWorkerRpc } from '../worker/worker-serve.ts';
import { dispatch } from './host-dispatch.ts';
import type { HostRequest, WorkerInit } from './host-protocol.ts';

serveWorkerRpc<WorkerInit, HostRequest, LegEvent>((init, onEvent) => {
  const host = new RelayHost({
    portRange: init.portRange,
    address: init.address,
    advertisedAddress: init.advertisedAddress,
    idPrefix: init.idPrefix,
    onEvent,
  });
  return (request) => dispatch(host, request);
});
