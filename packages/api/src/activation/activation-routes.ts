// /api/v1/devices/{id}/activation
import type { FastifyInstance } from 'fastify';
import { activationSchema, errorSchema, idParams, sendActivationRequest } from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { actorOf } from '../auth/authenticate.ts';
import { ActivationService } from './activation-service.ts';

const tags = ['activation'];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema, 502: errorSchema };

export async function activationRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const service = new ActivationService(ctx);

  app.get<{ Params: { id: string } }>(
    '/devices/:id/activation',
    {
      schema: {
        tags,
        summary: 'The activation code, its QR code (SVG, PNG) and click-to-activate link',
        description:
          'code, qrSvg, qrPng and link are null once the instructions were e-mailed or the device is activated (reset shows a new code).',
        params: idParams,
        response: { 200: activationSchema, ...errors },
      },
    },
    async (request) => service.get(actorOf(request).tenantId, request.params.id),
  );

  app.post<{ Params: { id: string }; Body: { email: string } }>(
    '/devices/:id/activation/send',
    {
      schema: {
        tags,
        summary:
          "E-mail the activation instructions (HTML and text, QR code included) to one of the contact's addresses",
        params: idParams,
        body: sendActivationRequest,
        response: { 200: activationSchema, ...errors },
      },
    },
    async (request) => service.send(actorOf(request), request.params.id, request.body.email),
  );

  app.post<{ Params: { id: string } }>(
    '/devices/:id/activation/reset',
    {
      schema: {
        tags,
        summary:
          'Replace the activation code; an activated device is deactivated (its app is told and signs out)',
        params: idParams,
        response: { 200: activationSchema, ...errors },
      },
    },
    async (request) => service.reset(actorOf(request), request.params.id),
  );
}
