#include "kelisim/api.hpp"

#include <algorithm>
#include <cmath>

#include "kelisim/config.hpp"
#include "kelisim/cookiebot.hpp"
#include "kelisim/engine.hpp"
#include "kelisim/i18n.hpp"
#include "kelisim/request.hpp"
#include "kelisim/texts.hpp"

namespace kelisim {
namespace {

/// The configuration the engine keeps between calls: given once per page by
/// api_configure (the binding then passes only requests), or the last text a
/// native caller passed along with its request.
struct Kept {
  std::string text;
  ParseResult parsed;
  bool has = false;
};
Kept& kept() {
  static Kept k;
  return k;
}

const ParseResult& cached_config(const std::string& text) {
  Kept& k = kept();
  if (!k.has || (&text != &k.text && text != k.text)) {
    k.parsed = parse_config(std::string_view(text));
    k.text = text;
    k.has = true;
  }
  return k.parsed;
}

/// One issue as an answer lists it: {"path", "message"}.
void add_issue(Json& list, const Issue& i) {
  Json& out = list.push_back(Json::object());
  out["path"] = i.path;
  out["message"] = i.message;
}

Json issues_json(const std::vector<Issue>& issues) {
  Json out = Json::array();
  for (const auto& i : issues) add_issue(out, i);
  return out;
}

std::string failure(const char* code, const std::string& message, const std::vector<Issue>& errors = {}) {
  Json out = Json::object();
  out["ok"] = false;
  Json& error = out["error"];
  error["code"] = code;
  error["message"] = message;
  error["errors"] = issues_json(errors);
  return write_json(out);
}

std::string config_failure(const ParseResult& p) {
  std::string msg = "invalid kelisim configuration: ";
  for (size_t i = 0; i < p.errors.size(); ++i) {
    if (i) msg += "; ";
    msg += (p.errors[i].path.empty() ? "" : p.errors[i].path + ": ") + p.errors[i].message;
  }
  return failure("invalid-config", msg, p.errors);
}

Json state_json(const Config& cfg, const Status& st) {
  const char* method = st.decided ? method_name(st.record.method) : nullptr;
  Json out = Json::object();
  out["decided"] = st.decided;
  out["categories"] = allowed_categories(cfg, st);
  out["services"] = allowed_services(cfg, st);
  out["revision"] = st.decided ? st.record.revision : cfg.revision;
  out["id"] = st.readable ? st.record.id_string() : "";
  out["created"] = st.readable ? iso_time(st.record.created) : "";
  out["updated"] = st.readable ? iso_time(st.record.updated) : "";
  out["method"] = method ? Json(method) : Json(nullptr);
  return out;
}

/// Every name a page may ask about (categories, services, aliases) and the
/// engine's answer for it, so the shim's isAllowed() only reads a table.
Json allowed_json(const Config& cfg, const Status& st) {
  Json out = Json::object();
  for (const auto& c : cfg.categories) out[c.name] = is_allowed(cfg, st, c.name);
  for (const auto& s : cfg.services) out[s.name] = is_allowed(cfg, st, s.name);
  for (const auto& a : cfg.aliases) out[a.first] = is_allowed(cfg, st, a.first);
  return out;
}

/// Consent Mode's default: nothing granted but security_storage, whatever was decided.
Json consent_default_json(const Config& cfg) {
  Json out = Json::object();
  for (const auto& type : consent_mode_types()) out[type] = type == "security_storage" ? "granted" : "denied";
  out["wait_for_update"] = cfg.wait_for_update;
  return out;
}

Json consent_mode_json(const Config& cfg, const Status& st) {
  Json update = Json::object();
  for (const auto& kv : consent_mode_state(cfg, st)) update[kv.first] = kv.second ? "granted" : "denied";
  return update;
}

/// Whether the next page start may reuse the engine's page-start answer
/// without the engine (kelisim.js keeps it, keyed by this configuration and the
/// consent cookies' values), and until when (ms): only for a settled decision,
/// until it expires. `cookies`: the cookies whose values the answer reads
/// (kelisim's own, and Cookiebot's CookieConsent with the Cookiebot layer).
/// `holdsNothing`: this decision allows every service, so that every URL,
/// cookie, cookie write and storage key the guards ask about is allowed, and
/// their questions need no engine while the decision is the same.
Json memo_json(const Config& cfg, const Status& st) {
  if (st.ask != AskReason::none) return Json();
  Json out = Json::object();
  Json cookies = Json::array();
  cookies.push_back(cfg.cookie.name);
  if (cfg.compat_cookiebot) cookies.push_back(cookiebot_cookie_name());
  out["cookies"] = std::move(cookies);
  out["until"] = (st.record.updated + int64_t(expiry_days(cfg, st.record)) * 86400) * 1000;
  out["holdsNothing"] = every_service_allowed(cfg, st);
  return out;
}

/// A page start's memo: none when the start acts on the time (the Cookiebot
/// layer writes or removes its cookie with a Max-Age counted from now).
Json start_memo_json(const Config& cfg, const Status& st, const Json& answer) {
  const Json* cb = answer.find("cookiebot");
  const Json* cookie = cb ? cb->find("cookie") : nullptr;
  for (const char* flag : {"write", "remove"}) {
    const Json* f = cookie ? cookie->find(flag) : nullptr;
    if (f && f->is_boolean() && f->boolean()) return Json();
  }
  return memo_json(cfg, st);
}

Json cookie_json(const Config& cfg) {
  Json out = Json::object();
  out["name"] = cfg.cookie.name;
  out["domain"] = cfg.cookie.domain;
  out["path"] = cfg.cookie.path;
  out["sameSite"] = cfg.cookie.same_site;
  out["secure"] = cfg.cookie.secure;
  return out;
}

/// The consent cookie to write for `value`, living `max_age` seconds: every
/// attribute but Domain (which the browser finds by probing for "auto").
/// `https`: whether the page is served over HTTPS (for `secure: "auto"`).
Json cookie_write_json(const Config& cfg, const std::string& value, int64_t max_age, bool https) {
  bool secure = cfg.cookie.secure == "true" || (cfg.cookie.secure == "auto" && https) || cfg.cookie.same_site == "None";
  Json out = cookie_json(cfg);
  out["value"] = value;
  out["maxAge"] = max_age;
  out["useSecure"] = secure;
  out["attributes"] = "Path=" + cfg.cookie.path + "; Max-Age=" + decimal(max_age) + "; SameSite=" + cfg.cookie.same_site +
                      (secure ? "; Secure" : "");
  return out;
}

/// The languages to negotiate, in the order SPEC §3 gives: the explicit one,
/// then <html lang> (autoDetect "document"), then the browser's list.
std::vector<std::string> requested_languages(const Config& cfg, Request& req) {
  std::vector<std::string> out;
  std::string explicit_lang = req.str("language");
  if (!explicit_lang.empty()) out.push_back(explicit_lang);
  std::string doc_lang = req.str("documentLanguage");
  if (cfg.auto_detect == "document" && !doc_lang.empty()) out.push_back(doc_lang);
  if (cfg.auto_detect != "off")
    for (const auto& l : req.strings(req.body, "browserLanguages", "browserLanguages")) out.push_back(l);
  return out;
}

/// The built-in table a request carries (`builtinTexts`: the text of
/// kelisim-texts-<lang>.json) when it is the one `need`s, else nullptr (the
/// answer then asks for it). Parsed once per text; a table that is not one
/// is an error.
const BuiltinTable* request_table(Request& req, const std::string& need, std::vector<Issue>& problems) {
  static std::string last_text;
  static BuiltinTable last;
  static std::vector<Issue> last_errors;
  std::string given = req.str("builtinTexts");
  if (given.empty()) return nullptr;
  if (given != last_text) {
    last_errors.clear();
    read_builtin_table(given, last, last_errors);
    last_text = given;
  }
  for (const auto& e : last_errors) problems.push_back({"builtinTexts" + (e.path.empty() ? "" : "." + e.path), e.message});
  return last_errors.empty() && last.language == need ? &last : nullptr;
}

std::string texts_failure(const std::vector<Issue>& errors) {
  std::string msg = "invalid built-in texts: ";
  for (size_t i = 0; i < errors.size(); ++i) msg += (i ? "; " : "") + errors[i].path + ": " + errors[i].message;
  return failure("invalid-texts", msg, errors);
}

/// The texts of `lang` merged into `out`, or, when the built-in table they
/// need was not given, only the language and `needTexts`: the built-in
/// language whose file the shim is to fetch and pass in as `builtinTexts`.
void add_texts(TextResolver& r, AskReason ask, const std::vector<Gate>* gates, Json& out) {
  Json texts = r.texts(ask);
  Json placeholders = Json::array();
  if (gates)
    for (const auto& g : *gates) placeholders.push_back(r.placeholder(g));
  if (r.missing) {
    out["language"] = r.lang;
    out["dir"] = is_rtl(r.lang) ? "rtl" : "ltr";
    out["needTexts"] = builtin_table_language(r.cfg, r.lang);
    return;
  }
  out.update(std::move(texts));
  if (gates) out["placeholders"] = std::move(placeholders);
}

/// The batched questions of api_query (also accepted by api_start, so a page
/// start is one call).
struct Questions {
  std::vector<std::string> names, urls, cookies, storage, cookie_writes;
  std::vector<Gate> gates;
};

Gate read_gate(const Json& e) {
  Gate gate;
  if (e.is_object()) {
    for (auto [key, dst] : {std::pair<const char*, std::string*>{"category", &gate.category},
                            {"service", &gate.service},
                            {"cookieconsent", &gate.cookieconsent}}) {
      const Json* v = e.find(key);
      if (v && v->is_string()) *dst = v->string();
    }
  }
  return gate;  // a malformed gate stays closed
}

Questions read_questions(Request& req) {
  Questions q;
  q.names = req.strings(req.body, "names", "names");
  q.urls = req.strings(req.body, "urls", "urls");
  q.cookies = req.strings(req.body, "cookies", "cookies");
  q.storage = req.strings(req.body, "storage", "storage");
  q.cookie_writes = req.strings(req.body, "cookieWrites", "cookieWrites");
  const Json* gl = req.body.find("gates");
  if (gl && !gl->is_null() && !gl->is_array()) req.errors.push_back({"gates", "expected an array of gates"});
  if (gl && gl->is_array())
    for (const Json::Member& e : gl->items()) q.gates.push_back(read_gate(e.value));
  return q;
}

void answer_questions(const Config& cfg, const Status& st, const Questions& q, int64_t now, Json& out) {
  Json names = Json::array(), gates = Json::array(), urls = Json::array(), cookies = Json::array(), storage = Json::array(),
       writes = Json::array();
  for (const auto& w : q.cookie_writes) writes.push_back(cookie_write_allowed(cfg, st, w, now));
  for (const auto& n : q.names) names.push_back(is_allowed(cfg, st, n));
  for (const auto& g : q.gates) gates.push_back(gate_open(cfg, st, g));
  for (const auto& u : q.urls) urls.push_back(url_allowed(cfg, st, u));
  for (const auto& c : q.cookies) cookies.push_back(cookie_allowed(cfg, st, c));
  for (const auto& k : q.storage) storage.push_back(storage_allowed(cfg, st, k));
  out["names"] = std::move(names);
  out["gates"] = std::move(gates);
  out["urls"] = std::move(urls);
  out["cookies"] = std::move(cookies);
  out["storage"] = std::move(storage);
  out["cookieWrites"] = std::move(writes);
}

/// The storage keys the page has (a request's `present`).
struct Present {
  std::vector<std::string> local, session;
};

Present read_present(Request& req) {
  Present out;
  const Json* pr = req.body.find("present");
  if (!pr || !pr->is_object()) return out;
  out.local = req.strings(*pr, "localStorage", "present.localStorage");
  out.session = req.strings(*pr, "sessionStorage", "present.sessionStorage");
  return out;
}

/// What to delete for the decision in `st`: the cookies in `header` and the
/// present storage keys of services that are not allowed.
Json cleanup_json(const Config& cfg, const Status& st, const std::string& header, const Present& present) {
  std::vector<std::string> cookies;
  for (const auto& kv : parse_cookie_header(header))
    if (!kv.first.empty()) cookies.push_back(kv.first);
  Json out = Json::object();
  out["cookies"] = cleanup_cookies(cfg, st, cookies);
  out["localStorage"] = cleanup_storage(cfg, st, present.local);
  out["sessionStorage"] = cleanup_storage(cfg, st, present.session);
  return out;
}

/// What changed: {"accepted", "rejected"}.
Json changes_json(const Changes& changes) {
  Json out = Json::object();
  out["accepted"] = changes.accepted;
  out["rejected"] = changes.rejected;
  return out;
}

}  // namespace

std::string api_texts(const std::string& config, const std::string& request) {
  const ParseResult& p = cached_config(config);
  if (!p.ok) return config_failure(p);
  Request req;
  if (!req.parse(request)) return failure("invalid-request", "invalid request", req.errors);
  std::vector<std::string> requested = requested_languages(p.config, req);
  std::vector<Gate> gates;
  if (const Json* pl = req.body.find("placeholders"); pl && pl->is_array())
    for (const Json::Member& e : pl->items()) gates.push_back(read_gate(e.value));
  // With the visitor's cookie, the notice says why the banner asks (if it does).
  AskReason ask = AskReason::none;
  if (req.body.contains("now")) {
    int64_t now = req.now();
    ask = evaluate(p.config, stored_value(p.config, req.str("cookieHeader")), now, req.boolean("gpc")).ask;
  }
  std::string lang = negotiate_language(requested, p.config.languages(), p.config.default_language);
  std::vector<Issue> table_errors;
  TextResolver r{p.config, lang, request_table(req, builtin_table_language(p.config, lang), table_errors)};
  if (!req.errors.empty()) return failure("invalid-request", "invalid request", req.errors);
  if (!table_errors.empty()) return texts_failure(table_errors);
  Json out = Json::object();
  add_texts(r, ask, &gates, out);
  out["ok"] = true;
  return write_json(out);
}

std::string api_validate(const std::string& config) {
  const ParseResult& p = cached_config(config);
  Json out = Json::object();
  out["ok"] = p.ok;
  out["errors"] = issues_json(p.errors);
  out["warnings"] = issues_json(p.warnings);
  return write_json(out);
}

std::string api_configure(const std::string& config) { return api_validate(config); }

const std::string& configured() { return kept().text; }

std::string api_start(const std::string& config, const std::string& request) {
  const ParseResult& p = cached_config(config);
  if (!p.ok) return config_failure(p);
  const Config& cfg = p.config;
  Request req;
  if (!req.parse(request)) return failure("invalid-request", "invalid request", req.errors);
  std::string stored = stored_value(cfg, req.str("cookieHeader"));
  int64_t now = req.now();
  bool gpc = req.boolean("gpc");
  std::vector<std::string> requested = requested_languages(cfg, req);
  Questions q = read_questions(req);
  // Re-reading after another tab decided: what changed since `previous`.
  const Json* prev = req.body.find("previous");
  bool has_previous = prev && !prev->is_null();
  bool https = req.boolean("https");
  std::string previous = req.str("previous");
  std::string origin = req.str("origin");  // the page's: a service may name the site's own host
  Present present = read_present(req);
  std::string lang = negotiate_language(requested, cfg.languages(), cfg.default_language);
  std::vector<Issue> table_errors;
  const BuiltinTable* table = request_table(req, builtin_table_language(cfg, lang), table_errors);
  if (!req.errors.empty()) return failure("invalid-request", "invalid request", req.errors);
  if (!table_errors.empty()) return texts_failure(table_errors);

  Status st = evaluate(cfg, stored, now, gpc);
  Json out = Json::object();
  out["ok"] = true;
  out["warnings"] = issues_json(p.warnings);
  out["ask"] = st.ask == AskReason::none ? Json(nullptr) : Json(ask_reason_name(st.ask));
  out["invalid"] = st.invalid_reason.empty() ? Json(nullptr) : Json(st.invalid_reason);
  out["newItems"] = st.new_items;
  out["state"] = state_json(cfg, st);
  out["allowed"] = allowed_json(cfg, st);
  Json& consent_mode = out["consentMode"];
  consent_mode["enabled"] = cfg.consent_mode_enabled;
  consent_mode["default"] = consent_default_json(cfg);
  consent_mode["update"] = consent_mode_json(cfg, st);
  consent_mode["waitForUpdate"] = cfg.wait_for_update;
  consent_mode["adsDataRedaction"] = cfg.ads_data_redaction;
  consent_mode["urlPassthrough"] = cfg.url_passthrough;
  out["cookie"] =
      st.decided
          ? cookie_write_json(cfg, stored,
                              std::max<int64_t>(0, st.record.updated + int64_t(expiry_days(cfg, st.record)) * 86400 - now), https)
          : cookie_json(cfg);
  Json& blocking = out["blocking"];
  blocking["autoBlock"] = cfg.auto_block;
  blocking["cookieGuard"] = cfg.cookie_guard;
  blocking["reloadOnWithdrawal"] = cfg.reload_on_withdrawal;
  blocking["cookies"] = cfg.cookie_guard ? "ask" : "none";
  out["receipts"]["endpoint"] = cfg.receipts_endpoint;
  out["compat"]["cookiebot"] = cfg.compat_cookiebot;
  Json& ui = out["ui"];
  ui["layout"] = cfg.ui_layout;
  ui["position"] = cfg.ui_position;
  ui["theme"] = cfg.ui_theme;
  ui["reopenButton"] = cfg.ui_reopen_button;
  out["languages"] = cfg.languages();
  out["contact"] = cfg.contact;
  out["gpc"] = gpc;
  out["debug"] = cfg.debug;
  answer_questions(cfg, st, q, now, out);
  // Every page view enforces the decision (or, before one, that only required
  // services are allowed): what a server or a tag set again is deleted.
  out["cleanup"] = cleanup_json(cfg, st, req.str("cookieHeader"), present);
  if (has_previous) {
    Changes changes = diff(cfg, evaluate(cfg, stored_value(cfg, previous), now, gpc), st);
    out["changes"] = changes_json(changes);
  }
  std::vector<Issue> cookiebot = add_cookiebot(cfg, st, req.body, CookiebotCall::start, now, out);
  if (!cookiebot.empty()) return failure("invalid-request", "invalid request", cookiebot);
  // What the page's guards ask about (Cookiebot's tag may have turned auto-blocking on).
  bool auto_block = out["blocking"]["autoBlock"].boolean();
  out["blocking"]["urls"] = url_scope(cfg, auto_block, origin);
  if (auto_block)
    for (const Issue& claim : own_host_claims(cfg, origin)) add_issue(out["warnings"], claim);
  out["memo"] = has_previous ? Json() : start_memo_json(cfg, st, out);
  // The texts are only needed when the banner shows; a returning visitor's
  // page start skips them (the UI asks api_texts when it renders later).
  if (st.ask != AskReason::none) {
    TextResolver r{cfg, lang, table};
    add_texts(r, st.ask, nullptr, out);
  } else {
    out["language"] = lang;
    out["dir"] = is_rtl(lang) ? "rtl" : "ltr";
  }
  return write_json(out);
}

std::string api_decide(const std::string& config, const std::string& request) {
  const ParseResult& p = cached_config(config);
  if (!p.ok) return config_failure(p);
  const Config& cfg = p.config;
  Request req;
  if (!req.parse(request)) return failure("invalid-request", "invalid request", req.errors);
  std::string header = req.str("cookieHeader");
  std::string stored = stored_value(cfg, header);
  int64_t now = req.now();
  bool gpc = req.boolean("gpc");
  std::array<uint8_t, 16> fresh{};
  if (!parse_hex_id(req.str("random"), fresh)) req.errors.push_back({"random", "expected 32 hex digits of randomness"});
  Choice choice;
  const Json* ch = req.body.find("choice");
  if (!ch || !ch->is_object()) {
    req.errors.push_back({"choice", "expected an object"});
  } else {
    const Json* m = ch->find("method");
    choice.method = (m && m->is_string()) ? method_from_name(m->string()) : Method::none;
    if (choice.method == Method::none) req.errors.push_back({"choice.method", "expected accept-all, reject-all, custom or api"});
    const Json* pre = ch->find("preset");
    choice.preset = (pre && pre->is_string()) ? method_from_name(pre->string()) : choice.method;
    if (choice.preset != Method::accept_all && choice.preset != Method::reject_all) choice.preset = Method::custom;
    choice.categories = req.strings(*ch, "categories", "choice.categories");
    choice.services = req.strings(*ch, "services", "choice.services");
  }
  // "allow": keep the current decision and add what this gate needs.
  const Json* allow = nullptr;
  if (ch && ch->is_object()) {
    const Json* a = ch->find("allow");
    if (a && !a->is_null()) {
      if (a->is_object()) allow = a;
      else req.errors.push_back({"choice.allow", "expected a gate object"});
    }
  }
  Questions q = read_questions(req);
  Present present = read_present(req);
  std::string language = req.str("language"), url = req.str("url");
  bool https = req.boolean("https");
  if (!req.errors.empty()) return failure("invalid-request", "invalid request", req.errors);

  Status before = evaluate(cfg, stored, now, gpc);
  if (allow) choice = choice_adding(cfg, before, read_gate(*allow), choice.method);
  DecideResult d = decide(cfg, before, choice, gpc, now, fresh);
  Status after = evaluate(cfg, d.cookie_value, now, gpc);
  Changes changes = diff(cfg, before, after);

  Json accepted = allowed_categories(cfg, after), rejected = Json::array();
  for (const auto& s : allowed_services(cfg, after)) accepted.push_back(s);
  for (const auto& c : cfg.categories)
    if (!is_allowed(cfg, after, c.name)) rejected.push_back(c.name);
  for (const auto& s : cfg.services)
    if (!is_allowed(cfg, after, s.name)) rejected.push_back(s.name);

  Json out = Json::object();
  out["ok"] = true;
  out["cookie"] = cookie_write_json(cfg, d.cookie_value, int64_t(expiry_days(cfg, d.record)) * 86400, https);
  out["state"] = state_json(cfg, after);
  out["allowed"] = allowed_json(cfg, after);
  out["changes"] = changes_json(changes);
  out["cleanup"] = cleanup_json(cfg, after, header, present);
  out["reload"] = cfg.reload_on_withdrawal && !changes.rejected.empty();
  Json& consent_mode = out["consentMode"];
  consent_mode["enabled"] = cfg.consent_mode_enabled;
  consent_mode["update"] = consent_mode_json(cfg, after);
  Json& receipt = out["receipt"];
  receipt["id"] = d.record.id_string();
  receipt["sequence"] = d.record.sequence;
  receipt["revision"] = d.record.revision;
  receipt["timestamp"] = iso_time(now);
  receipt["method"] = method_name(d.record.method);
  receipt["accepted"] = std::move(accepted);
  receipt["rejected"] = std::move(rejected);
  receipt["language"] = language;
  receipt["url"] = receipt_url(url);
  out["unknown"] = d.unknown;
  out["memo"] = memo_json(cfg, after);
  // The follow-up questions of a decision (the page's waiting gates, held URLs) in the same call.
  answer_questions(cfg, after, q, now, out);
  std::vector<Issue> cookiebot = add_cookiebot(cfg, after, req.body, CookiebotCall::decide, now, out);
  if (!cookiebot.empty()) return failure("invalid-request", "invalid request", cookiebot);
  return write_json(out);
}

std::string api_query(const std::string& config, const std::string& request) {
  const ParseResult& p = cached_config(config);
  if (!p.ok) return config_failure(p);
  const Config& cfg = p.config;
  Request req;
  if (!req.parse(request)) return failure("invalid-request", "invalid request", req.errors);
  std::string stored = stored_value(cfg, req.str("cookieHeader"));
  int64_t now = req.now();
  bool gpc = req.boolean("gpc");
  Questions q = read_questions(req);
  if (!req.errors.empty()) return failure("invalid-request", "invalid request", req.errors);
  Json out = Json::object();
  out["ok"] = true;
  Status st = evaluate(cfg, stored, now, gpc);
  answer_questions(cfg, st, q, now, out);
  std::vector<Issue> cookiebot = add_cookiebot(cfg, st, req.body, CookiebotCall::query, now, out);
  if (!cookiebot.empty()) return failure("invalid-request", "invalid request", cookiebot);
  return write_json(out);
}

}  // namespace kelisim
