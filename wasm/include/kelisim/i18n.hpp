// Built-in languages and language negotiation. kelisim ships its own Kazakh,
// Russian and English texts for every string the UI shows (SPEC §3), so a
// site only overrides what it wants to; their keys are here, the texts in one
// file per language (kelisim/texts.hpp). This file also decides which
// language a visitor gets and which way it is written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kelisim {

/// Languages with built-in texts, in preference order: {"kk", "ru", "en"}
/// (Kazakh is the state language of the first site, Russian official).
const std::vector<std::string>& builtin_languages();

/// The built-in language `lang` names ("kk", "ru" or "en"; ASCII
/// case-insensitive, no subtags), as spelled there, or "" when it is not one.
/// Their texts are not compiled in (see kelisim/texts.hpp).
std::string builtin_language(std::string_view lang);

/// All built-in keys, in a fixed order (the same set for every built-in
/// language): the SPEC §3 translation keys, the `ui.*` labels and the
/// `categories.<name>.{title,description}` texts for the conventional category
/// names necessary, preferences, analytics, marketing and embedded.
const std::vector<std::string>& builtin_keys();

/// BCP 47 "lookup" negotiation (RFC 4647 §3.4). For each requested tag in
/// order (ASCII case-insensitive, '_' read as '-', surrounding spaces ignored)
/// try the tag, then drop subtags from the right ("kk-Cyrl-KZ" -> "kk-Cyrl" ->
/// "kk", also dropping a single-letter subtag left at the end); the first one
/// present in `available` (compared the same way) wins and is returned as
/// spelled in `available`. Nothing matches -> `fallback`. Empty or malformed
/// entries (not alphanumeric subtags of 1..8 chars, a first subtag that is not
/// 2..8 letters, "*") are skipped on both sides.
std::string negotiate_language(const std::vector<std::string>& requested, const std::vector<std::string>& available,
                               const std::string& fallback);

/// True when `lang` is written right to left: a primary subtag of ar, he, fa,
/// ur, yi, ps, sd, ug, dv or ckb (or the old codes iw, ji). An explicit script
/// subtag decides instead when present: Arab, Hebr, Thaa, Syrc, Nkoo, Adlm,
/// Rohg, Mand or Samr are right to left ("ku-Arab"), any other script is left
/// to right ("sd-Deva", "ug-Latn"). ASCII case-insensitive, '_' read as '-'.
bool is_rtl(std::string_view lang);

}  // namespace kelisim
