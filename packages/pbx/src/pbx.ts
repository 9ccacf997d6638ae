// The PBX as the application on top of the UA core (RFC 3261 §8.2): new calls go to the
// CallManager, REGISTER to the registrar, OPTIONS is answered, other methods get 405.
// Requests inside dialogs never come here: the UA core routes them to their call's sessions.
import {
  SipHeaderError,
  type IncomingInvite,
  type IncomingRequest,
  type MessageSource,
  type UserAgentDelegate,
} from '@switchboard/sip';
import type { CallManager } from './call/call-manager.ts';
import type { BindingTransport } from './registrar/binding.ts';
import type { Registrar } from './registrar/registrar.ts';
import type { RequestSource } from './routing/request-source.ts';

/** Methods this PBX implements, for Allow headers (RFC 3261 §20.5). */
export const ALLOWED_METHODS = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'REGISTER',
  'UPDATE',
  'PRACK',
  'INFO',
  'SUBSCRIBE',
];

export interface PbxLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** SUBSCRIBE outside a dialog (RFC 6665): voicemail's message-waiting indication. */
export interface SubscriptionHandler {
  subscribe(incoming: IncomingRequest, source: RequestSource): Promise<void>;
}

export interface PbxOptions {
  readonly registrar: Registrar;
  readonly calls?: CallManager;
  readonly logger?: PbxLogger;
}

export function toRequestSource(source: MessageSource): RequestSource {
  return {
    transport: source.protocol.toLowerCase() as BindingTransport,
    remote: { host: source.remote.host, port: source.remote.port },
    connectionId: source.connectionId,
  };
}

export class Pbx implements UserAgentDelegate {
  /** The call layer; set once the UA it needs exists (the UA needs this delegate first). */
  calls: CallManager | undefined;
  /** Subscriptions (message-waiting); without them SUBSCRIBE gets 489 Bad Event. */
  subscriptions: SubscriptionHandler | undefined;

  constructor(private readonly options: PbxOptions) {
    this.calls = options.calls;
  }

  onInvite(invite: IncomingInvite): void {
    if (!this.calls) {
      invite.reject(503, { reason: 'Service Unavailable (starting)' });
      return;
    }
    this.calls.onInvite(invite, toRequestSource(invite.source));
  }

  onRequest(incoming: IncomingRequest): void {
    const { request } = incoming;
    switch (request.method) {
      case 'REGISTER':
        void this.options.registrar.handle(request, toRequestSource(incoming.source)).then(
          // A challenge goes out statelessly (RFC 3261 §8.2.7): at thousands of registrations
          // per second, half the REGISTERs would otherwise keep a 401 for Timer J (32 s).
          (response) => incoming.transaction.respond(response, { stateless: response.status === 401 }),
          (error: unknown) => this.fail(incoming, error),
        );
        return;
      case 'SUBSCRIBE':
        if (!this.subscriptions) {
          incoming.respond(489, { reason: 'Bad Event' });
          return;
        }
        void this.subscriptions
          .subscribe(incoming, toRequestSource(incoming.source))
          .catch((error: unknown) => this.fail(incoming, error));
        return;
      case 'OPTIONS':
        incoming.respond(200, {
          headers: [
            ['Allow', ALLOWED_METHODS.join(', ')],
            ['Accept', 'application/sdp'],
          ],
        });
        return;
      default:
        incoming.respond(405, { headers: [['Allow', ALLOWED_METHODS.join(', ')]] });
    }
  }

  /** A request we could not handle is answered, never left hanging, and the PBX stays up. */
  private fail(incoming: IncomingRequest, error: unknown): void {
    if (error instanceof SipHeaderError) {
      incoming.respond(400, { reason: `Bad Request (${error.message})` });
      return;
    }
    this.options.logger?.error(
      { error: String(error), method: incoming.request.method },
      'pbx: request failed',
    );
    incoming.respond(500);
  }
}
