// libFuzzer target: random requests to the JSON entry points with a fixed,
// valid configuration. Every answer is a JSON object with "ok"; a decision's
// cookie, read back at the same time, is a current decision.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "kelisim/api.hpp"

namespace {

using json = nlohmann::json;

const std::string kConfig = R"cfg({
  "revision": 2,
  "policyUrl": "/privacy",
  "contact": "export.kz@meestgroup.com",
  "cookie": {"name": "kelisim", "domain": "auto", "expiresAfterDays": 365, "rejectedExpiresAfterDays": 30},
  "categories": {
    "necessary": {"required": true},
    "preferences": {"consentMode": ["functionality_storage"]},
    "analytics": {"consentMode": ["analytics_storage"]},
    "marketing": {"consentMode": ["ad_storage", "ad_user_data", "ad_personalization"], "gpc": "deny"},
    "embedded": {}
  },
  "aliases": {"statistics": "analytics"},
  "services": {
    "session": {"category": "necessary", "cookies": ["PHPSESSID"]},
    "google-analytics": {"category": "analytics", "cookies": ["_ga", "_ga_*", "_gid"], "hosts": ["*.google-analytics.com"]},
    "hubspot": {"category": "marketing", "cookies": ["hubspotutk", "__hs*"], "storage": ["hs-*"], "hosts": ["js.hs-scripts.com"]},
    "youtube": {"category": "embedded", "storage": ["yt-*"], "hosts": ["www.youtube.com"]}
  },
  "receipts": {"endpoint": "/consent-receipts"},
  "compat": {"cookiebot": true},
  "language": {"default": "kk", "translations": {"kk": {}, "ru": {}, "en": {"banner": {"title": "[Cookies](/privacy)"}}}}
})cfg";

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
    case 0: answer(kelisim::api_start(kConfig, request)); break;
    case 1: answer(kelisim::api_query(kConfig, request)); break;
    case 2: answer(kelisim::api_texts(kConfig, request)); break;
    default: {
      json out = answer(kelisim::api_decide(kConfig, request));
      if (out["ok"] != true) break;
      json req = json::parse(request, nullptr, false);
      json back = json::object();
      back["cookieHeader"] = "kelisim=" + out["cookie"]["value"].get<std::string>();
      back["now"] = req["now"];
      json st = answer(kelisim::api_start(kConfig, back.dump()));
      if (st["ok"] != true || st["state"]["decided"] != true || st["state"]["id"] != out["receipt"]["id"]) __builtin_trap();
      if (st["state"]["categories"] != out["state"]["categories"]) __builtin_trap();
      break;
    }
  }
  return 0;
}
