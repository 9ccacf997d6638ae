// /api/v1/audit: every admin change, newest first.
import type { FastifyInstance } from 'fastify';
import {
  auditEntrySchema,
  errorSchema,
  listAuditQuery,
  listOf,
  type AuditEntry,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';

export async function auditRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{
    Querystring: { limit: number; offset: number; action?: string; targetType?: string; targetId?: string };
  }>(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log of the organisation, newest first',
        querystring: listAuditQuery,
        response: { 200: listOf(auditEntrySchema), 400: errorSchema, 401: errorSchema },
      },
    },
    async (request) => {
      const { items, total } = await ctx.repos.audit.list({
        tenantId: actorOf(request).tenantId,
        ...request.query,
      });
      const views: AuditEntry[] = items.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        details: e.details,
      }));
      return { items: views, total };
    },
  );
}
