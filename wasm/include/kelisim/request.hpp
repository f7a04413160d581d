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
  nlohmann::ordered_json body;
  std::vector<Issue> errors;

  bool parse(const std::string& text) {
    body = parse_json(text);
    if (body.is_discarded() || !body.is_object()) {
      errors.push_back({"", "the request is not a JSON object"});
      return false;
    }
    return true;
  }
  std::string str(const char* key) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return "";
    if (!it->is_string()) {
      errors.push_back({key, "expected a string"});
      return "";
    }
    return it->get<std::string>();
  }
  bool boolean(const char* key) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return false;
    if (!it->is_boolean()) {
      errors.push_back({key, "expected a boolean"});
      return false;
    }
    return it->get<bool>();
  }
  /// Milliseconds since the epoch -> seconds. Bounded to year 9999: a larger
  /// double would overflow the conversion, and the codec stores times < 2^40 s.
  int64_t now() {
    auto it = body.find("now");
    constexpr double kMaxMs = 253402300799999.0;  // 9999-12-31T23:59:59.999Z
    if (it == body.end() || !it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
        it->get<double>() > kMaxMs) {
      errors.push_back({"now", "expected the current time in milliseconds"});
      return 0;
    }
    return int64_t(it->get<double>() / 1000.0);
  }
  std::vector<std::string> strings(const nlohmann::ordered_json& obj, const char* key, const std::string& path) {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return out;
    if (!it->is_array()) {
      errors.push_back({path, "expected an array of strings"});
      return out;
    }
    for (const auto& e : *it) {
      if (e.is_string()) out.push_back(e.get<std::string>());
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
