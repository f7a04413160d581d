// reCAPTCHA stand-in (kelisim demo), the page-side api.js: turns every
// .g-recaptcha element into the checkbox widget (an iframe from its own host)
// and keeps the token the widget hands back in a g-recaptcha-response field,
// as the real one does. window.grecaptcha.getResponse() returns it.
(function () {
  'use strict';
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src).origin : null;
  var lang = (document.documentElement.lang || 'en').slice(0, 2);
  var token = '';
  window.__standins = window.__standins || [];

  function setToken(value) {
    token = value;
    document.querySelectorAll('textarea[name="g-recaptcha-response"]').forEach(function (area) {
      area.value = value;
    });
    window.dispatchEvent(new CustomEvent(value ? 'recaptcha:verified' : 'recaptcha:expired', { detail: { token: value } }));
  }

  document.querySelectorAll('.g-recaptcha').forEach(function (el) {
    var key = el.getAttribute('data-sitekey') || 'demo';
    while (el.firstChild) el.removeChild(el.firstChild);
    var frame = document.createElement('iframe');
    frame.src = origin + '/anchor?k=' + encodeURIComponent(key) + '&hl=' + encodeURIComponent(lang);
    frame.title = 'reCAPTCHA';
    frame.className = 'g-recaptcha-frame';
    frame.width = '304';
    frame.height = '78';
    el.appendChild(frame);
    var area = document.createElement('textarea');
    area.name = 'g-recaptcha-response';
    area.hidden = true;
    el.appendChild(area);
    el.classList.add('g-recaptcha-ready');
  });

  window.addEventListener('message', function (event) {
    if (event.origin !== origin) return;
    var data = event.data;
    if (!data || data.type !== 'kelisim-demo-standin' || data.name !== 'recaptcha') return;
    if (data.event === 'verified' && typeof data.token === 'string') setToken(data.token);
    if (data.event === 'expired') setToken('');
  });

  window.grecaptcha = {
    getResponse: function () {
      return token;
    },
    ready: function (fn) {
      fn();
    },
    reset: function () {
      setToken('');
      document.querySelectorAll('.g-recaptcha-frame').forEach(function (frame) {
        frame.contentWindow.postMessage({ type: 'kelisim-demo-standin', name: 'recaptcha', event: 'reset' }, origin);
      });
    },
  };

  window.__ran_recaptcha = true;
  var entry = { name: 'recaptcha', time: performance.now() };
  window.__standins.push(entry);
  window.dispatchEvent(new CustomEvent('demo:standin', { detail: entry }));
})();
