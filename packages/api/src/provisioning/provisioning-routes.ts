// /api/v1/provisioning: what the softphone calls. Activation is public (rate-limited); the rest
// takes `Authorization: Bearer <deviceToken>`.
import type { FastifyInstance } from 'fastify';
import {
  activateRequest,
  activateResponse,
  deviceConfigSchema,
  errorSchema,
  heartbeatRequest,
  heartbeatResponse,
  lineReportRequest,
  type ActivateRequest,
  type LineReport,
} from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { deviceOf, requireDevice } from '../auth/authenticate.ts';
import { etagOf } from './device-config.ts';
import { ProvisioningService } from './provisioning-service.ts';

const tags = ['provisioning'];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 410: errorSchema, 429: errorSchema };
const bearer = [{ deviceToken: [] }];

export async function publicProvisioningRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new ProvisioningService(ctx);
  app.post<{ Body: ActivateRequest }>(
    '/provisioning/activate',
    {
      schema: {
        tags,
        security: [],
        summary: 'Activate a device with its code: returns the device token and the configuration',
        description:
          'Errors: 404 activation_code_unknown, 410 activation_code_used / activation_code_replaced, 429 rate_limited (10 wrong codes per address per 15 minutes).',
        body: activateRequest,
        response: { 200: activateResponse, ...errors },
      },
    },
    async (request) => service.activate(request.body, request.ip),
  );
}

export async function deviceProvisioningRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new ProvisioningService(ctx);
  app.addHook('onRequest', requireDevice(ctx));

  app.get(
    '/provisioning/config',
    {
      schema: {
        tags,
        security: bearer,
        summary: 'The current configuration (ETag "v<version>"; If-None-Match → 304)',
        headers: { type: 'object', properties: { 'if-none-match': { type: 'string' } } },
        response: { 200: deviceConfigSchema, 304: { type: 'null', description: 'Not modified.' }, ...errors },
      },
    },
    async (request, reply) => {
      const device = deviceOf(request);
      const etag = etagOf(device.configVersion);
      void reply.header('etag', etag).header('cache-control', 'no-store');
      if (request.headers['if-none-match'] === etag) {
        await service.fetched(device, device.configVersion);
        return reply.code(304).send();
      }
      return service.config(device);
    },
  );

  app.post<{ Body: { appVersion?: string } | undefined }>(
    '/provisioning/heartbeat',
    {
      // The body is optional: no body counts as {}.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        security: bearer,
        summary: 'I am alive (keeps the device Online); answers the current config version',
        body: heartbeatRequest,
        response: { 200: heartbeatResponse, ...errors },
      },
    },
    async (request) => service.heartbeat(deviceOf(request), request.body?.appVersion),
  );

  app.post<{ Body: { lines: LineReport[] } }>(
    '/provisioning/lines',
    {
      schema: {
        tags,
        security: bearer,
        summary: 'Report the registration state of each line (feeds SIP status for external providers)',
        body: lineReportRequest,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await service.lines(deviceOf(request), request.body.lines);
      return reply.code(204).send();
    },
  );
}
