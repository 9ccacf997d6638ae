// Entry of an endpoint worker thread: one EndpointHost driven by the engine's requests.
import { serveWorkerRpc } from '../worker/worker-serve.ts';
import { dispatchEndpoint } from './endpoint-dispatch.ts';
import { EndpointHost } from './endpoint-host.ts';
import type { EndpointRequest, EndpointWorkerInit } from './endpoint-protocol.ts';
import type { EndpointEvent } from './endpoint-types.ts';

serveWorkerRpc<EndpointWorkerInit, EndpointRequest, EndpointEvent>((init, onEvent) => {
  const host = new EndpointHost({
    portRange: init.portRange,
    address: init.address,
    ...(init.advertisedAddress !== undefined && { advertisedAddress: init.advertisedAddress }),
    idPrefix: init.idPrefix,
    onEvent,
  });
  return (request) => dispatchEndpoint(host, request);
});
