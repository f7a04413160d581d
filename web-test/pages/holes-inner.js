// Runs inside a srcdoc frame (pages/holes.js, srcdocDynamic): inserts the
// script whose URL its own URL's fragment names, the way a tag in the frame would.
(function () {
  var url = decodeURIComponent(document.currentScript.src.split('#')[1]);
  var s = document.createElement('script');
  s.src = url;
  document.head.appendChild(s);
})();
