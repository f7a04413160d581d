// Helpers shared by the engine test suites: fixture loading and small builders.
#pragma once
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "kelisim/config.hpp"

namespace kelisim_test {

using json = nlohmann::ordered_json;

/// The text of tests/fixtures/<name>; empty when the file cannot be read
/// (every caller checks the parse result, so a missing file fails loudly).
inline std::string fixture_text(const std::string& name) {
  std::ifstream in(std::string(KELISIM_FIXTURES) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline json fixture_json(const std::string& name) { return json::parse(fixture_text(name), nullptr, false); }

/// A test's nlohmann value as the engine's own (kelisim::Json), member order kept.
inline kelisim::Json core_json(const json& v) {
  switch (v.type()) {
    case json::value_t::boolean: return v.get<bool>();
    case json::value_t::number_integer: return v.get<int64_t>();
    case json::value_t::number_unsigned:
      return v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>();  // as kelisim::parse_json reads it
    case json::value_t::number_float: return kelisim::Json::number(v.get<double>());
    case json::value_t::string: return v.get<std::string>();
    case json::value_t::array: {
      kelisim::Json out = kelisim::Json::array();
      for (const auto& e : v) out.push_back(core_json(e));
      return out;
    }
    case json::value_t::object: {
      kelisim::Json out = kelisim::Json::object();
      for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = core_json(it.value());
      return out;
    }
    default: return nullptr;
  }
}

/// parse_config on a test's nlohmann value (through the engine's own value overload).
inline kelisim::ParseResult parse_config(const json& v) { return kelisim::parse_config(core_json(v)); }

/// A configuration that must be valid; the test stops when it is not.
inline kelisim::Config config_from(const std::string& text) {
  kelisim::ParseResult p = kelisim::parse_config(std::string_view(text));
  INFO("configuration errors: " << p.errors.size()
                                << (p.errors.empty() ? "" : " first: " + p.errors[0].path + ": " + p.errors[0].message));
  REQUIRE(p.ok);
  return p.config;
}

inline kelisim::Config demo_config() { return config_from(fixture_text("config-demo.json")); }

/// wasm/texts/builtin-texts.json: the one source of the built-in texts,
/// {key: {"kk", "ru", "en"}}, from which the build writes kelisim-texts-<lang>.json.
inline const json& builtin_source() {
  static const json source = json::parse(fixture_text("../../wasm/texts/builtin-texts.json"), nullptr, false);
  return source;
}

/// A built-in text from the source, or nullptr (unknown language or key).
inline const char* builtin_text(const std::string& lang, const std::string& key) {
  const json& s = builtin_source();
  if (!s.is_object() || !s.contains(key) || !s[key].contains(lang) || !s[key][lang].is_string()) return nullptr;
  return s[key][lang].get_ref<const std::string&>().c_str();
}

/// The text of kelisim-texts-<lang>.json as the build writes it (js/build.mjs
/// writes the same object): {"language": lang, "texts": {key: text}}.
inline std::string builtin_table(const std::string& lang) {
  json texts = json::object();
  for (const auto& kv : builtin_source().items()) texts[kv.key()] = kv.value()[lang];
  return json{{"language", lang}, {"texts", texts}}.dump();
}

}  // namespace kelisim_test
