// /api/v1/recordings, /recording-settings, /extensions/{extension}/recording-policy and
// /live-calls (issue 7): list, play and delete call recordings, set who is recorded, start or
// stop recording a live call (docs/recording.md).
import type { FastifyInstance } from 'fastify';
import { listOf, object } from '@switchboard/contracts';
import type { RecordingPolicy, RecordingSettings } from '@switchboard/db';
import { actorOf } from '../auth/authenticate.ts';
import { audit } from '../audit/audit.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import {
  extensionParams,
  liveCallParams,
  liveCallSchema,
  policySchema,
  recordingSchema,
  recordingSettingsPatch,
  recordingSettingsSchema,
  recordingSwitch,
} from './pbx-app-schemas.ts';
import { cdrParams, control, errors, idParams, recordingView, sendAudio, wav } from './pbx-app-common.ts';

export async function recordingRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
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
}
