// Name and host patterns: how configured cookie names, storage keys and hosts
// are matched against what the page actually does. No regular expressions on
// purpose (SPEC §3): globs with `*` only, which cannot blow up.
#pragma once

#include <string>
#include <string_view>

namespace kelisim {

/// Glob match for cookie names and storage keys: `*` matches any run of
/// characters (including none), every other byte matches itself,
/// case-sensitively (cookie names are case-sensitive). Iterative, O(len(pattern)
/// * len(name)) at worst, so patterns like "a*a*a*a*b" cannot cause exponential
/// backtracking.
bool glob_match(std::string_view pattern, std::string_view name);

/// Host pattern match. `pattern` is a host name ("www.youtube.com") or a `*.`
/// suffix glob: "*.googletagmanager.com" matches "www.googletagmanager.com" and
/// "a.b.googletagmanager.com", but neither "googletagmanager.com" itself nor
/// "evilgoogletagmanager.com". ASCII case-insensitive; one trailing dot on
/// either side is ignored. Empty host or pattern, or a `*` anywhere but the
/// leading "*.", never matches.
bool host_match(std::string_view pattern, std::string_view host);

/// The host of an absolute or protocol-relative URL, so that autoBlock can ask
/// "which service does this script come from?":
/// "https://User@WWW.Example.com:8443/x?y" -> "www.example.com",
/// "//cdn.example.com/a.js" -> "cdn.example.com". ASCII letters lower-cased;
/// userinfo, port, path, query and fragment removed; percent-escapes in the
/// host decoded (as browsers do); IPv6 brackets kept. Like a browser, leading
/// and trailing spaces/controls are ignored, tabs and newlines inside are
/// dropped, and for http(s)/ws(s)/ftp any run of '/' or '\' after the scheme is
/// accepted ("https:\\evil.com" -> "evil.com"), so odd spellings cannot hide a
/// third-party host. Relative URLs ("/a.js", "a.js", "") and non-network
/// schemes (data:, blob:, javascript:, about:, file:, ...) give "": the caller
/// treats "" as the page's own origin.
std::string url_host(std::string_view url);

/// True when `pattern` is a valid cookie/storage glob: non-empty, printable
/// ASCII only, no whitespace, ';', ',' or '=' (none of which a cookie name can
/// hold). Used by configuration validation.
bool valid_name_pattern(std::string_view pattern);

/// True when `pattern` is a valid host pattern: labels of ASCII letters,
/// digits and '-' (each 1..63 chars) joined by '.', at most 253 chars in all,
/// optionally prefixed by "*."; no other '*', no trailing dot.
bool valid_host_pattern(std::string_view pattern);

}  // namespace kelisim
