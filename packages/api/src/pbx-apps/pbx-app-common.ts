// What the PBX application routes share (conferences, recordings, voicemail): error responses,
// id parameters, the PBX's control (404 without a PBX), views of rows, and sending a WAV file.
import type { FastifyReply } from 'fastify';
import { errorSchema, object } from '@switchboard/contracts';
import type { CallRecordingRow, VoicemailMessageRow } from '@switchboard/db';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import type { PbxControl } from './pbx-control.ts';

export const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };
export const idParams = object({ id: { type: 'string', format: 'uuid' } }, ['id']);
export const cdrParams = object({ cdrId: { type: 'string', format: 'uuid' } }, ['cdrId']);
export const wav = { 200: { type: 'string', format: 'binary', description: 'audio/wav' }, ...errors };

export function control(ctx: ApiContext): PbxControl {
  if (!ctx.pbx) throw notFound('PBX');
  return ctx.pbx;
}

export const recordingView = (r: CallRecordingRow): Record<string, unknown> => ({
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

export const messageView = (m: VoicemailMessageRow): Record<string, unknown> => ({
  id: m.id,
  caller: m.caller,
  callerName: m.callerName,
  durationMs: m.durationMs,
  folder: m.folder,
  createdAt: m.createdAt.toISOString(),
  audioUrl: `/api/v1/voicemail/${encodeURIComponent(m.extension)}/messages/${m.id}/audio`,
});

export async function sendAudio(
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
