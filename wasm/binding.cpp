// The only file that knows about Emscripten: it maps the engine's JSON entry
// points to JS names and decides nothing.
#include <emscripten/bind.h>

#include "kelisim/api.hpp"
#ifdef KELISIM_SCANNER
#include "kelisim/api_scan.hpp"
#endif

EMSCRIPTEN_BINDINGS(kelisim) {
  emscripten::function("_validate", &kelisim::api_validate);
  emscripten::function("_start", &kelisim::api_start);
  emscripten::function("_decide", &kelisim::api_decide);
  emscripten::function("_query", &kelisim::api_query);
  emscripten::function("_texts", &kelisim::api_texts);
#ifdef KELISIM_SCANNER
  // Only in kelisim-scan.wasm (`kelisim scan`, Node): no site loads scanner code.
  emscripten::function("_scan", &kelisim::api_scan);
#endif
}
