// compat.cookiebot (SPEC §2, §4): what a site written for Cookiebot reads
// from it, answered from kelisim's own decision. Cookiebot's four names
// (necessary, preferences, statistics, marketing) map to the configuration
// through `aliases`, like every other name a page uses; the shim only carries
// these answers into window.Cookiebot, its events and the CookieConsent cookie.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kelisim/config.hpp"
#include "kelisim/engine.hpp"
#include "kelisim/json.hpp"

namespace kelisim {

/// window.Cookiebot's view of one state.
struct CookiebotState {
  bool necessary = true;
  bool preferences = false;
  bool statistics = false;
  bool marketing = false;
  bool has_response = false;  ///< a current decision exists
  bool consented = false;     ///< a response in which one of preferences/statistics/marketing is allowed
  bool declined = false;      ///< a response in which none of them is
  std::string stamp = "0";    ///< the decision's id ("0" without a response)
  int64_t utc_ms = 0;         ///< when the decision was made, in milliseconds
  int64_t version = 0;        ///< the decision's revision
};

/// Whether Cookiebot's `name` (or any other name a page uses) is allowed. A
/// name the configuration does not know is not allowed, except "necessary",
/// which Cookiebot always grants: what is required never needs consent.
bool cookiebot_allowed(const Config& cfg, const Status& st, const std::string& name);

/// The state as window.Cookiebot shows it.
CookiebotState cookiebot_state(const Config& cfg, const Status& st);

/// The value of Cookiebot's `CookieConsent` cookie for a state with a response,
/// URL-encoded as Cookiebot writes it ("" without a response):
/// {stamp:%27<id>%27%2Cnecessary:true%2Cpreferences:false%2C…%2Cmethod:%27explicit%27%2Cver:<revision>%2Cutc:<ms>}
std::string cookiebot_cookie_value(const CookiebotState& s);

/// The name of Cookiebot's consent cookie (CookieConsent).
const char* cookiebot_cookie_name();

/// Whether an element with this `class` attribute is shown: each of its
/// `cookieconsent-optin-<name>` classes must be allowed, and when it has
/// `cookieconsent-optout-<name>` classes, at least one of those must not be.
/// An element with neither kind of class is shown.
bool cookiebot_classes_visible(const Config& cfg, const Status& st, std::string_view classes);

/// Which entry point an answer is for.
enum class CookiebotCall { start, decide, query };

/// Adds the Cookiebot part to an api_* answer, reading from the request:
///  - start: `tag.blockingMode` ("auto" turns auto-blocking on for the page,
///    whatever `blocking.autoBlock` says; anything else leaves it as configured);
///  - start and decide, with compat.cookiebot: `out["cookiebot"]` (window.Cookiebot's
///    fields, the names submitCustomConsent's arguments stand for, and what to do
///    with the CookieConsent cookie, judged against the cookies in `cookieHeader`);
///  - any call: `cookiebotClasses` (class attributes) answered in `out["cookiebotClasses"]`.
/// `now` is in seconds. Returns the request's problems (the answer is then not used).
std::vector<Issue> add_cookiebot(const Config& cfg, const Status& st, const Json& request, CookiebotCall call, int64_t now,
                                 Json& out);

}  // namespace kelisim
