// Mijn Portaal's service worker, scoped to /account/loyalty/card: the loyalty card must
// show at the till even where the shop has no signal. Network first (so the card is
// always current when online); the last good copy of the page and its files when
// offline. Logging out clears this cache (Clear-Site-Data).
const CACHE = 'loyalty-card-v1';
const PAGE = '/account/loyalty/card';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page, and what it loads: stylesheet, scripts and wasm (so it also hydrates).
function keepsOffline(url) {
  return url.pathname === PAGE || url.pathname.startsWith('/pkg/') || url.pathname === '/favicon.svg';
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !keepsOffline(url)) return;
  // The page is stored under its path alone: ?query variants are the same card.
  const key = url.pathname;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok && response.type === 'basic') {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
        }
        return response;
      })
      .catch(() => caches.match(key).then((hit) => hit || Response.error())),
  );
});
