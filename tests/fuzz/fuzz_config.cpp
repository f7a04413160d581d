// libFuzzer target: configuration parsing and validation must never crash,
// abort or leave a "valid" result that the engine cannot use; and the
// engine's JSON reader accepts exactly what nlohmann's parser accepts and
// reads the same value from it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kelisim/api.hpp"
#include "kelisim/config.hpp"
#include "kelisim/engine.hpp"
#include "kelisim/json.hpp"

namespace {

using ordered = nlohmann::ordered_json;

/// The same value: types, numbers (integers above INT64_MAX read as INT64_MAX), strings, members in order.
bool same(const kelisim::Json& a, const ordered& b) {
  using T = kelisim::Json::Type;
  switch (b.type()) {
    case ordered::value_t::null: return a.type() == T::null;
    case ordered::value_t::boolean: return a.is_boolean() && a.boolean() == b.get<bool>();
    case ordered::value_t::number_integer: return a.is_integer() && a.integer() == b.get<int64_t>();
    case ordered::value_t::number_unsigned:
      return a.is_integer() && a.integer() == (b.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : b.get<int64_t>());
    case ordered::value_t::number_float: return a.type() == T::number && a.number() == b.get<double>();
    case ordered::value_t::string: return a.is_string() && a.string() == b.get_ref<const std::string&>();
    case ordered::value_t::array:
    case ordered::value_t::object: {
      if (a.is_object() != b.is_object() || a.is_array() != b.is_array() || a.size() != b.size()) return false;
      size_t i = 0;
      for (auto it = b.begin(); it != b.end(); ++it, ++i) {
        const kelisim::Json::Member& m = a.items()[i];
        if ((b.is_object() && m.key != it.key()) || !same(m.value, *it)) return false;
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kelisim::Json mine;
  ordered theirs = ordered::parse(text.begin(), text.end(), nullptr, false);
  if (kelisim::parse_json(text, mine) == theirs.is_discarded()) __builtin_trap();
  if (!theirs.is_discarded() && !same(mine, theirs)) __builtin_trap();
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
