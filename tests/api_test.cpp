#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kelisim/api.hpp"
#include "kelisim/record.hpp"
#include "support.hpp"

using kelisim_test::json;
using Names = std::vector<std::string>;

namespace {

constexpr int64_t kNowMs = 1767225600000;  // 2026-01-01T00:00:00Z
const char* kRandom = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";
const char* kRandomId = "a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf";

const std::string& demo() {
  static const std::string text = kelisim_test::fixture_text("config-demo.json");
  return text;
}

json call_once(std::string (*fn)(const std::string&, const std::string&), const std::string& config, const json& request) {
  json out = json::parse(fn(config, request.dump()), nullptr, false);
  REQUIRE(out.is_object());
  return out;
}

/// One call as the shim makes it: when the answer asks for a built-in table
/// (`needTexts`), the call is made again with that file's text.
json call(std::string (*fn)(const std::string&, const std::string&), const std::string& config, const json& request) {
  json out = call_once(fn, config, request);
  if (!out.contains("needTexts") || request.contains("builtinTexts")) return out;
  json with = request;
  with["builtinTexts"] = kelisim_test::builtin_table(out["needTexts"].get<std::string>());
  out = call_once(fn, config, with);
  CHECK_FALSE(out.contains("needTexts"));
  return out;
}
json start(const json& req, const std::string& cfg = demo()) { return call(kelisim::api_start, cfg, req); }
json decide(const json& req, const std::string& cfg = demo()) { return call(kelisim::api_decide, cfg, req); }
json query(const json& req, const std::string& cfg = demo()) { return call(kelisim::api_query, cfg, req); }
json texts(const json& req, const std::string& cfg = demo()) { return call(kelisim::api_texts, cfg, req); }

Names keys(const json& obj) {
  Names out;
  for (auto it = obj.begin(); it != obj.end(); ++it) out.push_back(it.key());
  return out;
}

json decide_req(const json& choice, const std::string& cookie_header = "", int64_t now = kNowMs) {
  return {{"cookieHeader", cookie_header},
          {"now", now},
          {"gpc", false},
          {"random", kRandom},
          {"choice", choice},
          {"language", "kk"},
          {"url", "https://kz.meest.com/kk/tracking"}};
}

/// The "kelisim=..." cookie a decision returns, ready for the next request.
std::string cookie_of(const json& decided) {
  REQUIRE(decided["ok"] == true);
  return "kelisim=" + decided["cookie"]["value"].get<std::string>();
}

Names error_lines(const json& response) {
  Names out;
  for (const auto& e : response["error"]["errors"])
    out.push_back(e["path"].get<std::string>() + ": " + e["message"].get<std::string>());
  return out;
}

json all_denied_but_security() {
  return {{"ad_storage", "denied"},        {"ad_user_data", "denied"},          {"ad_personalization", "denied"},
          {"analytics_storage", "denied"}, {"functionality_storage", "denied"}, {"personalization_storage", "denied"},
          {"security_storage", "granted"}};
}

}  // namespace

TEST_CASE("api_validate: shapes for valid, invalid and warned configurations", "[api]") {
  json ok = json::parse(kelisim::api_validate(demo()));
  CHECK(ok == json::parse(R"({"ok": true, "errors": [], "warnings": []})"));
  json bad = json::parse(kelisim::api_validate(R"({"categories": {"a": {"required": "yes"}}, "colour": 1})"));
  CHECK(bad == json::parse(R"({"ok": false,
      "errors": [{"path": "categories.a.required", "message": "expected true or false, got a string"}],
      "warnings": [{"path": "colour", "message": "unknown key, ignored"}]})"));
  json junk = json::parse(kelisim::api_validate("{not json"));
  CHECK(junk ==
        json::parse(
            R"({"ok": false, "errors": [{"path": "", "message": "the configuration is not valid JSON"}], "warnings": []})"));
  // Every invalid-configs fixture case through the JSON entry point.
  for (const auto& c : kelisim_test::fixture_json("invalid-configs.json")) {
    INFO(c["name"].get<std::string>());
    json v = json::parse(kelisim::api_validate(c["config"].dump()));
    CHECK(v["ok"] == false);
    CHECK(v["errors"] == c["errors"]);
  }
}

TEST_CASE("api: an invalid configuration fails every call as a value", "[api]") {
  const std::string cfg = R"({"revision": "1", "categories": {}})";
  const std::string expected_message =
      "invalid kelisim configuration: revision: expected an integer, got a string; categories: needs at least one category";
  for (auto fn : {kelisim::api_start, kelisim::api_decide, kelisim::api_query, kelisim::api_texts}) {
    json out = json::parse(fn(cfg, R"({"now": 1})"));
    CHECK(keys(out) == Names{"ok", "error"});
    CHECK(out["ok"] == false);
    CHECK(keys(out["error"]) == Names{"code", "message", "errors"});
    CHECK(out["error"]["code"] == "invalid-config");
    CHECK(out["error"]["message"] == expected_message);
    CHECK(error_lines(out) == Names{"revision: expected an integer, got a string", "categories: needs at least one category"});
  }
  json nojson = json::parse(kelisim::api_start("", "{}"));
  CHECK(nojson["error"]["message"] == "invalid kelisim configuration: the configuration is not valid JSON");
}

TEST_CASE("api_start: first visit, every field", "[api][start]") {
  json out = start({{"cookieHeader", "other=1; _ga=GA1.2.3"}, {"now", kNowMs}});
  for (const char* key :
       {"ok",       "warnings", "ask",     "invalid", "newItems",  "state",   "allowed", "consentMode", "cookie",
        "blocking", "receipts", "compat",  "ui",      "languages", "contact", "gpc",     "debug",       "names",
        "gates",    "urls",     "cookies", "storage", "language",  "dir",     "texts",   "categories",  "memo"})
    CHECK(out.contains(key));
  CHECK(out["ok"] == true);
  CHECK(out["memo"].is_null());  // nothing to reuse before a decision
  CHECK(out["warnings"] == json::array());
  CHECK(out["ask"] == "first-visit");
  CHECK(out["invalid"].is_null());
  CHECK(out["newItems"] == json::array());
  CHECK(out["state"] == json::parse(R"({"decided": false, "categories": ["necessary"], "services": ["session"], "revision": 3,
                                        "id": "", "created": "", "updated": "", "method": null})"));
  json consent_default = all_denied_but_security();
  consent_default["wait_for_update"] = 500;
  CHECK(out["consentMode"] == json({{"enabled", true},
                                    {"default", consent_default},
                                    {"update", all_denied_but_security()},
                                    {"waitForUpdate", 500},
                                    {"adsDataRedaction", true},
                                    {"urlPassthrough", false}}));
  // Every name a page may ask about, answered: only what is required before a decision.
  CHECK(nlohmann::json::parse(out["allowed"].dump()) ==
        nlohmann::json::parse(R"({"necessary": true, "preferences": false, "analytics": false, "marketing": false,
      "embedded": false, "session": true, "site-language": false, "google-analytics": false, "hubspot": false,
      "google-tag-manager": false, "youtube": false, "facebook": false, "recaptcha": false, "statistics": false,
      "youtube-video": false})"));
  CHECK(out["cookie"] ==
        json::parse(R"({"name": "kelisim", "domain": "auto", "path": "/", "sameSite": "Lax", "secure": "true"})"));
  CHECK(out["blocking"] == json::parse(R"({"autoBlock": true, "cookieGuard": true, "reloadOnWithdrawal": false,
                                          "cookies": "ask", "urls": "cross-origin"})"));
  CHECK(out["receipts"] == json::parse(R"({"endpoint": "/consent-receipts"})"));
  CHECK(out["compat"] == json::parse(R"({"cookiebot": true})"));
  CHECK(out["ui"] == json::parse(R"({"layout": "bar", "position": "bottom", "theme": "auto", "reopenButton": true})"));
  CHECK(out["languages"] == json::parse(R"(["en", "kk", "ru"])"));
  CHECK(out["contact"] == "export.kz@meestgroup.com");
  CHECK(out["gpc"] == false);
  CHECK(out["debug"] == false);
  CHECK(out["language"] == "kk");
  CHECK(out["dir"] == "ltr");
  CHECK(out["texts"]["banner.title"] == json::parse(R"([{"text": "Cookie файлдары туралы"}])"));
  // The policy link is resolved into a link run.
  bool linked = false;
  for (const auto& run : out["texts"]["banner.description"])
    if (run.contains("href")) linked = run["href"] == "/kk/privacy";
  CHECK(linked);
  REQUIRE(out["categories"].size() == 5);
  CHECK(out["categories"][0]["name"] == "necessary");
  CHECK(out["categories"][0]["required"] == true);
  CHECK(out["categories"][3]["gpcDeny"] == true);
  CHECK(keys(out["categories"][4]) == Names{"name", "required", "gpcDeny", "title", "description", "services"});
  REQUIRE(out["categories"][4]["services"].size() == 3);
  CHECK(out["categories"][4]["services"][2] == json::parse(R"({"name": "recaptcha", "title": "Google reCAPTCHA",
      "description": [{"text": "Жөнелтілімді қадағалау формасын боттардан қорғайды."}], "cookies": ["_GRECAPTCHA"]})"));
}

TEST_CASE("api_start: a settled decision may be reused until it expires, keyed by the cookie it was read from",
          "[api][start][memo]") {
  json c = kelisim_test::fixture_json("config-demo.json");
  c["compat"]["cookiebot"] = false;
  const std::string cfg = c.dump();
  json accepted = decide(decide_req({{"method", "accept-all"}}), cfg);
  json rejected = decide(decide_req({{"method", "reject-all"}}), cfg);

  // The decision says so too: the shim answers the next page start while the engine is up.
  const json memo = {{"cookies", {"kelisim"}}, {"until", kNowMs + 365LL * 86400000}, {"holdsNothing", true}};
  CHECK(accepted["memo"] == memo);
  json back = start({{"cookieHeader", cookie_of(accepted)}, {"now", kNowMs + 60000}}, cfg);
  CHECK(back["memo"] == memo);
  // The last millisecond it names still holds the decision; a second later the engine asks again.
  json edge = start({{"cookieHeader", cookie_of(accepted)}, {"now", back["memo"]["until"].get<int64_t>() - 1}}, cfg);
  CHECK(edge["ask"].is_null());
  json after = start({{"cookieHeader", cookie_of(accepted)}, {"now", back["memo"]["until"].get<int64_t>() + 1000}}, cfg);
  CHECK(after["ask"] == "expired");
  CHECK(after["memo"].is_null());
  // "Reject all" lives as long as the configuration keeps a rejection.
  CHECK(start({{"cookieHeader", cookie_of(rejected)}, {"now", kNowMs}}, cfg)["memo"]["until"] == kNowMs + 182LL * 86400000);

  // Nothing to reuse when the engine asks (garbled, another revision, a new service), or on a
  // re-read after another tab decided.
  CHECK(start({{"cookieHeader", "kelisim=1.AAAA!garbage"}, {"now", kNowMs}}, cfg)["memo"].is_null());
  json bumped = c;
  bumped["revision"] = 4;
  CHECK(start({{"cookieHeader", cookie_of(accepted)}, {"now", kNowMs}}, bumped.dump())["memo"].is_null());
  json grown = c;
  grown["services"]["vimeo"] = {{"category", "embedded"}};
  CHECK(start({{"cookieHeader", cookie_of(accepted)}, {"now", kNowMs}}, grown.dump())["memo"].is_null());
  CHECK(start({{"cookieHeader", cookie_of(accepted)}, {"now", kNowMs}, {"previous", ""}}, cfg)["memo"].is_null());
}

TEST_CASE("api_start: the memo says when a decision holds nothing, and then the engine allows every URL, cookie and key",
          "[api][start][memo]") {
  json c = kelisim_test::fixture_json("config-demo.json");
  c["compat"]["cookiebot"] = false;
  const std::string cfg = c.dump();
  // What the demo's services claim, and what none does.
  const json asked = {{"urls",
                       {"https://www.google-analytics.com/g/collect", "https://region1.google-analytics.com/x",
                        "https://www.youtube.com/embed/1", "https://js.hs-scripts.com/1.js", "https://cdn.example.test/a.js"}},
                      {"cookies", {"_ga", "_ga_ABC", "_gid", "PHPSESSID", "_fbp", "hubspotutk", "other"}},
                      {"cookieWrites", {"_ga=GA1.1.1.2; path=/; max-age=63072000", "_fbp=fb.1; path=/", "__hstc=1", "other=1"}},
                      {"storage", {"preferred-language", "hs-messages-x", "kelisim:x", "other"}}};
  const auto all_true = [&](const json& answer) {
    for (const char* kind : {"urls", "cookies", "cookieWrites", "storage"}) {
      REQUIRE(answer[kind].size() == asked[kind].size());
      for (const auto& v : answer[kind])
        if (v != true) return false;
    }
    return true;
  };
  const auto ask = [&](const json& decided, bool gpc = false) {
    json req = asked;
    req["cookieHeader"] = cookie_of(decided);
    req["now"] = kNowMs + 60000;
    req["gpc"] = gpc;
    return query(req, cfg);
  };

  json all = decide(decide_req({{"method", "accept-all"}}), cfg);
  CHECK(all["memo"]["holdsNothing"] == true);
  CHECK(all_true(ask(all)));
  // Any service left out holds something: the guards' questions go to the engine.
  json some = decide(decide_req({{"method", "custom"}, {"categories", {"analytics"}}}), cfg);
  CHECK(some["memo"]["holdsNothing"] == false);
  CHECK_FALSE(all_true(ask(some)));
  json none = decide(decide_req({{"method", "reject-all"}}), cfg);
  CHECK(none["memo"]["holdsNothing"] == false);
  CHECK_FALSE(all_true(ask(none)));
  // "Accept all" under Global Privacy Control withholds the "gpc": "deny" categories' services.
  json gpc_req = decide_req({{"method", "accept-all"}});
  gpc_req["gpc"] = true;
  json under_gpc = decide(gpc_req, cfg);
  CHECK(under_gpc["memo"]["holdsNothing"] == false);
  CHECK_FALSE(all_true(ask(under_gpc, true)));
  // The same decision read back by a page start says the same.
  CHECK(start({{"cookieHeader", cookie_of(all)}, {"now", kNowMs + 60000}}, cfg)["memo"]["holdsNothing"] == true);
  CHECK(start({{"cookieHeader", cookie_of(some)}, {"now", kNowMs + 60000}}, cfg)["memo"]["holdsNothing"] == false);
}

TEST_CASE("api_start: with the Cookiebot layer, reused only while its CookieConsent copy needs no write",
          "[api][start][memo][cookiebot]") {
  const std::string cfg = demo();  // compat.cookiebot: true
  json accepted = decide(decide_req({{"method", "accept-all"}}), cfg);
  const json memo = {{"cookies", {"kelisim", "CookieConsent"}}, {"until", kNowMs + 365LL * 86400000}, {"holdsNothing", true}};
  // The decision writes CookieConsent itself: the next page start is prepared from the engine.
  CHECK(accepted["cookiebot"]["cookie"]["write"] == true);
  CHECK(accepted["memo"] == memo);
  const std::string copy = "CookieConsent=" + accepted["cookiebot"]["cookie"]["value"].get<std::string>();
  // Both cookies as the decision wrote them: nothing to write, and the answer may be reused
  // (the memo names CookieConsent, so a changed copy is a different input).
  json back = start({{"cookieHeader", cookie_of(accepted) + "; " + copy}, {"now", kNowMs + 60000}}, cfg);
  CHECK(back["cookiebot"]["cookie"]["write"] == false);
  CHECK(back["cookiebot"]["cookie"]["remove"] == false);
  CHECK(back["memo"] == memo);
  // Without the copy, or with another one, the start writes it with a Max-Age counted from now: not reused.
  json missing = start({{"cookieHeader", cookie_of(accepted)}, {"now", kNowMs + 60000}}, cfg);
  CHECK(missing["cookiebot"]["cookie"]["write"] == true);
  CHECK(missing["memo"].is_null());
  json other = start({{"cookieHeader", cookie_of(accepted) + "; CookieConsent=-1"}, {"now", kNowMs + 60000}}, cfg);
  CHECK(other["cookiebot"]["cookie"]["write"] == true);
  CHECK(other["memo"].is_null());
  // A copy with no decision behind it is removed: not reused either (and nothing is decided).
  json stale = start({{"cookieHeader", copy}, {"now", kNowMs}}, cfg);
  CHECK(stale["cookiebot"]["cookie"]["remove"] == true);
  CHECK(stale["memo"].is_null());
}

TEST_CASE("api_start: language negotiation", "[api][start]") {
  CHECK(start({{"now", kNowMs}, {"documentLanguage", "ru-RU"}})["language"] == "ru");
  CHECK(start({{"now", kNowMs}, {"documentLanguage", "ru-RU"}, {"language", "en"}})["language"] == "en");
  CHECK(start({{"now", kNowMs}, {"documentLanguage", "de"}, {"browserLanguages", {"fr", "en-GB"}}})["language"] == "en");
  CHECK(start({{"now", kNowMs}, {"documentLanguage", "de"}, {"browserLanguages", {"fr"}}})["language"] == "kk");
  json en = start({{"now", kNowMs}, {"language", "en"}});
  CHECK(en["texts"]["banner.title"] == json::parse(R"([{"text": "About cookies"}])"));
  // Built-in texts fill what the site left out.
  CHECK(en["texts"]["banner.acceptAll"] == json::parse(R"([{"text": "Accept all"}])"));
  // autoDetect "off": neither <html lang> nor the browser counts.
  json c = kelisim_test::fixture_json("config-demo.json");
  c["language"]["autoDetect"] = "off";
  CHECK(start({{"now", kNowMs}, {"documentLanguage", "ru"}, {"browserLanguages", {"en"}}}, c.dump())["language"] == "kk");
  c["language"]["autoDetect"] = "browser";
  CHECK(start({{"now", kNowMs}, {"documentLanguage", "ru"}, {"browserLanguages", {"en"}}}, c.dump())["language"] == "en");
}

TEST_CASE("api_start: returning visitor, garbled and outdated cookies", "[api][start]") {
  json d = decide(decide_req({{"method", "accept-all"}}));
  json back = start({{"cookieHeader", "a=b; " + cookie_of(d) + "; c=d"}, {"now", kNowMs + 60000}});
  CHECK(back["ask"].is_null());
  CHECK(back["invalid"].is_null());
  CHECK(back["state"] == json({{"decided", true},
                               {"categories", {"necessary", "preferences", "analytics", "marketing", "embedded"}},
                               {"services",
                                {"session", "site-language", "google-analytics", "google-tag-manager", "hubspot", "facebook",
                                 "youtube", "recaptcha"}},
                               {"revision", 3},
                               {"id", kRandomId},
                               {"created", "2026-01-01T00:00:00Z"},
                               {"updated", "2026-01-01T00:00:00Z"},
                               {"method", "accept-all"}}));
  for (auto it = back["consentMode"]["update"].begin(); it != back["consentMode"]["update"].end(); ++it) CHECK(*it == "granted");

  json garbled = start({{"cookieHeader", "kelisim=1.AAAA!garbage"}, {"now", kNowMs}});
  CHECK(garbled["ok"] == true);
  CHECK(garbled["ask"] == "first-visit");
  CHECK(garbled["invalid"] == "bad-encoding");
  CHECK(garbled["state"]["decided"] == false);
  CHECK(garbled["consentMode"]["update"] == all_denied_but_security());

  json expired = start({{"cookieHeader", cookie_of(d)}, {"now", kNowMs + 366LL * 86400000}});
  CHECK(expired["ask"] == "expired");
  CHECK(expired["state"]["decided"] == false);
  CHECK(expired["state"]["id"] == kRandomId);  // kept for the next receipt
  CHECK(expired["state"]["method"].is_null());

  json c = kelisim_test::fixture_json("config-demo.json");
  c["revision"] = 4;
  json rev = start({{"cookieHeader", cookie_of(d)}, {"now", kNowMs}}, c.dump());
  CHECK(rev["ask"] == "revision");
  CHECK(rev["state"]["revision"] == 4);
  CHECK(rev["state"]["categories"] == json::array({"necessary"}));

  c["revision"] = 3;
  c["services"]["vimeo"] = {{"category", "embedded"}};
  json grown = start({{"cookieHeader", cookie_of(d)}, {"now", kNowMs}}, c.dump());
  CHECK(grown["ask"] == "new-items");
  CHECK(grown["newItems"] == json::array({"vimeo"}));
  CHECK(grown["state"]["decided"] == true);
  CHECK(grown["state"]["categories"].size() == 5);
  CHECK(grown["state"]["services"].size() == 8);
}

TEST_CASE("api: cookie header parsing", "[api][cookies]") {
  json first = decide(decide_req({{"method", "reject-all"}}));
  json later = decide(decide_req({{"method", "accept-all"}}, cookie_of(first), kNowMs + 5000));
  const std::string rejected = first["cookie"]["value"], accepted = later["cookie"]["value"];
  auto method_for = [](const std::string& header) {
    json out = start({{"cookieHeader", header}, {"now", kNowMs + 10000}});
    REQUIRE(out["ok"] == true);
    return out["state"]["method"];
  };
  CHECK(method_for("kelisim=" + accepted) == "accept-all");
  CHECK(method_for("  kelisim=" + accepted + "  ") == "accept-all");
  CHECK(method_for("x=1;kelisim=" + accepted + ";y=2") == "accept-all");
  CHECK(method_for("kelisim=" + accepted + "; kelisim=garbage") == "accept-all");
  // A broken copy first (say on a parent domain) does not hide a good one.
  CHECK(method_for("kelisim=garbage; kelisim=" + accepted) == "accept-all");
  // Two good copies: the most recent decision wins, in either order
  // (browsers list equal paths oldest first).
  CHECK(method_for("kelisim=" + rejected + "; kelisim=" + accepted) == "accept-all");
  CHECK(method_for("kelisim=" + accepted + "; kelisim=" + rejected) == "accept-all");
  // Names match exactly.
  CHECK(method_for("xkelisim=" + accepted).is_null());
  CHECK(method_for("Kelisim=" + accepted).is_null());
  CHECK(method_for("kelisim =" + accepted).is_null());
  CHECK(method_for("kelisim").is_null());
  CHECK(method_for("=" + accepted).is_null());
  CHECK(method_for("").is_null());
  CHECK(method_for(";;;; ;").is_null());
  // The first broken copy's reason is reported when none is good.
  json two_bad = start({{"cookieHeader", "kelisim=2.abc; kelisim=1.!!"}, {"now", kNowMs}});
  CHECK(two_bad["invalid"] == "unsupported-version");
  json empty_value = start({{"cookieHeader", "kelisim="}, {"now", kNowMs}});
  CHECK(empty_value["invalid"].is_null());
  CHECK(empty_value["ask"] == "first-visit");
  // A configured cookie name is honoured.
  json c = kelisim_test::fixture_json("config-demo.json");
  c["cookie"]["name"] = "meest_consent";
  CHECK(start({{"cookieHeader", "kelisim=" + accepted}, {"now", kNowMs}}, c.dump())["state"]["decided"] == false);
  CHECK(start({{"cookieHeader", "meest_consent=" + accepted}, {"now", kNowMs}}, c.dump())["state"]["decided"] == true);
}

TEST_CASE("api_decide: every field of an accept-all decision", "[api][decide]") {
  json req = decide_req({{"method", "accept-all"}});
  json out = decide(req);
  for (const char* key :
       {"ok", "cookie", "state", "allowed", "changes", "cleanup", "reload", "consentMode", "receipt", "unknown"})
    CHECK(out.contains(key));
  CHECK(out["allowed"]["statistics"] == true);
  CHECK(out["allowed"]["youtube-video"] == true);
  CHECK(out["ok"] == true);
  CHECK(out["cookie"]["attributes"] == "Path=/; Max-Age=31536000; SameSite=Lax; Secure");  // secure: "true" in the fixture
  CHECK(out["cookie"]["useSecure"] == true);
  CHECK(out["cookie"]["name"] == "kelisim");
  CHECK(out["cookie"]["domain"] == "auto");
  CHECK(out["cookie"]["maxAge"] == 365 * 86400);
  std::string value = out["cookie"]["value"];
  CHECK(kelisim::decode_record(value).ok);
  CHECK(out["state"]["decided"] == true);
  CHECK(out["state"]["method"] == "accept-all");
  CHECK(out["changes"]["accepted"] == json::parse(R"(["preferences", "analytics", "marketing", "embedded", "site-language",
      "google-analytics", "google-tag-manager", "hubspot", "facebook", "youtube", "recaptcha"])"));
  CHECK(out["changes"]["rejected"] == json::array());
  CHECK(out["cleanup"] == json::parse(R"({"cookies": [], "localStorage": [], "sessionStorage": []})"));
  CHECK(out["reload"] == false);
  CHECK(keys(out["consentMode"]) == Names{"enabled", "update"});
  CHECK(out["consentMode"]["update"]["ad_storage"] == "granted");
  CHECK(out["unknown"] == json::array());
  CHECK(keys(out["receipt"]) ==
        Names{"id", "sequence", "revision", "timestamp", "method", "accepted", "rejected", "language", "url"});
  CHECK(out["receipt"]["id"] == kRandomId);
  CHECK(out["receipt"]["sequence"] == 1);
  CHECK(out["receipt"]["revision"] == 3);
  CHECK(out["receipt"]["timestamp"] == "2026-01-01T00:00:00Z");
  CHECK(out["receipt"]["method"] == "accept-all");
  CHECK(out["receipt"]["accepted"] == json::parse(R"(["necessary", "preferences", "analytics", "marketing", "embedded", "session",
      "site-language", "google-analytics", "google-tag-manager", "hubspot", "facebook", "youtube", "recaptcha"])"));
  CHECK(out["receipt"]["rejected"] == json::array());
  CHECK(out["receipt"]["language"] == "kk");
  CHECK(out["receipt"]["url"] == "https://kz.meest.com/kk/tracking");
}

TEST_CASE("api_decide: withdrawal lists what to delete and what changed", "[api][decide]") {
  json all = decide(decide_req({{"method", "accept-all"}}));
  json req = decide_req({{"method", "custom"}, {"categories", {"analytics"}}, {"services", {"youtube"}}},
                        cookie_of(all) + "; _ga=GA1; _ga_ABC=1; hubspotutk=x; _fbp=y; PHPSESSID=s; cart=3; hubspotutk=dup",
                        kNowMs + 1000);
  req["present"] = {{"localStorage", {"hs-messages-is-open", "cart", "yt-remote-device-id"}},
                    {"sessionStorage", {"rc::a", "preferred-language"}}};
  json out = decide(req);
  REQUIRE(out["ok"] == true);
  CHECK(out["state"]["method"] == "custom");
  CHECK(out["changes"]["accepted"] == json::array());
  CHECK(out["changes"]["rejected"] ==
        json::parse(R"(["preferences", "marketing", "embedded", "site-language", "hubspot", "facebook", "recaptcha"])"));
  CHECK(out["cleanup"]["cookies"] == json::parse(R"(["hubspotutk", "_fbp"])"));
  CHECK(out["cleanup"]["localStorage"] == json::parse(R"(["hs-messages-is-open"])"));
  CHECK(out["cleanup"]["sessionStorage"] == json::parse(R"(["rc::a", "preferred-language"])"));
  CHECK(out["receipt"]["accepted"] ==
        json::parse(R"(["necessary", "analytics", "session", "google-analytics", "google-tag-manager", "youtube"])"));
  CHECK(out["receipt"]["rejected"] ==
        json::parse(R"(["preferences", "marketing", "embedded", "site-language", "hubspot", "facebook", "recaptcha"])"));
  CHECK(out["receipt"]["sequence"] == 2);
  CHECK(out["receipt"]["timestamp"] == "2026-01-01T00:00:01Z");
  CHECK(out["reload"] == false);
  CHECK(out["consentMode"]["update"]["analytics_storage"] == "granted");
  CHECK(out["consentMode"]["update"]["ad_storage"] == "denied");
  // With reloadOnWithdrawal the shim is told to reload when something was withdrawn.
  json c = kelisim_test::fixture_json("config-demo.json");
  c["blocking"]["reloadOnWithdrawal"] = true;
  CHECK(decide(req, c.dump())["reload"] == true);
  CHECK(decide(decide_req({{"method", "accept-all"}}), c.dump())["reload"] == false);
}

TEST_CASE("api_decide: receipts count decisions per id", "[api][decide][receipts]") {
  json a = decide(decide_req({{"method", "accept-all"}}));
  json b = decide(decide_req({{"method", "reject-all"}}, cookie_of(a), kNowMs + 1000));
  json c = decide(decide_req({{"method", "api"}, {"categories", {"statistics"}}}, cookie_of(b), kNowMs + 2000));
  json d = decide(decide_req({{"method", "custom"}, {"categories", {"embedded"}}}, cookie_of(c), kNowMs + 3000));
  Names ids;
  std::vector<int64_t> seq;
  for (const auto& r : {a, b, c, d}) {
    ids.push_back(r["receipt"]["id"]);
    seq.push_back(r["receipt"]["sequence"]);
  }
  CHECK(ids == Names(4, kRandomId));
  CHECK(seq == std::vector<int64_t>{1, 2, 3, 4});
  CHECK(b["receipt"]["method"] == "reject-all");
  CHECK(b["cookie"]["maxAge"] == 182 * 86400);
  CHECK(b["receipt"]["accepted"] == json::parse(R"(["necessary", "session"])"));
  CHECK(c["receipt"]["method"] == "api");
  CHECK(c["receipt"]["accepted"] ==
        json::parse(R"(["necessary", "analytics", "session", "google-analytics", "google-tag-manager"])"));
  CHECK(d["state"]["created"] == "2026-01-01T00:00:00Z");
  CHECK(d["state"]["updated"] == "2026-01-01T00:00:03Z");
  // A new id (after reset(): no cookie) starts at 1 again with the new randomness.
  json fresh_req = decide_req({{"method", "accept-all"}});
  fresh_req["random"] = "0123456789abcdef0123456789ABCDEF";
  json fresh = decide(fresh_req);
  CHECK(fresh["receipt"]["id"] == "01234567-89ab-cdef-0123-456789abcdef");
  CHECK(fresh["receipt"]["sequence"] == 1);
}

TEST_CASE("api_decide: the receipt's URL holds no query or fragment", "[api][decide][receipts]") {
  // Regression: the shim passes location.href; a tracking page's query names the parcel.
  json req = decide_req({{"method", "accept-all"}});
  req["url"] = "https://kz.meest.com/kk/tracking?number=CV123456789KZ&email=a@b.kz#result";
  CHECK(decide(req)["receipt"]["url"] == "https://kz.meest.com/kk/tracking");
  req["url"] = "https://kz.meest.com/kk/#top";
  CHECK(decide(req)["receipt"]["url"] == "https://kz.meest.com/kk/");
  req["url"] = "";
  CHECK(decide(req)["receipt"]["url"] == "");
}

TEST_CASE("api_decide: presets, GPC and unknown names", "[api][decide]") {
  json api_all = decide(decide_req({{"method", "api"}, {"preset", "accept-all"}}));
  CHECK(api_all["state"]["method"] == "api");
  CHECK(api_all["state"]["categories"].size() == 5);
  json gpc_req = decide_req({{"method", "accept-all"}});
  gpc_req["gpc"] = true;
  json gpc = decide(gpc_req);
  CHECK(gpc["state"]["categories"] == json::parse(R"(["necessary", "preferences", "analytics", "embedded"])"));
  CHECK(gpc["consentMode"]["update"]["ad_storage"] == "denied");
  CHECK(gpc["receipt"]["rejected"] == json::parse(R"(["marketing", "hubspot"])"));
  json gpc_custom_req = decide_req({{"method", "custom"}, {"categories", {"marketing"}}});
  gpc_custom_req["gpc"] = true;
  CHECK(decide(gpc_custom_req)["state"]["categories"] == json::parse(R"(["necessary", "marketing"])"));
  json unk = decide(decide_req({{"method", "custom"}, {"categories", {"analytics", "tiktok"}}, {"services", {"vimeo"}}}));
  CHECK(unk["ok"] == true);
  CHECK(unk["unknown"] == json::parse(R"(["tiktok", "vimeo"])"));
  CHECK(unk["state"]["categories"] == json::parse(R"(["necessary", "analytics"])"));
  // A preset that is not accept-all/reject-all means "exactly the lists".
  json odd = decide(decide_req({{"method", "accept-all"}, {"preset", "custom"}, {"categories", {"embedded"}}}));
  CHECK(odd["state"]["categories"] == json::parse(R"(["necessary", "embedded"])"));
  CHECK(odd["state"]["method"] == "accept-all");
}

TEST_CASE("api: invalid requests are reported as values", "[api][errors]") {
  auto check_error = [](const json& out, const Names& expected) {
    CHECK(out["ok"] == false);
    CHECK(out["error"]["code"] == "invalid-request");
    CHECK(out["error"]["message"] == "invalid request");
    CHECK(error_lines(out) == expected);
  };
  for (auto fn : {kelisim::api_start, kelisim::api_decide, kelisim::api_query, kelisim::api_texts}) {
    for (const char* text : {"", "[]", "null", "\"x\"", "{", "42"}) {
      INFO(text);
      check_error(json::parse(fn(demo(), text)), Names{": the request is not a JSON object"});
    }
  }
  const Names bad_now = {"now: expected the current time in milliseconds"};
  for (const json& now : {json(nullptr), json("1767225600000"), json(-1), json(true), json(1e300), json(253402300800000.0)}) {
    INFO(now.dump());
    json req = {{"now", now}};
    if (now.is_null()) req = json::object();
    check_error(start(req), bad_now);
    check_error(query(req), bad_now);
  }
  // The largest accepted time still gives a readable cookie.
  json last = decide(decide_req({{"method", "accept-all"}}, "", 253402300799999));
  REQUIRE(last["ok"] == true);
  CHECK(last["receipt"]["timestamp"] == "9999-12-31T23:59:59Z");
  CHECK(start({{"cookieHeader", cookie_of(last)}, {"now", 253402300799999}})["state"]["decided"] == true);

  check_error(start({{"now", 1}, {"cookieHeader", 5}, {"gpc", "yes"}, {"language", 1}, {"browserLanguages", "en"}}),
              Names{"cookieHeader: expected a string", "gpc: expected a boolean", "language: expected a string",
                    "browserLanguages: expected an array of strings"});
  check_error(texts({{"language", false}, {"browserLanguages", {"en", 1}}}),
              Names{"language: expected a string", "browserLanguages: expected an array of strings"});
  // One error per problem, even where a field is read twice.
  check_error(decide({{"cookieHeader", 5}, {"now", 1}, {"random", kRandom}, {"choice", {{"method", "api"}}}}),
              Names{"cookieHeader: expected a string"});
  check_error(decide({{"now", 1}}), Names{"random: expected 32 hex digits of randomness", "choice: expected an object"});
  check_error(
      decide({{"now", 1}, {"random", "abc"}, {"choice", {{"method", "save"}}}}),
      Names{"random: expected 32 hex digits of randomness", "choice.method: expected accept-all, reject-all, custom or api"});
  check_error(decide({{"now", 1}, {"random", kRandom}, {"choice", {{"categories", {"analytics"}}}}}),
              Names{"choice.method: expected accept-all, reject-all, custom or api"});
  check_error(decide({{"now", 1},
                      {"random", kRandom},
                      {"choice", {{"method", "custom"}, {"categories", "analytics"}, {"services", {"youtube", 3}}}}}),
              Names{"choice.categories: expected an array of strings", "choice.services: expected an array of strings"});
  check_error(decide({{"now", 1},
                      {"random", kRandom},
                      {"choice", {{"method", "api"}}},
                      {"present", {{"localStorage", {1}}, {"sessionStorage", "k"}}},
                      {"url", 7}}),
              Names{"present.localStorage: expected an array of strings", "present.sessionStorage: expected an array of strings",
                    "url: expected a string"});
  check_error(
      query({{"now", 1},
             {"names", "analytics"},
             {"urls", {1}},
             {"cookies", {{"a", 1}}},
             {"storage", true},
             {"gates", "analytics"}}),
      Names{"names: expected an array of strings", "urls: expected an array of strings", "cookies: expected an array of strings",
            "storage: expected an array of strings", "gates: expected an array of gates"});
}

TEST_CASE("api_query: batched answers in request order", "[api][query]") {
  json none = query({{"now", kNowMs}, {"names", {"necessary", "analytics", "youtube", "tiktok"}}});
  for (const char* key : {"ok", "names", "gates", "urls", "cookies", "storage", "cookieWrites"})
    CHECK(none[key].is_array() != (key[0] == 'o'));
  CHECK(none["names"] == json::parse("[true, false, false, false]"));
  CHECK(none["gates"] == json::array());
  CHECK(none["urls"] == json::array());
  json d = decide(decide_req({{"method", "custom"}, {"categories", {"analytics"}}, {"services", {"youtube"}}}));
  json out = query({{"cookieHeader", cookie_of(d)},
                    {"now", kNowMs},
                    {"names", {"statistics", "marketing", "youtube-video", "facebook", ""}},
                    {"gates",
                     {{{"category", "analytics"}},
                      {{"category", "!analytics"}},
                      {{"category", "!marketing"}},
                      {{"service", "youtube"}, {"category", "embedded"}},
                      {{"cookieconsent", "statistics, marketing"}},
                      {{"cookieconsent", "statistics"}},
                      json::object(),
                      json("analytics"),
                      {{"category", 5}}}},
                    {"urls",
                     {"https://www.google-analytics.com/g/collect", "https://js.hs-scripts.com/1.js", "/local.js",
                      "https://www.youtube.com/embed/x"}},
                    {"cookies", {"_ga_XYZ", "hubspotutk", "kelisim", "unrelated", "YSC"}},
                    {"storage", {"hs-messages-x", "yt-remote-x", "cart"}}});
  CHECK(out["ok"] == true);
  CHECK(out["names"] == json::parse("[true, false, true, false, false]"));
  CHECK(out["gates"] == json::parse("[true, false, true, true, false, true, false, false, false]"));
  CHECK(out["urls"] == json::parse("[true, false, true, true]"));
  CHECK(out["cookies"] == json::parse("[true, false, true, true, true]"));
  CHECK(out["storage"] == json::parse("[false, true, true]"));
}

TEST_CASE("api_texts: one language's texts and rows", "[api][texts]") {
  json ru = texts({{"documentLanguage", "ru-KZ"}});
  for (const char* key : {"language", "dir", "texts", "categories", "notice", "placeholders", "ok"}) CHECK(ru.contains(key));
  CHECK(ru["notice"].is_null());  // no cookie given: nothing to explain
  CHECK(ru["ok"] == true);
  CHECK(ru["language"] == "ru");
  CHECK(ru["dir"] == "ltr");
  CHECK(ru["texts"]["banner.title"] == json::parse(R"([{"text": "О файлах cookie"}])"));
  CHECK(ru["texts"]["preferences.contact"] == json::parse(R"([{"text": "Вопросы о ваших данных? Напишите нам: "},
      {"text": "export.kz@meestgroup.com", "href": "mailto:export.kz@meestgroup.com"}])"));
  CHECK(ru["categories"][2]["services"][0]["title"] == "Google Analytics");  // kk has it, ru falls back to the default
  json c = kelisim_test::fixture_json("config-demo.json");
  c["language"]["translations"]["ar"] = {{"banner", {{"title", "ملفات تعريف الارتباط"}}}};
  json ar = texts({{"language", "ar"}}, c.dump());
  CHECK(ar["language"] == "ar");
  CHECK(ar["dir"] == "rtl");
  CHECK(ar["texts"]["banner.title"] == json::parse(R"([{"text": "ملفات تعريف الارتباط"}])"));
}

TEST_CASE("api_texts: the built-in table comes in with the request, the engine names the one it needs", "[api][texts]") {
  // Without it: the language, its direction and the table to fetch, no texts.
  json bare = call_once(kelisim::api_texts, demo(), {{"documentLanguage", "ru-KZ"}});
  CHECK(bare["ok"] == true);
  CHECK(bare["language"] == "ru");
  CHECK(bare["dir"] == "ltr");
  CHECK(bare["needTexts"] == "ru");
  CHECK_FALSE(bare.contains("texts"));
  CHECK_FALSE(bare.contains("categories"));
  // The first visit's page start says the same instead of carrying the banner's texts.
  json first = call_once(kelisim::api_start, demo(), {{"now", kNowMs}, {"browserLanguages", {"en-GB"}}});
  CHECK(first["ok"] == true);
  CHECK(first["ask"] == "first-visit");
  CHECK(first["needTexts"] == "en");
  CHECK(first["language"] == "en");
  CHECK_FALSE(first.contains("texts"));
  // Another language's table counts as none.
  json other = call_once(kelisim::api_texts, demo(), {{"language", "ru"}, {"builtinTexts", kelisim_test::builtin_table("kk")}});
  CHECK(other["needTexts"] == "ru");
  // The right one: texts from it, nothing more asked.
  json with = call_once(kelisim::api_texts, demo(), {{"language", "en"}, {"builtinTexts", kelisim_test::builtin_table("en")}});
  CHECK_FALSE(with.contains("needTexts"));
  CHECK(with["texts"]["banner.acceptAll"] == json::parse(R"([{"text": "Accept all"}])"));
  // A language without built-in texts: the default's table, else English's.
  json c = kelisim_test::fixture_json("config-demo.json");
  c["language"]["translations"]["de"] = {{"banner", {{"title", "Cookies"}}}};
  CHECK(call_once(kelisim::api_texts, c.dump(), {{"language", "de"}})["needTexts"] == "kk");
  json d = json::parse(R"({"categories": {"necessary": {"required": true}},
      "language": {"default": "de", "translations": {"de": {"banner": {"title": "Cookies"}}}}})");
  CHECK(call_once(kelisim::api_texts, d.dump(), {{"language", "de"}})["needTexts"] == "en");
  json de = texts({{"language", "de"}}, d.dump());
  CHECK(de["texts"]["banner.title"] == json::parse(R"([{"text": "Cookies"}])"));
  CHECK(de["texts"]["banner.rejectAll"] == json::parse(R"([{"text": "Reject all"}])"));
}

TEST_CASE("api_texts: a configuration that words every text needs no built-in table", "[api][texts]") {
  json c = json::parse(R"({"categories": {"necessary": {"required": true}, "analytics": {}},
      "services": {"ga": {"category": "analytics"}}, "language": {"default": "en", "translations": {"en": {}}}})");
  for (const auto& kv : kelisim_test::builtin_source().items())
    if (kv.key().rfind("categories.", 0) != 0) c["language"]["translations"]["en"][kv.key()] = "x " + kv.key();
  for (const char* key : {"categories.necessary.title", "categories.necessary.description", "categories.analytics.title",
                          "categories.analytics.description"})
    c["language"]["translations"]["en"][key] = "x";
  json all = call_once(kelisim::api_texts, c.dump(), {{"placeholders", {{{"service", "ga"}}}}});
  CHECK_FALSE(all.contains("needTexts"));
  CHECK(all["texts"]["banner.title"] == json::parse(R"([{"text": "x banner.title"}])"));
  CHECK(all["placeholders"][0]["title"] == "ga");
  CHECK(call_once(kelisim::api_start, c.dump(), {{"now", kNowMs}})["texts"]["ui.reopen"] ==
        json::parse(R"([{"text": "x ui.reopen"}])"));
  // One text left out: the table is needed again.
  c["language"]["translations"]["en"].erase("ui.reopen");
  CHECK(call_once(kelisim::api_texts, c.dump(), json::object())["needTexts"] == "en");
}

TEST_CASE("api_texts: a built-in table that is not one is an error naming what is wrong", "[api][texts]") {
  auto lines = [](const json& out) {
    REQUIRE(out["ok"] == false);
    CHECK(out["error"]["code"] == "invalid-texts");
    return error_lines(out);
  };
  CHECK(lines(call_once(kelisim::api_texts, demo(), {{"builtinTexts", "<html>not found</html>"}})) ==
        Names{"builtinTexts: not a JSON object"});
  json t = json::parse(kelisim_test::builtin_table("kk"));
  t["texts"]["banner.title"] = 3;
  t["texts"].erase("ui.reopen");
  t["language"] = "de";
  CHECK(lines(call_once(kelisim::api_start, demo(), {{"now", kNowMs}, {"builtinTexts", t.dump()}})) ==
        Names{"builtinTexts.language: expected one of the built-in languages (kk, ru, en)",
              "builtinTexts.texts.banner.title: expected a string", "builtinTexts.texts.ui.reopen: missing"});
  json bad = call_once(kelisim::api_texts, demo(), {{"builtinTexts", R"({"language": "kk", "texts": []})"}});
  CHECK(lines(bad) == Names{"builtinTexts.texts: expected an object"});
  CHECK(bad["error"]["message"] == "invalid built-in texts: builtinTexts.texts: expected an object");
  json wrong_type = call_once(kelisim::api_texts, demo(), {{"builtinTexts", 7}});
  CHECK(wrong_type["error"]["code"] == "invalid-request");
  CHECK(error_lines(wrong_type) == Names{"builtinTexts: expected a string"});
}

TEST_CASE("api: deeply nested requests come back as values", "[api][regression]") {
  // Regression: api_decide copied "present" (a recursive copy).
  std::string deep =
      R"({"now": 1, "random": "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", "choice": {"method": "api"}, "present": {"localStorage": )";
  const int depth = 200000;
  deep += std::string(depth, '[') + std::string(depth, ']') + "}}";
  json out = json::parse(kelisim::api_decide(demo(), deep));
  CHECK(out["ok"] == false);
  CHECK(error_lines(out) == Names{"present.localStorage: expected an array of strings"});
  json q = json::parse(
      kelisim::api_query(demo(), R"({"now": 1, "names": )" + std::string(depth, '[') + std::string(depth, ']') + "}"));
  CHECK(q["ok"] == false);
}

TEST_CASE("api: invalid UTF-8 never breaks an answer", "[api]") {
  // nlohmann rejects invalid UTF-8 while parsing: the request is not an object.
  json r = json::parse(kelisim::api_start(demo(), "{\"now\": 1, \"language\": \"\xff\xfe\"}"));
  CHECK(error_lines(r) == Names{": the request is not a JSON object"});
  // Messages quote at most 80 bytes of user text, which may cut a character
  // in two; the answer must still be valid JSON.
  std::string theme = std::string(79, 'a') + "\u0436";  // the 80th byte is the first half of "ж"
  json v =
      json::parse(kelisim::api_validate(R"({"categories": {"a": {}}, "ui": {"theme": ")" + theme + R"("}})"), nullptr, false);
  REQUIRE(v.is_object());
  CHECK(v["ok"] == false);
  CHECK(v["errors"][0]["path"] == "ui.theme");
}

TEST_CASE("api_start: answers the page's gates in the same call, as api_query does", "[api][start]") {
  json gates = json::array(
      {{{"category", "analytics"}}, {{"category", "necessary"}}, {{"service", "youtube"}}, {{"category", "!analytics"}}});
  json before = start({{"cookieHeader", ""}, {"now", kNowMs}, {"gates", gates}, {"names", {"statistics", "necessary"}}});
  CHECK(before["gates"] == json::array({false, true, false, false}));
  CHECK(before["names"] == query({{"cookieHeader", ""}, {"now", kNowMs}, {"names", {"statistics", "necessary"}}})["names"]);
  std::string cookie = cookie_of(decide(decide_req({{"method", "reject-all"}})));
  json after = start({{"cookieHeader", cookie}, {"now", kNowMs}, {"gates", gates}});
  CHECK(after["gates"] == json::array({false, true, false, true}));
  CHECK(after["gates"] == query({{"cookieHeader", cookie}, {"now", kNowMs}, {"gates", gates}})["gates"]);
  json bad = start({{"cookieHeader", ""}, {"now", kNowMs}, {"gates", "analytics"}});
  CHECK(bad["ok"] == false);
  CHECK(error_lines(bad) == Names{"gates: expected an array of gates"});
}

TEST_CASE("api_decide: \"allow\" keeps the decision and adds what a gate needs", "[api][decide]") {
  std::string rejected = cookie_of(decide(decide_req({{"method", "reject-all"}})));
  // A placeholder on Cookiebot markup: no data-service, only data-cookieconsent (an alias).
  json iframe = decide(decide_req({{"method", "custom"}, {"allow", {{"cookieconsent", "statistics"}}}}, rejected));
  REQUIRE(iframe["ok"] == true);
  CHECK(iframe["state"]["method"] == "custom");
  CHECK(iframe["state"]["categories"] == json::parse(R"(["necessary", "analytics"])"));
  CHECK(iframe["changes"]["accepted"] == json::parse(R"(["analytics", "google-analytics", "google-tag-manager"])"));
  // A service gate adds only that service; what was allowed before stays allowed.
  json video = decide(
      decide_req({{"method", "custom"}, {"allow", {{"category", "embedded"}, {"service", "youtube"}}}}, cookie_of(iframe)));
  CHECK(video["state"]["services"] == json::parse(R"(["session", "google-analytics", "google-tag-manager", "youtube"])"));
  CHECK(video["allowed"]["embedded"] == false);
  CHECK(video["allowed"]["youtube"] == true);
  CHECK(video["allowed"]["statistics"] == true);
  // allowService() through the API: the same rule, recorded as "api".
  json api = decide(decide_req({{"method", "api"}, {"allow", {{"service", "youtube-video"}}}}, rejected));
  CHECK(api["state"]["method"] == "api");
  CHECK(api["allowed"]["youtube"] == true);
  // A malformed "allow" is an error, not a silent rejection.
  CHECK(decide(decide_req({{"method", "custom"}, {"allow", "youtube"}}))["error"]["errors"][0]["path"] == "choice.allow");
}

TEST_CASE("api_decide: answers the page's follow-up questions with the new decision", "[api][decide]") {
  json req = decide_req({{"method", "accept-all"}});
  req["gates"] = json::parse(R"([{"category": "analytics"}, {"category": "!analytics"}])");
  req["urls"] = json::parse(R"(["https://www.google-analytics.com/g/collect"])");
  json out = decide(req);
  CHECK(out["gates"] == json::parse("[true, false]"));
  CHECK(out["urls"] == json::parse("[true]"));
}

TEST_CASE("api_start: after another tab decided, what changed and this tab's storage to delete", "[api][start]") {
  std::string accepted = cookie_of(decide(decide_req({{"method", "accept-all"}})));
  std::string rejected = cookie_of(decide(decide_req({{"method", "reject-all"}}, accepted)));
  json out = start({{"cookieHeader", rejected},
                    {"now", kNowMs},
                    {"previous", accepted},
                    {"present", {{"sessionStorage", {"hubspotutk", "cart", "_hjSession_1"}}}}});
  CHECK(out["changes"]["accepted"] == json::array());
  CHECK(out["changes"]["rejected"].size() == 11);
  CHECK(out["changes"]["rejected"][0] == "preferences");
  // Without "previous" the answer has no diff.
  CHECK_FALSE(start({{"cookieHeader", rejected}, {"now", kNowMs}}).contains("changes"));
}

TEST_CASE("api_query: cookie writes are read as a browser reads them", "[api][query][cookies]") {
  json req = {{"cookieHeader", ""},
              {"now", kNowMs},
              {"cookieWrites",
               {"_ga=1; path=/", "_ga=; Max-Age=0", "_ga=x; Max-Age=0; Max-Age=63072000",
                "_ga=x; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=63072000", "_ga=x; expires=Thu, 01 Jan 1970 00:00:00 GMT",
                "_ga=x; expires=Fri, 01 Jan 2100 00:00:00 GMT", "_ga=x; Max-Age=abc", "_ga=x; max-age=-1", "PHPSESSID=1",
                "kelisim=x", "nameless"}}};
  CHECK(query(req)["cookieWrites"] == json::parse("[false, true, false, false, true, false, false, true, true, true, true]"));
}

TEST_CASE("api: the consent cookie's attributes, and its remaining lifetime on a later page view", "[api][cookies]") {
  json c = kelisim_test::fixture_json("config-demo.json");
  c["cookie"]["secure"] = "auto";
  json req = decide_req({{"method", "reject-all"}});
  json plain = decide(req, c.dump());
  CHECK(plain["cookie"]["attributes"] == "Path=/; Max-Age=15724800; SameSite=Lax");  // 182 days: everything rejected
  req["https"] = true;
  CHECK(decide(req, c.dump())["cookie"]["attributes"] == "Path=/; Max-Age=15724800; SameSite=Lax; Secure");
  // Ten days later the server re-sets it for what is left, not a fresh lifetime.
  std::string header = "kelisim=" + plain["cookie"]["value"].get<std::string>();
  json later = start({{"cookieHeader", header}, {"now", kNowMs + 10 * 86400000LL}}, c.dump());
  CHECK(later["cookie"]["value"] == plain["cookie"]["value"]);
  CHECK(later["cookie"]["maxAge"] == (182 - 10) * 86400);
  // "Always allow" one service after rejecting everything: the full 365 days again.
  json allow = decide(decide_req({{"method", "custom"}, {"allow", {{"service", "youtube"}}}}, header), c.dump());
  CHECK(allow["cookie"]["maxAge"] == 365 * 86400);
  CHECK(start({{"cookieHeader", cookie_of(allow)}, {"now", kNowMs}}, c.dump())["cookie"]["maxAge"] == 365 * 86400);
}

TEST_CASE("configured once, the engine answers requests against the configuration it keeps") {
  json validated = json::parse(kelisim::api_configure(demo()));
  CHECK(validated["ok"] == true);
  CHECK(kelisim::configured() == demo());
  json first = call(kelisim::api_start, kelisim::configured(), {{"cookieHeader", ""}, {"now", kNowMs}});
  REQUIRE(first["ok"] == true);
  CHECK(first["ask"] == "first-visit");

  // A decision against the kept configuration is read back by the next start.
  json decided = call(kelisim::api_decide, kelisim::configured(), decide_req({{"method", "accept-all"}}));
  json back = call(kelisim::api_start, kelisim::configured(), {{"cookieHeader", cookie_of(decided)}, {"now", kNowMs}});
  CHECK(back["ask"].is_null());
  CHECK(back["allowed"]["analytics"] == true);

  // Configuring an invalid text replaces the kept one: every call fails closed.
  json bad = json::parse(kelisim::api_configure("{\"version\": 1"));
  CHECK(bad["ok"] == false);
  CHECK_FALSE(bad["errors"].empty());
  json refused = call(kelisim::api_start, kelisim::configured(), {{"cookieHeader", cookie_of(decided)}, {"now", kNowMs}});
  CHECK(refused["ok"] == false);
  CHECK(refused["error"]["code"] == "invalid-config");
}

TEST_CASE("api_start: every page view plans the deletion of what services not allowed left", "[api][start][cleanup]") {
  json present = {{"localStorage", {"hs-messages-is-open", "cart", "kelisim:wasm", "yt-remote-device"}},
                  {"sessionStorage", {"rc::a", "preferred-language", "kelisim:decision"}}};
  // Before any decision only required services are allowed: a server's _ga goes, the session cookie and unlisted ones stay.
  json first = start({{"cookieHeader", "PHPSESSID=1; _ga=GA1.2.3; own=1; _ga_X=2; kelisim=garbage; CookieConsent=x; _ga=again"},
                      {"now", kNowMs},
                      {"present", present}});
  CHECK(first["cleanup"]["cookies"] == json::parse(R"(["_ga", "_ga_X"])"));
  CHECK(first["cleanup"]["localStorage"] == json::parse(R"(["hs-messages-is-open", "yt-remote-device"])"));
  CHECK(first["cleanup"]["sessionStorage"] == json::parse(R"(["rc::a", "preferred-language"])"));
  // A returning visitor who accepted analytics only: the rest is deleted on every page view.
  std::string analytics = cookie_of(decide(decide_req({{"method", "custom"}, {"categories", {"analytics"}}})));
  json later = start({{"cookieHeader", analytics + "; _ga=1; hubspotutk=2; _fbp=3"}, {"now", kNowMs}, {"present", present}});
  CHECK(later["cleanup"]["cookies"] == json::parse(R"(["hubspotutk", "_fbp"])"));
  CHECK(later["cleanup"]["localStorage"] == json::parse(R"(["hs-messages-is-open", "yt-remote-device"])"));
  // Accept all: nothing to delete. Without `present`, only cookies are planned.
  std::string all = cookie_of(decide(decide_req({{"method", "accept-all"}})));
  CHECK(start({{"cookieHeader", all + "; _ga=1; _fbp=3"}, {"now", kNowMs}, {"present", present}})["cleanup"] ==
        json::parse(R"({"cookies": [], "localStorage": [], "sessionStorage": []})"));
  CHECK(start({{"cookieHeader", "_ga=1"}, {"now", kNowMs}})["cleanup"] ==
        json::parse(R"({"cookies": ["_ga"], "localStorage": [], "sessionStorage": []})"));
  json bad = start({{"cookieHeader", ""}, {"now", kNowMs}, {"present", {{"localStorage", "x"}}}});
  CHECK(bad["ok"] == false);
  CHECK(error_lines(bad) == Names{"present.localStorage: expected an array of strings"});
}

TEST_CASE("api_query: storage writes are answered per key, and kelisim's own keys always pass", "[api][query][storage]") {
  json req = {{"cookieHeader", ""},
              {"now", kNowMs},
              {"storage", {"hs-messages-is-open", "rc::token", "cart", "kelisim:wasm", "kelisim:receipts", "kelisimwasm"}}};
  CHECK(query(req)["storage"] == json::parse("[false, false, true, true, true, true]"));
  req["cookieHeader"] = cookie_of(decide(decide_req({{"method", "accept-all"}})));
  CHECK(query(req)["storage"] == json::parse("[true, true, true, true, true, true]"));
  // A service that claims every key still leaves kelisim's own.
  json c = kelisim_test::fixture_json("config-demo.json");
  c["services"]["hubspot"]["storage"] = json::array({"*"});
  req["cookieHeader"] = "";
  CHECK(query(req, c.dump())["storage"] == json::parse("[false, false, false, true, true, false]"));
  json cleanup =
      start({{"cookieHeader", ""}, {"now", kNowMs}, {"present", {{"localStorage", {"kelisim:wasm", "cart"}}}}}, c.dump());
  CHECK(cleanup["cleanup"]["localStorage"] == json::parse(R"(["cart"])"));
}

TEST_CASE("api_start: which URLs the page's guards must ask about, the site's own host included when a service names it",
          "[api][start][blocking]") {
  json req = {{"cookieHeader", ""}, {"now", kNowMs}, {"origin", "https://kz.meest.com"}};
  // No service names the page's host: its own URLs are allowed whatever the decision, so only other origins are asked about.
  CHECK(start(req)["blocking"]["urls"] == "cross-origin");
  CHECK(start(req)["blocking"]["cookies"] == "ask");
  // A self-hosted analytics service on the site's own host (or a glob covering it): every URL is asked about,
  // and the engine holds the site's own URLs of that service until it is allowed.
  json c = kelisim_test::fixture_json("config-demo.json");
  c["services"]["google-analytics"]["hosts"].push_back("*.meest.com");
  json own = start(req, c.dump());
  CHECK(own["blocking"]["urls"] == "all");
  CHECK(own["warnings"] ==
        json::parse(R"([{"path": "services.google-analytics.hosts[2]", "message": "names this page's own host kz.meest.com: )"
                    R"(everything the page loads from it waits for consent to google-analytics"}])"));
  json q = {{"cookieHeader", ""}, {"now", kNowMs}, {"urls", {"https://kz.meest.com/matomo.js", "https://cdn.example/lib.js"}}};
  CHECK(query(q, c.dump())["urls"] == json::parse("[false, true]"));
  q["cookieHeader"] = cookie_of(decide(decide_req({{"method", "accept-all"}}), c.dump()));
  CHECK(query(q, c.dump())["urls"] == json::parse("[true, true]"));
  // Another site's page with the same configuration, or a page with no origin (file:, sandboxed): only other origins.
  CHECK(start({{"cookieHeader", ""}, {"now", kNowMs}, {"origin", "https://meest.kz"}}, c.dump())["blocking"]["urls"] ==
        "cross-origin");
  CHECK(start({{"cookieHeader", ""}, {"now", kNowMs}, {"origin", "null"}}, c.dump())["blocking"]["urls"] == "cross-origin");
  // Without auto-blocking nothing is asked about; without the cookie guard no cookie write is.
  c["blocking"]["autoBlock"] = false;
  c["blocking"]["cookieGuard"] = false;
  json off = start(req, c.dump());
  CHECK(off["blocking"]["urls"] == "none");
  CHECK(off["blocking"]["cookies"] == "none");
  // Cookiebot's data-blockingmode="auto" turns auto-blocking on, scope included.
  json tagged = req;
  tagged["tag"] = {{"blockingMode", "auto"}};
  CHECK(start(tagged, c.dump())["blocking"]["urls"] == "all");
  json wrong = req;
  wrong["origin"] = 7;
  CHECK(error_lines(start(wrong)) == Names{"origin: expected a string"});
}
