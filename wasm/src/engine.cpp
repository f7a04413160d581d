#include "kelisim/engine.hpp"

#include <cctype>

#include <algorithm>

#include "kelisim/patterns.hpp"

namespace kelisim {
namespace {

constexpr int64_t kDay = 86400;

/// The answer stored for a category, or nullptr.
const Answer* category_answer(const Status& st, const std::string& name) {
  return st.decided ? st.record.find(category_key(name)) : nullptr;
}

/// GPC turned on after an "accept all": that sweeping yes does not cover
/// categories the site marks `"gpc": "deny"` (SPEC §6); an explicit choice does.
bool gpc_withholds(const Status& st, const Category& c) { return st.gpc && c.gpc_deny && st.record.method == Method::accept_all; }

bool category_allowed(const Status& st, const Category& c) {
  if (c.required) return true;
  if (gpc_withholds(st, c)) return false;
  const Answer* a = category_answer(st, c.name);
  return a && a->accepted;
}

bool service_allowed(const Config& cfg, const Status& st, const Service& s) {
  const Category* c = cfg.find_category(s.category);
  if (c && c->required) return true;
  if (c && gpc_withholds(st, *c)) return false;
  const Answer* a = st.decided ? st.record.find(service_key(s.name)) : nullptr;
  return a && a->accepted;
}

bool all_optional_rejected(const Config& cfg, const Record& r) {
  for (const auto& c : cfg.categories) {
    if (c.required) continue;
    const Answer* a = r.find(category_key(c.name));
    if (a && a->accepted) return false;
  }
  for (const auto& s : cfg.services) {
    const Answer* a = r.find(service_key(s.name));
    const Category* c = cfg.find_category(s.category);
    if (a && a->accepted && !(c && c->required)) return false;
  }
  return true;
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : list + ",") {
    if (ch == ',' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  return out;
}

bool in(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string resolve_alias(const Config& cfg, const std::string& name) {
  auto it = cfg.aliases.find(name);
  return it == cfg.aliases.end() ? name : it->second;
}

/// Whether some service claims `name` through `patterns`, and whether one of those is allowed.
template <typename Patterns>
bool claimed_allowed(const Config& cfg, const Status& st, std::string_view name, Patterns patterns,
                     bool (*match)(std::string_view, std::string_view)) {
  bool claimed = false;
  for (const auto& s : cfg.services) {
    for (const auto& p : patterns(s)) {
      if (!match(p, name)) continue;
      if (service_allowed(cfg, st, s)) return true;
      claimed = true;
      break;
    }
  }
  return !claimed;
}

}  // namespace

const char* ask_reason_name(AskReason r) {
  switch (r) {
    case AskReason::none: return "none";
    case AskReason::first_visit: return "first-visit";
    case AskReason::revision: return "revision";
    case AskReason::expired: return "expired";
    case AskReason::new_items: return "new-items";
  }
  return "first-visit";
}

int expiry_days(const Config& cfg, const Record& record) {
  return all_optional_rejected(cfg, record) ? cfg.cookie.rejected_expires_after_days : cfg.cookie.expires_after_days;
}

Status evaluate(const Config& cfg, std::string_view stored, int64_t now, bool gpc) {
  Status st;
  st.gpc = gpc;
  if (stored.empty()) return st;
  DecodeResult d = decode_record(stored);
  if (!d.ok) {
    st.invalid_reason = d.reason;
    return st;
  }
  st.readable = true;
  st.record = d.record;
  if (st.record.revision < cfg.revision) {
    st.ask = AskReason::revision;
    return st;
  }
  if (st.record.revision > cfg.revision) {
    // A decision from a newer policy than this page knows (a stale cached
    // page): it cannot be interpreted safely, so ask.
    st.ask = AskReason::revision;
    st.invalid_reason = "future-revision";
    return st;
  }
  if (now - st.record.updated > int64_t(expiry_days(cfg, st.record)) * kDay) {
    st.ask = AskReason::expired;
    return st;
  }
  st.decided = true;
  st.ask = AskReason::none;
  for (const auto& c : cfg.categories)
    if (!c.required && !st.record.find(category_key(c.name))) st.new_items.push_back(c.name);
  for (const auto& s : cfg.services) {
    const Category* c = cfg.find_category(s.category);
    if (!(c && c->required) && !st.record.find(service_key(s.name))) st.new_items.push_back(s.name);
  }
  if (!st.new_items.empty()) st.ask = AskReason::new_items;
  return st;
}

bool is_allowed(const Config& cfg, const Status& st, const std::string& raw) {
  std::string name = resolve_alias(cfg, raw);
  if (const Category* c = cfg.find_category(name)) return category_allowed(st, *c);
  if (const Service* s = cfg.find_service(name)) return service_allowed(cfg, st, *s);
  return false;
}

bool gate_open(const Config& cfg, const Status& st, const Gate& g) {
  bool any = false;
  if (!g.service.empty()) {
    any = true;
    if (!is_allowed(cfg, st, g.service)) return false;
  } else if (!g.category.empty()) {
    any = true;
    if (g.category[0] == '!') {
      // Opt-out fallbacks run only once a decision says no, about a name the
      // configuration knows (a typo stays closed).
      std::string name = resolve_alias(cfg, g.category.substr(1));
      if (!cfg.find_category(name) && !cfg.find_service(name)) return false;
      if (!st.decided || is_allowed(cfg, st, name)) return false;
    } else {
      for (const auto& n : split_names(g.category))
        if (!is_allowed(cfg, st, n)) return false;
    }
  }
  if (!g.cookieconsent.empty()) {
    auto names = split_names(g.cookieconsent);
    if (names.empty()) return false;
    any = true;
    for (const auto& n : names)
      if (!is_allowed(cfg, st, n)) return false;
  }
  return any;
}

std::vector<std::string> allowed_categories(const Config& cfg, const Status& st) {
  std::vector<std::string> out;
  for (const auto& c : cfg.categories)
    if (category_allowed(st, c)) out.push_back(c.name);
  return out;
}

std::vector<std::string> allowed_services(const Config& cfg, const Status& st) {
  std::vector<std::string> out;
  for (const auto& s : cfg.services)
    if (service_allowed(cfg, st, s)) out.push_back(s.name);
  return out;
}

DecideResult decide(const Config& cfg, const Status& before, const Choice& choice, bool gpc, int64_t now,
                    const std::array<uint8_t, 16>& fresh_id) {
  DecideResult res;
  Record& r = res.record;
  if (before.readable) {
    r.id = before.record.id;
    r.created = before.record.created;
    r.sequence = before.record.sequence;
  } else {
    r.id = fresh_id;
    r.created = now;
  }
  r.sequence += 1;
  r.updated = now;
  r.revision = cfg.revision;
  r.method = choice.method;

  std::vector<std::string> cats, svcs;
  for (const auto& n : choice.categories) {
    std::string name = resolve_alias(cfg, n);
    if (cfg.find_category(name)) cats.push_back(name);
    else if (cfg.find_service(name)) svcs.push_back(name);
    else res.unknown.push_back(n);
  }
  for (const auto& n : choice.services) {
    std::string name = resolve_alias(cfg, n);
    if (cfg.find_service(name)) svcs.push_back(name);
    else if (cfg.find_category(name)) cats.push_back(name);
    else res.unknown.push_back(n);
  }

  auto category_accepted = [&](const Category& c) {
    if (c.required) return true;
    switch (choice.preset) {
      case Method::accept_all: return !(gpc && c.gpc_deny);
      case Method::reject_all: return false;
      default: return in(cats, c.name);  // an explicit choice overrides GPC
    }
  };
  for (const auto& c : cfg.categories) r.answers.push_back({category_key(c.name), category_accepted(c)});
  for (const auto& s : cfg.services) {
    const Category* c = cfg.find_category(s.category);
    bool accepted = (c && category_accepted(*c)) || in(svcs, s.name);
    if (choice.preset == Method::reject_all) accepted = c && c->required;
    r.answers.push_back({service_key(s.name), accepted});
  }
  res.cookie_value = encode_record(r);
  return res;
}

Choice choice_adding(const Config& cfg, const Status& before, const Gate& gate, Method method) {
  Choice c;
  c.method = method;
  c.preset = Method::custom;
  c.categories = allowed_categories(cfg, before);
  c.services = allowed_services(cfg, before);
  if (!gate.service.empty()) c.services.push_back(gate.service);
  else if (!gate.category.empty() && gate.category[0] != '!')
    for (const auto& n : split_names(gate.category)) c.categories.push_back(n);
  for (const auto& n : split_names(gate.cookieconsent)) c.categories.push_back(n);
  return c;
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// The value of the leading decimal digits (at most 12 are read).
int64_t digits_value(std::string_view t) {
  int64_t v = 0;
  for (size_t i = 0; i < t.size() && i < 12 && std::isdigit(static_cast<unsigned char>(t[i])); ++i) v = v * 10 + (t[i] - '0');
  return v;
}

/// "h:m:s" with one or two digits each (a cookie date's time); rest ignored.
bool parse_time(const std::string& t, int64_t& h, int64_t& m, int64_t& s) {
  int64_t* parts[3] = {&h, &m, &s};
  size_t i = 0;
  for (int k = 0; k < 3; ++k) {
    size_t start = i;
    int64_t v = 0;
    while (i < t.size() && i - start < 2 && std::isdigit(static_cast<unsigned char>(t[i]))) v = v * 10 + (t[i++] - '0');
    if (i == start) return false;
    *parts[k] = v;
    if (k < 2) {
      if (i >= t.size() || t[i] != ':') return false;
      ++i;
    }
  }
  return true;
}

/// A cookie date (RFC 6265 5.1.1, the parts that matter): seconds since the
/// epoch, or false when it is not a date a browser would accept.
bool parse_cookie_date(std::string_view text, int64_t& out) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  int64_t day = -1, month = -1, year = -1, hh = -1, mm = 0, ss = 0;
  size_t i = 0;
  auto delimiter = [](char ch) {
    unsigned char c = static_cast<unsigned char>(ch);
    return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
           (c >= 0x7b && c <= 0x7e);
  };
  while (i < text.size()) {
    while (i < text.size() && delimiter(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !delimiter(text[i])) ++i;
    std::string_view tok = text.substr(start, i - start);
    if (tok.empty()) continue;
    std::string t(tok);
    int64_t h = 0, m = 0, s2 = 0;
    if (hh < 0 && parse_time(t, h, m, s2)) {
      hh = h, mm = m, ss = s2;
      continue;
    }
    bool digits = !t.empty() && std::isdigit(static_cast<unsigned char>(t[0]));
    if (day < 0 && digits && t.size() <= 2) {
      day = digits_value(t);
      continue;
    }
    if (month < 0 && t.size() >= 3) {
      std::string l = lower(t.substr(0, 3));
      for (int k = 0; k < 12; ++k)
        if (l == kMonths[k]) month = k + 1;
      if (month > 0) continue;
    }
    if (year < 0 && digits && t.size() >= 2 && t.size() <= 4) {
      year = digits_value(t);
      if (year >= 70 && year <= 99) year += 1900;
      else if (year >= 0 && year <= 69) year += 2000;
    }
  }
  if (day < 1 || day > 31 || month < 1 || year < 1601 || hh < 0 || hh > 23 || mm > 59 || ss > 59) return false;
  out = days_from_civil(year, month, day) * 86400 + hh * 3600 + mm * 60 + ss;
  return true;
}

}  // namespace

CookieWrite parse_cookie_write(std::string_view text, int64_t now_seconds) {
  CookieWrite w;
  size_t semi = text.find(';');
  std::string_view pair = text.substr(0, semi);
  size_t eq = pair.find('=');
  w.name = std::string(eq == std::string_view::npos ? std::string_view() : trim(pair.substr(0, eq)));
  bool has_max_age = false, has_expires = false;
  int64_t max_age = 0, expires = 0;
  while (semi != std::string_view::npos) {
    size_t next = text.find(';', semi + 1);
    std::string_view attr = text.substr(semi + 1, next == std::string_view::npos ? std::string_view::npos : next - semi - 1);
    semi = next;
    size_t aeq = attr.find('=');
    std::string key = lower(trim(attr.substr(0, aeq)));
    std::string_view value = aeq == std::string_view::npos ? std::string_view() : trim(attr.substr(aeq + 1));
    if (key == "max-age") {
      // A browser ignores a Max-Age that is not an optional '-' and digits.
      bool ok = !value.empty();
      for (size_t k = 0; k < value.size() && ok; ++k)
        ok = std::isdigit(static_cast<unsigned char>(value[k])) || (k == 0 && value[k] == '-' && value.size() > 1);
      if (ok) {
        has_max_age = true;
        max_age = value[0] == '-' ? -1 : (value.size() > 12 ? 1 : digits_value(value));
      }
    } else if (key == "expires") {
      int64_t t = 0;
      if (parse_cookie_date(value, t)) has_expires = true, expires = t;
    }
  }
  if (has_max_age) w.deletion = max_age <= 0;
  else if (has_expires) w.deletion = expires <= now_seconds;
  return w;
}

bool cookie_write_allowed(const Config& cfg, const Status& st, std::string_view text, int64_t now_seconds) {
  CookieWrite w = parse_cookie_write(text, now_seconds);
  return w.deletion || cookie_allowed(cfg, st, w.name);
}

Changes diff(const Config& cfg, const Status& before, const Status& after) {
  Changes ch;
  for (const auto& c : cfg.categories) {
    bool b = category_allowed(before, c), a = category_allowed(after, c);
    if (a && !b) ch.accepted.push_back(c.name);
    if (b && !a) ch.rejected.push_back(c.name);
  }
  for (const auto& s : cfg.services) {
    bool b = service_allowed(cfg, before, s), a = service_allowed(cfg, after, s);
    if (a && !b) ch.accepted.push_back(s.name);
    if (b && !a) ch.rejected.push_back(s.name);
  }
  return ch;
}

bool cookie_allowed(const Config& cfg, const Status& st, std::string_view name) {
  // With compat.cookiebot, Cookiebot's CookieConsent is kelisim's own cookie too (kelisim/cookiebot.hpp).
  if (name == cfg.cookie.name || (cfg.compat_cookiebot && name == "CookieConsent")) return true;
  return claimed_allowed(
      cfg, st, name, [](const Service& s) -> const std::vector<std::string>& { return s.cookies; }, glob_match);
}

bool storage_allowed(const Config& cfg, const Status& st, std::string_view key) {
  if (key.substr(0, 8) == "kelisim:") return true;  // kelisim's own keys (the cached engine, receipts, the tabs' message)
  return claimed_allowed(
      cfg, st, key, [](const Service& s) -> const std::vector<std::string>& { return s.storage; }, glob_match);
}

bool every_service_allowed(const Config& cfg, const Status& st) {
  for (const auto& s : cfg.services)
    if (!service_allowed(cfg, st, s)) return false;
  return true;
}

bool url_allowed(const Config& cfg, const Status& st, std::string_view url) {
  std::string host = url_host(url);
  if (host.empty()) return true;  // same origin, data: and the like carry no third party
  return claimed_allowed(
      cfg, st, host, [](const Service& s) -> const std::vector<std::string>& { return s.hosts; }, host_match);
}

std::vector<Issue> own_host_claims(const Config& cfg, std::string_view page_url) {
  std::vector<Issue> out;
  std::string host = url_host(page_url);
  if (host.empty()) return out;
  for (const auto& s : cfg.services)
    for (size_t i = 0; i < s.hosts.size(); ++i)
      if (host_match(s.hosts[i], host))
        out.push_back(
            {"services." + s.name + ".hosts[" + std::to_string(i) + "]",
             "names this page's own host " + host + ": everything the page loads from it waits for consent to " + s.name});
  return out;
}

const char* url_scope(const Config& cfg, bool auto_block, std::string_view page_url) {
  if (!auto_block) return "none";
  return own_host_claims(cfg, page_url).empty() ? "cross-origin" : "all";
}

std::vector<std::string> cleanup_cookies(const Config& cfg, const Status& st, const std::vector<std::string>& present) {
  std::vector<std::string> out;
  for (const auto& n : present)
    if (!cookie_allowed(cfg, st, n) && !in(out, n)) out.push_back(n);
  return out;
}

std::vector<std::string> cleanup_storage(const Config& cfg, const Status& st, const std::vector<std::string>& present) {
  std::vector<std::string> out;
  for (const auto& n : present)
    if (!storage_allowed(cfg, st, n) && !in(out, n)) out.push_back(n);
  return out;
}

std::vector<std::pair<std::string, bool>> consent_mode_state(const Config& cfg, const Status& st) {
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& type : consent_mode_types()) {
    bool granted = type == "security_storage";
    for (const auto& c : cfg.categories)
      if (!granted && in(c.consent_mode, type) && category_allowed(st, c)) granted = true;
    out.push_back({type, granted});
  }
  return out;
}

}  // namespace kelisim
