// The softphone's service worker (built into /phone/sw.js by vite.config.ts, which fills in the
// file list): the app shell works offline (pages fall back to the cached index.html, hashed
// assets are served from the cache), the API and SIP never go through the cache, and the
// buttons of incoming-call notifications (Answer / Decline) are passed to the open app.
/* global self, caches, clients, __SHELL_FILES__, __BUILD_VERSION__ */
const SHELL = __SHELL_FILES__;
const VERSION = __BUILD_VERSION__;
const CACHE = 'switchboard-phone-' + VERSION.length + '-' + hash(VERSION);

function hash(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('switchboard-phone-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/phone/')) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (a new version shows at once), the cached shell when offline.
    event.respondWith(
      fetch(request).catch(() =>
        caches.match('./', { ignoreSearch: true }).then((r) => r || new Response('Offline', { status: 503 })),
      ),
    );
    return;
  }
  // Files of the build never change under one name: the cache first.
  event.respondWith(
    caches.match(request).then(
      (cached) =>
        cached ||
        fetch(request).then((response) => {
          if (response.ok && url.pathname.includes('/assets/')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});

// A button (Answer / Decline) or the notification itself (open the app) was clicked.
self.addEventListener('notificationclick', (event) => {
  const notification = event.notification;
  const callId = notification.data && notification.data.callId;
  const action = event.action === 'answer' || event.action === 'decline' ? event.action : 'open';
  notification.close();
  const done = clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
    const client = list.find((c) => new URL(c.url).pathname.startsWith('/phone/'));
    if (client) {
      client.postMessage({ type: 'call-action', callId, action });
      // Focusing needs the click's user activation; without it the call is still acted on.
      return client.focus().catch(() => undefined);
    }
    return clients.openWindow('./');
  });
  event.waitUntil(done);
});
