// The engine's entry points over JSON text: what the wasm binding exposes.
// Each takes the configuration text and one request, returns one JSON answer,
// and never throws or aborts: problems come back as
// {"ok":false,"error":{"code","message","errors":[{"path","message"}]}}.
// Cookiebot's part of the requests and answers (`tag`, `cookiebotClasses`,
// `cookiebot`) is described in kelisim/cookiebot.hpp.
#pragma once
#include <string>

namespace kelisim {

/// Validates a configuration: {"ok", "errors":[...], "warnings":[...]}.
std::string api_validate(const std::string& config);

/// Configures the engine once per page: parses and keeps `config` for the
/// calls that follow, and answers like api_validate. The engine keeps the
/// parsed configuration, so a caller passes `configured()` instead of the
/// text again (the wasm binding does: the text crosses into wasm once).
std::string api_configure(const std::string& config);

/// The configuration text last given (by api_configure or with a request).
const std::string& configured();

/// Page start. Request: {"cookieHeader": the Cookie header / document.cookie, "now": ms, "gpc": bool,
/// "language": explicit, "documentLanguage": <html lang>, "browserLanguages": [...]}. Answer: the state,
/// whether and why to ask, allowed names, Consent Mode, normalised options,
/// and, only when the visitor is to be asked, the UI texts of api_texts. It
/// also takes api_query's questions (e.g. the gates already in the page), so
/// a page start is one call.
std::string api_start(const std::string& config, const std::string& request);

/// A decision. Request: {"cookieHeader", "now", "gpc", "random": 32 hex digits,
/// "choice": {"method", "categories", "services"}, "present": {
/// "localStorage", "sessionStorage"}, "language", "url"}. Answer: the cookie to
/// write, the new state, what changed, what to delete, Consent Mode, the receipt.
std::string api_decide(const std::string& config, const std::string& request);

/// The UI's texts and rows in one language. Request: {"language",
/// "documentLanguage", "browserLanguages"}. Answer: {"language", "dir",
/// "texts": {key: [runs]}, "categories": [...]}.
std::string api_texts(const std::string& config, const std::string& request);

/// Batched questions about the current state. Request: {"cookieHeader", "now",
/// "names": [...], "gates": [{"category","service","cookieconsent"}], "urls": [...],
/// "cookies": [...], "storage": [...]}. Answer: one boolean array per question list.
std::string api_query(const std::string& config, const std::string& request);

}  // namespace kelisim
