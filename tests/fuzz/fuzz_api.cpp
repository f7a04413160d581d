// libFuzzer target: random requests to the JSON entry points with a fixed,
// valid configuration (the engine tests' fixture). Every answer is a JSON object with "ok"; a decision's
// cookie, read back at the same time, is a current decision.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "kelisim/api.hpp"

namespace {

using json = nlohmann::json;

/// The engine tests' own configuration (tests/fixtures/config-demo.json): one fixture set.
const std::string& config() {
  static const std::string text = [] {
    std::ifstream in(std::string(KELISIM_FIXTURES) + "/config-demo.json", std::ios::binary);
    std::string t((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (t.empty()) __builtin_trap();  // run from a build that knows where the fixtures are
    return t;
  }();
  return text;
}

json answer(const std::string& text) {
  json out = json::parse(text, nullptr, false);
  if (!out.is_object() || !out.contains("ok") || !out["ok"].is_boolean()) __builtin_trap();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the entry point; the rest is the request.
  std::string request(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: answer(kelisim::api_start(config(), request)); break;
    case 1: answer(kelisim::api_query(config(), request)); break;
    case 2: answer(kelisim::api_texts(config(), request)); break;
    default: {
      json out = answer(kelisim::api_decide(config(), request));
      if (out["ok"] != true) break;
      json req = json::parse(request, nullptr, false);
      json back = json::object();
      back["cookieHeader"] = "kelisim=" + out["cookie"]["value"].get<std::string>();
      back["now"] = req["now"];
      json st = answer(kelisim::api_start(config(), back.dump()));
      if (st["ok"] != true || st["state"]["decided"] != true || st["state"]["id"] != out["receipt"]["id"]) __builtin_trap();
      if (st["state"]["categories"] != out["state"]["categories"]) __builtin_trap();
      break;
    }
  }
  return 0;
}
