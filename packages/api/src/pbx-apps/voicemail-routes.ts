// /api/v1/voicemail (issue 7): mailboxes (PIN, greeting, e-mail) and their messages; and, for
// the softphone, /provisioning/voicemail counts (docs/voicemail.md).
import type { FastifyInstance } from 'fastify';
import { listOf } from '@switchboard/contracts';
import type { VoicemailMessageRow } from '@switchboard/db';
import { actorOf, deviceOf, requireDevice } from '../auth/authenticate.ts';
import { audit, changedFields } from '../audit/audit.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import { deviceExtensions } from './device-pbx-app-routes.ts';
import {
  countsSchema,
  extensionParams,
  mailboxPatch,
  mailboxSchema,
  messageParams,
  messagePatch,
  messageSchema,
} from './pbx-app-schemas.ts';
import { control, errors, messageView, sendAudio, wav } from './pbx-app-common.ts';

export async function voicemailRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const voicemail = { tags: ['voicemail'] };

  const mailboxView = async (tenantId: string, extension: string): Promise<Record<string, unknown>> => {
    const box = await ctx.repos.voicemail.mailbox(tenantId, extension);
    if (!box) throw notFound('extension');
    const counts = await ctx.repos.voicemail.counts(tenantId, extension);
    return {
      extension,
      enabled: box.enabled,
      hasPin: box.hasPin,
      hasGreeting: box.greetingFile !== null,
      email: box.email,
      maxMessageSeconds: box.maxMessageSeconds,
      ...counts,
    };
  };

  app.get<{ Params: { extension: string } }>(
    '/voicemail/:extension',
    {
      schema: {
        ...voicemail,
        summary: 'A mailbox: settings and new/old message counts',
        params: extensionParams,
        response: { 200: mailboxSchema, ...errors },
      },
    },
    async (request) => mailboxView(actorOf(request).tenantId, request.params.extension),
  );

  app.patch<{
    Params: { extension: string };
    Body: {
      enabled?: boolean;
      pin?: string | null;
      email?: string | null;
      maxMessageSeconds?: number;
      resetGreeting?: true;
    };
  }>(
    '/voicemail/:extension',
    {
      schema: {
        ...voicemail,
        summary: 'Change a mailbox (enabled: unanswered calls go to it; pin: null removes it)',
        params: extensionParams,
        body: mailboxPatch,
        response: { 200: mailboxSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { extension } = request.params;
      const { resetGreeting, ...patch } = request.body;
      const before = await ctx.repos.voicemail.mailbox(actor.tenantId, extension);
      if (!before) throw notFound('extension');
      await ctx.repos.voicemail.update(actor.tenantId, extension, {
        ...patch,
        ...(resetGreeting ? { greetingFile: null } : {}),
      });
      if (resetGreeting && before.greetingFile) await control(ctx).removeFile(before.greetingFile);
      await audit(
        ctx,
        actor,
        'voicemail.update',
        { type: 'extension', id: extension },
        {
          fields: changedFields(request.body),
        },
      );
      return mailboxView(actor.tenantId, extension);
    },
  );

  app.get<{ Params: { extension: string } }>(
    '/voicemail/:extension/messages',
    {
      schema: {
        ...voicemail,
        summary: 'Messages, new ones first',
        params: extensionParams,
        response: { 200: listOf(messageSchema), ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!(await ctx.repos.voicemail.mailbox(actor.tenantId, request.params.extension)))
        throw notFound('extension');
      const items = (await ctx.repos.voicemail.messages(actor.tenantId, request.params.extension)).map(
        messageView,
      );
      return { items, total: items.length };
    },
  );

  const findMessage = async (
    tenantId: string,
    extension: string,
    id: string,
  ): Promise<VoicemailMessageRow> => {
    const message = await ctx.repos.voicemail.message(tenantId, id);
    if (!message || message.extension !== extension) throw notFound('message');
    return message;
  };

  app.get<{ Params: { extension: string; id: string } }>(
    '/voicemail/:extension/messages/:id/audio',
    { schema: { ...voicemail, summary: 'Download a message (WAV)', params: messageParams, response: wav } },
    async (request, reply) => {
      const message = await findMessage(
        actorOf(request).tenantId,
        request.params.extension,
        request.params.id,
      );
      return sendAudio(ctx, reply, message.file, `voicemail-${message.id}`);
    },
  );

  app.patch<{ Params: { extension: string; id: string }; Body: { folder: 'new' | 'saved' } }>(
    '/voicemail/:extension/messages/:id',
    {
      schema: {
        ...voicemail,
        summary: 'Mark a message new or heard (saved)',
        params: messageParams,
        body: messagePatch,
        response: { 200: messageSchema, ...errors },
      },
    },
    async (request) => {
      const { tenantId } = actorOf(request);
      const { extension, id } = request.params;
      await findMessage(tenantId, extension, id);
      await ctx.repos.voicemail.setFolder(tenantId, id, request.body.folder);
      ctx.pbx?.voicemailChanged(tenantId, extension);
      return messageView(await findMessage(tenantId, extension, id));
    },
  );

  app.delete<{ Params: { extension: string; id: string } }>(
    '/voicemail/:extension/messages/:id',
    {
      schema: {
        ...voicemail,
        summary: 'Delete a message',
        params: messageParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { extension, id } = request.params;
      await findMessage(actor.tenantId, extension, id);
      const file = await ctx.repos.voicemail.deleteMessage(actor.tenantId, id);
      if (file) await ctx.pbx?.removeFile(file);
      ctx.pbx?.voicemailChanged(actor.tenantId, extension);
      await audit(ctx, actor, 'voicemail.delete', { type: 'voicemail', id }, { extension });
      return reply.code(204).send();
    },
  );
}

/** For the softphone (device token): new/old voicemail counts of each of the device's lines. */
export async function deviceVoicemailRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', requireDevice(ctx));
  app.get(
    '/provisioning/voicemail',
    {
      schema: {
        tags: ['voicemail'],
        security: [{ deviceToken: [] }],
        summary: "Voicemail counts of the device's lines (the message-waiting indicator)",
        response: { 200: countsSchema, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const lines = [];
      // Built-in PBX extensions only: another provider's account named like an extension is not it.
      for (const { username } of await deviceExtensions(ctx, device)) {
        const counts = await ctx.repos.voicemail.counts(device.tenantId, username);
        lines.push({ extension: username, ...counts });
      }
      return { lines };
    },
  );
}
