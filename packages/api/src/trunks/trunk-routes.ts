// /api/v1/trunks: SIP trunks, /trunks/outbound-routes, /trunks/dids and /trunks/policy.
import type { FastifyInstance } from 'fastify';
import {
  createDidRequest,
  createOutboundRouteRequest,
  createTrunkRequest,
  didSchema,
  errorSchema,
  idParams,
  listOf,
  outboundRouteSchema,
  trunkPolicySchema,
  trunkSchema,
  updateTrunkPolicyRequest,
  updateTrunkRequest,
  type DidInput,
  type OutboundRouteInput,
  type TrunkInput,
  type TrunkPolicy,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';
import { TrunkService } from './trunk-service.ts';

const tags = ['trunks'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const didParams = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, description: 'The DID id or its number.' },
  },
  required: ['id'],
  additionalProperties: false,
} as const;

export async function trunkRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new TrunkService(ctx);

  app.get(
    '/trunks',
    {
      schema: {
        tags,
        summary: 'SIP trunks (passwords are never returned)',
        response: { 200: listOf(trunkSchema), ...errors },
      },
    },
    async (request) => service.list(actorOf(request).tenantId),
  );

  app.post<{ Body: TrunkInput }>(
    '/trunks',
    {
      schema: {
        tags,
        summary: 'Add a SIP trunk to a provider',
        body: createTrunkRequest,
        response: { 201: trunkSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(actorOf(request), request.body)),
  );

  // Static paths before /trunks/:id (Fastify prefers them anyway).
  app.get(
    '/trunks/outbound-routes',
    {
      schema: {
        tags,
        summary: 'Outbound routes, in the order they are tried',
        response: { 200: listOf(outboundRouteSchema), ...errors },
      },
    },
    async (request) => service.routes(actorOf(request).tenantId),
  );

  app.post<{ Body: OutboundRouteInput }>(
    '/trunks/outbound-routes',
    {
      schema: {
        tags,
        summary: 'Add an outbound route: numbers matching the pattern go out on the trunk',
        body: createOutboundRouteRequest,
        response: { 201: outboundRouteSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.addRoute(actorOf(request), request.body)),
  );

  app.delete<{ Params: { id: string } }>(
    '/trunks/outbound-routes/:id',
    {
      schema: {
        tags,
        summary: 'Delete an outbound route',
        params: idParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await service.removeRoute(actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/trunks/dids',
    {
      schema: {
        tags,
        summary: 'DIDs: numbers whose inbound calls ring an extension',
        response: { 200: listOf(didSchema), ...errors },
      },
    },
    async (request) => service.dids(actorOf(request).tenantId),
  );

  app.post<{ Body: DidInput }>(
    '/trunks/dids',
    {
      schema: {
        tags,
        summary: 'Add a DID',
        body: createDidRequest,
        response: { 201: didSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.addDid(actorOf(request), request.body)),
  );

  app.delete<{ Params: { id: string } }>(
    '/trunks/dids/:id',
    {
      schema: {
        tags,
        summary: 'Delete a DID (by id or number)',
        params: didParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await service.removeDid(actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/trunks/policy',
    {
      schema: {
        tags,
        summary: 'External-call policy (off by default)',
        response: { 200: trunkPolicySchema, ...errors },
      },
    },
    async (request) => service.policy(actorOf(request).tenantId),
  );

  app.patch<{ Body: Partial<TrunkPolicy> }>(
    '/trunks/policy',
    {
      schema: {
        tags,
        summary:
          'Allow or forbid external calls (out, forwarded, transferred), for everyone or some extensions',
        body: updateTrunkPolicyRequest,
        response: { 200: trunkPolicySchema, ...errors },
      },
    },
    async (request) => service.setPolicy(actorOf(request), request.body),
  );

  app.get<{ Params: { id: string } }>(
    '/trunks/:id',
    {
      schema: {
        tags,
        summary: 'One trunk, with its live registration',
        params: idParams,
        response: { 200: trunkSchema, ...errors },
      },
    },
    async (request) => service.get(actorOf(request).tenantId, request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Partial<TrunkInput> }>(
    '/trunks/:id',
    {
      schema: {
        tags,
        summary: 'Change a trunk (password: write-only; null clears it)',
        params: idParams,
        body: updateTrunkRequest,
        response: { 200: trunkSchema, ...errors },
      },
    },
    async (request) => service.update(actorOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    '/trunks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a trunk with its outbound routes and the DIDs tied to it',
        params: idParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await service.remove(actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
