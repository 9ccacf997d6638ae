// /api/v1/providers/{id}/accounts and /api/v1/accounts (every account of the organisation).
import type { FastifyInstance } from 'fastify';
import {
  accountParams,
  accountSchema,
  cascadeQuery,
  createAccountRequest,
  errorSchema,
  idParams,
  listOf,
  object,
  pagingQuery,
  updateAccountRequest,
  type SipAccountInput,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';
import { AccountService } from './account-service.ts';

const tags = ['accounts'];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema };
const paging = object({ ...pagingQuery });
type Paging = { limit: number; offset: number };

export async function accountRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new AccountService(ctx);

  app.get<{ Querystring: Paging }>(
    '/accounts',
    {
      schema: {
        tags,
        summary: 'Every SIP account of the organisation (all providers)',
        querystring: paging,
        response: { 200: listOf(accountSchema), ...errors },
      },
    },
    async (request) => service.list(actorOf(request).tenantId, undefined, request.query),
  );

  app.get<{ Params: { id: string }; Querystring: Paging }>(
    '/providers/:id/accounts',
    {
      schema: {
        tags,
        summary: "A provider's SIP accounts",
        params: idParams,
        querystring: paging,
        response: { 200: listOf(accountSchema), ...errors },
      },
    },
    async (request) => service.list(actorOf(request).tenantId, request.params.id, request.query),
  );

  app.post<{ Params: { id: string }; Body: SipAccountInput }>(
    '/providers/:id/accounts',
    {
      schema: {
        tags,
        summary: 'Add a SIP account (on the built-in PBX: an extension)',
        params: idParams,
        body: createAccountRequest,
        response: { 201: accountSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.create(actorOf(request), request.params.id, request.body)),
  );

  app.get<{ Params: { id: string; accountId: string } }>(
    '/providers/:id/accounts/:accountId',
    {
      schema: {
        tags,
        summary: 'One SIP account',
        params: accountParams,
        response: { 200: accountSchema, ...errors },
      },
    },
    async (request) => service.get(actorOf(request).tenantId, request.params.id, request.params.accountId),
  );

  app.patch<{ Params: { id: string; accountId: string }; Body: Partial<SipAccountInput> }>(
    '/providers/:id/accounts/:accountId',
    {
      schema: {
        tags,
        summary: 'Change a SIP account (devices using it get the new configuration)',
        params: accountParams,
        body: updateAccountRequest,
        response: { 200: accountSchema, ...errors },
      },
    },
    async (request) =>
      service.update(actorOf(request), request.params.id, request.params.accountId, request.body),
  );

  app.delete<{ Params: { id: string; accountId: string }; Querystring: { cascade?: boolean } }>(
    '/providers/:id/accounts/:accountId',
    {
      schema: {
        tags,
        summary: 'Delete a SIP account',
        description:
          'Refused (409 account_in_use) while devices use it, unless ?cascade=true (it is then taken off those devices).',
        params: accountParams,
        querystring: cascadeQuery,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await service.remove(
        actorOf(request),
        request.params.id,
        request.params.accountId,
        request.query.cascade === true,
      );
      return reply.code(204).send();
    },
  );
}
