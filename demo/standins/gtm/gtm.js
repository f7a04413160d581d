// Google Tag Manager stand-in (kelisim demo). Like a real container it pushes
// gtm.js to dataLayer and then loads further tags itself: ~300 ms later it
// inserts the HubSpot stand-in with createElement + appendChild. That tag has
// no consent markup, so only kelisim's auto-blocking (by host) can stop it.
(function () {
  'use strict';
  var script = document.currentScript;
  var host = script && script.src ? new URL(script.src).host : 'gtm.' + location.host;
  // gtm.localhost:8080 → localhost:8080; gtm.test:9000 → test:9000
  var suffix = host.split('.').slice(1).join('.');
  window.dataLayer = window.dataLayer || [];
  window.__standins = window.__standins || [];
  window.dataLayer.push({ 'gtm.start': Date.now(), event: 'gtm.js' });

  window.__ran_gtm = true;
  var entry = { name: 'gtm', time: performance.now() };
  window.__standins.push(entry);
  window.dispatchEvent(new CustomEvent('demo:standin', { detail: entry }));

  setTimeout(function () {
    var tag = document.createElement('script');
    tag.src = '//hubspot.' + suffix + '/hs.js';
    tag.async = true;
    tag.setAttribute('data-inserted-by', 'gtm-stand-in');
    document.head.appendChild(tag);
    window.dataLayer.push({ event: 'gtm.hubspot_tag_inserted' });
  }, 300);
})();
