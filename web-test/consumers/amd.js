// A stand-in for RequireJS as far as a classic script can tell: a global
// `define` with `define.amd`. Like RequireJS, an anonymous define() from a
// script it did not load is an error ("Mismatched anonymous define()").
(function () {
  window.__amd = [];
  function define(name) {
    window.__amd.push(typeof name === 'string' ? name : '(anonymous)');
    if (typeof name !== 'string')
      console.error('Mismatched anonymous define() module: ' + String(arguments[arguments.length - 1]).slice(0, 60));
  }
  define.amd = { jQuery: true };
  window.define = define;
  window.require = window.requirejs = function () {};
})();
