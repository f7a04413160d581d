#include "kelisim/i18n.hpp"

#include <iterator>

namespace kelisim {
namespace {

// The keys of the built-in texts: the SPEC §3 translation keys, the UI's own
// labels and the conventional categories' texts. The texts themselves are not
// compiled in: wasm/texts/builtin-texts.json holds them (the three languages
// side by side), and the build writes one file per language from it
// (kelisim-texts-<lang>.json), fetched only when something is shown.
constexpr const char* kKeys[] = {
    "banner.title",
    "banner.description",
    "banner.acceptAll",
    "banner.rejectAll",
    "banner.preferences",
    "banner.revisionNotice",
    "banner.newServicesNotice",
    "preferences.title",
    "preferences.description",
    "preferences.acceptAll",
    "preferences.rejectAll",
    "preferences.save",
    "preferences.close",
    "preferences.contact",
    "preferences.gpcNotice",
    "preferences.language",
    "placeholder.text",
    "placeholder.loadOnce",
    "placeholder.allowService",
    "ui.expiredNotice",
    "ui.reopen",
    "ui.banner",
    "ui.services",
    "ui.cookies",
    "ui.required",
    "ui.policy",
    "categories.necessary.title",
    "categories.necessary.description",
    "categories.preferences.title",
    "categories.preferences.description",
    "categories.analytics.title",
    "categories.analytics.description",
    "categories.marketing.title",
    "categories.marketing.description",
    "categories.embedded.title",
    "categories.embedded.description",
};

constexpr const char* kLanguages[] = {"kk", "ru", "en"};

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

// Lower-cases, reads '_' as '-' and trims surrounding spaces: "  kk_KZ " -> "kk-kz".
std::string fold_tag(std::string_view tag) {
  while (!tag.empty() && is_space(tag.front())) tag.remove_prefix(1);
  while (!tag.empty() && is_space(tag.back())) tag.remove_suffix(1);
  std::string out;
  out.reserve(tag.size());
  for (char c : tag) out.push_back(c == '_' ? '-' : lower_ascii(c));
  return out;
}

// The folded tag when it is well-formed enough to negotiate with, else "":
// alphanumeric subtags of 1..8 chars, the first one 2..8 letters.
std::string normalize_tag(std::string_view tag) {
  std::string out = fold_tag(tag);
  size_t start = 0;
  for (size_t i = 0; i <= out.size(); ++i) {
    if (i < out.size() && out[i] != '-') {
      if (!is_alnum(out[i]) || (start == 0 && !is_alpha(out[i]))) return {};
      continue;
    }
    const size_t len = i - start;
    if (len < (start == 0 ? 2u : 1u) || len > 8) return {};
    start = i + 1;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& builtin_languages() {
  static const std::vector<std::string> languages(std::begin(kLanguages), std::end(kLanguages));
  return languages;
}

std::string builtin_language(std::string_view lang) {
  for (const char* l : kLanguages)
    if (iequals(lang, l)) return l;
  return {};
}

const std::vector<std::string>& builtin_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const char* key : kKeys) k.emplace_back(key);
    return k;
  }();
  return keys;
}

std::string negotiate_language(const std::vector<std::string>& requested, const std::vector<std::string>& available,
                               const std::string& fallback) {
  std::vector<std::string> offered;
  offered.reserve(available.size());
  for (const std::string& a : available) offered.push_back(normalize_tag(a));

  for (const std::string& r : requested) {
    std::string candidate = normalize_tag(r);
    while (!candidate.empty()) {
      for (size_t i = 0; i < offered.size(); ++i)
        if (!offered[i].empty() && offered[i] == candidate) return available[i];
      size_t dash = candidate.rfind('-');
      if (dash == std::string::npos) break;
      candidate.resize(dash);
      // RFC 4647: never end on a singleton ("en-a-bbb" -> "en-a" -> "en").
      while ((dash = candidate.rfind('-')) != std::string::npos && candidate.size() - dash == 2) candidate.resize(dash);
    }
  }
  return fallback;
}

bool is_rtl(std::string_view lang) {
  const std::string tag = fold_tag(lang);
  const size_t dash = tag.find('-');
  const std::string_view primary = std::string_view(tag).substr(0, dash);
  if (dash != std::string::npos) {
    const std::string_view second = std::string_view(tag).substr(dash + 1, tag.find('-', dash + 1) - dash - 1);
    if (second.size() == 4 && is_alpha(second[0]) && is_alpha(second[1]) && is_alpha(second[2]) && is_alpha(second[3])) {
      for (const char* script : {"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr"})
        if (second == script) return true;
      return false;
    }
  }
  for (const char* rtl : {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "iw", "ji"})
    if (primary == rtl) return true;
  return false;
}

}  // namespace kelisim
