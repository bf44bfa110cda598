// Keeps the loyalty card page (/account/loyalty/card) available without a connection:
// a service worker scoped to that page stores its last copy (see /sw.js).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/account/loyalty/card' }).catch(() => {
    // Not available (private mode, old browser): the card still shows online.
  });
}
