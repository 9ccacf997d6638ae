import type { RelayHost } from '../relay/relay-host.ts';
import type { HostRequest } from './host-protocol.ts';

/** Runs one request against a host: the single switch both engine modes share. */
export async function dispatch(host: RelayHost, request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'allocate':
      return host.allocateLeg(request.options);
    case 'configure':
      return host.configureLeg(request.legId, request.config);
    case 'connect':
      return host.connect(request.legId, request.peerId);
    case 'disconnect':
      return host.disconnect(request.legId);
    case 'play':
      return host.play(request.legId, request.audio, request.options);
    case 'stop-playback':
      return host.stopPlayback(request.legId);
    case 'record':
      return host.startRecording(request.legId, request.peerId, request.options);
    case 'stop-recording':
      return host.stopRecording(request.legId);
    case 'stats':
      return host.legStats(request.legId);
    case 'release':
      return host.releaseLeg(request.legId);
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
