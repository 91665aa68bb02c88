// The interviewer app's service worker (scope /fieldwork/app/). Served by heed.fieldwork.pwa_views.service_worker,
// which puts self.HEED_SW = {workbox: [script urls], precache: [{url, revision}], shell, forms, version} before
// this file. Workbox comes from Heed's own static files (vendor/workbox-7.4.1, see VENDOR.md): no CDN.
/* global importScripts, workbox */
"use strict";

importScripts.apply(self, self.HEED_SW.workbox);

var SHELL_CACHE = "heed-fieldwork-shell";
var FORMS_CACHE = "heed-fieldwork-forms";

workbox.core.setCacheNameDetails({ prefix: "heed-fieldwork" });
workbox.core.skipWaiting();
workbox.core.clientsClaim();

// The app's scripts, styles and icons: cached at install, served from the cache (revisions are content hashes).
workbox.precaching.precacheAndRoute(self.HEED_SW.precache);
workbox.precaching.cleanupOutdatedCaches();

// The shell page: the network when it answers within 4 s (a fresh page, a fresh login check), else the copy
// kept at install or at the last start online. Never a redirect to the login page (that is not the app).
var shellStrategy = new workbox.strategies.NetworkFirst({
  cacheName: SHELL_CACHE,
  networkTimeoutSeconds: 4,
  matchOptions: { ignoreSearch: true },
  plugins: [{
    cacheWillUpdate: function (args) {
      var response = args.response;
      return Promise.resolve(response && response.status === 200 && !response.redirected ? response : null);
    },
  }],
});
workbox.routing.registerRoute(function (options) {
  return options.request.mode === "navigate" && options.url.pathname === self.HEED_SW.shell;
}, shellStrategy);

// The assigned forms (every language): fresh when online, the last copy offline (the app keeps them in
// IndexedDB too, per version, for interviews still in progress).
workbox.routing.registerRoute(function (options) {
  return options.url.pathname === self.HEED_SW.forms;
}, new workbox.strategies.NetworkFirst({ cacheName: FORMS_CACHE, networkTimeoutSeconds: 10 }));

// Keep a copy of the shell from the first install, so the app starts offline even if the page was never
// reloaded while this worker was in charge.
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return fetch(self.HEED_SW.shell, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && !response.redirected) return cache.put(self.HEED_SW.shell, response);
      return undefined;
    }).catch(function () { return undefined; });
  }));
});
