// What `kelisim scan` found, matched against known services: a site's own
// configuration or the scanner's catalogue. Pure functions over plain data,
// with exactly the glob and host rules of the configuration (patterns.hpp),
// so a drafted configuration blocks what the scan attributed to it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "kelisim/config.hpp"

namespace kelisim {

/// A service as the scanner sees it: one from a configuration, or a
/// catalogue entry (which may say more than a configuration can).
struct ScanService {
  std::string name;
  std::string category;
  std::vector<std::string> cookies;              ///< name globs, wherever the cookie lives
  std::vector<std::string> third_party_cookies;  ///< name globs that count only on a domain of the service's hosts
  std::vector<std::string> storage;              ///< storage key globs
  std::vector<std::string> hosts;                ///< host names or `*.` suffix globs
  /// "host-pattern/path-glob" (e.g. "www.google.com/recaptcha/*"): for
  /// services that share a host with others, told apart by the path.
  std::vector<std::string> urls;
};

/// The services of a validated configuration, in configuration order.
std::vector<ScanService> scan_services(const Config& cfg);

/// A cookie or a storage key as the browser showed it.
struct StoredItem {
  std::string name;
  /// A cookie's domain (a leading dot: a domain cookie, sent to subdomains
  /// too) or the host of the origin that owns a storage key.
  std::string domain;
  bool third_party = false;  ///< not on the scanned site's own hosts
};

/// What made a service claim a finding.
enum class ClaimKind {
  none,
  cookie,              ///< a `cookies` glob matched the name
  third_party_cookie,  ///< a `third_party_cookies` glob matched, on a domain of the service's hosts
  storage,             ///< a `storage` glob matched the key
  url,                 ///< a `urls` pattern matched the request URL
  host,                ///< a `hosts` pattern matched the request's host
  host_domain,         ///< a third-party cookie/key lives on a domain one of the service's hosts can write
};
const char* claim_kind_name(ClaimKind kind);

struct Claim {
  int service = -1;  ///< index into the services; -1 when none claims it
  ClaimKind kind = ClaimKind::none;
  /// Index into the service's list that matched: `cookies`,
  /// `third_party_cookies`, `storage`, `urls` or `hosts` (for host_domain too).
  int pattern = -1;
  bool claimed() const { return service >= 0; }
};

struct Classification {
  std::vector<Claim> cookies, storage, urls;
};

/// Which service claims each finding: the first in `services` order, trying
/// for cookies the name globs, then (third-party only) the name globs bound
/// to the service's hosts, then the hosts that can write the cookie's domain;
/// for storage keys the key globs, then (third-party only) the hosts; for
/// request URLs every service's `urls` patterns before any `hosts` pattern.
/// URLs whose host cannot be read (relative, data:, ...) are never claimed.
Classification classify(const std::vector<ScanService>& services, const std::vector<StoredItem>& cookies,
                        const std::vector<StoredItem>& storage, const std::vector<std::string>& urls);

/// True when a response from a host matching `host_pattern` can have set a
/// cookie on `domain`: the host is the domain itself, or (for a domain
/// cookie, ".example.com") any subdomain of it. ASCII case-insensitive.
bool cookie_domain_covered(std::string_view host_pattern, std::string_view domain);

/// True when "host-pattern/path-glob" matches an absolute URL: the host by
/// host_match, the path (without query and fragment) by glob_match.
bool url_pattern_match(std::string_view pattern, std::string_view url);

/// True when `host` is one of `site_hosts`, a subdomain of one, or a parent
/// domain of one: what the scan counts as the site itself.
bool first_party_host(const std::vector<std::string>& site_hosts, std::string_view host);

}  // namespace kelisim
