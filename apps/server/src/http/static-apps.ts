// The web apps the server hands out: the management portal (apps/portal, built by Vite into
// apps/portal/dist) at /portal/, with `/` redirecting there. A single-page app: a path under
// /portal/ that is not a file gets index.html, so deep links (/portal/contacts/…) and the links in
// e-mails (/portal/confirm-email?token=…) work. Hashed assets are cached for good; index.html never.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** apps/portal/dist, next to this app in the repository. */
export const PORTAL_DIST = fileURLToPath(new URL('../../../portal/dist/', import.meta.url));
/** apps/phone/dist: the softphone. */
export const PHONE_DIST = fileURLToPath(new URL('../../../phone/dist/', import.meta.url));

/** What the portal's pages may load: only this origin; data: images (QR codes, e-mail images). */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * The softphone also plays sounds it makes itself (ringtone: blob: URLs), shows pictures the user
 * picks (data:), and opens WebSockets to this server for SIP and provisioning ('self' covers
 * ws:/wss: of the same host in CSP Level 3 browsers).
 */
const PHONE_CSP =
  CSP.replace("img-src 'self' data:", "img-src 'self' data: blob:") + "; media-src 'self' blob: data:";

function securityHeaders(reply: FastifyReply, csp = CSP): FastifyReply {
  return reply
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');
}

export interface StaticAppOptions {
  /** URL prefix without trailing slash, e.g. `/portal`. */
  readonly prefix: string;
  /** The built app (must hold index.html). */
  readonly root: string;
  /** Shown when the app is not built. */
  readonly buildCommand: string;
  /** Content-Security-Policy of its pages (default: the portal's). */
  readonly csp?: string;
}

/** Serves a built single-page app under `prefix`/ (its own scope: its own 404 → index.html). */
export function registerStaticApp(app: FastifyInstance, options: StaticAppOptions): void {
  const { prefix, root } = options;
  app.get(prefix, (_request, reply) => reply.redirect(`${prefix}/`, 301));
  void app.register(
    async (scope) => {
      if (!existsSync(`${root}/index.html`)) {
        scope.get('/*', (_request, reply) =>
          securityHeaders(reply, options.csp)
            .code(503)
            .type('text/html; charset=utf-8')
            .send(
              `<!doctype html><meta charset="utf-8"><title>Not built</title><p>This web app is not built yet. Run <code>${options.buildCommand}</code> (npm start does it) and reload.</p>`,
            ),
        );
        return;
      }
      await scope.register(fastifyStatic, {
        root,
        prefix: '/',
        wildcard: true,
        index: false,
        cacheControl: false,
        setHeaders: (res, path) => {
          res.setHeader(
            'cache-control',
            path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
      const sendIndex = (reply: FastifyReply) =>
        securityHeaders(reply, options.csp).header('cache-control', 'no-cache').sendFile('index.html');
      scope.get('/', { prefixTrailingSlash: 'slash' }, (_request, reply) => sendIndex(reply));
      scope.setNotFoundHandler((request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        // A missing file (an old asset, a typo) is a 404; any other path is a page of the app.
        if (request.method !== 'GET' || /\.[a-z0-9]+$/i.test(path)) {
          return reply
            .code(404)
            .send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url}` } });
        }
        return sendIndex(reply);
      });
    },
    { prefix },
  );
}

/** The portal at /portal/, and `/` leading there. */
export function registerPortal(app: FastifyInstance, root: string = PORTAL_DIST): void {
  app.get('/', (_request, reply) => reply.redirect('/portal/', 302));
  registerStaticApp(app, { prefix: '/portal', root, buildCommand: 'npm run build -w @switchboard/portal' });
}

/** The softphone at /phone/ (the click-to-activate links point there). */
export function registerPhone(app: FastifyInstance, root: string = PHONE_DIST): void {
  registerStaticApp(app, {
    prefix: '/phone',
    root,
    buildCommand: 'npm run build -w @switchboard/phone',
    csp: PHONE_CSP,
  });
}
