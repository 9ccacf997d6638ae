// /api/v1/contacts
import type { FastifyInstance } from 'fastify';
import type { ContactSort } from '@switchboard/db';
import {
  cascadeQuery,
  contactSchema,
  createContactRequest,
  errorSchema,
  idParams,
  listContactsQuery,
  listOf,
  updateContactRequest,
  type ContactInput,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';
import { ContactService } from './contact-service.ts';

const tags = ['contacts'];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema };

export async function contactRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new ContactService(ctx);

  app.get<{
    Querystring: {
      search?: string;
      sort?: ContactSort;
      order?: 'asc' | 'desc';
      limit: number;
      offset: number;
    };
  }>(
    '/contacts',
    {
      schema: {
        tags,
        summary: 'Contacts, with search, sorting and paging',
        querystring: listContactsQuery,
        response: { 200: listOf(contactSchema), ...errors },
      },
    },
    async (request) => service.list(actorOf(request).tenantId, request.query),
  );

  app.post<{ Body: ContactInput }>(
    '/contacts',
    {
      schema: {
        tags,
        summary: 'Add a contact',
        body: createContactRequest,
        response: { 201: contactSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(actorOf(request), request.body)),
  );

  app.get<{ Params: { id: string } }>(
    '/contacts/:id',
    {
      schema: { tags, summary: 'One contact', params: idParams, response: { 200: contactSchema, ...errors } },
    },
    async (request) => service.get(actorOf(request).tenantId, request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Partial<ContactInput> }>(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Change a contact (emails, when given, replace the list)',
        params: idParams,
        body: updateContactRequest,
        response: { 200: contactSchema, ...errors },
      },
    },
    async (request) => service.update(actorOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string }; Querystring: { cascade?: boolean } }>(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Delete a contact',
        description:
          'Refused (409 contact_has_devices) while it has devices, unless ?cascade=true: its devices are then deleted and their apps signed out.',
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
