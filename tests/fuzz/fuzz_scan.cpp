// libFuzzer target: random requests to the scanner's entry point (api_scan),
// with a fixed catalogue, once as they come and once as an audit against a
// fixed configuration. Every answer is a JSON object with a boolean "ok"; a
// successful one holds a draft the engine accepts and one verdict per finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "kelisim/api_scan.hpp"
#include "kelisim/config.hpp"

namespace {

using json = nlohmann::ordered_json;

const std::string kCatalogue = R"cat({
  "categories": {"necessary": {"required": true}, "analytics": {"consentMode": ["analytics_storage"]},
                 "marketing": {"consentMode": ["ad_storage"], "gpc": "deny"}, "embedded": {}},
  "services": {
    "google-analytics": {"category": "analytics", "consentMode": ["analytics_storage"], "cookies": ["_ga", "_ga_*"],
                         "hosts": ["*.google-analytics.com"], "urls": ["www.googletagmanager.com/gtag/js"]},
    "facebook": {"category": "marketing", "cookies": ["_fbp"], "thirdPartyCookies": ["fr"], "hosts": ["*.facebook.com"]},
    "youtube": {"category": "embedded", "storage": ["yt-*"], "hosts": ["*.youtube.com"]}
  },
  "language": {"translations": {"en": {"services": {"youtube": {"title": "YouTube", "description": "Videos."}}}}},
  "openCookieDatabase": {"services": {"matomo": {"category": "analytics", "title": "Matomo", "cookies": ["_pk_*"],
                                                "thirdPartyCookies": ["uid"], "hosts": ["m.test"], "about": {"_pk_*": "Id."}}}}
})cat";

const std::string kConfig = R"cfg({
  "categories": {"necessary": {"required": true}, "analytics": {}, "marketing": {}},
  "aliases": {"statistics": "analytics"},
  "services": {
    "session": {"category": "necessary", "cookies": ["sid"], "hosts": ["cdn.test"]},
    "google-analytics": {"category": "analytics", "cookies": ["_ga*"], "storage": ["ga:*"], "hosts": ["*.google-analytics.com"]},
    "ads": {"category": "marketing", "cookies": ["_fbp"], "hosts": ["*.facebook.com", "ads.test"]}
  }
})cfg";

json answer(const std::string& text, const json& request) {
  json out = json::parse(text, nullptr, false);
  if (!out.is_object() || !out.contains("ok") || !out["ok"].is_boolean()) __builtin_trap();
  if (out["ok"] != true) return out;
  if (!kelisim::parse_config(std::string_view(out["draft"].dump())).ok || !out["draftErrors"].empty()) __builtin_trap();
  for (const char* list : {"cookies", "storage", "requests"}) {
    size_t asked = request.is_object() && request.contains(list) && request[list].is_array() ? request[list].size() : 0;
    if (!out[list].is_array() || out[list].size() != asked) __builtin_trap();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string request(reinterpret_cast<const char*>(data), size);
  json req = json::parse(request, nullptr, false);
  answer(kelisim::api_scan(kCatalogue, request), req);
  if (req.is_object()) {
    req["config"] = kConfig;
    req["now"] = 1767225600000.0;
    json out = answer(kelisim::api_scan(kCatalogue, req.dump(-1, ' ', false, json::error_handler_t::replace)), req);
    if (out["ok"] == true && !out["audit"].is_object()) __builtin_trap();
  }
  return 0;
}
