// libFuzzer target: cookie/storage globs, host patterns and URL hosts.
// Input: pattern, a NUL byte, then the name/host/URL.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kelisim/patterns.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find('\0');
  std::string_view pattern = in.substr(0, cut);
  std::string_view subject = cut == std::string_view::npos ? in : in.substr(cut + 1);

  bool g = kelisim::glob_match(pattern, subject);
  // A pattern without '*' matches exactly itself; "*" + pattern + "*" matches whatever it matches.
  if (pattern.find('*') == std::string_view::npos && g != (pattern == subject)) __builtin_trap();
  if (g && !kelisim::glob_match("*" + std::string(pattern) + "*", subject)) __builtin_trap();
  if (!kelisim::glob_match("*", subject)) __builtin_trap();

  bool h = kelisim::host_match(pattern, subject);
  if (h && kelisim::host_match(pattern, "")) __builtin_trap();
  if (kelisim::valid_host_pattern(pattern) && pattern.find('*') == std::string_view::npos &&
      !kelisim::host_match(pattern, pattern))
    __builtin_trap();

  std::string host = kelisim::url_host(subject);
  for (char c : host)
    if (c >= 'A' && c <= 'Z') __builtin_trap();  // hosts come back lower-cased
  if (host.size() > subject.size()) __builtin_trap();
  kelisim::url_host(in);
  kelisim::valid_name_pattern(pattern);
  return 0;
}
