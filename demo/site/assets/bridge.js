// Dala Express demo: records stand-in iframes (YouTube, Facebook, reCAPTCHA)
// that report they loaded, next to the stand-in scripts' own entries in
// window.__standins, so the demo panel and the tests see them too.
(function () {
  'use strict';
  window.__standins = window.__standins || [];
  var FRAME_STANDINS = ['youtube', 'facebook', 'recaptcha'];
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'kelisim-demo-standin' || data.event !== 'ran') return;
    var host;
    try {
      host = new URL(event.origin).hostname;
    } catch (e) {
      return;
    }
    var name = host.split('.')[0];
    if (FRAME_STANDINS.indexOf(name) < 0 || data.name !== name) return;
    window['__ran_' + name] = true;
    var entry = { name: name, time: performance.now(), frame: true };
    window.__standins.push(entry);
    window.dispatchEvent(new CustomEvent('demo:standin', { detail: entry }));
  });
})();
