// Facebook SDK stand-in (kelisim demo): the script a site adds next to a
// Facebook page embed. Sets the first-party _fbp cookie and a tiny window.FB.
(function () {
  'use strict';
  window.__standins = window.__standins || [];
  var existing = /(?:^|; )_fbp=([^;]*)/.exec(document.cookie);
  if (!existing) {
    var value = 'fb.1.' + Date.now() + '.' + Math.floor(Math.random() * 1e10);
    document.cookie = '_fbp=' + value + '; Path=/; Max-Age=7776000; SameSite=Lax';
  }
  window.FB = window.FB || { init: function () {}, XFBML: { parse: function () {} } };

  window.__ran_facebook = true;
  var entry = { name: 'facebook', time: performance.now() };
  window.__standins.push(entry);
  window.dispatchEvent(new CustomEvent('demo:standin', { detail: entry }));
})();
