#include "kelisim/patterns.hpp"

namespace kelisim {
namespace {

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

bool is_slash(char c) { return c == '/' || c == '\\'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower_ascii(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

std::string_view strip_trailing_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

// Schemes whose URLs name a host the browser will contact.
bool is_network_scheme(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" || scheme == "ftp";
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view name) {
  // Classic two-pointer glob: on a mismatch, retry from the last '*' with one
  // more character swallowed. Only the last star matters, so no recursion.
  size_t p = 0, n = 0;
  size_t star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool host_match(std::string_view pattern, std::string_view host) {
  pattern = strip_trailing_dot(pattern);
  host = strip_trailing_dot(host);
  if (pattern.empty() || host.empty()) return false;
  if (pattern.size() > 2 && pattern[0] == '*' && pattern[1] == '.') {
    std::string_view suffix = pattern.substr(1);  // ".example.com"
    if (suffix.find('*') != std::string_view::npos) return false;
    // Strictly longer: the bare domain itself is not a subdomain of itself.
    return host.size() > suffix.size() && iequals(host.substr(host.size() - suffix.size()), suffix);
  }
  if (pattern.find('*') != std::string_view::npos) return false;
  return iequals(pattern, host);
}

std::string url_host(std::string_view url) {
  // Browsers trim leading/trailing C0 controls and spaces and drop tabs and
  // newlines anywhere; do the same so "java\tscript:" or " //x" parse alike.
  size_t b = 0, e = url.size();
  while (b < e && static_cast<unsigned char>(url[b]) <= 0x20) ++b;
  while (e > b && static_cast<unsigned char>(url[e - 1]) <= 0x20) --e;
  std::string s;
  s.reserve(e - b);
  for (size_t k = b; k < e; ++k)
    if (url[k] != '\t' && url[k] != '\n' && url[k] != '\r') s.push_back(url[k]);

  size_t i = 0;
  size_t j = 0;
  if (!s.empty() && is_alpha(s[0])) {
    j = 1;
    while (j < s.size() && (is_alnum(s[j]) || s[j] == '+' || s[j] == '-' || s[j] == '.')) ++j;
  }
  if (j > 0 && j < s.size() && s[j] == ':') {
    std::string scheme;
    for (size_t k = 0; k < j; ++k) scheme.push_back(lower_ascii(s[k]));
    if (!is_network_scheme(scheme)) return {};
    i = j + 1;
  } else if (s.size() >= 2 && is_slash(s[0]) && is_slash(s[1])) {
    i = 2;  // protocol-relative
  } else {
    return {};  // relative: the page's own origin
  }
  // Special schemes ignore any number of slashes (either kind) before the host.
  while (i < s.size() && is_slash(s[i])) ++i;

  size_t end = i;
  while (end < s.size() && !is_slash(s[end]) && s[end] != '?' && s[end] != '#') ++end;
  std::string_view auth(s.data() + i, end - i);
  size_t at = auth.rfind('@');
  if (at != std::string_view::npos) auth.remove_prefix(at + 1);

  std::string_view raw;
  if (!auth.empty() && auth[0] == '[') {
    size_t close = auth.find(']');
    if (close == std::string_view::npos) return {};  // the browser rejects it too
    raw = auth.substr(0, close + 1);
  } else {
    raw = auth.substr(0, auth.find(':'));
  }

  std::string host;
  host.reserve(raw.size());
  for (size_t k = 0; k < raw.size(); ++k) {
    if (raw[k] == '%' && k + 2 < raw.size() && hex_value(raw[k + 1]) >= 0 && hex_value(raw[k + 2]) >= 0) {
      host.push_back(lower_ascii(static_cast<char>(hex_value(raw[k + 1]) * 16 + hex_value(raw[k + 2]))));
      k += 2;
    } else {
      host.push_back(lower_ascii(raw[k]));
    }
  }
  return host;
}

bool valid_name_pattern(std::string_view pattern) {
  if (pattern.empty()) return false;
  for (char c : pattern) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == ';' || c == ',' || c == '=') return false;
  }
  return true;
}

bool valid_host_pattern(std::string_view pattern) {
  if (pattern.size() >= 2 && pattern[0] == '*' && pattern[1] == '.') pattern.remove_prefix(2);
  if (pattern.empty() || pattern.size() > 253) return false;
  size_t label = 0;
  for (char c : pattern) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (is_alnum(c) || c == '-') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

}  // namespace kelisim
