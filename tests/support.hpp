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

}  // namespace kelisim_test
