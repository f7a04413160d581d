// Google Analytics stand-in (kelisim demo). Behaves like a gtag.js page-view
// tag: reads the Consent Mode state from dataLayer, sets the first-party
// _ga / _ga_<ID> / _gid cookies when analytics_storage is granted, and sends
// a page-view beacon to /collect on its own host.
(function () {
  'use strict';
  var script = document.currentScript;
  var src = new URL(script && script.src ? script.src : location.href);
  var measurementId = src.searchParams.get('id') || 'G-DEMO';
  window.dataLayer = window.dataLayer || [];
  window.__standins = window.__standins || [];

  // The last value a `consent` command (default or update) gave for `type`.
  function consentValue(type) {
    var value = 'unset';
    for (var i = 0; i < window.dataLayer.length; i++) {
      var entry = window.dataLayer[i];
      if (
        entry &&
        entry[0] === 'consent' &&
        (entry[1] === 'default' || entry[1] === 'update') &&
        entry[2] &&
        typeof entry[2][type] === 'string'
      ) {
        value = entry[2][type];
      }
    }
    return value;
  }
  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return null;
  }
  function setCookie(name, value, maxAgeSeconds) {
    document.cookie = name + '=' + value + '; Path=/; Max-Age=' + maxAgeSeconds + '; SameSite=Lax';
  }
  function randomDigits(n) {
    var s = '';
    while (s.length < n) s += Math.floor(Math.random() * 1e9).toString();
    return s.slice(0, n);
  }

  var now = Math.floor(Date.now() / 1000);
  var storage = consentValue('analytics_storage');
  var existing = readCookie('_ga');
  var clientId = existing ? existing.split('.').slice(2).join('.') : randomDigits(10) + '.' + now;
  if (storage !== 'denied') {
    setCookie('_ga', 'GA1.1.' + clientId, 63072000);
    setCookie('_ga_' + measurementId.replace(/^G-/, ''), 'GS1.1.' + now + '.1.0.' + now + '.0.0.0', 63072000);
    setCookie('_gid', 'GA1.1.' + randomDigits(10) + '.' + now, 86400);
  }

  window.__ran_ga = true;
  var entry = { name: 'ga', time: performance.now(), analytics_storage: storage };
  window.__standins.push(entry);
  window.dispatchEvent(new CustomEvent('demo:standin', { detail: entry }));

  // gcs: Google's compact consent state (G1 + ad_storage + analytics_storage).
  var gcs = 'G1' + (consentValue('ad_storage') === 'granted' ? '1' : '0') + (storage === 'granted' ? '1' : '0');
  var beacon =
    src.origin +
    '/collect?v=2&tid=' +
    encodeURIComponent(measurementId) +
    '&cid=' +
    encodeURIComponent(clientId) +
    '&en=page_view&gcs=' +
    gcs +
    '&dl=' +
    encodeURIComponent(location.href) +
    '&dt=' +
    encodeURIComponent(document.title);
  if (window.fetch) {
    fetch(beacon, { method: 'POST', mode: 'no-cors', keepalive: true, credentials: 'omit' }).catch(function () {});
  }
})();
