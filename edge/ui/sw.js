/*
 * Service worker of the tablet app. The appliance prepends SHELL_VERSION and SHELL_FILES when it
 * serves this file (edge/src/api/ui.ts), so any change to the app installs a fresh copy.
 *
 * Only the app shell is cached: never an API answer, so no patient data rests on the tablet.
 * With the appliance out of reach (walking into the hospital, a dead access point) a reload
 * still opens the app, which then says the appliance is unreachable and keeps retrying.
 */
/* global SHELL_VERSION, SHELL_FILES */
const CACHE = `hema3n-shell-${SHELL_VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('hema3n-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Patient data and live streams always go to the appliance, never to a cache.
  if (url.pathname.startsWith('/api/') || url.pathname === '/health' || url.pathname === '/metrics') return;
  const key = request.mode === 'navigate' ? '/' : url.pathname;
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(key).then((cached) => cached ?? fetch(request)),
    ),
  );
});
