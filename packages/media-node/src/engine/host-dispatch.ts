import type { RelayHost } from '../relay/relay-host.ts';
import type { HostRequest } from './host-protocol.ts';

/** Runs one request against a host: the single switch both engine modes share. */
export async function dispatch(host: RelayHost, request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'create':
      return host.createRelay(request.options);
    case 'configure':
      return host.configure(request.relayId, request.update);
    case 'stats':
      return host.stats(request.relayId);
    case 'close':
      return host.closeRelay(request.relayId);
    case 'counters':
      return { ...host.counters };
    case 'shutdown':
      return host.close();
    default: {
      const never: never = request;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}
