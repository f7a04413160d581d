// libFuzzer target: the `[label](url)` parser. Whatever the text, runs come
// back with safe hrefs, no empty or doubled plain runs, and no byte lost.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kelisim/links.hpp"

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto runs = kelisim::parse_links(text);
  if (text.empty() != runs.empty()) __builtin_trap();
  std::string rebuilt;
  bool last_plain = false;
  for (const auto& r : runs) {
    bool plain = r.href.empty();
    if (plain && (r.text.empty() || last_plain)) __builtin_trap();
    last_plain = plain;
    if (plain) {
      rebuilt += r.text;
      continue;
    }
    for (const char* bad : {"javascript:", "data:", "vbscript:", "file:"})
      if (starts_with_nocase(r.href, bad)) __builtin_trap();
    for (char c : r.href)
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) __builtin_trap();
    rebuilt += "[" + r.text + "](" + r.href + ")";
  }
  if (rebuilt != text) __builtin_trap();
  return 0;
}
