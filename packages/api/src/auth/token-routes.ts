// /api/v1/auth/tokens: bearer API tokens for scripts. The token is shown once; only its hash is kept.
import type { FastifyInstance } from 'fastify';
import type { ApiToken } from '@switchboard/db';
import {
  apiTokenSchema,
  createdTokenSchema,
  createTokenRequest,
  errorSchema,
  idParams,
  listOf,
  type ApiTokenInfo,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { audit } from '../audit/audit.ts';
import { actorOf } from './authenticate.ts';
import { createApiToken } from './api-tokens.ts';

const tags = ['auth'];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };

export const toTokenInfo = (t: ApiToken): ApiTokenInfo => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

export async function tokenRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get(
    '/auth/tokens',
    {
      schema: {
        tags,
        summary: "The signed-in user's API tokens",
        response: { 200: listOf(apiTokenSchema), ...errors },
      },
    },
    async (request) => {
      const items = (await ctx.repos.apiTokens.list(actorOf(request).user.id)).map(toTokenInfo);
      return { items, total: items.length };
    },
  );

  app.post<{ Body: { name: string } }>(
    '/auth/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token (shown once)',
        body: createTokenRequest,
        response: { 201: createdTokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { token, record } = await createApiToken(ctx.repos, actor.user.id, request.body.name);
      await audit(ctx, actor, 'token.create', { type: 'api_token', id: record.id }, { name: record.name });
      return reply.code(201).send({ ...toTokenInfo(record), token });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/auth/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API token',
        params: idParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const revoked = await ctx.repos.apiTokens.revoke(actor.user.id, request.params.id);
      await audit(ctx, actor, 'token.revoke', { type: 'api_token', id: revoked.id }, { name: revoked.name });
      return reply.code(204).send();
    },
  );
}
