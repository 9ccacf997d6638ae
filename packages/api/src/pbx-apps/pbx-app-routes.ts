// /api/v1/conferences, /api/v1/recordings, /api/v1/voicemail (issue 7): control live conference
// rooms, list and download call recordings and set who is recorded, set up mailboxes and read
// their messages. The PBX side is reached through PbxControl (pbx-control.ts); without it
// (an API without a PBX) the live routes answer 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSchema, listOf, object } from '@switchboard/contracts';
import type {
  CallRecordingRow,
  RecordingPolicy,
  RecordingSettings,
  VoicemailMessageRow,
} from '@switchboard/db';
import { actorOf, deviceOf, requireDevice } from '../auth/authenticate.ts';
import { audit, changedFields } from '../audit/audit.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import { deviceExtensions } from './device-pbx-app-routes.ts';
import type { PbxControl, ParticipantAction, RoomAction } from './pbx-control.ts';
import {
  conferenceSchema,
  countsSchema,
  extensionParams,
  inviteRequest,
  inviteResponse,
  liveCallParams,
  liveCallSchema,
  mailboxPatch,
  mailboxSchema,
  memberPatch,
  messageParams,
  messagePatch,
  messageSchema,
  participantParams,
  policySchema,
  recordingSchema,
  recordingSettingsPatch,
  recordingSettingsSchema,
  recordingSwitch,
  roomParams,
} from './pbx-app-schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };
const idParams = object({ id: { type: 'string', format: 'uuid' } }, ['id']);
const cdrParams = object({ cdrId: { type: 'string', format: 'uuid' } }, ['cdrId']);
const wav = { 200: { type: 'string', format: 'binary', description: 'audio/wav' }, ...errors };

function control(ctx: ApiContext): PbxControl {
  if (!ctx.pbx) throw notFound('PBX');
  return ctx.pbx;
}

const recordingView = (r: CallRecordingRow): Record<string, unknown> => ({
  id: r.id,
  callId: r.sipCallId,
  caller: r.caller,
  callee: r.callee,
  channels: r.channels,
  durationMs: r.durationMs,
  trigger: r.trigger,
  startedAt: r.startedAt.toISOString(),
  endedAt: r.endedAt.toISOString(),
  audioUrl: `/api/v1/recordings/${r.id}/audio`,
});

const messageView = (m: VoicemailMessageRow): Record<string, unknown> => ({
  id: m.id,
  caller: m.caller,
  callerName: m.callerName,
  durationMs: m.durationMs,
  folder: m.folder,
  createdAt: m.createdAt.toISOString(),
  audioUrl: `/api/v1/voicemail/${encodeURIComponent(m.extension)}/messages/${m.id}/audio`,
});

async function sendAudio(
  ctx: ApiContext,
  reply: FastifyReply,
  file: string,
  name: string,
): Promise<FastifyReply> {
  const bytes = await control(ctx).readFile(file);
  if (!bytes) throw notFound('audio file');
  return reply
    .header('content-type', 'audio/wav')
    .header('content-disposition', `attachment; filename="${name}.wav"`)
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export async function pbxAppRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  // ─── Conferences ─────────────────────────────────────────────────────────────────────────
  const conferences = { tags: ['conferences'] };

  app.get(
    '/conferences',
    {
      schema: {
        ...conferences,
        summary: 'Open conference rooms',
        response: { 200: listOf(conferenceSchema), ...errors },
      },
    },
    async (request) => {
      const items = control(ctx).conferences.list(actorOf(request).tenantId);
      return { items, total: items.length };
    },
  );

  app.get<{ Params: { room: string } }>(
    '/conferences/:room',
    {
      schema: {
        ...conferences,
        summary: 'One room',
        params: roomParams,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const room = control(ctx).conferences.get(actorOf(request).tenantId, request.params.room);
      if (!room) throw notFound('conference');
      return room;
    },
  );

  app.post<{ Params: { room: string }; Body: { extension: string } }>(
    '/conferences/:room/participants',
    {
      schema: {
        ...conferences,
        summary: 'Call an extension into the room (opening it); 202 while it rings',
        params: roomParams,
        body: inviteRequest,
        response: { 202: inviteResponse, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { room } = request.params;
      const { extension } = request.body;
      const account = await ctx.repos.sipAccounts.findExtension(actor.tenantId, extension);
      if (!account?.enabled) throw notFound('extension');
      const pbx = control(ctx);
      // The phone rings for up to the ring timeout: the answer does not wait for it.
      void pbx.conferences
        .invite(actor.tenantId, room, extension)
        .then((result) => ctx.log.info({ room, extension, result }, 'conference invitation'))
        .catch((err: unknown) =>
          ctx.log.warn({ room, extension, err: String(err) }, 'conference invitation failed'),
        );
      await audit(ctx, actor, 'conference.invite', { type: 'conference', id: room }, { extension });
      return reply.code(202).send({ room, extension, status: 'calling' });
    },
  );

  app.patch<{ Params: { room: string; participant: string }; Body: { muted?: boolean; held?: boolean } }>(
    '/conferences/:room/participants/:participant',
    {
      schema: {
        ...conferences,
        summary: 'Mute or hold one participant (a participant on hold hears music)',
        params: participantParams,
        body: memberPatch,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { room, participant } = request.params;
      const pbx = control(ctx);
      const actions: ParticipantAction[] = [];
      if (request.body.muted !== undefined) actions.push(request.body.muted ? 'mute' : 'unmute');
      if (request.body.held !== undefined) actions.push(request.body.held ? 'hold' : 'resume');
      for (const action of actions)
        if (!(await pbx.conferences.participant(actor.tenantId, room, participant, action)))
          throw notFound('participant');
      const view = pbx.conferences.get(actor.tenantId, room);
      if (!view) throw notFound('conference');
      return view;
    },
  );

  app.delete<{ Params: { room: string; participant: string } }>(
    '/conferences/:room/participants/:participant',
    {
      schema: {
        ...conferences,
        summary: 'Hang up one participant',
        params: participantParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { room, participant } = request.params;
      if (!(await control(ctx).conferences.participant(actor.tenantId, room, participant, 'remove')))
        throw notFound('participant');
      await audit(ctx, actor, 'conference.remove', { type: 'conference', id: room }, { participant });
      return reply.code(204).send();
    },
  );

  app.patch<{ Params: { room: string }; Body: { muted?: boolean; held?: boolean } }>(
    '/conferences/:room',
    {
      schema: {
        ...conferences,
        summary: 'Mute or hold everyone but the owner',
        params: roomParams,
        body: memberPatch,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { room } = request.params;
      const pbx = control(ctx);
      const actions: RoomAction[] = [];
      if (request.body.muted !== undefined) actions.push(request.body.muted ? 'mute' : 'unmute');
      if (request.body.held !== undefined) actions.push(request.body.held ? 'hold' : 'resume');
      for (const action of actions)
        if (!(await pbx.conferences.room(actor.tenantId, room, action))) throw notFound('conference');
      const view = pbx.conferences.get(actor.tenantId, room);
      if (!view) throw notFound('conference');
      return view;
    },
  );

  app.delete<{ Params: { room: string } }>(
    '/conferences/:room',
    {
      schema: {
        ...conferences,
        summary: 'End the conference (everyone gets BYE)',
        params: roomParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!(await control(ctx).conferences.room(actor.tenantId, request.params.room, 'end')))
        throw notFound('conference');
      await audit(ctx, actor, 'conference.end', { type: 'conference', id: request.params.room });
      return reply.code(204).send();
    },
  );

  // ─── Recordings ──────────────────────────────────────────────────────────────────────────
  const recordings = { tags: ['recordings'] };

  app.get<{ Querystring: { limit: number } }>(
    '/recordings',
    {
      schema: {
        ...recordings,
        summary: 'Recordings, newest first',
        querystring: object({ limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } }),
        response: { 200: listOf(recordingSchema), ...errors },
      },
    },
    async (request) => {
      const items = (await ctx.repos.recordings.list(actorOf(request).tenantId, request.query.limit)).map(
        recordingView,
      );
      return { items, total: items.length };
    },
  );

  app.get<{ Params: { cdrId: string } }>(
    '/calls/:cdrId/recordings',
    {
      schema: {
        ...recordings,
        summary: 'The recordings of one call (a call record id from the call history)',
        params: cdrParams,
        response: { 200: listOf(recordingSchema), ...errors },
      },
    },
    async (request) => {
      // An unknown call record is a NotFoundError: the error handler answers 404.
      const rows = await ctx.repos.recordings.listForCdr(actorOf(request).tenantId, request.params.cdrId);
      return { items: rows.map(recordingView), total: rows.length };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/recordings/:id/audio',
    { schema: { ...recordings, summary: 'Download a recording (WAV)', params: idParams, response: wav } },
    async (request, reply) => {
      const row = await ctx.repos.recordings.findById(actorOf(request).tenantId, request.params.id);
      if (!row) throw notFound('recording');
      return sendAudio(ctx, reply, row.file, `recording-${row.id}`);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/recordings/:id',
    {
      schema: {
        ...recordings,
        summary: 'Delete a recording',
        params: idParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const row = await ctx.repos.recordings.findById(actor.tenantId, request.params.id);
      if (!row) throw notFound('recording');
      await ctx.repos.recordings.remove(actor.tenantId, row.id);
      await control(ctx).removeFile(row.file);
      await audit(ctx, actor, 'recording.delete', { type: 'recording', id: row.id });
      return reply.code(204).send();
    },
  );

  app.get(
    '/recording-settings',
    {
      schema: {
        ...recordings,
        summary: 'Channels and retention',
        response: { 200: recordingSettingsSchema, ...errors },
      },
    },
    async (request) => ctx.repos.recordings.settings(actorOf(request).tenantId),
  );

  app.patch<{ Body: Partial<RecordingSettings> }>(
    '/recording-settings',
    {
      schema: {
        ...recordings,
        summary: 'Change channels (1 mixed, 2 caller left/callee right) or retention (days; null keeps)',
        body: recordingSettingsPatch,
        response: { 200: recordingSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const settings = await ctx.repos.recordings.updateSettings(actor.tenantId, request.body);
      await audit(ctx, actor, 'recording.settings', { type: 'tenant', id: actor.tenantId }, request.body);
      return settings;
    },
  );

  app.get<{ Params: { extension: string } }>(
    '/extensions/:extension/recording-policy',
    {
      schema: {
        ...recordings,
        summary: "An extension's recording policy",
        params: extensionParams,
        response: { 200: policySchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!(await ctx.repos.sipAccounts.findExtension(actor.tenantId, request.params.extension)))
        throw notFound('extension');
      return { policy: await ctx.repos.recordings.policy(actor.tenantId, request.params.extension) };
    },
  );

  app.put<{ Params: { extension: string }; Body: { policy: RecordingPolicy } }>(
    '/extensions/:extension/recording-policy',
    {
      schema: {
        ...recordings,
        summary: 'Record none, received (inbound), placed (outbound) or all calls of an extension',
        params: extensionParams,
        body: policySchema,
        response: { 200: policySchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { extension } = request.params;
      if (!(await ctx.repos.recordings.setPolicy(actor.tenantId, extension, request.body.policy)))
        throw notFound('extension');
      await audit(ctx, actor, 'recording.policy', { type: 'extension', id: extension }, request.body);
      return request.body;
    },
  );

  app.get(
    '/live-calls',
    {
      schema: {
        ...recordings,
        summary: 'Answered calls now, and whether each is recorded',
        response: { 200: listOf(liveCallSchema), ...errors },
      },
    },
    async (request) => {
      const items = control(ctx).recordings.liveCalls(actorOf(request).tenantId);
      return { items, total: items.length };
    },
  );

  app.put<{ Params: { callId: string }; Body: { recording: boolean } }>(
    '/live-calls/:callId/recording',
    {
      schema: {
        ...recordings,
        summary: 'Start or stop recording a live call (its caller leg SIP Call-ID)',
        params: liveCallParams,
        body: recordingSwitch,
        response: { 200: recordingSwitch, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const on = await control(ctx).recordings.set(
        actor.tenantId,
        request.params.callId,
        request.body.recording,
      );
      if (on === undefined) throw notFound('call');
      return { recording: on };
    },
  );

  // ─── Voicemail ───────────────────────────────────────────────────────────────────────────
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
