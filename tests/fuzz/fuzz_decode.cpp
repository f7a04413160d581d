// libFuzzer target: any stored cookie value decodes or is rejected with a
// reason; whatever decodes re-encodes to a value that decodes the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kelisim/config.hpp"
#include "kelisim/engine.hpp"
#include "kelisim/record.hpp"

namespace {

const kelisim::Config& config() {
  static const kelisim::Config cfg = kelisim::parse_config(std::string_view(R"({
    "revision": 3,
    "categories": {"necessary": {"required": true}, "analytics": {"consentMode": ["analytics_storage"]}, "marketing": {"gpc": "deny"}},
    "services": {"google-analytics": {"category": "analytics", "cookies": ["_ga*"]}, "hubspot": {"category": "marketing"}}
  })"))
                                         .config;
  return cfg;
}

bool same(const kelisim::Record& a, const kelisim::Record& b) {
  if (a.revision != b.revision || a.created != b.created || a.updated != b.updated || a.id != b.id || a.method != b.method ||
      a.sequence != b.sequence || a.answers.size() != b.answers.size())
    return false;
  for (size_t i = 0; i < a.answers.size(); ++i)
    if (a.answers[i].key != b.answers[i].key || a.answers[i].accepted != b.answers[i].accepted) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view value(reinterpret_cast<const char*>(data), size);
  kelisim::DecodeResult d = kelisim::decode_record(value);
  if (d.ok == !d.reason.empty()) __builtin_trap();
  if (d.ok) {
    std::string again = kelisim::encode_record(d.record);
    kelisim::DecodeResult d2 = kelisim::decode_record(again);
    if (!d2.ok || !same(d.record, d2.record)) __builtin_trap();
    if (kelisim::encode_record(d2.record) != again) __builtin_trap();
  }
  // The engine treats the value the same way: no decision unless it decodes.
  kelisim::Status st = kelisim::evaluate(config(), value, 1767225600);
  if (st.decided && !d.ok) __builtin_trap();
  if (!st.decided && kelisim::allowed_categories(config(), st).size() != 1) __builtin_trap();
  return 0;
}
