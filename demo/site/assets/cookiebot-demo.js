// Dala Express demo: page code as a Cookiebot site has it. It reads
// window.Cookiebot and listens to Cookiebot's events, unchanged; kelisim's
// Cookiebot compatibility ("compat": {"cookiebot": true}) provides both.
(function () {
  'use strict';
  var table = document.getElementById('cookiebot-consent');
  var log = document.getElementById('cookiebot-events');
  var widget = document.getElementById('cookiebot-marketing-widget');
  if (!table || !log) return;
  var CATEGORIES = ['necessary', 'preferences', 'statistics', 'marketing'];

  function yesNo(value) {
    if (value === true) return 'true';
    if (value === false) return 'false';
    return String(value);
  }
  function render() {
    var cb = window.Cookiebot;
    CATEGORIES.forEach(function (name) {
      var cell = table.querySelector('[data-cb="' + name + '"]');
      if (!cell) return;
      var value = cb && cb.consent ? cb.consent[name] : undefined;
      cell.textContent = cb ? yesNo(value) : '—';
      cell.className = value === true ? 'yes' : value === false ? 'no' : '';
    });
    ['hasResponse', 'consented', 'declined'].forEach(function (name) {
      var cell = table.querySelector('[data-cb="' + name + '"]');
      if (cell) cell.textContent = cb ? yesNo(cb[name]) : '—';
    });
    var status = document.getElementById('cookiebot-global');
    if (status) status.textContent = cb ? 'window.Cookiebot ✓' : 'window.Cookiebot —';
    // The usual Cookiebot pattern: load a marketing widget only with consent.
    if (widget) widget.hidden = !(cb && cb.consent && cb.consent.marketing);
  }
  function note(name) {
    var item = document.createElement('li');
    var time = document.createElement('code');
    time.textContent = (performance.now() / 1000).toFixed(2) + ' s';
    item.appendChild(time);
    item.appendChild(document.createTextNode(' ' + name));
    log.insertBefore(item, log.firstChild);
    render();
  }
  ['CookiebotOnConsentReady', 'CookiebotOnAccept', 'CookiebotOnDecline', 'CookiebotOnLoad'].forEach(function (name) {
    window.addEventListener(
      name,
      function () {
        note(name);
      },
      false,
    );
  });
  var renew = document.getElementById('cookiebot-renew');
  if (renew) {
    renew.addEventListener('click', function () {
      if (window.Cookiebot && typeof window.Cookiebot.renew === 'function') window.Cookiebot.renew();
      else if (window.Cookiebot && typeof window.Cookiebot.show === 'function') window.Cookiebot.show();
    });
  }
  render();
  setInterval(render, 1000);
})();
