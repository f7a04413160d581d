// What every entry point reads first: the request's fields (with type
// checks that become errors naming the field), the Cookie header, the stored
// decision among its cookies, and the times and URLs a receipt holds.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kelisim/config.hpp"

namespace kelisim {

/// Reads the fields of a request with type checks; wrong types become errors.
struct Request {
  Json body;
  std::vector<Issue> errors;

  bool parse(const std::string& text) {
    if (!parse_json(text, body) || !body.is_object()) {
      errors.push_back({"", "the request is not a JSON object"});
      return false;
    }
    return true;
  }
  std::string str(const char* key) {
    const Json* v = body.find(key);
    if (!v || v->is_null()) return "";
    if (!v->is_string()) {
      errors.push_back({key, "expected a string"});
      return "";
    }
    return v->string();
  }
  bool boolean(const char* key) {
    const Json* v = body.find(key);
    if (!v || v->is_null()) return false;
    if (!v->is_boolean()) {
      errors.push_back({key, "expected a boolean"});
      return false;
    }
    return v->boolean();
  }
  /// Milliseconds since the epoch -> seconds. Bounded to year 9999: a larger
  /// double would overflow the conversion, and the codec stores times < 2^40 s.
  int64_t now() {
    const Json* v = body.find("now");
    constexpr double kMaxMs = 253402300799999.0;  // 9999-12-31T23:59:59.999Z
    if (!v || !v->is_number() || !std::isfinite(v->number()) || v->number() < 0 || v->number() > kMaxMs) {
      errors.push_back({"now", "expected the current time in milliseconds"});
      return 0;
    }
    return int64_t(v->number() / 1000.0);
  }
  std::vector<std::string> strings(const Json& obj, const char* key, const std::string& path) {
    std::vector<std::string> out;
    const Json* v = obj.find(key);
    if (!v || v->is_null()) return out;
    if (!v->is_array()) {
      errors.push_back({path, "expected an array of strings"});
      return out;
    }
    for (const Json::Member& e : v->items()) {
      if (e.value.is_string()) out.push_back(e.value.string());
      else errors.push_back({path, "expected an array of strings"});
    }
    return out;
  }
};

/// Splits a Cookie header ("a=1; b=2") into (name, value) pairs.
std::vector<std::pair<std::string, std::string>> parse_cookie_header(const std::string& header);

/// The stored decision among the cookies: of those with the configured name
/// that decode, the most recently updated (browsers list equal paths oldest
/// first, so a stale copy left on another domain must not win), else the first
/// one with that name (so its reason is reported), else "".
std::string stored_value(const Config& cfg, const std::string& header);

/// The page URL as a receipt may hold it: without query and fragment, which
/// can carry personal data (a parcel tracking number, an e-mail address).
std::string receipt_url(const std::string& url);

/// Seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ" (years clamped to 0-9999).
std::string iso_time(int64_t seconds);

}  // namespace kelisim
