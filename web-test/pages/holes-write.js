// document.write while the page is parsed (web-test/holes-elements.test.mjs):
// a script tag written in two pieces, and one written through
// Document.prototype.write. `?w=<tag>` names the URLs; without it nothing is written.
(function () {
  var m = /[?&]w=([\w-]+)/.exec(location.search);
  if (!m) return;
  ['ads.test', 'other.test'].forEach(function (host) {
    var base = 'http://' + host + ':' + location.port + '/' + m[1];
    document.write('<scr');
    document.write('ipt src="' + base + '-split.js"></scr' + 'ipt>');
    document.write('<script src="' + base + '-attr');
    document.write('.js"></scr' + 'ipt>');
    Document.prototype.write.call(document, '<script src="' + base + '-proto.js"></scr' + 'ipt>');
  });
})();
