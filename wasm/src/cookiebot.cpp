#include "kelisim/cookiebot.hpp"

namespace kelisim {
namespace {

constexpr int64_t kDay = 86400;
constexpr const char* kCookieName = "CookieConsent";
constexpr std::string_view kOptIn = "cookieconsent-optin-";
constexpr std::string_view kOptOut = "cookieconsent-optout-";

/// The configuration's name for a page's name: through `aliases`, else itself.
std::string resolve(const Config& cfg, const std::string& name) {
  auto it = cfg.aliases.find(name);
  return it == cfg.aliases.end() ? name : it->second;
}

bool known(const Config& cfg, const std::string& name) {
  std::string n = resolve(cfg, name);
  return cfg.find_category(n) || cfg.find_service(n);
}

/// The values of every cookie called `name` in a Cookie header ("a=1; b=2").
std::vector<std::string> cookie_values(const std::string& header, std::string_view name) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < header.size() && out.size() < 100) {
    size_t end = header.find(';', i);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + i, end - i);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) out.emplace_back(part.substr(eq + 1));
    i = end + 1;
  }
  return out;
}

/// Boolean fields set one by one: far less code in the wasm than an initializer list per object.
void set_flags(Json& obj, std::initializer_list<std::pair<const char*, bool>> flags) {
  for (const auto& f : flags) obj[f.first] = f.second;
}

Json state_json(const Config& cfg, const CookiebotState& s, bool gpc) {
  Json consent = Json::object();
  set_flags(
      consent,
      {{"necessary", s.necessary}, {"preferences", s.preferences}, {"statistics", s.statistics}, {"marketing", s.marketing}});
  // kelisim records only the visitor's own choices: never "implied".
  consent["method"] = s.has_response ? Json("explicit") : Json(nullptr);
  consent["stamp"] = s.stamp;
  Json out = Json::object();
  out["consent"] = std::move(consent);
  set_flags(out, {{"consented", s.consented}, {"declined", s.declined}, {"hasResponse", s.has_response}, {"doNotTrack", gpc}});
  out["consentID"] = s.stamp;
  // Every visitor is asked before anything optional runs: the opt-in rules apply to all.
  Json regulations = Json::object();
  set_flags(regulations, {{"gdprApplies", true}, {"ccpaApplies", false}, {"lgpdApplies", false}});
  out["regulations"] = std::move(regulations);
  Json& submit = out["submit"] = Json::array();
  for (const char* name : {"preferences", "statistics", "marketing"})
    submit.push_back(known(cfg, name) ? Json(resolve(cfg, name)) : Json(nullptr));
  return out;
}

/// What to do with the CookieConsent cookie: written whenever a decision is
/// made, rewritten at page start when the copy in the browser differs from
/// the decision, removed when there is no current decision (a stale or
/// foreign copy must not tell server-side readers more than kelisim allows).
Json cookie_json(const Config& cfg, const Status& st, const CookiebotState& s, const std::string& header, CookiebotCall call,
                 int64_t now, bool https) {
  std::vector<std::string> present = cookie_values(header, kCookieName);
  std::string value, attributes;
  int64_t max_age = 0;
  bool write = false;
  if (s.has_response) {
    value = cookiebot_cookie_value(s);
    int64_t lifetime = int64_t(expiry_days(cfg, st.record)) * kDay;
    int64_t left = call == CookiebotCall::decide ? lifetime : lifetime - (now - st.record.updated);
    max_age = left > 0 ? left : 0;
    // Beside kelisim's own cookie: the same path, SameSite and Secure (Domain is the shim's, found by probing).
    bool secure = cfg.cookie.secure == "true" || (cfg.cookie.secure == "auto" && https) || cfg.cookie.same_site == "None";
    attributes = "Path=" + cfg.cookie.path + "; Max-Age=" + decimal(max_age) + "; SameSite=" + cfg.cookie.same_site +
                 (secure ? "; Secure" : "");
    write = left > 0 && (call == CookiebotCall::decide || !(present.size() == 1 && present[0] == value));
  }
  Json c = Json::object();
  c["name"] = kCookieName;
  c["value"] = value;
  c["maxAge"] = max_age;
  c["attributes"] = attributes;
  set_flags(c, {{"write", write}, {"remove", !s.has_response && !present.empty()}});
  return c;
}

}  // namespace

bool cookiebot_allowed(const Config& cfg, const Status& st, const std::string& name) {
  if (!known(cfg, name)) return name == "necessary";
  return is_allowed(cfg, st, name);
}

CookiebotState cookiebot_state(const Config& cfg, const Status& st) {
  CookiebotState s;
  s.necessary = cookiebot_allowed(cfg, st, "necessary");
  s.preferences = cookiebot_allowed(cfg, st, "preferences");
  s.statistics = cookiebot_allowed(cfg, st, "statistics");
  s.marketing = cookiebot_allowed(cfg, st, "marketing");
  s.has_response = st.decided;
  if (st.decided) {
    s.consented = s.preferences || s.statistics || s.marketing;
    s.declined = !s.consented;
    s.stamp = st.record.id_string();
    s.utc_ms = st.record.updated * 1000;
    s.version = st.record.revision;
  }
  return s;
}

const char* cookiebot_cookie_name() { return kCookieName; }

std::string cookiebot_cookie_value(const CookiebotState& s) {
  if (!s.has_response) return "";
  // Cookiebot's own encoding: quotes as %27 and commas as %2C, the rest as is.
  std::string v = "{stamp:%27" + s.stamp + "%27";
  const std::pair<const char*, bool> flags[] = {
      {"necessary", s.necessary}, {"preferences", s.preferences}, {"statistics", s.statistics}, {"marketing", s.marketing}};
  for (const auto& f : flags) ((v += "%2C") += f.first) += f.second ? ":true" : ":false";
  ((((v += "%2Cmethod:%27explicit%27%2Cver:") += decimal(s.version)) += "%2Cutc:") += decimal(s.utc_ms)) += "}";
  return v;
}

bool cookiebot_classes_visible(const Config& cfg, const Status& st, std::string_view classes) {
  bool has_out = false, out_missing = false;
  size_t i = 0;
  while (i < classes.size()) {
    size_t end = classes.find_first_of(" \t\n\r\f", i);
    if (end == std::string_view::npos) end = classes.size();
    std::string_view token = classes.substr(i, end - i);
    i = end + 1;
    if (token.size() > kOptIn.size() && token.substr(0, kOptIn.size()) == kOptIn) {
      if (!cookiebot_allowed(cfg, st, std::string(token.substr(kOptIn.size())))) return false;
    } else if (token.size() > kOptOut.size() && token.substr(0, kOptOut.size()) == kOptOut) {
      has_out = true;
      if (!cookiebot_allowed(cfg, st, std::string(token.substr(kOptOut.size())))) out_missing = true;
    }
  }
  return !has_out || out_missing;
}

std::vector<Issue> add_cookiebot(const Config& cfg, const Status& st, const Json& request, CookiebotCall call, int64_t now,
                                 Json& out) {
  std::vector<Issue> errors;
  if (!request.is_object()) return errors;

  const Json* classes = request.find("cookiebotClasses");
  if (classes && !classes->is_null()) {
    Json answers = Json::array();
    if (!classes->is_array()) errors.push_back({"cookiebotClasses", "expected an array of strings"});
    else {
      for (const Json::Member& c : classes->items()) {
        if (!c.value.is_string()) {
          errors.push_back({"cookiebotClasses", "expected an array of strings"});
          break;
        }
        answers.push_back(cookiebot_classes_visible(cfg, st, c.value.string()));
      }
    }
    out["cookiebotClasses"] = std::move(answers);
  }

  if (call == CookiebotCall::start) {
    const Json* tag = request.find("tag");
    if (tag && !tag->is_null()) {
      if (!tag->is_object()) errors.push_back({"tag", "expected an object"});
      else {
        const Json* mode = tag->find("blockingMode");
        if (mode && !mode->is_null() && !mode->is_string()) errors.push_back({"tag.blockingMode", "expected a string"});
        // Cookiebot's data-blockingmode="auto" asks for auto-blocking: it can only block more, never less.
        else if (mode && mode->is_string() && mode->string() == "auto" && out.contains("blocking") && out["blocking"].is_object())
          out["blocking"]["autoBlock"] = true;
      }
    }
  }

  if (cfg.compat_cookiebot && call != CookiebotCall::query) {
    std::string header;
    const Json* h = request.find("cookieHeader");
    if (h && h->is_string()) header = h->string();
    auto flag_of = [&](const char* key) {
      const Json* v = request.find(key);
      return v && v->is_boolean() && v->boolean();
    };
    bool gpc = flag_of("gpc");
    CookiebotState s = cookiebot_state(cfg, st);
    Json cb = state_json(cfg, s, gpc);
    cb["cookie"] = cookie_json(cfg, st, s, header, call, now, flag_of("https"));
    out["cookiebot"] = std::move(cb);
  }
  return errors;
}

}  // namespace kelisim
