// The PBX's call features over the API (issue 7):
//   admin:  GET/PATCH /accounts/{id}/call-settings, GET/PUT /feature-codes, GET /call-history
//   device: GET/PATCH /provisioning/call-settings?accountId=, GET /provisioning/call-history
import type { FastifyInstance } from 'fastify';
import {
  accountIdQuery,
  adminCallHistoryQuery,
  callHistoryList,
  callHistoryQuery,
  callSettingsPatch,
  callSettingsSchema,
  errorSchema,
  featureCodeSchema,
  featureCodesRequest,
  idParams,
  listOf,
  musicOnHoldSchema,
  musicOnHoldUpload,
  type CallSettingsPatchRequest,
  type FeatureCodesRequest,
  type MusicOnHoldUpload,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf, deviceOf } from '../auth/authenticate.ts';
import { audit, changedFields } from '../audit/audit.ts';
import { ApiError } from '../errors/api-error.ts';
import { CallFeaturesService } from './call-features-service.ts';
import { withDeviceRecordings } from '../pbx-apps/device-pbx-app-routes.ts';

const tags = ['call features'];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };
const bearer = [{ deviceToken: [] }];
type HistoryQuery = { limit: number; before?: string };

/** Routes for administrators (session or API token). */
export async function callFeatureRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new CallFeaturesService(ctx);

  app.get<{ Params: { id: string } }>(
    '/accounts/:id/call-settings',
    {
      schema: {
        tags,
        summary: "An extension's Do Not Disturb and call forwarding",
        params: idParams,
        response: { 200: callSettingsSchema, ...errors },
      },
    },
    async (request) => service.settings(actorOf(request).tenantId, request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: CallSettingsPatchRequest }>(
    '/accounts/:id/call-settings',
    {
      schema: {
        tags,
        summary: "Change an extension's Do Not Disturb and call forwarding",
        description: 'Forwarding targets must be other extensions of the organisation (no trunk yet).',
        params: idParams,
        body: callSettingsPatch,
        response: { 200: callSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const settings = await service.updateSettings(actor.tenantId, request.params.id, request.body);
      await audit(
        ctx,
        actor,
        'account.call-settings.update',
        { type: 'account', id: request.params.id },
        {
          changed: changedFields(request.body),
        },
      );
      return settings;
    },
  );

  app.get(
    '/feature-codes',
    {
      schema: {
        tags,
        summary: 'The feature codes of the organisation (docs/feature-codes.md)',
        response: { 200: listOf(featureCodeSchema), 401: errorSchema },
      },
    },
    async (request) => {
      const items = await service.featureCodes(actorOf(request).tenantId);
      return { items, total: items.length };
    },
  );

  app.put<{ Body: FeatureCodesRequest }>(
    '/feature-codes',
    {
      schema: {
        tags,
        summary: 'Replace the codes that differ from the defaults',
        description: 'Codes must start with * or #, and no code may equal or start another of its kind.',
        body: featureCodesRequest,
        response: { 200: listOf(featureCodeSchema), ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const items = await service.replaceFeatureCodes(actor.tenantId, request.body.codes);
      await audit(
        ctx,
        actor,
        'feature-codes.update',
        { type: 'tenant', id: actor.tenantId },
        {
          codes: request.body.codes,
        },
      );
      return { items, total: items.length };
    },
  );

  app.get(
    '/music-on-hold',
    {
      schema: {
        tags,
        summary: "The organisation's music on hold (its own track, or the built-in melody)",
        response: { 200: musicOnHoldSchema, 401: errorSchema },
      },
    },
    async (request) => service.musicOnHold(actorOf(request).tenantId),
  );

  app.get(
    '/music-on-hold/audio',
    {
      schema: {
        tags,
        summary: 'The music on hold as played (WAV, 8 kHz mono)',
        response: { 200: { type: 'string', format: 'binary', description: 'audio/wav' }, 401: errorSchema },
      },
    },
    async (request, reply) => {
      const wav = await service.musicOnHoldAudio(actorOf(request).tenantId);
      return reply.type('audio/wav').header('cache-control', 'no-store').send(Buffer.from(wav));
    },
  );

  app.put<{ Body: MusicOnHoldUpload }>(
    '/music-on-hold',
    {
      // A WAV or MP3 in base64 is larger than the API's usual 1 MiB.
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Upload the music on hold (WAV or MP3, base64; converted to 8 kHz mono)',
        description:
          '`audio`: a WAV or MP3 file in base64, 1 s to 5 minutes. A file that is neither, corrupt, cut short or too long is refused with 400; a body over 8 MiB with 413.',
        body: musicOnHoldUpload,
        response: { 200: musicOnHoldSchema, ...errors, 413: errorSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const view = await service.uploadMusicOnHold(actor.tenantId, request.body.name, request.body);
      await audit(
        ctx,
        actor,
        'music-on-hold.update',
        { type: 'tenant', id: actor.tenantId },
        {
          name: request.body.name,
        },
      );
      return view;
    },
  );

  app.delete(
    '/music-on-hold',
    {
      schema: {
        tags,
        summary: 'Back to the built-in melody',
        response: { 204: { type: 'null' }, 401: errorSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await ctx.repos.musicOnHold.remove(actor.tenantId);
      await audit(ctx, actor, 'music-on-hold.delete', { type: 'tenant', id: actor.tenantId });
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: HistoryQuery & { contactId?: string; accountId?: string } }>(
    '/call-history',
    {
      schema: {
        tags,
        summary: "The call history of a user's lines (contactId) or of one line (accountId)",
        querystring: adminCallHistoryQuery,
        response: { 200: callHistoryList, ...errors },
      },
    },
    async (request) => {
      const { tenantId } = actorOf(request);
      const { contactId, accountId, ...paging } = request.query;
      if ((contactId === undefined) === (accountId === undefined))
        throw new ApiError('validation_failed', 'give contactId or accountId', [
          { field: 'contactId', message: 'give contactId or accountId (one of them)' },
        ]);
      const accounts = contactId ? await service.accountsOfContact(tenantId, contactId) : [accountId!];
      return { items: await service.history(tenantId, accounts, paging) };
    },
  );
}

/** Routes for the softphone (device token): its user's history and its lines' settings. */
export async function deviceCallFeatureRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new CallFeaturesService(ctx);
  /** The device's line, or 404: a device sees only its own lines. */
  const line = (accountIds: readonly string[], accountId: string): string => {
    if (!accountIds.includes(accountId)) throw new ApiError('not_found', 'no such line on this device');
    return accountId;
  };

  app.get<{ Querystring: HistoryQuery }>(
    '/provisioning/call-history',
    {
      schema: {
        tags,
        security: bearer,
        summary: "The call history of the device's user: every line of every device of the contact",
        querystring: callHistoryQuery,
        response: { 200: callHistoryList, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const accounts = await service.accountsOfContact(device.tenantId, device.contactId);
      const items = await service.history(device.tenantId, accounts, request.query);
      // Recordings only of calls on this device's own lines (pbx-apps/device-pbx-app-routes.ts).
      return { items: await withDeviceRecordings(ctx, device, items) };
    },
  );

  app.get<{ Querystring: { accountId: string } }>(
    '/provisioning/call-settings',
    {
      schema: {
        tags,
        security: bearer,
        summary: "One of the device's lines: Do Not Disturb and forwarding",
        querystring: accountIdQuery,
        response: { 200: callSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      return service.settings(device.tenantId, line(device.accountIds, request.query.accountId));
    },
  );

  app.patch<{ Querystring: { accountId: string }; Body: CallSettingsPatchRequest }>(
    '/provisioning/call-settings',
    {
      schema: {
        tags,
        security: bearer,
        summary: "Change one of the device's lines: Do Not Disturb and forwarding",
        querystring: accountIdQuery,
        body: callSettingsPatch,
        response: { 200: callSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const accountId = line(device.accountIds, request.query.accountId);
      const settings = await service.updateSettings(device.tenantId, accountId, request.body);
      await audit(
        ctx,
        { tenantId: device.tenantId, label: `device ${device.name}`, ip: request.ip },
        'account.call-settings.update',
        { type: 'account', id: accountId },
        { changed: changedFields(request.body), via: 'device' },
      );
      return settings;
    },
  );
}
