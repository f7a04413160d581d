// libFuzzer target: configuration parsing and validation must never crash,
// abort or leave a "valid" result that the engine cannot use.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kelisim/api.hpp"
#include "kelisim/config.hpp"
#include "kelisim/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kelisim::ParseResult p = kelisim::parse_config(text);
  if (p.ok != p.errors.empty()) __builtin_trap();
  if (p.ok) {
    const kelisim::Config& cfg = p.config;
    if (cfg.categories.empty()) __builtin_trap();
    // A valid configuration answers every question without trouble.
    kelisim::Status st = kelisim::evaluate(cfg, "", 0);
    kelisim::allowed_categories(cfg, st);
    kelisim::consent_mode_state(cfg, st);
    for (const auto& s : cfg.services)
      if (!cfg.find_category(s.category)) __builtin_trap();
    for (const auto& kv : cfg.aliases)
      if (!cfg.find_category(kv.second) && !cfg.find_service(kv.second)) __builtin_trap();
    kelisim::Choice all;
    all.method = all.preset = kelisim::Method::accept_all;
    kelisim::DecideResult d = kelisim::decide(cfg, st, all, false, 1767225600, {});
    if (!kelisim::evaluate(cfg, d.cookie_value, 1767225600).decided) __builtin_trap();
  }
  // The JSON entry point sees the same text (and always answers JSON).
  std::string out = kelisim::api_validate(std::string(text));
  if (out.empty() || out[0] != '{') __builtin_trap();
  return 0;
}
