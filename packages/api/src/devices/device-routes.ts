// /api/v1/contacts/{id}/devices, /api/v1/devices/{id}, /api/v1/devices/{id}/move
import type { FastifyInstance } from 'fastify';
import {
  createDeviceRequest,
  deviceSchema,
  errorSchema,
  idParams,
  listOf,
  moveDeviceRequest,
  object,
  pagingQuery,
  updateDeviceRequest,
  type DeviceInput,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';
import { DeviceService } from './device-service.ts';

const tags = ['devices'];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema };
const paging = object({ ...pagingQuery });
type Paging = { limit: number; offset: number };

export async function deviceRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new DeviceService(ctx);

  app.get<{ Querystring: Paging }>(
    '/devices',
    {
      schema: {
        tags,
        summary: 'Every device of the organisation',
        querystring: paging,
        response: { 200: listOf(deviceSchema), ...errors },
      },
    },
    async (request) => service.list(actorOf(request).tenantId, undefined, request.query),
  );

  app.get<{ Params: { id: string }; Querystring: Paging }>(
    '/contacts/:id/devices',
    {
      schema: {
        tags,
        summary: "A contact's devices",
        params: idParams,
        querystring: paging,
        response: { 200: listOf(deviceSchema), ...errors },
      },
    },
    async (request) => service.list(actorOf(request).tenantId, request.params.id, request.query),
  );

  app.post<{ Params: { id: string }; Body: DeviceInput }>(
    '/contacts/:id/devices',
    {
      schema: {
        tags,
        summary: 'Add a device (1 to 4 SIP accounts, in line order); it gets an activation code',
        params: idParams,
        body: createDeviceRequest,
        response: { 201: deviceSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.create(actorOf(request), request.params.id, request.body)),
  );

  app.get<{ Params: { id: string } }>(
    '/devices/:id',
    { schema: { tags, summary: 'One device', params: idParams, response: { 200: deviceSchema, ...errors } } },
    async (request) => service.get(actorOf(request).tenantId, request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Partial<DeviceInput> }>(
    '/devices/:id',
    {
      schema: {
        tags,
        summary: 'Change a device (an activated one shows Pending update until it fetches the change)',
        params: idParams,
        body: updateDeviceRequest,
        response: { 200: deviceSchema, ...errors },
      },
    },
    async (request) => service.update(actorOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    '/devices/:id',
    {
      schema: {
        tags,
        summary: 'Delete a device (an activated app is told and signs out)',
        params: idParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await service.remove(actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { contactId: string } }>(
    '/devices/:id/move',
    {
      schema: {
        tags,
        summary: 'Move a device to another contact',
        params: idParams,
        body: moveDeviceRequest,
        response: { 200: deviceSchema, ...errors },
      },
    },
    async (request) => service.move(actorOf(request), request.params.id, request.body.contactId),
  );
}
