// Helpers shared by the engine test suites: fixture loading and small builders.
#pragma once
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
