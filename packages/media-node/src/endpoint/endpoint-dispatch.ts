import type { EndpointHost } from './endpoint-host.ts';
import type { EndpointRequest } from './endpoint-protocol.ts';

/** Runs one request against a host: the single switch both engine modes share. */
export async function dispatchEndpoint(host: EndpointHost, request: EndpointRequest): Promise<unknown> {
  switch (request.op) {
    case 'allocate':
      return host.allocate(request.options);
    case 'configure':
      return host.configure(request.id, request.config);
    case 'play':
      return host.play(request.id, request.playId, request.sources, request.options);
    case 'stop-playback':
      return host.stopPlayback(request.id);
    case 'record':
      return host.record(request.id, request.recordId, request.options);
    case 'stop-recording':
      return host.stopRecording(request.id);
    case 'release':
      return host.release(request.id);
    case 'create-bridge':
      return host.createBridge();
    case 'join':
      return host.join(request.bridgeId, request.id, request.state);
    case 'update-member':
      return host.updateMember(request.bridgeId, request.id, request.state);
    case 'leave':
      return host.leave(request.bridgeId, request.id);
    case 'close-bridge':
      return host.closeBridge(request.bridgeId);
    case 'counters':
      return host.counters();
    case 'shutdown':
      return host.close();
    default: {
      const never: never = request;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}
