// The PBX as a transaction user (RFC 3261 §8.2): every request the transaction layer does not
// match arrives here and is dispatched by method. REGISTER goes to the registrar, INVITE and
// the in-dialog methods to the call layer, OPTIONS is answered, the rest get 405.
import {
  createResponse,
  SipHeaderError,
  type MessageSource,
  type SipRequest,
  type SipResponse,
  type ServerTransaction,
  type TransactionLayerDelegate,
} from '@switchboard/sip';
import type { Registrar } from './registrar/registrar.ts';
import type { RequestSource } from './routing/request-source.ts';
import type { BindingTransport } from './registrar/binding.ts';

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
  'NOTIFY',
  'REFER',
];

/** Handles INVITE and requests inside call dialogs (the B2BUA). */
export interface CallHandler {
  onRequest(request: SipRequest, transaction: ServerTransaction | undefined, source: RequestSource): void;
}

export interface PbxLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface PbxOptions {
  readonly registrar: Registrar;
  readonly calls?: CallHandler;
  readonly logger?: PbxLogger;
  readonly userAgent?: string;
}

export function toRequestSource(source: MessageSource): RequestSource {
  return {
    transport: source.protocol.toLowerCase() as BindingTransport,
    remote: { host: source.remote.host, port: source.remote.port },
    connectionId: source.connectionId,
  };
}

export class Pbx implements TransactionLayerDelegate {
  constructor(private readonly options: PbxOptions) {}

  onRequest(request: SipRequest, transaction: ServerTransaction | undefined, source: MessageSource): void {
    const from = toRequestSource(source);
    try {
      switch (request.method) {
        case 'REGISTER':
          if (transaction)
            void this.answerAsync(transaction, () => this.options.registrar.handle(request, from));
          return;
        case 'OPTIONS':
          transaction?.respond(this.optionsResponse(request));
          return;
        case 'INVITE':
        case 'ACK':
        case 'BYE':
        case 'CANCEL':
        case 'UPDATE':
        case 'PRACK':
        case 'INFO':
        case 'NOTIFY':
        case 'REFER':
          if (this.options.calls) this.options.calls.onRequest(request, transaction, from);
          else if (request.method !== 'ACK')
            transaction?.respond(createResponse(request, 501, 'Not Implemented'));
          return;
        default: {
          const response = createResponse(request, 405, 'Method Not Allowed');
          response.headers.set('Allow', ALLOWED_METHODS.join(', '));
          transaction?.respond(response);
        }
      }
    } catch (error) {
      this.fail(request, transaction, error);
    }
  }

  private optionsResponse(request: SipRequest): SipResponse {
    const response = createResponse(request, 200, 'OK');
    response.headers.set('Allow', ALLOWED_METHODS.join(', '));
    response.headers.set('Accept', 'application/sdp');
    response.headers.set('Supported', 'replaces, timer');
    if (this.options.userAgent) response.headers.set('Server', this.options.userAgent);
    return response;
  }

  private async answerAsync(
    transaction: ServerTransaction,
    produce: () => Promise<SipResponse>,
  ): Promise<void> {
    try {
      transaction.respond(await produce());
    } catch (error) {
      this.fail(transaction.request, transaction, error);
    }
  }

  /** A request we could not handle is answered, never left hanging, and the PBX stays up. */
  private fail(request: SipRequest, transaction: ServerTransaction | undefined, error: unknown): void {
    if (error instanceof SipHeaderError) {
      transaction?.respond(createResponse(request, 400, `Bad Request (${error.message})`));
      return;
    }
    this.options.logger?.error({ error: String(error), method: request.method }, 'pbx: request failed');
    try {
      transaction?.respond(createResponse(request, 500, 'Server Internal Error'));
    } catch {
      // NOTE: the request itself is unusable (its own headers throw); nothing more to do.
    }
  }
}
