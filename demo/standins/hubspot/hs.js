// HubSpot tracking-code stand-in (kelisim demo): sets the hubspotutk, __hstc,
// __hssc and __hssrc cookies on the page and reports a page view to /track.
(function () {
  'use strict';
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src).origin : null;
  window.__standins = window.__standins || [];

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return null;
  }
  function setCookie(name, value, maxAgeSeconds) {
    document.cookie = name + '=' + value + '; Path=/' + (maxAgeSeconds ? '; Max-Age=' + maxAgeSeconds : '') + '; SameSite=Lax';
  }
  function hex(n) {
    var s = '';
    while (s.length < n) s += Math.floor(Math.random() * 0x100000000).toString(16);
    return s.slice(0, n);
  }

  var now = Date.now();
  var utk = readCookie('hubspotutk') || hex(32);
  var portal = 'dalaexpress';
  setCookie('hubspotutk', utk, 15552000);
  setCookie('__hstc', portal + '.' + utk + '.' + now + '.' + now + '.' + now + '.1', 15552000);
  setCookie('__hssc', portal + '.1.' + now, 1800);
  setCookie('__hssrc', '1', 0);

  window.__ran_hubspot = true;
  var entry = { name: 'hubspot', time: performance.now() };
  window.__standins.push(entry);
  window.dispatchEvent(new CustomEvent('demo:standin', { detail: entry }));

  if (origin && window.fetch) {
    fetch(origin + '/track?k=1&utk=' + utk + '&u=' + encodeURIComponent(location.href), {
      method: 'POST',
      mode: 'no-cors',
      keepalive: true,
      credentials: 'omit',
    }).catch(function () {});
  }
})();
