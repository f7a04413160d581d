// Text resolution: what the UI shows, in one language, resolved from the
// site's translations and one built-in table. The built-in tables are not
// compiled in: each built-in language is a file of its own
// (kelisim-texts-<lang>.json, generated from wasm/texts/builtin-texts.json),
// which the shim fetches only when something is shown and passes in with the
// request. The engine says which table it needs (`builtin_table_language`).
#pragma once

#include <string>
#include <vector>

#include "kelisim/config.hpp"
#include "kelisim/engine.hpp"
#include "kelisim/json.hpp"

namespace kelisim {

/// One built-in language's texts as kelisim-texts-<lang>.json holds them:
/// {"language": "kk", "texts": {"banner.title": "…", …}}, every key of
/// builtin_keys() a string.
struct BuiltinTable {
  std::string language;
  std::vector<std::string> texts;  ///< in builtin_keys() order
};

/// Reads a built-in table; false with the problems (JSON paths) when it is
/// not one. Keys beyond builtin_keys() are ignored.
bool read_builtin_table(const std::string& text, BuiltinTable& out, std::vector<Issue>& errors);

/// The built-in language whose table resolves `lang`'s texts: the first of
/// `lang`, the configuration's default language and "en" that has built-in
/// texts (every built-in table holds every key, so one table is enough).
std::string builtin_table_language(const Config& cfg, const std::string& lang);

/// Resolves texts in one language. `table` is the built-in table of
/// builtin_table_language(cfg, lang), or nullptr when the shim has not given
/// it; then every text the table would have supplied is left empty and
/// `missing` is set, so that the caller asks for the table instead.
struct TextResolver {
  const Config& cfg;
  std::string lang;
  const BuiltinTable* table = nullptr;
  bool missing = false;

  /// A text in `lang`: the site's translation, then the same in the default
  /// language, with the built-in table in the place of its language in that
  /// chain (or last, when it is English's); else `fallback`.
  std::string resolve(const std::string& key, const std::string& fallback = "");

  /// Everything the UI shows, resolved: {"language", "dir", "texts",
  /// "categories", "notice"}; `ask` says why the banner asks (the notice).
  Json texts(AskReason ask);

  /// What a placeholder shows for a gate: its title, the text with
  /// {service} filled in, and the service's description.
  Json placeholder(const Gate& g);
};

}  // namespace kelisim
