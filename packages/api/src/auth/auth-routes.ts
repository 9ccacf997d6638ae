// /api/v1/auth: registration, e-mail confirmation, sign in/out, password reset and change, the
// signed-in user's profile. Public routes here; the others need a session or a token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  changePasswordRequest,
  emailRequest,
  errorSchema,
  loginRequest,
  meSchema,
  profilePatch,
  registerRequest,
  registerResponse,
  resetPasswordRequest,
  tokenRequest,
  type LoginRequest,
  type RegisterRequest,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { AuthService, toMe } from './auth-service.ts';
import { actorOf, requireUser, SESSION_COOKIE, SESSION_TTL_MS } from './authenticate.ts';

const tags = ['auth'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 409: errorSchema, 429: errorSchema };
const accepted = { 202: { type: 'null', description: 'Accepted.' } };
const noContent = { 204: { type: 'null', description: 'Done.' } };

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string | null): void {
  void reply.setCookie(SESSION_COOKIE, token ?? '', {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: token === null ? 0 : Math.floor(SESSION_TTL_MS / 1000),
  });
}

export async function publicAuthRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const auth = new AuthService(ctx);

  app.post<{ Body: RegisterRequest }>(
    '/auth/register',
    {
      schema: {
        tags,
        security: [],
        summary: 'Create an account and its organisation; a confirmation link is e-mailed',
        body: registerRequest,
        response: { 201: registerResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { user, confirmationSent } = await auth.register(request.body, request.ip);
      return reply.code(201).send({ userId: user.id, email: user.email, confirmationSent });
    },
  );

  app.post<{ Body: { token: string } }>(
    '/auth/confirm-email',
    {
      schema: {
        tags,
        security: [],
        summary: 'Confirm the e-mail address with the token from the link',
        body: tokenRequest,
        response: { ...noContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.confirmEmail(request.body.token);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { email: string } }>(
    '/auth/confirm-email/resend',
    {
      schema: {
        tags,
        security: [],
        summary: 'E-mail the confirmation link again',
        body: emailRequest,
        response: { ...accepted, ...errors },
      },
    },
    async (request, reply) => {
      await auth.resendConfirmation(request.body.email, request.ip);
      return reply.code(202).send();
    },
  );

  app.post<{ Body: LoginRequest }>(
    '/auth/login',
    {
      schema: {
        tags,
        security: [],
        summary: 'Sign in: sets the HTTP-only session cookie',
        description:
          'Failed attempts are limited per account (5 per 15 min) and per address (20 per 15 min): then 429 rate_limited.',
        body: loginRequest,
        response: { 200: meSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { token, user } = await auth.login(request.body.email, request.body.password, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(request, reply, token);
      return toMe(user, await ctx.repos.users.organisation(user.tenantId));
    },
  );

  app.post<{ Body: { email: string } }>(
    '/auth/password-reset',
    {
      schema: {
        tags,
        security: [],
        summary: 'E-mail a password reset link (same answer whether or not the address exists)',
        body: emailRequest,
        response: { ...accepted, ...errors },
      },
    },
    async (request, reply) => {
      await auth.requestPasswordReset(request.body.email, request.ip);
      return reply.code(202).send();
    },
  );

  app.post<{ Body: { token: string; password: string; passwordConfirmation: string } }>(
    '/auth/password-reset/confirm',
    {
      schema: {
        tags,
        security: [],
        summary: 'Set a new password with the token from the reset link; all sessions end',
        body: resetPasswordRequest,
        response: { ...noContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.resetPassword(
        request.body.token,
        request.body.password,
        request.body.passwordConfirmation,
        request.ip,
      );
      return reply.code(204).send();
    },
  );
}

export async function userAuthRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const auth = new AuthService(ctx);
  app.addHook('onRequest', requireUser(ctx));

  app.post(
    '/auth/logout',
    { schema: { tags, summary: 'Sign out: ends this session', response: { ...noContent, ...errors } } },
    async (request, reply) => {
      await auth.logout(actorOf(request));
      setSessionCookie(request, reply, null);
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags,
        summary: 'The signed-in user and organisation',
        response: { 200: meSchema, ...errors },
      },
    },
    async (request) => auth.me(actorOf(request)),
  );

  app.patch<{
    Body: {
      firstName?: string;
      lastName?: string;
      newsSubscription?: boolean;
      organisationName?: string;
      website?: string | null;
      supportEmail?: string | null;
    };
  }>(
    '/auth/me',
    {
      schema: {
        tags,
        summary: 'Change the profile or the organisation name/website/support e-mail',
        body: profilePatch,
        response: { 200: meSchema, ...errors },
      },
    },
    async (request) => auth.updateProfile(actorOf(request), request.body),
  );

  app.post<{ Body: { currentPassword: string; newPassword: string; newPasswordConfirmation: string } }>(
    '/auth/password',
    {
      schema: {
        tags,
        summary: 'Change the password (other sessions end)',
        body: changePasswordRequest,
        response: { ...noContent, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      await auth.changePassword(
        actorOf(request),
        b.currentPassword,
        b.newPassword,
        b.newPasswordConfirmation,
      );
      return reply.code(204).send();
    },
  );
}
