// The API as a Fastify plugin under /api/v1: routes → services → repositories. One validator
// (every bad field reported), one error handler, OpenAPI from the route schemas, live
// WebSockets for portals and devices.
import type { FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import type { ApiContext, ApiOptions } from './context.ts';
import { MemoryAttemptLimiter } from './auth/attempt-limiter.ts';
import { argon2idHasher } from './auth/password-hasher.ts';
import { publicAuthRoutes, userAuthRoutes } from './auth/auth-routes.ts';
import { requireDevice, requireUser } from './auth/authenticate.ts';
import { tokenRoutes } from './auth/token-routes.ts';
import { accountRoutes } from './accounts/account-routes.ts';
import { AccountService } from './accounts/account-service.ts';
import { activationRoutes } from './activation/activation-routes.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { callFeatureRoutes, deviceCallFeatureRoutes } from './call-features/call-features-routes.ts';
import { contactRoutes } from './contacts/contact-routes.ts';
import { deviceRoutes } from './devices/device-routes.ts';
import { installErrorHandler } from './errors/error-handler.ts';
import { openApiRoute, registerOpenApi } from './http/openapi.ts';
import { installValidation } from './http/validation.ts';
import { MemoryLiveHub } from './live/live-hub.ts';
import { publishAccounts, publishDevices } from './live/notify.ts';
import { LiveWebSockets } from './live/websocket-server.ts';
import { outboxRoutes } from './mail/outbox-routes.ts';
import { deviceVoicemailRoutes, pbxAppRoutes } from './pbx-apps/pbx-app-routes.ts';
import { deviceConferenceRoutes } from './pbx-apps/device-conference-routes.ts';
import { devicePbxAppRoutes } from './pbx-apps/device-pbx-app-routes.ts';
import { providerRoutes } from './providers/provider-routes.ts';
import { trunkRoutes } from './trunks/trunk-routes.ts';
import { deviceProvisioningRoutes, publicProvisioningRoutes } from './provisioning/provisioning-routes.ts';

const FIFTEEN_MINUTES = 15 * 60_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ApiHandle {
  readonly context: ApiContext;
  /** Pushes Online → Offline changes of devices whose heartbeat ran out, drops expired sessions (runs on a timer too). */
  sweepPresence(): Promise<void>;
}

export function createApiContext(options: ApiOptions): ApiContext {
  return {
    repos: options.repos,
    mailer: options.mailer,
    publicUrl: () => options.publicUrl().replace(/\/+$/, ''),
    sip: options.sip,
    registrations: options.registrations,
    log: options.logger ?? silent,
    now: options.now ?? Date.now,
    hub: new MemoryLiveHub(),
    limits: {
      loginAccount: new MemoryAttemptLimiter({ max: 5, windowMs: FIFTEEN_MINUTES }),
      loginAddress: new MemoryAttemptLimiter({ max: 20, windowMs: FIFTEEN_MINUTES }),
      activationAddress: new MemoryAttemptLimiter({ max: 10, windowMs: FIFTEEN_MINUTES }),
      mailAddress: new MemoryAttemptLimiter({ max: 5, windowMs: FIFTEEN_MINUTES }),
    },
    hasher: options.passwordHasher ?? argon2idHasher,
    sipDomain: options.sipDomain ?? 'switchboard.local',
    deviceOfflineAfterMs: options.deviceOfflineAfterMs ?? 90_000,
    heartbeatIntervalSeconds: options.heartbeatIntervalSeconds ?? 30,
    pbx: options.pbx,
    trunks: options.trunks,
  };
}

/** Registers the API on `app` (under /api/v1); the app's ready()/close() start and stop it. */
export function registerApi(app: FastifyInstance, options: ApiOptions): ApiHandle {
  const ctx = createApiContext(options);
  const sweepMs = options.presenceSweepMs ?? 10_000;
  let lastSweep = ctx.now();
  const sweepPresence = async (): Promise<void> => {
    const now = ctx.now();
    const from = new Date(Math.min(lastSweep, now - sweepMs) - ctx.deviceOfflineAfterMs);
    lastSweep = now;
    await ctx.repos.sessions.purgeExpired(new Date(now));
    const expired = await ctx.repos.devices.listLastSeenBetween(
      from,
      new Date(now - ctx.deviceOfflineAfterMs),
    );
    for (const d of expired) {
      if (ctx.hub.isDeviceConnected(d.id)) continue;
      await publishDevices(ctx, d.tenantId, [d.id]);
      await publishAccounts(ctx, d.tenantId, d.accountIds);
    }
  };

  void app.register(
    async (api) => {
      installValidation(api);
      installErrorHandler(api, ctx.log);
      await api.register(cookie);
      await registerOpenApi(api);
      openApiRoute(api);
      await api.register(async (scope) => {
        await publicAuthRoutes(scope, ctx);
        await publicProvisioningRoutes(scope, ctx);
      });
      await api.register(async (scope) => deviceProvisioningRoutes(scope, ctx));
      await api.register(async (scope) => deviceVoicemailRoutes(scope, ctx));
      await api.register(async (scope) => devicePbxAppRoutes(scope, ctx));
      await api.register(async (scope) => deviceConferenceRoutes(scope, ctx));
      await api.register(async (scope) => {
        scope.addHook('onRequest', requireDevice(ctx));
        await deviceCallFeatureRoutes(scope, ctx);
      });
      await api.register(async (scope) => userAuthRoutes(scope, ctx));
      await api.register(async (scope) => {
        scope.addHook('onRequest', requireUser(ctx));
        await tokenRoutes(scope, ctx);
        await providerRoutes(scope, ctx);
        await accountRoutes(scope, ctx);
        await contactRoutes(scope, ctx);
        await deviceRoutes(scope, ctx);
        await activationRoutes(scope, ctx);
        await auditRoutes(scope, ctx);
        await outboxRoutes(scope, ctx);
        await pbxAppRoutes(scope, ctx);
        await callFeatureRoutes(scope, ctx);
        await trunkRoutes(scope, ctx);
      });
    },
    { prefix: '/api/v1' },
  );

  const sockets = new LiveWebSockets(ctx, app.server);
  const accounts = new AccountService(ctx);
  const unsubscribe = options.registrations?.subscribe((tenantId, username) => {
    void accounts
      .registrationChanged(tenantId, username)
      .catch((err) => ctx.log.warn({ err: String(err) }, 'SIP status push failed'));
  });
  const timer =
    sweepMs > 0
      ? setInterval(
          () =>
            void sweepPresence().catch((err) => ctx.log.warn({ err: String(err) }, 'presence sweep failed')),
          sweepMs,
        )
      : undefined;
  timer?.unref();
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    unsubscribe?.();
    sockets.close();
    ctx.hub.close();
  });
  return { context: ctx, sweepPresence };
}
