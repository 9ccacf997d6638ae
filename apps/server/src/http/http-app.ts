// The HTTP side of the server: health, metrics, and (as they land) the API and the web apps.
// buildHttpApp returns the Fastify app; the caller listens (tests use app.inject()).
import Fastify, { type FastifyInstance } from 'fastify';
import { registerApi, type ApiOptions } from '@switchboard/api';
import type { Metrics } from '../observability/metrics.ts';
import { registerPhone, registerPortal } from './static-apps.ts';

export interface HealthSource {
  /** Each component's readiness; the server is ready when every one is. */
  readiness(): Promise<Record<string, boolean>>;
}

export interface HttpDeps {
  readonly health: HealthSource;
  readonly metrics: Metrics;
  /** The management portal and provisioning API under /api/v1. */
  readonly api?: ApiOptions;
  /** Trust X-Forwarded-* from a reverse proxy (TRUST_PROXY). */
  readonly trustProxy?: boolean;
}

export function buildHttpApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: deps.trustProxy ?? false });

  app.get('/healthz', async (_request, reply) => {
    const checks = await deps.health.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type('text/plain; version=0.0.4').send(await deps.metrics.text());
  });

  if (deps.api) registerApi(app, deps.api);

  // The web apps: the portal at /portal/ (built into apps/portal/dist), `/` redirecting there.
  registerPortal(app);
  // The softphone at /phone/ (built into apps/phone/dist).
  registerPhone(app);

  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url}` } });
  });
  return app;
}
