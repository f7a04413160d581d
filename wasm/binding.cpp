// The only file that knows about Emscripten: it maps the engine's JSON entry
// points to JS names and decides nothing.
#include <emscripten/bind.h>

#include "kelisim/api.hpp"
#ifdef KELISIM_SCANNER
#include "kelisim/api_scan.hpp"
#endif

EMSCRIPTEN_BINDINGS(kelisim) {
  emscripten::function("_validate", &kelisim::api_validate);
  // Configured once per page; the other entry points then take the request
  // alone, against the configuration the engine keeps.
  emscripten::function("_configure", &kelisim::api_configure);
  emscripten::function(
      "_start", +[](const std::string& r) { return kelisim::api_start(kelisim::configured(), r); });
  emscripten::function(
      "_decide", +[](const std::string& r) { return kelisim::api_decide(kelisim::configured(), r); });
  emscripten::function(
      "_query", +[](const std::string& r) { return kelisim::api_query(kelisim::configured(), r); });
  emscripten::function(
      "_texts", +[](const std::string& r) { return kelisim::api_texts(kelisim::configured(), r); });
#ifdef KELISIM_SCANNER
  // Only in kelisim-scan.wasm (`kelisim scan`, Node): no site loads scanner code.
  emscripten::function("_scan", &kelisim::api_scan);
#endif
}
