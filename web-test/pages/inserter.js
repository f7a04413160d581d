// Inserts third-party tags the ways tag managers do, before kelisim is ready.
(function () {
  var port = location.port;
  var first = document.getElementsByTagName('script')[0];
  var a = document.createElement('script');
  a.async = true;
  a.src = 'http://stats.test:' + port + '/append.js?cookies=_st';
  a.onload = function () {
    (window.__loaded = window.__loaded || []).push('append');
  };
  document.head.appendChild(a);
  var b = document.createElement('script');
  b.setAttribute('src', 'http://ads.test:' + port + '/insert-before.js?cookies=_ad');
  first.parentNode.insertBefore(b, first);
  var c = document.createElement('script');
  c.src = 'http://other.test:' + port + '/unlisted.js';
  document.head.append(c);
  // cookies written before kelisim is ready
  document.cookie = '_st=early; path=/';
  document.cookie = 'own_pref=1; path=/';
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('box').innerHTML = '<iframe id="html-frame" src="http://video.test:' + port + '/frame/inner"></iframe>';
    var f = document.createElement('iframe');
    f.id = 'dom-frame';
    f.src = 'http://video.test:' + port + '/frame/dom';
    document.body.append(f);
  });
})();
