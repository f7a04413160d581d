// Every consent decision kelisim makes: pure functions of the configuration,
// the stored record, the time and the signals JS passes in.
#pragma once
#include <string>
#include <vector>

#include "kelisim/config.hpp"
#include "kelisim/record.hpp"

namespace kelisim {

/// Why the visitor must be asked (again), if at all.
enum class AskReason { none, first_visit, revision, expired, new_items };
const char* ask_reason_name(AskReason r);

/// What the engine knows after reading the stored value against a configuration.
struct Status {
  bool decided = false;  ///< a valid, current decision exists
  AskReason ask = AskReason::first_visit;
  std::string invalid_reason;          ///< set when a stored value existed but could not be used
  bool readable = false;               ///< the stored value decoded (it may still be outdated)
  bool gpc = false;                    ///< Global Privacy Control was on when asked
  Record record;                       ///< meaningful when `readable`
  std::vector<std::string> new_items;  ///< categories/services never asked about (ask == new_items)
};

/// Decodes `stored` (the consent cookie value, possibly empty or garbage) and
/// decides whether it is current at `now_seconds`. With `gpc` (the browser
/// sends Global Privacy Control), an earlier "accept all" does not cover
/// `"gpc": "deny"` categories: only an explicit choice does.
Status evaluate(const Config& cfg, std::string_view stored, int64_t now_seconds, bool gpc = false);

/// True when `name` (a category, service or alias) is allowed.
/// Unknown names are never allowed.
bool is_allowed(const Config& cfg, const Status& st, const std::string& name);

/// One gated element's attributes (SPEC §2); empty strings are absent attributes.
struct Gate {
  std::string category;       ///< data-category, possibly "!name"
  std::string service;        ///< data-service
  std::string cookieconsent;  ///< data-cookieconsent: comma/space separated names
};
/// True when the gated element may run now. A gate with no usable attribute
/// stays closed.
bool gate_open(const Config& cfg, const Status& st, const Gate& gate);

/// True when every service is allowed: then nothing is held, every URL,
/// cookie, cookie write and storage key is allowed (none is claimed by a
/// service that is not).
bool every_service_allowed(const Config& cfg, const Status& st);

/// The allowed categories and services, in configuration order.
std::vector<std::string> allowed_categories(const Config& cfg, const Status& st);
std::vector<std::string> allowed_services(const Config& cfg, const Status& st);

/// The visitor's choice to record.
struct Choice {
  Method method = Method::api;  ///< how the choice was made (stored)
  /// What was chosen: Method::accept_all (everything, GPC permitting),
  /// Method::reject_all (only required), or anything else for exactly the
  /// listed categories and services.
  Method preset = Method::none;
  std::vector<std::string> categories;  ///< for custom/api: the accepted ones (aliases allowed)
  std::vector<std::string> services;    ///< for custom/api: services accepted individually
};

/// The choice that keeps the current decision (`before`) and adds what `gate`
/// needs to open: its service, else its categories, and its Cookiebot names.
/// A placeholder's "always allow" and allowService() record this.
Choice choice_adding(const Config& cfg, const Status& before, const Gate& gate, Method method);

/// One `document.cookie` write as a browser reads it: the cookie's name and
/// whether it deletes the cookie (the last Max-Age wins over Expires; an
/// Expires date before `now_seconds` deletes).
struct CookieWrite {
  std::string name;
  bool deletion = false;
};
CookieWrite parse_cookie_write(std::string_view text, int64_t now_seconds);

/// Whether a `document.cookie` write may go through: deletions always may; a
/// cookie that belongs to a service not allowed may not.
bool cookie_write_allowed(const Config& cfg, const Status& st, std::string_view text, int64_t now_seconds);

struct DecideResult {
  Record record;
  std::string cookie_value;
  std::vector<std::string> unknown;  ///< names in the choice that match nothing
};

/// Records a decision. Keeps the id, creation time and sequence of a current
/// (or expired/outdated but readable) record; otherwise uses `fresh_id`.
DecideResult decide(const Config& cfg, const Status& before, const Choice& choice, bool gpc, int64_t now_seconds,
                    const std::array<uint8_t, 16>& fresh_id);

/// The names in `before` allowed that are not allowed `after`, and vice versa
/// (categories first, then services).
struct Changes {
  std::vector<std::string> accepted, rejected;
};
Changes diff(const Config& cfg, const Status& before, const Status& after);

/// Whether a cookie name or storage key may exist now: blocked when claimed by
/// services none of which is allowed. kelisim's own (the consent cookie, with
/// compat.cookiebot also CookieConsent; storage keys beginning "kelisim:") always may.
bool cookie_allowed(const Config& cfg, const Status& st, std::string_view cookie_name);
bool storage_allowed(const Config& cfg, const Status& st, std::string_view key);
/// False when a script/iframe URL's host belongs only to services that are not allowed.
bool url_allowed(const Config& cfg, const Status& st, std::string_view url);
/// Which URLs a page's guards must ask `url_allowed` about, the others being
/// allowed whatever the decision: "none" without auto-blocking, "all" when a
/// service names the page's own host (`page_url`: its origin or address), else
/// "cross-origin".
const char* url_scope(const Config& cfg, bool auto_block, std::string_view page_url);
/// The service hosts that name the page's own host (each a warning: the site
/// then waits for consent to load from itself).
std::vector<Issue> own_host_claims(const Config& cfg, std::string_view page_url);

/// Which of the present names to delete for the decision in `st`.
std::vector<std::string> cleanup_cookies(const Config& cfg, const Status& st, const std::vector<std::string>& present);
std::vector<std::string> cleanup_storage(const Config& cfg, const Status& st, const std::vector<std::string>& present);

/// Google Consent Mode: each of the seven types to "granted"/"denied".
std::vector<std::pair<std::string, bool>> consent_mode_state(const Config& cfg, const Status& st);

/// Days until the decision in `st` expires (by `rejectedExpiresAfterDays` when
/// every optional category was rejected).
int expiry_days(const Config& cfg, const Record& record);

}  // namespace kelisim
