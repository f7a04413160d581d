#include "kelisim/links.hpp"

#include <cstdint>

namespace kelisim {
namespace {

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

// Strict UTF-8 decoding of the code point at s[i]: its length, or 0 when the
// bytes are not valid UTF-8 (overlong, surrogate, out of range, truncated).
size_t decode_utf8(std::string_view s, size_t i, uint32_t& cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  size_t len;
  uint32_t min;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Code points that would make a link target look different from what it is:
// spaces, controls (C0, DEL, C1), soft hyphen, zero-width and bidi formatting
// characters, line/paragraph separators, BOM and the Specials block.
bool is_hidden_or_space(uint32_t cp) {
  return cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || cp == 0x1680 || cp == 0x180E ||
         (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
         cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF);
}

bool url_allowed(std::string_view url) {
  if (url.empty()) return false;
  for (size_t i = 0; i < url.size();) {
    uint32_t cp = 0;
    const size_t len = decode_utf8(url, i, cp);
    if (len == 0 || is_hidden_or_space(cp) || cp == '[' || cp == ']') return false;
    i += len;
  }
  // A ':' before the path/query/fragment starts means a scheme (or something
  // a browser might read as one): only http and https may pass.
  const size_t colon = url.find(':');
  if (colon != std::string_view::npos && colon < url.find_first_of("/?#")) {
    const std::string_view scheme = url.substr(0, colon);
    return iequals(scheme, "http") || iequals(scheme, "https");
  }
  return true;
}

bool label_allowed(std::string_view label) {
  for (char c : label)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return true;
  return false;  // empty or blank: a link nobody could see
}

void add_plain(std::vector<TextRun>& runs, std::string_view text) {
  if (text.empty()) return;
  if (!runs.empty() && runs.back().href.empty()) runs.back().text.append(text.data(), text.size());
  else runs.push_back(TextRun{std::string(text), std::string()});
}

}  // namespace

std::vector<TextRun> parse_links(std::string_view text) {
  std::vector<TextRun> runs;
  const size_t n = text.size();
  size_t plain_from = 0;
  size_t i = 0;
  while (i < n) {
    if (text[i] != '[') {
      ++i;
      continue;
    }
    // Every scan below stops at the next bracket, so each byte is visited
    // a bounded number of times: linear overall, even on "[a](" * 10^5.
    const size_t close = text.find_first_of("[]", i + 1);
    if (close == std::string_view::npos || text[close] != ']' || close + 1 >= n || text[close + 1] != '(') {
      ++i;
      continue;
    }
    const size_t url_from = close + 2;
    size_t depth = 0;
    size_t end = std::string_view::npos;
    for (size_t k = url_from; k < n; ++k) {
      const char c = text[k];
      if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (depth == 0) {
          end = k;
          break;
        }
        --depth;
      } else if (c == '[' || c == ']' || static_cast<unsigned char>(c) <= 0x20) {
        break;  // cannot be part of an accepted URL
      }
    }
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    const std::string_view label = text.substr(i + 1, close - i - 1);
    const std::string_view url = text.substr(url_from, end - url_from);
    if (!label_allowed(label) || !url_allowed(url)) {
      ++i;
      continue;
    }
    add_plain(runs, text.substr(plain_from, i - plain_from));
    runs.push_back(TextRun{std::string(label), std::string(url)});
    i = end + 1;
    plain_from = i;
  }
  add_plain(runs, text.substr(plain_from));
  return runs;
}

}  // namespace kelisim
