// compat.cookiebot: window.Cookiebot's fields, the CookieConsent cookie, the
// opt-in/opt-out classes and data-blockingmode, all answered by the engine.
#include <catch2/catch.hpp>

#include <string>

#include "kelisim/api.hpp"
#include "kelisim/cookiebot.hpp"
#include "kelisim/engine.hpp"
#include "support.hpp"

using kelisim_test::json;

namespace {

constexpr int64_t kNowMs = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr int64_t kNow = kNowMs / 1000;
const char* kRandom = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const char* kId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

/// A Cookiebot site's configuration: its four names, `statistics` aliased to analytics.
const std::string kSite = R"({
  "revision": 4,
  "cookie": {"expiresAfterDays": 365, "rejectedExpiresAfterDays": 30},
  "categories": {
    "necessary": {"required": true},
    "preferences": {},
    "analytics": {},
    "marketing": {"gpc": "deny"},
    "embedded": {}
  },
  "aliases": {"statistics": "analytics"},
  "services": {
    "gtm": {"category": "analytics", "hosts": ["www.googletagmanager.com"]},
    "hubspot": {"category": "marketing", "hosts": ["js.hs-scripts.com"]}
  },
  "blocking": {"autoBlock": false},
  "compat": {"cookiebot": true}
})";

json call(std::string (*fn)(const std::string&, const std::string&), const std::string& config, const json& request) {
  json out = json::parse(fn(config, request.dump()), nullptr, false);
  REQUIRE(out.is_object());
  return out;
}
json start(const json& req, const std::string& cfg = kSite) { return call(kelisim::api_start, cfg, req); }
json decide(const json& req, const std::string& cfg = kSite) { return call(kelisim::api_decide, cfg, req); }
json query(const json& req, const std::string& cfg = kSite) { return call(kelisim::api_query, cfg, req); }

json decide_req(const json& choice, const std::string& header = "", bool gpc = false, int64_t now = kNowMs) {
  return {{"cookieHeader", header}, {"now", now}, {"gpc", gpc}, {"random", kRandom}, {"choice", choice}};
}
json custom(std::initializer_list<const char*> categories, const char* method = "api") {
  json names = json::array();
  for (const char* c : categories) names.push_back(c);
  return {{"method", method}, {"preset", "custom"}, {"categories", names}};
}

/// The cookies a decision leaves in the browser, as the next request's Cookie header.
std::string cookies_after(const json& decided) {
  REQUIRE(decided["ok"] == true);
  std::string header = "kelisim=" + decided["cookie"]["value"].get<std::string>();
  if (decided.contains("cookiebot")) header += "; CookieConsent=" + decided["cookiebot"]["cookie"]["value"].get<std::string>();
  return header;
}

kelisim::Status status_of(const std::string& cfg_text, const json& decided, int64_t now = kNow) {
  kelisim::Config cfg = kelisim_test::config_from(cfg_text);
  return kelisim::evaluate(cfg, decided["cookie"]["value"].get<std::string>(), now);
}

}  // namespace

TEST_CASE("cookiebot: a first visit claims no decision", "[cookiebot]") {
  json out = start({{"cookieHeader", ""}, {"now", kNowMs}});
  REQUIRE(out["ok"] == true);
  REQUIRE(out.contains("cookiebot"));
  CHECK(out["cookiebot"]["consent"] == json::parse(R"({"necessary": true, "preferences": false, "statistics": false,
      "marketing": false, "method": null, "stamp": "0"})"));
  CHECK(out["cookiebot"]["hasResponse"] == false);
  CHECK(out["cookiebot"]["consented"] == false);
  CHECK(out["cookiebot"]["declined"] == false);
  CHECK(out["cookiebot"]["consentID"] == "0");
  CHECK(out["cookiebot"]["doNotTrack"] == false);
  CHECK(out["cookiebot"]["regulations"] == json::parse(R"({"gdprApplies": true, "ccpaApplies": false, "lgpdApplies": false})"));
  CHECK(out["cookiebot"]["submit"] == json::parse(R"(["preferences", "analytics", "marketing"])"));
  CHECK(out["cookiebot"]["cookie"] ==
        json::parse(R"({"name": "CookieConsent", "value": "", "maxAge": 0, "attributes": "", "write": false, "remove": false})"));
}

TEST_CASE("cookiebot: the four names follow the decision through aliases", "[cookiebot]") {
  json d = decide(decide_req(custom({"statistics"})));
  REQUIRE(d["ok"] == true);
  const json& cb = d["cookiebot"];
  CHECK(cb["consent"]["necessary"] == true);
  CHECK(cb["consent"]["preferences"] == false);
  CHECK(cb["consent"]["statistics"] == true);
  CHECK(cb["consent"]["marketing"] == false);
  CHECK(cb["consent"]["stamp"] == kId);
  CHECK(cb["consentID"] == kId);
  CHECK(cb["hasResponse"] == true);
  CHECK(cb["consented"] == true);
  CHECK(cb["declined"] == false);
  // The cookie in Cookiebot's format, written with the decision's lifetime.
  CHECK(cb["cookie"]["value"] == std::string("{stamp:%27") + kId +
                                     "%27%2Cnecessary:true%2Cpreferences:false%2Cstatistics:true%2Cmarketing:false"
                                     "%2Cmethod:%27explicit%27%2Cver:4%2Cutc:1767225600000}");
  CHECK(cb["cookie"]["write"] == true);
  CHECK(cb["cookie"]["remove"] == false);
  CHECK(cb["cookie"]["maxAge"] == 365 * 86400);
  // Beside kelisim's cookie: the same attributes (Secure on HTTPS pages, with the default "secure": "auto").
  CHECK(cb["cookie"]["attributes"] == "Path=/; Max-Age=31536000; SameSite=Lax");
  CHECK(d["cookie"]["attributes"] == cb["cookie"]["attributes"]);
  json https = decide_req(custom({"statistics"}));
  https["https"] = true;
  json secure = decide(https);
  CHECK(secure["cookiebot"]["cookie"]["attributes"] == "Path=/; Max-Age=31536000; SameSite=Lax; Secure");
  CHECK(secure["cookie"]["attributes"] == secure["cookiebot"]["cookie"]["attributes"]);

  // A site whose marketing is called "ads" and that has no preferences category.
  json other = json::parse(kSite);
  other["categories"].erase("preferences");
  other["categories"]["ads"] = other["categories"]["marketing"];
  other["categories"].erase("marketing");
  other["services"]["hubspot"]["category"] = "ads";
  other["aliases"]["marketing"] = "ads";
  json o = decide(decide_req({{"method", "accept-all"}}), other.dump());
  REQUIRE(o["ok"] == true);
  CHECK(o["cookiebot"]["consent"]["marketing"] == true);
  CHECK(o["cookiebot"]["consent"]["preferences"] == false);  // no such category: never claimed
  CHECK(o["cookiebot"]["submit"] == json::parse(R"([null, "analytics", "ads"])"));
  // "necessary" is Cookiebot's always-granted name, even where the site has no such category.
  other["categories"]["required"] = other["categories"]["necessary"];
  other["categories"].erase("necessary");
  kelisim::Config cfg = kelisim_test::config_from(other.dump());
  kelisim::Status none = kelisim::evaluate(cfg, "", kNow);
  CHECK(kelisim::cookiebot_allowed(cfg, none, "necessary"));
  CHECK_FALSE(kelisim::cookiebot_allowed(cfg, none, "statistics"));
  CHECK_FALSE(kelisim::cookiebot_allowed(cfg, none, "unknown-name"));
}

TEST_CASE("cookiebot: every decision is explicit, including the API's (submitCustomConsent, withdraw)",
          "[cookiebot][regression]") {
  for (const char* method : {"accept-all", "reject-all", "custom", "api"}) {
    INFO(method);
    json choice = std::string(method) == "api" ? custom({"preferences"}) : json({{"method", method}});
    json d = decide(decide_req(choice));
    REQUIRE(d["ok"] == true);
    CHECK(d["cookiebot"]["consent"]["method"] == "explicit");
    CHECK(d["cookiebot"]["cookie"]["value"].get<std::string>().find("method:%27explicit%27") != std::string::npos);
  }
  // withdraw(): everything optional rejected through the API, a declined response.
  json accepted = decide(decide_req({{"method", "accept-all"}}));
  json withdrawn =
      decide(decide_req({{"method", "api"}, {"preset", "reject-all"}}, cookies_after(accepted), false, kNowMs + 5000));
  REQUIRE(withdrawn["ok"] == true);
  const json& cb = withdrawn["cookiebot"];
  CHECK(cb["consent"]["method"] == "explicit");
  CHECK(cb["hasResponse"] == true);
  CHECK(cb["declined"] == true);
  CHECK(cb["consented"] == false);
  CHECK(cb["consent"]["statistics"] == false);
  CHECK(cb["consent"]["stamp"] == kId);  // the same visitor's id
  CHECK(cb["cookie"]["write"] == true);
  CHECK(cb["cookie"]["maxAge"] == 30 * 86400);  // every optional category rejected
  CHECK(cb["cookie"]["value"] == std::string("{stamp:%27") + kId +
                                     "%27%2Cnecessary:true%2Cpreferences:false%2Cstatistics:false%2Cmarketing:false"
                                     "%2Cmethod:%27explicit%27%2Cver:4%2Cutc:1767225605000}");
}

TEST_CASE("cookiebot: the CookieConsent cookie at page start is kept, rewritten or removed", "[cookiebot][cookie]") {
  json d = decide(decide_req(custom({"statistics", "marketing"})));
  std::string value = d["cookiebot"]["cookie"]["value"];
  std::string kelisim_cookie = "kelisim=" + d["cookie"]["value"].get<std::string>();
  auto at_start = [](const std::string& header, int64_t now = kNowMs + 3600 * 1000) {
    json out = start({{"cookieHeader", header}, {"now", now}});
    REQUIRE(out["ok"] == true);
    return out["cookiebot"];
  };
  // The same value: nothing to do; the remaining lifetime is given all the same.
  json kept = at_start(kelisim_cookie + "; CookieConsent=" + value);
  CHECK(kept["hasResponse"] == true);
  CHECK(kept["consent"]["statistics"] == true);
  CHECK(kept["cookie"]["write"] == false);
  CHECK(kept["cookie"]["remove"] == false);
  CHECK(kept["cookie"]["maxAge"] == 365 * 86400 - 3600);
  CHECK(kept["cookie"]["attributes"] == "Path=/; Max-Age=" + std::to_string(365 * 86400 - 3600) + "; SameSite=Lax");
  // Missing (cleared, or the decision came from another tab): written back.
  json missing = at_start(kelisim_cookie);
  CHECK(missing["cookie"]["write"] == true);
  CHECK(missing["cookie"]["value"] == value);
  // A copy that says something else (Cookiebot's own, from before the move): rewritten.
  json foreign = at_start(
      kelisim_cookie +
      "; CookieConsent={stamp:%27abc%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:true%2Cmarketing:true%2Cver:1}");
  CHECK(foreign["cookie"]["write"] == true);
  // Two copies (host and domain): written once more so that one value remains.
  CHECK(at_start(kelisim_cookie + "; CookieConsent=" + value + "; CookieConsent=" + value)["cookie"]["write"] == true);
  // No current decision: a leftover copy is removed, never trusted.
  json first = at_start("CookieConsent=" + value);
  CHECK(first["hasResponse"] == false);
  CHECK(first["cookie"]["remove"] == true);
  CHECK(first["cookie"]["write"] == false);
  CHECK(first["cookie"]["value"] == "");
  // A revision bump makes the decision stale: removed as well.
  json bumped = json::parse(kSite);
  bumped["revision"] = 5;
  json stale = start({{"cookieHeader", kelisim_cookie + "; CookieConsent=" + value}, {"now", kNowMs}}, bumped.dump());
  CHECK(stale["cookiebot"]["hasResponse"] == false);
  CHECK(stale["cookiebot"]["consent"]["statistics"] == false);
  CHECK(stale["cookiebot"]["cookie"]["remove"] == true);
}

TEST_CASE("cookiebot: CookieConsent is kelisim's own cookie, never a service's", "[cookiebot][cookie]") {
  // A configuration drafted from a Cookiebot site may list it under a service.
  json claimed = json::parse(kSite);
  claimed["services"]["cookiebot"] = {{"category", "preferences"}, {"cookies", {"CookieConsent"}}};
  kelisim::Config cfg = kelisim_test::config_from(claimed.dump());
  kelisim::Status none = kelisim::evaluate(cfg, "", kNow);
  CHECK(kelisim::cookie_allowed(cfg, none, "CookieConsent"));
  CHECK(kelisim::cleanup_cookies(cfg, none, {"CookieConsent"}).empty());
  // Without compat.cookiebot it is a cookie like any other.
  claimed["compat"]["cookiebot"] = false;
  kelisim::Config plain = kelisim_test::config_from(claimed.dump());
  CHECK_FALSE(kelisim::cookie_allowed(plain, kelisim::evaluate(plain, "", kNow), "CookieConsent"));
}

TEST_CASE("cookiebot: Global Privacy Control", "[cookiebot]") {
  json d = decide(decide_req({{"method", "accept-all"}}, "", true));
  REQUIRE(d["ok"] == true);
  CHECK(d["cookiebot"]["doNotTrack"] == true);
  CHECK(d["cookiebot"]["consent"]["marketing"] == false);  // "gpc": "deny"
  CHECK(d["cookiebot"]["consent"]["statistics"] == true);
  CHECK(d["cookiebot"]["consented"] == true);
}

TEST_CASE("cookiebot: opt-in and opt-out classes", "[cookiebot][classes]") {
  kelisim::Config cfg = kelisim_test::config_from(kSite);
  kelisim::Status none = kelisim::evaluate(cfg, "", kNow);
  json all = decide(decide_req({{"method", "accept-all"}}));
  kelisim::Status everything = status_of(kSite, all);
  json rejected = decide(decide_req({{"method", "reject-all"}}));
  kelisim::Status nothing = status_of(kSite, rejected);
  kelisim::Status stats_only = status_of(kSite, decide(decide_req(custom({"statistics"}))));
  auto visible = [&](const kelisim::Status& st, const char* classes) {
    return kelisim::cookiebot_classes_visible(cfg, st, classes);
  };

  // Before any choice: opt-in content hidden, the "please accept" notice shown.
  CHECK_FALSE(visible(none, "video cookieconsent-optin-marketing"));
  CHECK(visible(none, "cookieconsent-optout-marketing notice"));
  CHECK(visible(none, "unrelated classes"));
  CHECK(visible(none, ""));
  CHECK(visible(none, "cookieconsent-optin-necessary"));
  // Accepted: the other way round.
  CHECK(visible(everything, "cookieconsent-optin-marketing"));
  CHECK_FALSE(visible(everything, "cookieconsent-optout-marketing"));
  // Rejected: as before any choice.
  CHECK_FALSE(visible(nothing, "cookieconsent-optin-statistics"));
  CHECK(visible(nothing, "cookieconsent-optout-statistics"));
  // Several opt-in classes: every one is needed; several opt-out classes: one missing is enough.
  CHECK(visible(stats_only, "cookieconsent-optin-statistics"));
  CHECK_FALSE(visible(stats_only, "cookieconsent-optin-statistics cookieconsent-optin-marketing"));
  CHECK(visible(everything, "cookieconsent-optin-statistics\tcookieconsent-optin-marketing"));
  CHECK(visible(stats_only, "cookieconsent-optout-statistics cookieconsent-optout-marketing"));
  CHECK_FALSE(visible(everything, "cookieconsent-optout-statistics cookieconsent-optout-marketing"));
  // A name the configuration does not know is never consented to.
  CHECK_FALSE(visible(everything, "cookieconsent-optin-social"));
  CHECK(visible(everything, "cookieconsent-optout-social"));
  // A bare prefix is no class of Cookiebot's.
  CHECK(visible(none, "cookieconsent-optin-"));

  // Through api_query and api_start, batched in request order.
  json classes = json::array({"cookieconsent-optin-statistics", "cookieconsent-optout-statistics", "x"});
  json q = query({{"cookieHeader", cookies_after(all)}, {"now", kNowMs}, {"cookiebotClasses", classes}});
  CHECK(q["cookiebotClasses"] == json::parse("[true, false, true]"));
  json s = start({{"cookieHeader", ""}, {"now", kNowMs}, {"cookiebotClasses", classes}});
  CHECK(s["cookiebotClasses"] == json::parse("[false, true, true]"));
  // Not asked: not answered (the query's answer keeps its shape).
  CHECK_FALSE(query({{"cookieHeader", ""}, {"now", kNowMs}}).contains("cookiebotClasses"));
  // Wrong types are errors, like every other question's.
  json bad = query({{"cookieHeader", ""}, {"now", kNowMs}, {"cookiebotClasses", json::array({1})}});
  CHECK(bad["ok"] == false);
  CHECK(bad["error"]["errors"][0]["path"] == "cookiebotClasses");
  CHECK(query({{"cookieHeader", ""}, {"now", kNowMs}, {"cookiebotClasses", "x"}})["ok"] == false);
}

TEST_CASE("cookiebot: data-blockingmode=\"auto\" turns auto-blocking on for the page", "[cookiebot][blocking]") {
  auto auto_block = [](const json& tag, const std::string& cfg = kSite) {
    json req = {{"cookieHeader", ""}, {"now", kNowMs}};
    if (!tag.is_null()) req["tag"] = tag;
    json out = start(req, cfg);
    REQUIRE(out["ok"] == true);
    return out["blocking"]["autoBlock"].get<bool>();
  };
  CHECK_FALSE(auto_block(nullptr));  // the configuration says false
  CHECK(auto_block({{"blockingMode", "auto"}}));
  CHECK_FALSE(auto_block({{"blockingMode", "manual"}}));
  CHECK_FALSE(auto_block({{"blockingMode", ""}}));
  CHECK_FALSE(auto_block(json::object()));
  // Never less than configured.
  json on = json::parse(kSite);
  on["blocking"]["autoBlock"] = true;
  CHECK(auto_block({{"blockingMode", "manual"}}, on.dump()));
  // Also without compat.cookiebot: the attribute is the page's own.
  json plain = json::parse(kSite);
  plain["compat"]["cookiebot"] = false;
  CHECK(auto_block({{"blockingMode", "auto"}}, plain.dump()));
  // Wrong types are errors.
  for (const json& tag : {json("auto"), json({{"blockingMode", true}})}) {
    json out = start({{"cookieHeader", ""}, {"now", kNowMs}, {"tag", tag}});
    CHECK(out["ok"] == false);
    CHECK(out["error"]["code"] == "invalid-request");
  }
}

TEST_CASE("cookiebot: without compat.cookiebot the answers carry no Cookiebot part", "[cookiebot]") {
  json plain = json::parse(kSite);
  plain["compat"]["cookiebot"] = false;
  json s = start({{"cookieHeader", ""}, {"now", kNowMs}}, plain.dump());
  REQUIRE(s["ok"] == true);
  CHECK_FALSE(s.contains("cookiebot"));
  json d = decide(decide_req({{"method", "accept-all"}}), plain.dump());
  REQUIRE(d["ok"] == true);
  CHECK_FALSE(d.contains("cookiebot"));
  CHECK(kelisim::cookiebot_cookie_value(kelisim::CookiebotState{}) == "");
}
