// The OpenAPI 3 document, generated from the route schemas (@fastify/swagger), served at
// /api/v1/openapi.json, and a docs page (Swagger UI) at /api/v1/docs.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Switchboard API',
        version: '1.0.0',
        description:
          'Management portal and provisioning API. Errors are `{ error: { code, message, details } }` with stable codes; lists are `{ items, total }`. See docs/api.md.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'sb_session',
            description: 'Set by POST /api/v1/auth/login.',
          },
          apiToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (sbt_…) from POST /api/v1/auth/tokens or `switchboard token create`.',
          },
          deviceToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The device token (sbd_…) from POST /api/v1/provisioning/activate.',
          },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
}

export function openApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
