// One error handler for the whole API: every failure leaves as `{ error: { code, message,
// details } }`. Unknown errors are logged once here and answered as internal_error, without
// their message (it may hold data that must not leak).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DbError } from '@switchboard/db';
import type { ApiErrorBody, ErrorCode, ErrorDetail } from '@switchboard/contracts';
import { ApiError } from './api-error.ts';

export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
}

const DB_CODES: Record<DbError['code'], ErrorCode> = {
  not_found: 'not_found',
  conflict: 'conflict',
  validation: 'validation_failed',
  forbidden: 'forbidden',
};

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** `/emails/1/address` → `emails[1].address`. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function describe(e: AjvLikeError): ErrorDetail {
  const base = fieldPath(e.instancePath ?? '');
  const join = (child: string): string => (base ? `${base}.${child}` : child);
  switch (e.keyword) {
    case 'required':
      return { field: join(String(e.params?.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: join(String(e.params?.additionalProperty)), message: 'is not a known field' };
    case 'format':
      return { field: base || '(body)', message: `must be a valid ${String(e.params?.format)}` };
    case 'enum':
      return {
        field: base || '(body)',
        message: `must be one of ${(e.params?.allowedValues as unknown[]).filter((v) => v !== null).join(', ')}`,
      };
    case 'minLength': {
      const limit = Number(e.params?.limit);
      return { field: base, message: limit === 1 ? 'is required' : `needs at least ${limit} characters` };
    }
    case 'maxLength':
      return { field: base, message: `is longer than ${String(e.params?.limit)} characters` };
    case 'minItems':
      return { field: base, message: `needs at least ${String(e.params?.limit)} item(s)` };
    case 'maxItems':
      return { field: base, message: `takes at most ${String(e.params?.limit)} item(s)` };
    case 'uniqueItems':
      return { field: base, message: 'must not list the same item twice' };
    case 'minimum':
    case 'maximum':
      return {
        field: base,
        message: `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(e.params?.limit)}`,
      };
    case 'type':
      return { field: base || '(body)', message: `must be ${String(e.params?.type)}` };
    case 'pattern':
      return {
        field: base,
        message:
          base.endsWith('name') || base.endsWith('Name')
            ? 'must not be blank'
            : 'has characters that are not allowed',
      };
    default:
      return { field: base || '(body)', message: e.message ?? 'is invalid' };
  }
}

/** Every schema violation of a request, one entry per field (first problem of each field). */
export function validationDetails(errors: readonly AjvLikeError[]): ErrorDetail[] {
  const byField = new Map<string, ErrorDetail>();
  for (const e of errors) {
    const d = describe(e);
    if (!byField.has(d.field)) byField.set(d.field, d);
  }
  return [...byField.values()];
}

export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof DbError) return new ApiError(DB_CODES[error.code], error.message, error.details);
  const fe = error as FastifyError & { validation?: AjvLikeError[] };
  if (fe && Array.isArray(fe.validation)) {
    const details = validationDetails(fe.validation);
    return new ApiError(
      'validation_failed',
      details.map((d) => `${d.field}: ${d.message}`).join('; '),
      details,
    );
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('bad_request', fe.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'send JSON (Content-Type: application/json)');
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode === 400 && fe.message) {
    // Fastify's own 400s (e.g. malformed JSON detected by the parser).
    return new ApiError('bad_request', fe.message);
  }
  return undefined;
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  const body: ApiErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      details: error.details,
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    },
  };
  if (error.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}

export function installErrorHandler(app: FastifyInstance, log: ErrorLogger): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = toApiError(error);
    if (known) return sendError(reply, known);
    log.error(
      {
        err:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack }
            : String(error),
        method: request.method,
        url: request.routeOptions.url,
      },
      'API request failed',
    );
    return sendError(
      reply,
      new ApiError('internal_error', 'something went wrong on the server; it was logged'),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new ApiError('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
