#include "kelisim/config.hpp"

#include <algorithm>
#include <set>

#include "kelisim/i18n.hpp"
#include "kelisim/patterns.hpp"

namespace kelisim {

/// Integer to text without std::to_string, which pulls printf into the wasm.
std::string decimal(int64_t v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  uint64_t u = negative ? uint64_t(0) - uint64_t(v) : uint64_t(v);
  std::string out;
  for (; u; u /= 10) out.insert(out.begin(), char('0' + u % 10));
  return negative ? "-" + out : out;
}

namespace {

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::Type::null: return "null";
    case Json::Type::boolean: return "a boolean";
    case Json::Type::string: return "a string";
    case Json::Type::array: return "an array";
    case Json::Type::object: return "an object";
    default: return "a number";
  }
}

std::string quote_text(const std::string& s) {
  // Issue messages quote user text; keep it short and free of control bytes.
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < 80; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (s.size() > 80) out += "...";
  return out + "\"";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

/// Walks one JSON object, reads its known keys with type checks, and reports
/// unknown keys as warnings when done.
class Reader {
 public:
  Reader(const Json& obj, std::string path, ParseResult& out) : obj_(obj), path_(std::move(path)), out_(out) {}

  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  void error(const std::string& path, const std::string& msg) { out_.errors.push_back({path, msg}); }
  void warn(const std::string& path, const std::string& msg) { out_.warnings.push_back({path, msg}); }

  const Json* get(const char* key) {
    seen_.push_back(key);
    return obj_.find(key);
  }
  void expected(const char* key, const char* what, const Json& v) {
    error(at(key), std::string("expected ") + what + ", got " + type_name(v));
  }
  void boolean(const char* key, bool& dst) {
    if (const Json* v = get(key)) {
      if (v->is_boolean()) dst = v->boolean();
      else expected(key, "true or false", *v);
    }
  }
  void integer(const char* key, int64_t& dst, int64_t lo, int64_t hi) {
    if (const Json* v = get(key)) {
      if (!v->is_integer()) return expected(key, "an integer", *v);
      int64_t n = v->integer();  // above INT64_MAX: INT64_MAX (parse_json)
      if (n < lo || n > hi)
        return error(at(key), "expected an integer from " + decimal(lo) + " to " + decimal(hi) + ", got " + decimal(n));
      dst = n;
    }
  }
  void string(const char* key, std::string& dst, size_t max_len = 2048) {
    if (const Json* v = get(key)) {
      if (!v->is_string()) return expected(key, "a string", *v);
      const std::string& s = v->string();
      if (s.size() > max_len) return error(at(key), "is longer than " + decimal(max_len) + " characters");
      dst = s;
    }
  }
  void choice(const char* key, std::string& dst, const std::vector<std::string>& allowed) {
    if (const Json* v = get(key)) {
      if (!v->is_string()) return expected(key, ("one of " + join(allowed)).c_str(), *v);
      const std::string& s = v->string();
      if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
        return error(at(key), "expected one of " + join(allowed) + ", got " + quote_text(s));
      dst = s;
    }
  }
  /// An array of strings, each checked by `valid` (when given). `indices`, when
  /// given, receives each kept string's index in the JSON array (for paths).
  void strings(const char* key, std::vector<std::string>& dst, bool (*valid)(std::string_view), const char* what,
               std::vector<size_t>* indices = nullptr) {
    const Json* v = get(key);
    if (!v) return;
    if (!v->is_array()) return expected(key, "an array of strings", *v);
    for (size_t i = 0; i < v->size(); ++i) {
      const Json& e = v->items()[i].value;
      auto p = [&] { return at(key) + "[" + decimal(int64_t(i)) + "]"; };  // built only for an error
      if (!e.is_string()) {
        error(p(), std::string("expected a string, got ") + type_name(e));
        continue;
      }
      const std::string& s = e.string();
      if (valid && !valid(s)) {
        error(p(), std::string("invalid ") + what + " " + quote_text(s));
        continue;
      }
      dst.push_back(s);
      if (indices) indices->push_back(i);
    }
  }
  /// A nested object; returns nullptr (after an error) when present but not an object.
  const Json* object(const char* key) {
    const Json* v = get(key);
    if (v && !v->is_object()) {
      expected(key, "an object", *v);
      return nullptr;
    }
    return v;
  }
  void finish() {
    for (const Json::Member& m : obj_.items()) {
      bool known = false;
      for (const char* k : seen_) known = known || m.key == k;
      if (!known) warn(at(m.key), "unknown key, ignored");
    }
  }

 private:
  const Json& obj_;
  std::string path_;
  ParseResult& out_;
  std::vector<const char*> seen_;  // the keys read (string literals): a handful per object
};

bool valid_name(std::string_view s) {
  // Category, service and alias names appear in markup attributes and in the
  // translation keys: a conservative identifier set.
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

bool valid_language_tag(std::string_view s) {
  if (s.empty() || s.size() > 35) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return s.front() != '-' && s.back() != '-';
}

bool is_consent_type(std::string_view s) {
  for (const auto& t : consent_mode_types())
    if (t == s) return true;
  return false;
}

bool known_text_key(const std::string& key, const Config& cfg) {
  const auto& keys = builtin_keys();
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return true;
  // categories.<name>.{title,description} and services.<name>.{title,description}
  for (const char* prefix : {"categories.", "services."}) {
    std::string p = prefix;
    if (key.compare(0, p.size(), p) != 0) continue;
    auto dot = key.rfind('.');
    if (dot <= p.size()) return false;
    std::string name = key.substr(p.size(), dot - p.size());
    std::string field = key.substr(dot + 1);
    if (field != "title" && field != "description") return false;
    return p == "categories." ? cfg.find_category(name) != nullptr : cfg.find_service(name) != nullptr;
  }
  return false;
}

/// Flattens `{"banner": {"title": "x"}}` and `{"banner.title": "x"}` alike to dotted keys.
/// Depth is bounded: real keys nest three levels, and the wasm stack is small.
void flatten_texts(const Json& v, const std::string& prefix, const std::string& path, std::map<std::string, std::string>& out,
                   ParseResult& res, int depth = 0) {
  if (depth > 8) {
    res.errors.push_back({path, "nested too deeply"});
    return;
  }
  for (const Json::Member& m : v.items()) {
    std::string key = prefix.empty() ? m.key : prefix + "." + m.key;
    std::string p = path + "." + m.key;
    if (m.value.is_object()) flatten_texts(m.value, key, p, out, res, depth + 1);
    else if (m.value.is_string()) {
      if (m.value.string().size() > 4096) res.errors.push_back({p, "is longer than 4096 characters"});
      else out[key] = m.value.string();
    } else res.errors.push_back({p, std::string("expected a string, got ") + type_name(m.value)});
  }
}

void read_categories(const Json& cats, ParseResult& res) {
  for (const Json::Member& m : cats.items()) {
    std::string path = "categories." + m.key;
    if (!valid_name(m.key)) {
      res.errors.push_back({path, "invalid category name " + quote_text(m.key) + " (letters, digits, '-' and '_', at most 64)"});
      continue;
    }
    if (!m.value.is_object()) {
      res.errors.push_back({path, std::string("expected an object, got ") + type_name(m.value)});
      continue;
    }
    Category c;
    c.name = m.key;
    Reader r(m.value, path, res);
    r.boolean("required", c.required);
    std::vector<size_t> at;  // JSON indices: a non-string entry shifts the kept ones
    r.strings("consentMode", c.consent_mode, nullptr, "", &at);
    for (size_t i = 0; i < c.consent_mode.size(); ++i) {
      if (!is_consent_type(c.consent_mode[i]))
        res.errors.push_back(
            {path + ".consentMode[" + decimal(at[i]) + "]",
             "unknown consent type " + quote_text(c.consent_mode[i]) + " (expected one of " + join(consent_mode_types()) + ")"});
    }
    std::string gpc = "allow";
    r.choice("gpc", gpc, {"allow", "deny"});
    c.gpc_deny = gpc == "deny";
    if (c.required && c.gpc_deny) r.error(path + ".gpc", "a required category cannot be denied by GPC");
    r.finish();
    res.config.categories.push_back(std::move(c));
  }
}

void read_services(const Json& svcs, ParseResult& res) {
  for (const Json::Member& m : svcs.items()) {
    std::string path = "services." + m.key;
    if (!valid_name(m.key)) {
      res.errors.push_back({path, "invalid service name " + quote_text(m.key) + " (letters, digits, '-' and '_', at most 64)"});
      continue;
    }
    if (!m.value.is_object()) {
      res.errors.push_back({path, std::string("expected an object, got ") + type_name(m.value)});
      continue;
    }
    Service s;
    s.name = m.key;
    Reader r(m.value, path, res);
    const Json* cat = r.get("category");
    if (!cat) r.error(path + ".category", "missing: every service needs a category");
    else if (!cat->is_string()) r.expected("category", "a category name", *cat);
    else {
      s.category = cat->string();
      if (!res.config.find_category(s.category)) r.error(path + ".category", "unknown category " + quote_text(s.category));
    }
    r.strings("cookies", s.cookies, valid_name_pattern, "cookie name pattern");
    r.strings("storage", s.storage, valid_name_pattern, "storage key pattern");
    r.strings("hosts", s.hosts, valid_host_pattern, "host pattern");
    r.finish();
    res.config.services.push_back(std::move(s));
  }
}

void read_language(const Json& lang, ParseResult& res) {
  Config& cfg = res.config;
  Reader r(lang, "language", res);
  r.string("default", cfg.default_language, 35);
  if (!valid_language_tag(cfg.default_language))
    r.error("language.default", "invalid language tag " + quote_text(cfg.default_language));
  if (const Json* ad = r.get("autoDetect")) {
    const std::string& s = ad->string();
    if (ad->is_boolean()) cfg.auto_detect = ad->boolean() ? "document" : "off";
    else if (ad->is_string() && (s == "document" || s == "browser" || s == "off")) cfg.auto_detect = s;
    else
      r.error("language.autoDetect", std::string("expected \"document\", \"browser\", \"off\" or a boolean, got ") +
                                         (ad->is_string() ? quote_text(s) : type_name(*ad)));
  }
  if (const Json* tr = r.object("translations")) {
    for (const Json::Member& m : tr->items()) {
      std::string path = "language.translations." + m.key;
      if (!valid_language_tag(m.key)) {
        res.errors.push_back({path, "invalid language tag " + quote_text(m.key)});
        continue;
      }
      if (!m.value.is_object()) {
        res.errors.push_back({path, std::string("expected an object, got ") + type_name(m.value)});
        continue;
      }
      auto& texts = cfg.translations[m.key];
      flatten_texts(m.value, "", path, texts, res);
      for (const auto& kv : texts)
        if (!known_text_key(kv.first, cfg)) res.warnings.push_back({path + "." + kv.first, "unknown text key, ignored"});
    }
    if (!cfg.translations.empty() && !cfg.translations.count(cfg.default_language))
      res.errors.push_back({"language.default", quote_text(cfg.default_language) + " has no entry in language.translations"});
  }
  if (cfg.translations.empty() && valid_language_tag(cfg.default_language)) {
    const auto& builtin = builtin_languages();
    if (std::find(builtin.begin(), builtin.end(), cfg.default_language) == builtin.end())
      res.errors.push_back({"language.default", "no built-in texts for " + quote_text(cfg.default_language) +
                                                    " (built in: kk, ru, en); add language.translations." +
                                                    cfg.default_language});
  }
  r.finish();
}

/// `aliases`: other names for categories and services.
void read_aliases(const Json& al, ParseResult& res) {
  Config& cfg = res.config;
  for (const Json::Member& m : al.items()) {
    std::string path = "aliases." + m.key;
    if (!valid_name(m.key)) {
      res.errors.push_back({path, "invalid alias name " + quote_text(m.key)});
      continue;
    }
    if (!m.value.is_string()) {
      res.errors.push_back({path, std::string("expected a category or service name, got ") + type_name(m.value)});
      continue;
    }
    const std::string& target = m.value.string();
    if (!cfg.find_category(target) && !cfg.find_service(target)) {
      res.errors.push_back({path, "unknown category or service " + quote_text(target)});
      continue;
    }
    if (cfg.find_category(m.key) || cfg.find_service(m.key)) {
      res.errors.push_back({path, "an alias cannot reuse the name of a category or service"});
      continue;
    }
    cfg.aliases[m.key] = target;
  }
}

/// `cookie`: how the decision is stored.
void read_cookie(const Json& ck, ParseResult& res) {
  Config& cfg = res.config;
  Reader c(ck, "cookie", res);
  c.string("name", cfg.cookie.name, 64);
  if (!valid_name_pattern(cfg.cookie.name) || cfg.cookie.name.find('*') != std::string::npos)
    c.error("cookie.name", "invalid cookie name " + quote_text(cfg.cookie.name));
  c.string("domain", cfg.cookie.domain, 253);
  if (!cfg.cookie.domain.empty() && cfg.cookie.domain != "auto") {
    std::string d = cfg.cookie.domain[0] == '.' ? cfg.cookie.domain.substr(1) : cfg.cookie.domain;
    if (!valid_host_pattern(d) || d.find('*') != std::string::npos)
      c.error("cookie.domain", "expected \"\", \"auto\" or a domain name, got " + quote_text(cfg.cookie.domain));
  }
  c.string("path", cfg.cookie.path, 256);
  if (cfg.cookie.path.empty() || cfg.cookie.path[0] != '/' || cfg.cookie.path.find_first_of(";, \t") != std::string::npos)
    c.error("cookie.path", "expected a path starting with \"/\", got " + quote_text(cfg.cookie.path));
  int64_t days = cfg.cookie.expires_after_days, rdays = cfg.cookie.rejected_expires_after_days;
  c.integer("expiresAfterDays", days, 1, 3650);
  bool has_rejected = ck.contains("rejectedExpiresAfterDays");
  c.integer("rejectedExpiresAfterDays", rdays, 1, 3650);
  cfg.cookie.expires_after_days = int(days);
  cfg.cookie.rejected_expires_after_days =
      has_rejected ? int(rdays) : std::min(int(days), cfg.cookie.rejected_expires_after_days);
  c.choice("sameSite", cfg.cookie.same_site, {"Lax", "Strict", "None"});
  if (const Json* sec = c.get("secure")) {
    if (sec->is_boolean()) cfg.cookie.secure = sec->boolean() ? "true" : "false";
    else if (sec->is_string() && sec->string() == "auto") cfg.cookie.secure = "auto";
    else c.expected("secure", "true, false or \"auto\"", *sec);
  }
  if (cfg.cookie.same_site == "None" && cfg.cookie.secure == "false")
    c.error("cookie.sameSite", "\"None\" requires secure cookies (cookie.secure must not be false)");
  c.finish();
}

/// `blocking`: what the guards hold.
void read_blocking(const Json& b, ParseResult& res) {
  Config& cfg = res.config;
  Reader c(b, "blocking", res);
  c.boolean("autoBlock", cfg.auto_block);
  c.boolean("cookieGuard", cfg.cookie_guard);
  c.boolean("reloadOnWithdrawal", cfg.reload_on_withdrawal);
  c.finish();
}

/// `consentMode`: Google Consent Mode settings.
void read_consent_mode(const Json& cm, ParseResult& res) {
  Config& cfg = res.config;
  Reader c(cm, "consentMode", res);
  c.boolean("enabled", cfg.consent_mode_enabled);
  c.integer("waitForUpdate", cfg.wait_for_update, 0, 60000);
  c.boolean("adsDataRedaction", cfg.ads_data_redaction);
  c.boolean("urlPassthrough", cfg.url_passthrough);
  c.finish();
}

/// `receipts`: where proofs of consent go.
void read_receipts(const Json& rc, ParseResult& res) {
  Config& cfg = res.config;
  Reader c(rc, "receipts", res);
  c.string("endpoint", cfg.receipts_endpoint);
  const std::string& e = cfg.receipts_endpoint;
  bool relative = !e.empty() && e[0] == '/' && (e.size() == 1 || e[1] != '/');
  bool absolute = e.rfind("https://", 0) == 0 || e.rfind("http://", 0) == 0;
  if (!e.empty() && !relative && !absolute)
    c.error("receipts.endpoint", "expected a path (\"/consent-receipts\") or an http(s) URL, got " + quote_text(e));
  c.finish();
}

/// `compat`: drop-in surfaces of other consent managers.
void read_compat(const Json& cp, ParseResult& res) {
  Config& cfg = res.config;
  Reader c(cp, "compat", res);
  c.boolean("cookiebot", cfg.compat_cookiebot);
  c.finish();
}

/// `ui`: the banner's layout and theme.
void read_ui(const Json& ui, ParseResult& res) {
  Config& cfg = res.config;
  Reader c(ui, "ui", res);
  c.choice("layout", cfg.ui_layout, {"bar", "box"});
  c.choice("position", cfg.ui_position, {"bottom", "top"});
  c.choice("theme", cfg.ui_theme, {"auto", "light", "dark"});
  c.boolean("reopenButton", cfg.ui_reopen_button);
  c.finish();
}

}  // namespace

const std::vector<std::string>& consent_mode_types() {
  static const std::vector<std::string> types = {"ad_storage",        "ad_user_data",          "ad_personalization",
                                                 "analytics_storage", "functionality_storage", "personalization_storage",
                                                 "security_storage"};
  return types;
}

const Category* Config::find_category(const std::string& name) const {
  for (const auto& c : categories)
    if (c.name == name) return &c;
  return nullptr;
}

const Service* Config::find_service(const std::string& name) const {
  for (const auto& s : services)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<std::string> Config::languages() const {
  if (translations.empty()) return builtin_languages();
  std::vector<std::string> out;
  for (const auto& kv : translations) out.push_back(kv.first);
  return out;
}

ParseResult parse_config(std::string_view json_text) {
  Json value;
  if (!parse_json(json_text, value)) {
    ParseResult res;
    res.errors.push_back({"", "the configuration is not valid JSON"});
    return res;
  }
  return parse_config(value);
}

ParseResult parse_config(const Json& value) {
  ParseResult res;
  if (!value.is_object()) {
    res.errors.push_back({"", std::string("expected the configuration to be an object, got ") + type_name(value)});
    return res;
  }
  Config& cfg = res.config;
  Reader r(value, "", res);
  r.integer("revision", cfg.revision, 0, 2147483647);
  r.string("policyUrl", cfg.policy_url);
  r.string("contact", cfg.contact, 256);
  r.boolean("debug", cfg.debug);

  if (const Json* cats = r.object("categories")) {
    read_categories(*cats, res);
    if (cats->empty()) r.error("categories", "needs at least one category");
  } else if (!value.contains("categories")) {
    r.error("categories", "missing: at least one category is needed");
  }
  if (const Json* svcs = r.object("services")) read_services(*svcs, res);

  if (const Json* al = r.object("aliases")) read_aliases(*al, res);
  for (const auto& s : cfg.services)
    if (cfg.find_category(s.name)) res.errors.push_back({"services." + s.name, "a service cannot have the name of a category"});
  if (const Json* ck = r.object("cookie")) read_cookie(*ck, res);
  if (const Json* b = r.object("blocking")) read_blocking(*b, res);
  if (const Json* cm = r.object("consentMode")) read_consent_mode(*cm, res);
  if (const Json* rc = r.object("receipts")) read_receipts(*rc, res);
  if (const Json* cp = r.object("compat")) read_compat(*cp, res);
  if (const Json* lang = r.object("language")) read_language(*lang, res);
  if (const Json* ui = r.object("ui")) read_ui(*ui, res);
  r.finish();
  res.ok = res.errors.empty();
  return res;
}

}  // namespace kelisim
