// Dala Express demo site: the mobile menu and the language switcher. The
// switcher remembers the language in the `dala_lang` cookie, a preference
// that kelisim's cookie guard drops unless "Preferences" is allowed.
(function () {
  'use strict';
  var toggle = document.querySelector('[data-nav-toggle]');
  var nav = document.getElementById('site-nav');
  if (toggle && nav) {
    toggle.addEventListener('click', function () {
      var open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }
  document.querySelectorAll('[data-set-lang]').forEach(function (link) {
    link.addEventListener('click', function () {
      // Written only where kelisim runs: it decides whether the write is kept.
      if (!window.kelisimReady) return;
      document.cookie = 'dala_lang=' + link.getAttribute('data-set-lang') + '; Path=/; Max-Age=31536000; SameSite=Lax';
    });
  });
})();
