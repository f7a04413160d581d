#include "kelisim/scan.hpp"

#include "kelisim/patterns.hpp"

namespace kelisim {
namespace {

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

std::string_view strip_dots(std::string_view s) {
  while (!s.empty() && s.front() == '.') s.remove_prefix(1);
  while (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

bool ends_with_label(std::string_view s, std::string_view suffix) {
  // `s` is `suffix` or a subdomain of it ("a.b.c" ends with the label "b.c").
  if (s.size() == suffix.size()) return s == suffix;
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         s[s.size() - suffix.size() - 1] == '.';
}

bool ip_literal(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[' || host.find(':') != std::string_view::npos) return true;
  for (char c : host)
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  return true;
}

/// The path of an absolute URL ("/a/b"), without query or fragment; "/" when it has none.
std::string_view url_path(std::string_view url) {
  size_t start = url.find("//");
  if (start == std::string_view::npos) return {};
  size_t slash = url.find_first_of("/?#", start + 2);
  if (slash == std::string_view::npos || url[slash] != '/') return "/";
  size_t end = url.find_first_of("?#", slash);
  return url.substr(slash, end == std::string_view::npos ? std::string_view::npos : end - slash);
}

/// The host part of a "host-pattern/path-glob" URL pattern.
std::string_view url_pattern_host(std::string_view pattern) { return pattern.substr(0, pattern.find('/')); }

/// True when one of the service's hosts (its `hosts` and the hosts of its
/// `urls`) can write `domain`; `pattern` gets the index into `hosts`
/// (-1 when only a `urls` host did).
bool service_covers(const ScanService& s, std::string_view domain, int& pattern) {
  for (size_t i = 0; i < s.hosts.size(); ++i)
    if (cookie_domain_covered(s.hosts[i], domain)) {
      pattern = static_cast<int>(i);
      return true;
    }
  for (const auto& u : s.urls)
    if (cookie_domain_covered(url_pattern_host(u), domain)) {
      pattern = -1;
      return true;
    }
  return false;
}

int first_glob(const std::vector<std::string>& globs, std::string_view name) {
  for (size_t i = 0; i < globs.size(); ++i)
    if (glob_match(globs[i], name)) return static_cast<int>(i);
  return -1;
}

}  // namespace

const char* claim_kind_name(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::cookie: return "cookie";
    case ClaimKind::third_party_cookie: return "third-party-cookie";
    case ClaimKind::storage: return "storage";
    case ClaimKind::url: return "url";
    case ClaimKind::host: return "host";
    case ClaimKind::host_domain: return "host-domain";
    case ClaimKind::none: break;
  }
  return "none";
}

std::vector<ScanService> scan_services(const Config& cfg) {
  std::vector<ScanService> out;
  out.reserve(cfg.services.size());
  for (const auto& s : cfg.services) {
    ScanService v;
    v.name = s.name;
    v.category = s.category;
    v.cookies = s.cookies;
    v.storage = s.storage;
    v.hosts = s.hosts;
    out.push_back(std::move(v));
  }
  return out;
}

bool cookie_domain_covered(std::string_view host_pattern, std::string_view domain) {
  bool domain_cookie = !domain.empty() && domain.front() == '.';
  std::string d = lower(strip_dots(domain));
  if (d.empty() || host_pattern.empty()) return false;
  if (host_match(host_pattern, d)) return true;
  if (!domain_cookie) return false;
  // A domain cookie on example.com can be set by example.com or any subdomain:
  // covered when the pattern's hosts lie at or below it.
  std::string_view base = host_pattern;
  if (base.size() > 2 && base[0] == '*' && base[1] == '.') base.remove_prefix(2);
  if (base.find('*') != std::string_view::npos) return false;
  std::string b = lower(strip_dots(base));
  return !b.empty() && ends_with_label(b, d);
}

bool url_pattern_match(std::string_view pattern, std::string_view url) {
  size_t slash = pattern.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string host = url_host(url);
  if (host.empty() || !host_match(pattern.substr(0, slash), host)) return false;
  std::string_view path = url_path(url);
  return !path.empty() && glob_match(pattern.substr(slash), path);
}

bool first_party_host(const std::vector<std::string>& site_hosts, std::string_view host) {
  std::string h = lower(strip_dots(host));
  if (h.empty()) return true;  // relative: the page's own origin
  for (const auto& raw : site_hosts) {
    std::string s = lower(strip_dots(raw));
    if (s.empty()) continue;
    if (s == h) return true;
    if (ip_literal(s) || ip_literal(h)) continue;
    if (ends_with_label(h, s) || ends_with_label(s, h)) return true;
  }
  return false;
}

Classification classify(const std::vector<ScanService>& services, const std::vector<StoredItem>& cookies,
                        const std::vector<StoredItem>& storage, const std::vector<std::string>& urls) {
  Classification out;
  out.cookies.reserve(cookies.size());
  for (const auto& c : cookies) {
    Claim claim;
    for (size_t s = 0; s < services.size() && !claim.claimed(); ++s) {
      int p = first_glob(services[s].cookies, c.name);
      if (p >= 0) claim = {static_cast<int>(s), ClaimKind::cookie, p};
    }
    for (size_t s = 0; c.third_party && s < services.size() && !claim.claimed(); ++s) {
      int p = first_glob(services[s].third_party_cookies, c.name);
      int ignored = -1;
      if (p >= 0 && service_covers(services[s], c.domain, ignored))
        claim = {static_cast<int>(s), ClaimKind::third_party_cookie, p};
    }
    for (size_t s = 0; c.third_party && s < services.size() && !claim.claimed(); ++s) {
      int p = -1;
      if (service_covers(services[s], c.domain, p)) claim = {static_cast<int>(s), ClaimKind::host_domain, p};
    }
    out.cookies.push_back(claim);
  }

  out.storage.reserve(storage.size());
  for (const auto& k : storage) {
    Claim claim;
    for (size_t s = 0; s < services.size() && !claim.claimed(); ++s) {
      int p = first_glob(services[s].storage, k.name);
      if (p >= 0) claim = {static_cast<int>(s), ClaimKind::storage, p};
    }
    // A storage key belongs to its origin's exact host: only an exact host match counts.
    std::string host(strip_dots(k.domain));
    for (size_t s = 0; k.third_party && s < services.size() && !claim.claimed(); ++s) {
      const auto& hosts = services[s].hosts;
      for (size_t i = 0; i < hosts.size() && !claim.claimed(); ++i)
        if (host_match(hosts[i], host)) claim = {static_cast<int>(s), ClaimKind::host_domain, static_cast<int>(i)};
      for (const auto& u : services[s].urls)
        if (!claim.claimed() && host_match(url_pattern_host(u), host)) claim = {static_cast<int>(s), ClaimKind::host_domain, -1};
    }
    out.storage.push_back(claim);
  }

  out.urls.reserve(urls.size());
  for (const auto& u : urls) {
    Claim claim;
    std::string host = url_host(u);
    if (!host.empty()) {
      for (size_t s = 0; s < services.size() && !claim.claimed(); ++s)
        for (size_t i = 0; i < services[s].urls.size() && !claim.claimed(); ++i)
          if (url_pattern_match(services[s].urls[i], u)) claim = {static_cast<int>(s), ClaimKind::url, static_cast<int>(i)};
      for (size_t s = 0; s < services.size() && !claim.claimed(); ++s)
        for (size_t i = 0; i < services[s].hosts.size() && !claim.claimed(); ++i)
          if (host_match(services[s].hosts[i], host)) claim = {static_cast<int>(s), ClaimKind::host, static_cast<int>(i)};
    }
    out.urls.push_back(claim);
  }
  return out;
}

}  // namespace kelisim
