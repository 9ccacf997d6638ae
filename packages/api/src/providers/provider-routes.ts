// /api/v1/providers
import type { FastifyInstance } from 'fastify';
import {
  cascadeQuery,
  createProviderRequest,
  errorSchema,
  idParams,
  listOf,
  providerSchema,
  updateProviderRequest,
  type ProviderInput,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';
import { ProviderService } from './provider-service.ts';

const tags = ['providers'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export async function providerRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new ProviderService(ctx);

  app.get(
    '/providers',
    {
      schema: {
        tags,
        summary: 'Service providers (the built-in PBX first)',
        response: { 200: listOf(providerSchema), ...errors },
      },
    },
    async (request) => service.list(actorOf(request).tenantId),
  );

  app.post<{ Body: ProviderInput }>(
    '/providers',
    {
      schema: {
        tags,
        summary: 'Add a SIP service provider',
        body: createProviderRequest,
        response: { 201: providerSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(actorOf(request), request.body)),
  );

  app.get<{ Params: { id: string } }>(
    '/providers/:id',
    {
      schema: {
        tags,
        summary: 'One provider',
        params: idParams,
        response: { 200: providerSchema, ...errors },
      },
    },
    async (request) => service.get(actorOf(request).tenantId, request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Partial<ProviderInput> }>(
    '/providers/:id',
    {
      schema: {
        tags,
        summary: 'Change a provider (the built-in one: its name only)',
        params: idParams,
        body: updateProviderRequest,
        response: { 200: providerSchema, ...errors },
      },
    },
    async (request) => service.update(actorOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string }; Querystring: { cascade?: boolean } }>(
    '/providers/:id',
    {
      schema: {
        tags,
        summary: 'Delete a provider and its accounts',
        description:
          'Refused (409 provider_in_use) while its accounts are assigned to devices, unless ?cascade=true. The built-in PBX: 403 forbidden.',
        params: idParams,
        querystring: cascadeQuery,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await service.remove(actorOf(request), request.params.id, request.query.cascade === true);
      return reply.code(204).send();
    },
  );
}
