// The only file that knows about Emscripten: it maps the engine's JSON entry
// points to a plain C interface and decides nothing. Text crosses as UTF-8
// bytes: the caller asks for an argument buffer of a given size
// (kelisim_arg), writes into it, calls an entry point by number
// (kelisim_call, which answers the answer's length) and reads the answer
// (kelisim_out). js/src/entry-points.js is the other side; no binding
// library is needed for strings in, string out.
#include <emscripten/emscripten.h>

#include <cstddef>
#include <string>

#include "kelisim/api.hpp"
#ifdef KELISIM_SCANNER
#include "kelisim/api_scan.hpp"
#endif

namespace {

std::string args[2];
std::string answer;

/// The entry points, by the number js/src/entry-points.js gives them.
std::string dispatch(int entry) {
  switch (entry) {
    case 0: return kelisim::api_validate(args[0]);
    // Configured once per page; the other entry points then take the request
    // alone, against the configuration the engine keeps.
    case 1: return kelisim::api_configure(args[0]);
    case 2: return kelisim::api_start(kelisim::configured(), args[0]);
    case 3: return kelisim::api_decide(kelisim::configured(), args[0]);
    case 4: return kelisim::api_query(kelisim::configured(), args[0]);
    case 5: return kelisim::api_texts(kelisim::configured(), args[0]);
#ifdef KELISIM_SCANNER
    // Only in kelisim-scan.wasm (`kelisim scan`, Node): no site loads scanner code.
    case 6: return kelisim::api_scan(args[0], args[1]);
#endif
    default: return R"({"ok":false,"error":{"code":"invalid-request","message":"no such entry point","errors":[]}})";
  }
}

}  // namespace

extern "C" {

/// A buffer of `size` bytes for argument `index` (0 or 1) of the next call.
EMSCRIPTEN_KEEPALIVE char* kelisim_arg(int index, size_t size) {
  std::string& a = args[index == 1 ? 1 : 0];
  a.assign(size, '\0');
  return a.data();
}

/// Calls entry point `entry` with the arguments written; answers the length of its answer.
EMSCRIPTEN_KEEPALIVE size_t kelisim_call(int entry) {
  answer = dispatch(entry);
  return answer.size();
}

/// Where the last answer is (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* kelisim_out() { return answer.data(); }
}
