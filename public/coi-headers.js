/*
 * Cross-origin isolation from the service worker, for static hosts that cannot send headers
 * (docs/privacy.md). Imported by the workbox service worker (vite.config.ts, VitePWA
 * `workbox.importScripts: ['coi-headers.js']`) before its own fetch listener.
 *
 * Why: onnxruntime-web only runs WASM with threads when the page is `crossOriginIsolated`, which
 * needs `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
 * require-corp` on the document (and the worker scripts). A server that sends them
 * (vite preview, the nginx/Apache/IIS snippets) needs nothing from here; on a host that cannot,
 * every response the service worker answers gets both headers added, so from the second load on
 * (once the worker controls the page) the app is isolated. Same idea as coi-serviceworker.
 *
 * How: workbox answers through FetchEvent.respondWith; wrapping that one method adds the headers
 * to whatever it answers (precache, navigation fallback) without touching workbox's routing.
 * Requests the worker does not answer (the model files, fetched by the engine) are same-origin
 * subresources, which COEP require-corp allows without extra headers.
 */

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function withIsolation(response) {
  // Opaque (status 0) and error responses cannot be rebuilt; a response that already carries
  // both headers (the server sent them) is passed through untouched.
  if (!response || response.status === 0 || response.type === 'opaqueredirect') return response;
  const has = Object.keys(ISOLATION).every((h) => response.headers.has(h));
  if (has) return response;
  const headers = new Headers(response.headers);
  for (const [h, v] of Object.entries(ISOLATION)) if (!headers.has(h)) headers.set(h, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

if (typeof FetchEvent !== 'undefined' && !FetchEvent.prototype.__dischargerxIsolation) {
  const respondWith = FetchEvent.prototype.respondWith;
  FetchEvent.prototype.respondWith = function (r) {
    return respondWith.call(this, Promise.resolve(r).then(withIsolation));
  };
  FetchEvent.prototype.__dischargerxIsolation = true;
}

