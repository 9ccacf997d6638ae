// The softphone's own PBX services (issue 7), with the device token: its lines' voicemail
// messages (list, audio, heard, delete), its lines' call recordings (list, audio), and its
// lines' live calls (start/stop recording). Ownership is strict: a device reaches only the
// built-in PBX extensions of its own lines — another extension's data answers 404, exactly as
// if it did not exist. (An external provider's account named like an extension is not it.)
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  deviceLiveCallSchema,
  deviceMessagePatch,
  deviceRecordingSchema,
  deviceRecordingSwitch,
  deviceVoicemailMessageSchema,
  deviceVoicemailQuery,
  errorSchema,
  listOf,
  object,
  type CallHistoryEntry,
  type DeviceRecording,
  type DeviceVoicemailMessage,
} from '@switchboard/contracts';
import type { CallRecordingRow, Device, VoicemailMessageRow } from '@switchboard/db';
import { deviceOf, requireDevice } from '../auth/authenticate.ts';
import { audit } from '../audit/audit.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import { liveCallParams } from './pbx-app-schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };
const security = [{ deviceToken: [] }];
const idParams = object({ id: { type: 'string', format: 'uuid' } }, ['id']);
const wav = { 200: { type: 'string', format: 'binary', description: 'audio/wav' }, ...errors };

/** A line of the device that is an extension of the built-in PBX. */
export interface DeviceExtension {
  readonly accountId: string;
  readonly username: string;
}

/** The device's lines that are built-in PBX extensions, in line order. */
export async function deviceExtensions(ctx: ApiContext, device: Device): Promise<DeviceExtension[]> {
  const builtIn = await ctx.repos.providers.getBuiltIn(device.tenantId);
  const out: DeviceExtension[] = [];
  for (const id of device.accountIds) {
    const account = await ctx.repos.sipAccounts.findById(device.tenantId, id);
    if (account && account.providerId === builtIn.id) out.push({ accountId: id, username: account.username });
  }
  return out;
}

export const deviceRecordingView = (r: CallRecordingRow): DeviceRecording => ({
  id: r.id,
  callId: r.sipCallId,
  caller: r.caller,
  callee: r.callee,
  durationMs: r.durationMs,
  trigger: r.trigger,
  startedAt: r.startedAt.toISOString(),
  endedAt: r.endedAt.toISOString(),
  audioUrl: `/api/v1/provisioning/recordings/${r.id}/audio`,
});

const ownsRecording = (mine: readonly DeviceExtension[], r: CallRecordingRow): boolean =>
  mine.some((e) => e.username === r.caller || e.username === r.callee);

/** Adds to each history entry the recordings of its call that this device may hear. */
export async function withDeviceRecordings(
  ctx: ApiContext,
  device: Device,
  items: CallHistoryEntry[],
): Promise<CallHistoryEntry[]> {
  const mine = await deviceExtensions(ctx, device);
  const callIds = items.flatMap((e) => e.sipCallIds ?? []);
  const rows = (await ctx.repos.recordings.listForCalls(device.tenantId, callIds)).filter((r) =>
    ownsRecording(mine, r),
  );
  if (rows.length === 0) return items;
  return items.map((e) => {
    const ids = new Set(e.sipCallIds ?? []);
    const recordings = rows.filter((r) => ids.has(r.sipCallId)).map(deviceRecordingView);
    return recordings.length > 0 ? { ...e, recordings } : e;
  });
}

async function sendWav(
  ctx: ApiContext,
  reply: FastifyReply,
  file: string,
  name: string,
): Promise<FastifyReply> {
  const bytes = await ctx.pbx?.readFile(file);
  if (!bytes) throw notFound('audio file');
  // Inline (not attachment): the softphone plays it in an <audio> element.
  return reply
    .header('content-type', 'audio/wav')
    .header('content-disposition', `inline; filename="${name}.wav"`)
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export async function devicePbxAppRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', requireDevice(ctx));

  // ─── Voicemail ───────────────────────────────────────────────────────────────────────────
  const voicemail = { tags: ['voicemail'], security };

  const messageView = (m: VoicemailMessageRow, line: DeviceExtension): DeviceVoicemailMessage => ({
    id: m.id,
    accountId: line.accountId,
    extension: m.extension,
    caller: m.caller,
    callerName: m.callerName,
    durationMs: m.durationMs,
    folder: m.folder,
    createdAt: m.createdAt.toISOString(),
    audioUrl: `/api/v1/provisioning/voicemail/messages/${m.id}/audio`,
  });

  /** The message, when it belongs to one of the device's extensions; else 404. */
  const ownMessage = async (
    device: Device,
    id: string,
  ): Promise<{ message: VoicemailMessageRow; line: DeviceExtension }> => {
    const message = await ctx.repos.voicemail.message(device.tenantId, id);
    const line =
      message && (await deviceExtensions(ctx, device)).find((e) => e.username === message.extension);
    if (!message || !line) throw notFound('message');
    return { message, line };
  };

  app.get<{ Querystring: { accountId?: string } }>(
    '/provisioning/voicemail/messages',
    {
      schema: {
        ...voicemail,
        summary: "The voicemail messages of the device's lines (or one line), new ones first",
        querystring: deviceVoicemailQuery,
        response: { 200: listOf(deviceVoicemailMessageSchema), ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const { accountId } = request.query;
      const lines = (await deviceExtensions(ctx, device)).filter(
        (e) => accountId === undefined || e.accountId === accountId,
      );
      if (accountId !== undefined && lines.length === 0) throw notFound('line');
      const items: DeviceVoicemailMessage[] = [];
      for (const line of lines)
        for (const m of await ctx.repos.voicemail.messages(device.tenantId, line.username))
          items.push(messageView(m, line));
      return { items, total: items.length };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/provisioning/voicemail/messages/:id/audio',
    {
      schema: { ...voicemail, summary: 'Play a message (WAV, 8 kHz mono)', params: idParams, response: wav },
    },
    async (request, reply) => {
      const { message } = await ownMessage(deviceOf(request), request.params.id);
      return sendWav(ctx, reply, message.file, `voicemail-${message.id}`);
    },
  );

  app.patch<{ Params: { id: string }; Body: { folder: 'new' | 'saved' } }>(
    '/provisioning/voicemail/messages/:id',
    {
      schema: {
        ...voicemail,
        summary: 'Mark a message heard (saved) or new again; phones get an MWI NOTIFY',
        params: idParams,
        body: deviceMessagePatch,
        response: { 200: deviceVoicemailMessageSchema, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const { message, line } = await ownMessage(device, request.params.id);
      await ctx.repos.voicemail.setFolder(device.tenantId, message.id, request.body.folder);
      ctx.pbx?.voicemailChanged(device.tenantId, message.extension);
      return messageView((await ctx.repos.voicemail.message(device.tenantId, message.id)) ?? message, line);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/provisioning/voicemail/messages/:id',
    {
      schema: {
        ...voicemail,
        summary: 'Delete a message (and its audio); phones get an MWI NOTIFY',
        params: idParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const device = deviceOf(request);
      const { message } = await ownMessage(device, request.params.id);
      const file = await ctx.repos.voicemail.deleteMessage(device.tenantId, message.id);
      if (file) await ctx.pbx?.removeFile(file);
      ctx.pbx?.voicemailChanged(device.tenantId, message.extension);
      await audit(
        ctx,
        { tenantId: device.tenantId, label: `device ${device.name}`, ip: request.ip },
        'voicemail.delete',
        { type: 'voicemail', id: message.id },
        { extension: message.extension, via: 'device' },
      );
      return reply.code(204).send();
    },
  );

  // ─── Recordings ──────────────────────────────────────────────────────────────────────────
  const recordings = { tags: ['recordings'], security };

  app.get<{ Querystring: { limit: number } }>(
    '/provisioning/recordings',
    {
      schema: {
        ...recordings,
        summary: "Recordings of calls of the device's lines, newest first",
        querystring: object({ limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } }),
        response: { 200: listOf(deviceRecordingSchema), ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const mine = await deviceExtensions(ctx, device);
      const rows = await ctx.repos.recordings.listForParties(
        device.tenantId,
        mine.map((e) => e.username),
        request.query.limit,
      );
      const items = rows.map(deviceRecordingView);
      return { items, total: items.length };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/provisioning/recordings/:id/audio',
    {
      schema: { ...recordings, summary: 'Play a recording (WAV)', params: idParams, response: wav },
    },
    async (request, reply) => {
      const device = deviceOf(request);
      const row = await ctx.repos.recordings.findById(device.tenantId, request.params.id);
      if (!row || !ownsRecording(await deviceExtensions(ctx, device), row)) throw notFound('recording');
      return sendWav(ctx, reply, row.file, `recording-${row.id}`);
    },
  );

  // ─── Live calls ──────────────────────────────────────────────────────────────────────────
  const ownLiveCalls = async (device: Device) => {
    const mine = new Set((await deviceExtensions(ctx, device)).map((e) => e.username));
    return (ctx.pbx?.recordings.liveCalls(device.tenantId) ?? []).filter(
      (c) => mine.has(c.caller) || mine.has(c.callee),
    );
  };

  app.get(
    '/provisioning/live-calls',
    {
      schema: {
        ...recordings,
        summary: "Answered calls of the device's lines now, and whether each is recorded",
        response: { 200: listOf(deviceLiveCallSchema), ...errors },
      },
    },
    async (request) => {
      const items = await ownLiveCalls(deviceOf(request));
      return { items, total: items.length };
    },
  );

  app.put<{ Params: { callId: string }; Body: { recording: boolean } }>(
    '/provisioning/live-calls/:callId/recording',
    {
      schema: {
        ...recordings,
        summary: "Start or stop recording a live call of the device's lines (on demand)",
        params: liveCallParams,
        body: deviceRecordingSwitch,
        response: { 200: deviceRecordingSwitch, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const { callId } = request.params;
      if (!ctx.pbx || !(await ownLiveCalls(device)).some((c) => c.callId === callId)) throw notFound('call');
      const on = await ctx.pbx.recordings.set(device.tenantId, callId, request.body.recording);
      if (on === undefined) throw notFound('call');
      return { recording: on };
    },
  );
}
