// Who is calling: a browser session (HTTP-only cookie) or a bearer API token. Admin routes get
// `request.actor`; without a valid credential they answer 401 unauthenticated.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Device } from '@switchboard/db';
import type { ApiContext, Actor } from '../context.ts';
import { ApiError } from '../errors/api-error.ts';
import { sha256 } from './secrets.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    device?: Device;
  }
}

export const SESSION_COOKIE = 'sb_session';
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
export const API_TOKEN_PREFIX = 'sbt_';
export const DEVICE_TOKEN_PREFIX = 'sbd_';

export function bearerToken(request: {
  headers: Record<string, string | string[] | undefined>;
}): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** Reads a cookie from a raw Cookie header (for the WebSocket upgrade, outside Fastify). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Resolves a session cookie value or an API token to an actor; undefined when neither is valid. */
export async function resolveActor(
  ctx: ApiContext,
  credentials: { session?: string; bearer?: string; ip: string },
): Promise<Actor | undefined> {
  const now = new Date(ctx.now());
  if (credentials.bearer?.startsWith(API_TOKEN_PREFIX)) {
    const token = await ctx.repos.apiTokens.use(sha256(credentials.bearer), now);
    const user = token && (await ctx.repos.users.findById(token.userId));
    if (!token || !user) return undefined;
    return {
      user,
      tenantId: user.tenantId,
      via: 'token',
      label: `token "${token.name}" of ${user.email}`,
      ip: credentials.ip,
    };
  }
  if (credentials.session) {
    const id = sha256(credentials.session);
    const session = await ctx.repos.sessions.touch(id, now, new Date(now.getTime() + SESSION_TTL_MS));
    const user = session && (await ctx.repos.users.findById(session.userId));
    if (!session || !user) return undefined;
    return {
      user,
      tenantId: user.tenantId,
      via: 'session',
      sessionId: id,
      label: user.email,
      ip: credentials.ip,
    };
  }
  return undefined;
}

/** onRequest hook of the admin routes. */
export function requireUser(ctx: ApiContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const actor = await resolveActor(ctx, {
      session: request.cookies[SESSION_COOKIE],
      bearer: bearerToken(request),
      ip: request.ip,
    });
    if (!actor) {
      throw new ApiError(
        'unauthenticated',
        'sign in, or send an API token as "Authorization: Bearer <token>"',
      );
    }
    request.actor = actor;
  };
}

/** onRequest hook of the device routes: `Authorization: Bearer <deviceToken>`. */
export function requireDevice(ctx: ApiContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    const device = token?.startsWith(DEVICE_TOKEN_PREFIX)
      ? await ctx.repos.devices.findByTokenHash(sha256(token))
      : undefined;
    if (!device) {
      throw new ApiError(
        'device_deactivated',
        token
          ? 'this device was deactivated (its code was reset or it was deleted): activate it again'
          : 'send the device token as "Authorization: Bearer <deviceToken>"',
      );
    }
    request.device = device;
  };
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new ApiError('unauthenticated', 'not signed in');
  return request.actor;
}

export function deviceOf(request: FastifyRequest): Device {
  if (!request.device) throw new ApiError('device_deactivated', 'no device credential');
  return request.device;
}
