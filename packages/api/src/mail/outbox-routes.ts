// /api/v1/outbox: the mail kept when no SMTP server is configured, for the portal to show.
import type { FastifyInstance } from 'fastify';
import type { OutboxMail as OutboxRow } from '@switchboard/db';
import {
  errorSchema,
  idParams,
  listOf,
  listOutboxQuery,
  object,
  outboxMailSchema,
  type OutboxMail,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';
import { notFound } from '../errors/api-error.ts';

const tags = ['outbox'];
const toView = (m: OutboxRow): OutboxMail => ({
  id: m.id,
  to: m.to,
  subject: m.subject,
  text: m.text,
  html: m.html,
  createdAt: m.createdAt.toISOString(),
});

export async function outboxRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: { limit: number; offset: number; to?: string } }>(
    '/outbox',
    {
      schema: {
        tags,
        summary:
          "The organisation's mail in the built-in outbox (used when SMTP_URL is not set), newest first",
        querystring: listOutboxQuery,
        response: { 200: listOf(outboxMailSchema), 401: errorSchema },
      },
    },
    async (request) => {
      const { items, total } = await ctx.repos.outbox.list({
        tenantId: actorOf(request).tenantId,
        ...request.query,
      });
      return { items: items.map(toView), total };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/outbox/:id',
    {
      schema: {
        tags,
        summary: 'One mail of the outbox',
        params: idParams,
        response: { 200: outboxMailSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const mail = await ctx.repos.outbox.findById(actorOf(request).tenantId, request.params.id);
      if (!mail) throw notFound('mail');
      return toView(mail);
    },
  );

  app.get(
    '/mail/status',
    {
      schema: {
        tags,
        summary: 'Where mail goes: smtp or the outbox',
        response: { 200: object({ delivery: { type: 'string', enum: ['smtp', 'outbox'] } }, ['delivery']) },
      },
    },
    async () => ({ delivery: ctx.mailer.kind }),
  );
}
