// The site's configuration (SPEC §3): parsed, validated and normalised.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kelisim/json.hpp"

namespace kelisim {

/// One problem found in the input, located by a JSON path such as
/// `categories.analytics.consentMode[0]`.
struct Issue {
  std::string path;
  std::string message;
};

struct Category {
  std::string name;
  bool required = false;
  std::vector<std::string> consent_mode;  ///< Google Consent Mode types this category grants.
  bool gpc_deny = false;                  ///< `"gpc": "deny"`: not granted by "accept all" under GPC.
};

struct Service {
  std::string name;
  std::string category;
  std::vector<std::string> cookies;  ///< cookie name globs
  std::vector<std::string> storage;  ///< localStorage / sessionStorage key globs
  std::vector<std::string> hosts;    ///< host names or `*.` suffix globs
};

struct CookieOptions {
  std::string name = "kelisim";
  std::string domain;  ///< "" = this host only, "auto", or an explicit domain
  std::string path = "/";
  int expires_after_days = 365;
  int rejected_expires_after_days = 182;
  std::string same_site = "Lax";
  std::string secure = "auto";  ///< "auto" (when the page is https), "true", "false"
};

struct Config {
  int64_t revision = 0;
  std::string policy_url;
  std::string contact;
  CookieOptions cookie;
  std::vector<Category> categories;  ///< in configuration order
  std::vector<Service> services;     ///< in configuration order
  std::map<std::string, std::string> aliases;
  bool auto_block = true;
  bool cookie_guard = true;
  bool reload_on_withdrawal = false;
  bool consent_mode_enabled = true;
  int64_t wait_for_update = 500;
  bool ads_data_redaction = false;
  bool url_passthrough = false;
  std::string receipts_endpoint;
  bool compat_cookiebot = false;
  std::string default_language = "en";
  std::string auto_detect = "document";  ///< "document", "browser" or "off"
  /// language -> flat key ("banner.title") -> text
  std::map<std::string, std::map<std::string, std::string>> translations;
  std::string ui_layout = "bar";
  std::string ui_position = "bottom";
  std::string ui_theme = "auto";
  bool ui_reopen_button = true;
  bool debug = false;

  const Category* find_category(const std::string& name) const;
  const Service* find_service(const std::string& name) const;
  /// Languages the site offers: its translations' keys, else the built-in ones.
  std::vector<std::string> languages() const;
};

/// The seven Google Consent Mode v2 types, in Google's documentation order.
const std::vector<std::string>& consent_mode_types();

/// Integer to text without std::to_string, which pulls printf into the wasm.
std::string decimal(int64_t v);

struct ParseResult {
  bool ok = false;
  Config config;
  std::vector<Issue> errors;    ///< any error makes the configuration unusable (fail closed)
  std::vector<Issue> warnings;  ///< unknown keys and other things that were ignored
};

/// Validates and normalises a configuration given as JSON text. Never throws
/// or aborts: every problem is reported as an Issue with its JSON path, all at once.
ParseResult parse_config(std::string_view json_text);
/// Same, from an already parsed JSON value.
ParseResult parse_config(const Json& value);

}  // namespace kelisim
