// Put first in every HTML page by the engines' proxy (proxy.mjs): records what
// the page reports, the same way in every engine — uncaught errors, console
// errors, CSP violations and kelisim:error events — in window.__probe.
(function () {
  var probe = { errors: [], consoleErrors: [], violations: [], kelisimErrors: [] };
  Object.defineProperty(window, '__probe', { value: probe });
  window.addEventListener('error', function (e) {
    if (e instanceof ErrorEvent) probe.errors.push(String(e.message));
  });
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    probe.errors.push('unhandled rejection: ' + String(r && r.message ? r.message : r));
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    probe.violations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
  window.addEventListener('kelisim:error', function (e) {
    probe.kelisimErrors.push(
      e.detail && {
        code: e.detail.code,
        message: e.detail.message,
        paths: (e.detail.errors || []).map(function (x) {
          return x.path;
        }),
      },
    );
  });
  var original = console.error;
  console.error = function () {
    var parts = [];
    for (var i = 0; i < arguments.length; i++) {
      var a = arguments[i];
      parts.push(a && a.message ? String(a.message) : String(a));
    }
    probe.consoleErrors.push(parts.join(' '));
    return original.apply(this, arguments);
  };
})();
