// The scanner's JSON entry point (`kelisim scan`): what a crawl of a site
// found, classified against the catalogue of known services, drafted into a
// configuration, and audited against the site's own configuration. Like the
// other entry points it never throws or aborts: problems come back as
// {"ok":false,"error":{"code","message","errors":[{"path","message"}]}}.
#pragma once
#include <string>

namespace kelisim {

/// One call per scan. `catalogue` is the catalogue's JSON text: a
/// configuration's `categories`, `services` (which may also carry
/// `consentMode`, `thirdPartyCookies` and `urls`) and
/// `language.translations`, plus `openCookieDatabase.services` (`category`,
/// `title`, `cookies`, `thirdPartyCookies`, `hosts`, `about`), consulted only
/// for what no other evidence explains.
///
/// Request: {"site": [the scanned hosts], "language": the pages' language,
/// "cookieName": the consent cookie's name when no configuration is given,
/// "cookies": [{"name", "domain", "setBy": [URLs]}],
/// "storage": [{"name", "origin": URL, "setBy": [URLs]}],
/// "requests": [{"url"}],
/// "marks": [{"url", "category", "service", "cookieconsent"}] (gated elements),
/// and for an audit "config": the configuration's text, "now": ms and
/// "promise": {"fresh" | "rejected": {"requests": [{"url", ...}],
/// "cookies": [{"name", "domain", ...}], "storage": [{"name", "origin", ...}]}}.
/// Answer: {"ok", "cookies", "storage", "requests" (one classification per
/// finding, in request order), "services", "draft", "draftErrors",
/// "warnings", and with "config": "audit": {"cookies", "storage", "requests",
/// "undeclared", "unseen", "violations"}}. An invalid configuration gives
/// "invalid-config" with its errors and their JSON paths.
std::string api_scan(const std::string& catalogue, const std::string& request);

}  // namespace kelisim
