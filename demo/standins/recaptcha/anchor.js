// reCAPTCHA stand-in widget (kelisim demo): the checkbox inside the iframe.
// Ticking it asks its own host for a token and hands it to the page.
(function () {
  'use strict';
  var texts = {
    en: { label: "I'm not a robot", note: 'stand-in' },
    ru: { label: 'Я не робот', note: 'заглушка' },
    kk: { label: 'Мен робот емеспін', note: 'демо-нұсқа' },
  };
  var params = new URLSearchParams(location.search);
  var lang = texts[params.get('hl')] ? params.get('hl') : 'en';
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(function (el) {
    el.textContent = texts[lang][el.getAttribute('data-t')];
  });

  // The real widget keeps a cookie on its own host.
  document.cookie = '_GRECAPTCHA=' + Math.random().toString(36).slice(2) + '; Path=/; Max-Age=15552000; SameSite=Lax';

  var parentOrigin = '*';
  try {
    if (document.referrer) parentOrigin = new URL(document.referrer).origin;
  } catch (e) {
    parentOrigin = '*';
  }
  function tell(message) {
    if (window.parent === window) return;
    message.type = 'kelisim-demo-standin';
    message.name = 'recaptcha';
    window.parent.postMessage(message, parentOrigin);
  }

  var check = document.getElementById('check');
  var expiry = null;
  function reset() {
    clearTimeout(expiry);
    check.className = 'check';
    check.setAttribute('aria-checked', 'false');
    check.disabled = false;
  }
  check.addEventListener('click', function () {
    if (check.classList.contains('done') || check.classList.contains('busy')) return;
    check.classList.add('busy');
    check.disabled = true;
    fetch('/verify', { method: 'POST' })
      .then(function (r) {
        return r.json();
      })
      .then(function (answer) {
        check.className = 'check done';
        check.setAttribute('aria-checked', 'true');
        tell({ event: 'verified', token: answer.token });
        expiry = setTimeout(function () {
          reset();
          tell({ event: 'expired' });
        }, 110000);
      })
      .catch(function () {
        reset();
      });
  });
  window.addEventListener('message', function (event) {
    if (parentOrigin !== '*' && event.origin !== parentOrigin) return;
    if (event.data && event.data.type === 'kelisim-demo-standin' && event.data.event === 'reset') reset();
  });

  tell({ event: 'ran' });
})();
