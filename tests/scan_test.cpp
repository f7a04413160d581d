#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kelisim/api_scan.hpp"
#include "kelisim/scan.hpp"
#include "support.hpp"

using kelisim::ClaimKind;
using kelisim::ScanService;
using kelisim::StoredItem;
using kelisim_test::json;
using Names = std::vector<std::string>;

namespace {

constexpr int64_t kNowMs = 1767225600000;  // 2026-01-01T00:00:00Z

ScanService svc(const std::string& name, const std::string& category, Names cookies, Names hosts, Names storage = {},
                Names third_party = {}, Names urls = {}) {
  ScanService s;
  s.name = name;
  s.category = category;
  s.cookies = std::move(cookies);
  s.hosts = std::move(hosts);
  s.storage = std::move(storage);
  s.third_party_cookies = std::move(third_party);
  s.urls = std::move(urls);
  return s;
}

StoredItem item(const std::string& name, const std::string& domain = "shop.test", bool third = false) {
  return {name, domain, third};
}

/// The scanner's real catalogue, as the repository keeps it (js/scan/catalogue.json).
const std::string& catalogue() {
  static const std::string text = kelisim_test::fixture_text("../../js/scan/catalogue.json");
  return text;
}

json scan(const json& request, const std::string& cat = catalogue()) {
  json out = json::parse(kelisim::api_scan(cat, request.dump()), nullptr, false);
  REQUIRE(out.is_object());
  return out;
}

Names keys(const json& obj) {
  Names out;
  for (auto it = obj.begin(); it != obj.end(); ++it) out.push_back(it.key());
  return out;
}

Names strings(const json& arr) {
  Names out;
  for (const auto& v : arr) out.push_back(v.get<std::string>());
  return out;
}

/// Findings shaped like a crawl of the demo: stand-ins on hosts of their own,
/// so only the markup, the cookie names and who wrote them can tell them apart.
json demo_findings() {
  return {
      {"site", {"127.0.0.1"}},
      {"language", "en"},
      {"cookies",
       {{{"name", "kelisim"}, {"domain", "127.0.0.1"}, {"setBy", json::array()}},
        {{"name", "_ga"}, {"domain", "127.0.0.1"}, {"setBy", {"http://ga.localhost:8080/analytics.js"}}},
        {{"name", "_ga_DEMO"}, {"domain", "127.0.0.1"}, {"setBy", {"http://ga.localhost:8080/analytics.js"}}},
        {{"name", "hubspotutk"}, {"domain", "127.0.0.1"}, {"setBy", {"http://hubspot.localhost:8080/hs.js"}}},
        {{"name", "_fbp"}, {"domain", "127.0.0.1"}, {"setBy", {"http://facebook.localhost:8080/sdk.js"}}},
        {{"name", "YSC"}, {"domain", "youtube.localhost"}, {"setBy", json::array()}},
        {{"name", "datr"}, {"domain", "facebook.localhost"}, {"setBy", json::array()}},
        {{"name", "dala_tracker"}, {"domain", "127.0.0.1"}, {"setBy", {"http://127.0.0.1:8080/assets/site.js"}}}}},
      {"storage",
       {{{"name", "kelisim:receipts"}, {"origin", "http://127.0.0.1:8080"}},
        {{"name", "panel"}, {"origin", "http://127.0.0.1:8080"}}}},
      {"requests",
       {{{"url", "http://gtm.localhost:8080/gtm.js"}},
        {{"url", "http://ga.localhost:8080/analytics.js"}},
        {{"url", "http://hubspot.localhost:8080/hs.js"}},
        {{"url", "http://facebook.localhost:8080/page"}},
        {{"url", "http://youtube.localhost:8080/embed/x"}},
        {{"url", "http://recaptcha.localhost:8080/api.js"}},
        {{"url", "http://cdn.widgets.test/w.js"}},
        {{"url", "http://127.0.0.1:8080/assets/site.js"}}}},
      {"marks",
       {{{"url", "http://gtm.localhost:8080/gtm.js"}, {"category", "analytics"}, {"service", "google-tag-manager"}},
        {{"url", "http://ga.localhost:8080/analytics.js"}, {"category", "analytics"}, {"service", "google-analytics"}},
        {{"url", "http://facebook.localhost:8080/page"}, {"category", "embedded"}, {"service", "facebook"}},
        {{"url", "http://youtube.localhost:8080/embed/x"}, {"category", "embedded"}, {"service", "youtube"}},
        {{"url", "http://recaptcha.localhost:8080/api.js"}, {"category", "embedded"}, {"service", "recaptcha"}},
        {{"url", "http://hubspot.localhost:8080/hs.js"}, {"cookieconsent", "marketing"}},
        {{"url", "http://ga.localhost:8080/analytics.js"}, {"cookieconsent", "statistics"}}}},
  };
}

}  // namespace

TEST_CASE("cookie_domain_covered: the hosts that can write a cookie's domain", "[scan]") {
  using kelisim::cookie_domain_covered;
  CHECK(cookie_domain_covered("www.facebook.com", "www.facebook.com"));
  CHECK(cookie_domain_covered("www.facebook.com", ".facebook.com"));  // a subdomain may set a parent's domain cookie
  CHECK(cookie_domain_covered("*.facebook.com", ".facebook.com"));
  CHECK(cookie_domain_covered("*.facebook.com", "m.facebook.com"));
  CHECK(cookie_domain_covered("WWW.Facebook.COM", ".facebook.com"));
  CHECK_FALSE(cookie_domain_covered("www.facebook.com", "facebook.com"));  // host-only: only that very host
  CHECK_FALSE(cookie_domain_covered("*.facebook.com", "facebook.com"));
  CHECK_FALSE(cookie_domain_covered("facebook.com", ".www.facebook.com"));  // the parent cannot write a subdomain's cookie
  CHECK_FALSE(cookie_domain_covered("evilfacebook.com", ".facebook.com"));
  CHECK_FALSE(cookie_domain_covered("www.facebook.com", ""));
  CHECK_FALSE(cookie_domain_covered("", ".facebook.com"));
  CHECK_FALSE(cookie_domain_covered("a*.facebook.com", ".facebook.com"));
}

TEST_CASE("url_pattern_match: host pattern plus path glob", "[scan]") {
  using kelisim::url_pattern_match;
  CHECK(url_pattern_match("www.google.com/recaptcha/*", "https://www.google.com/recaptcha/api.js?render=x"));
  CHECK(url_pattern_match("www.google.com/recaptcha/*", "https://WWW.GOOGLE.COM:443/recaptcha/api2/anchor#k"));
  CHECK(url_pattern_match("*.gstatic.com/recaptcha/*", "https://www.gstatic.com/recaptcha/releases/x/recaptcha__en.js"));
  CHECK(url_pattern_match("www.googletagmanager.com/gtag/js", "https://www.googletagmanager.com/gtag/js?id=G-1"));
  CHECK_FALSE(url_pattern_match("www.googletagmanager.com/gtag/js", "https://www.googletagmanager.com/gtm.js?id=GTM-1"));
  CHECK_FALSE(url_pattern_match("www.google.com/recaptcha/*", "https://www.google.com/maps/embed?pb=1"));
  CHECK_FALSE(url_pattern_match("www.google.com/recaptcha/*", "https://evil.test/www.google.com/recaptcha/x"));
  CHECK_FALSE(url_pattern_match("www.google.com/recaptcha/*", "/recaptcha/api.js"));
  CHECK_FALSE(url_pattern_match("www.google.com", "https://www.google.com/"));  // no path part: not a URL pattern
  CHECK(url_pattern_match("www.google.com/", "https://www.google.com"));        // no path is "/"
}

TEST_CASE("first_party_host: the site, its subdomains and parents", "[scan]") {
  using kelisim::first_party_host;
  const Names site = {"www.dala.kz", "127.0.0.1"};
  CHECK(first_party_host(site, "www.dala.kz"));
  CHECK(first_party_host(site, "WWW.DALA.KZ."));
  CHECK(first_party_host(site, "dala.kz"));  // a parent domain's cookie is the site's own
  CHECK(first_party_host(site, "img.www.dala.kz"));
  CHECK(first_party_host(site, ""));  // relative: the page's own origin
  CHECK(first_party_host(site, "127.0.0.1"));
  CHECK_FALSE(first_party_host(site, "static.dala.kz"));  // a sibling is another site unless named
  CHECK_FALSE(first_party_host(site, "0.0.1"));
  CHECK_FALSE(first_party_host(site, "ga.localhost"));
  CHECK_FALSE(first_party_host(site, "notdala.kz"));
}

TEST_CASE("classify: the first service in order claims a finding", "[scan]") {
  const std::vector<ScanService> services = {
      svc("ga", "analytics", {"_ga", "_ga_*"}, {"*.google-analytics.com"}),
      svc("everything", "marketing", {"*"}, {"*.google-analytics.com", "ads.test"}, {"*"}),
  };
  auto c = kelisim::classify(services, {item("_ga_X1"), item("other")}, {item("k")},
                             {"https://region1.google-analytics.com/g/collect", "https://ads.test/p"});
  REQUIRE(c.cookies.size() == 2);
  CHECK(c.cookies[0].service == 0);
  CHECK(c.cookies[0].kind == ClaimKind::cookie);
  CHECK(c.cookies[0].pattern == 1);
  CHECK(c.cookies[1].service == 1);
  CHECK(c.storage[0].service == 1);
  CHECK(c.storage[0].kind == ClaimKind::storage);
  CHECK(c.urls[0].service == 0);
  CHECK(c.urls[0].kind == ClaimKind::host);
  CHECK(c.urls[1].service == 1);
  CHECK(c.urls[1].pattern == 1);
}

TEST_CASE("classify: third-party cookie names count only on the service's own domains", "[scan]") {
  const std::vector<ScanService> services = {
      svc("facebook", "marketing", {"_fbp"}, {"*.facebook.com"}, {}, {"fr", "datr"}),
      svc("video", "embedded", {}, {"player.video.test"}),
  };
  auto c = kelisim::classify(services,
                             {item("fr", "shop.test", false),          // the site's own "fr" (a language?) is not Facebook's
                              item("fr", ".facebook.com", true),       // on facebook.com it is
                              item("datr", ".other.test", true),       // elsewhere it is not
                              item("vid", "player.video.test", true),  // an unknown name on a service's own host
                              item("vid", "cdn.video.test", true),     // ... but not on a host it does not have
                              item("_fbp", "shop.test", false)},
                             {item("state", "player.video.test", true), item("state", "shop.test", false)}, {});
  CHECK_FALSE(c.cookies[0].claimed());
  CHECK(c.cookies[1].service == 0);
  CHECK(c.cookies[1].kind == ClaimKind::third_party_cookie);
  CHECK_FALSE(c.cookies[2].claimed());
  CHECK(c.cookies[3].service == 1);
  CHECK(c.cookies[3].kind == ClaimKind::host_domain);
  CHECK_FALSE(c.cookies[4].claimed());
  CHECK(c.cookies[5].kind == ClaimKind::cookie);
  CHECK(c.storage[0].service == 1);
  CHECK(c.storage[0].kind == ClaimKind::host_domain);
  CHECK_FALSE(c.storage[1].claimed());
}

TEST_CASE("classify: URL patterns of any service come before host patterns", "[scan]") {
  const std::vector<ScanService> services = {
      svc("maps", "embedded", {}, {"www.google.com"}),
      svc("recaptcha", "embedded", {}, {}, {}, {}, {"www.google.com/recaptcha/*"}),
  };
  auto c = kelisim::classify(services, {}, {},
                             {"https://www.google.com/recaptcha/api.js", "https://www.google.com/maps/embed", "/recaptcha/api.js",
                              "data:text/plain,x", "not a url"});
  CHECK(c.urls[0].service == 1);
  CHECK(c.urls[0].kind == ClaimKind::url);
  CHECK(c.urls[1].service == 0);
  CHECK_FALSE(c.urls[2].claimed());
  CHECK_FALSE(c.urls[3].claimed());
  CHECK_FALSE(c.urls[4].claimed());
}

TEST_CASE("scan_services mirrors a configuration's services", "[scan]") {
  auto cfg = kelisim_test::demo_config();
  auto services = kelisim::scan_services(cfg);
  REQUIRE(services.size() == cfg.services.size());
  CHECK(services[0].name == cfg.services[0].name);
  CHECK(services[0].cookies == cfg.services[0].cookies);
  CHECK(services[0].third_party_cookies.empty());
}

TEST_CASE("the catalogue is a valid kelisim configuration with kk, ru and en texts", "[scan]") {
  REQUIRE_FALSE(catalogue().empty());
  kelisim::ParseResult p = kelisim::parse_config(std::string_view(catalogue()));
  INFO((p.errors.empty() ? "" : p.errors[0].path + ": " + p.errors[0].message));
  REQUIRE(p.ok);
  const Names required = {
      "google-analytics", "google-tag-manager", "hubspot", "facebook", "youtube",  "recaptcha",         "hotjar",
      "google-ads",       "yandex-metrica",     "vk",      "tiktok",   "linkedin", "microsoft-clarity", "vimeo",
      "google-maps"};
  for (const auto& name : required) {
    INFO(name);
    const kelisim::Service* s = p.config.find_service(name);
    REQUIRE(s);
    CHECK((!s->hosts.empty()));
    for (const char* lang : {"kk", "ru", "en"}) {
      auto t = p.config.translations.find(lang);
      REQUIRE(t != p.config.translations.end());
      CHECK(t->second.count("services." + name + ".title") == 1);
      CHECK(t->second.count("services." + name + ".description") == 1);
    }
  }
  // The extension keys are the scanner's: a configuration ignores them with a warning, never an error.
  bool warned = false;
  for (const auto& w : p.warnings) warned = warned || w.path == "services.google-analytics.consentMode";
  CHECK(warned);
}

TEST_CASE("api_scan never aborts on bad input", "[scan][api]") {
  for (const std::string& cat :
       {std::string(""), std::string("[]"), std::string("{\"services\": 1}"),
        std::string("{\"categories\": {\"a\": {}}, \"services\": {\"x\": {\"category\": \"a\", \"cookies\": [1, \"a b\"], "
                    "\"hosts\": \"h\"}}}"),
        std::string("{\"categories\": {\"a\": {}}, \"services\": {\"x\": {\"category\": \"b\", \"urls\": [\"no-path\"]}}}")}) {
    INFO(cat);
    json out = scan({{"site", {"a.test"}}}, cat);
    CHECK(out["ok"] == false);
    CHECK(out["error"]["code"] == "invalid-catalogue");
  }
  for (const std::string& req :
       {std::string(""), std::string("null"), std::string("{\"cookies\": 5}"),
        std::string("{\"cookies\": [{\"name\": 1, \"setBy\": [2]}], \"requests\": [3], \"marks\": [{\"url\": {}}]}"),
        std::string("{\"config\": 3}"), std::string("{\"config\": \"{}\", \"now\": \"soon\"}"),
        std::string("{\"promise\": {\"fresh\": {\"requests\": [{\"url\": null}, 7]}}}")}) {
    INFO(req);
    json out = json::parse(kelisim::api_scan(catalogue(), req), nullptr, false);
    REQUIRE(out.is_object());
    CHECK(out["ok"] == false);
    CHECK(out["error"]["code"] == "invalid-request");
    CHECK_FALSE(out["error"]["errors"].empty());
  }
}

TEST_CASE("api_scan: an invalid configuration is reported with its JSON paths", "[scan][api]") {
  json req = demo_findings();
  req["config"] =
      R"({"categories": {"analytics": {"consentMode": ["analytic_storage"]}}, "services": {"ga": {"category": "stats"}}})";
  req["now"] = kNowMs;
  json out = scan(req);
  CHECK(out["ok"] == false);
  CHECK(out["error"]["code"] == "invalid-config");
  Names paths;
  for (const auto& e : out["error"]["errors"]) paths.push_back(e["path"].get<std::string>());
  CHECK(paths == Names{"categories.analytics.consentMode[0]", "services.ga.category"});
}

TEST_CASE("api_scan drafts a configuration from what the demo showed", "[scan][api]") {
  json out = scan(demo_findings());
  REQUIRE(out["ok"] == true);
  CHECK(out["draftErrors"].empty());
  const json& draft = out["draft"];
  CHECK(keys(draft["categories"]) == Names{"necessary", "analytics", "marketing", "embedded"});
  CHECK(draft["categories"]["necessary"]["required"] == true);
  CHECK(strings(draft["categories"]["analytics"]["consentMode"]) == Names{"analytics_storage"});
  CHECK(draft["categories"]["marketing"]["gpc"] == "deny");
  // Cookiebot's "statistics" needs an alias; "marketing" is a category already.
  CHECK(draft["aliases"] == json({{"statistics", "analytics"}}));

  const json& s = draft["services"];
  CHECK(keys(s) == Names{"google-analytics", "google-tag-manager", "hubspot", "facebook", "recaptcha", "youtube"});
  CHECK(s["google-analytics"]["category"] == "analytics");
  CHECK(strings(s["google-analytics"]["cookies"]) == Names{"_ga", "_ga_*"});  // the catalogue's patterns
  CHECK(strings(s["google-analytics"]["hosts"]) == Names{"ga.localhost"});
  CHECK(s["hubspot"]["category"] == "marketing");
  CHECK(strings(s["hubspot"]["cookies"]) == Names{"hubspotutk"});
  CHECK(strings(s["hubspot"]["hosts"]) == Names{"hubspot.localhost"});  // its script wrote hubspotutk
  // The markup says Facebook is embedded content here, not the catalogue's marketing.
  CHECK(s["facebook"]["category"] == "embedded");
  CHECK(strings(s["facebook"]["cookies"]) == Names{"_fbp", "datr"});  // datr: on the host the markup gave Facebook
  CHECK(strings(s["youtube"]["cookies"]) == Names{"YSC"});
  CHECK(draft["language"]["default"] == "en");
  CHECK(draft["language"]["translations"]["kk"]["services"]["youtube"]["title"] == "YouTube");
  CHECK(draft["language"]["translations"]["ru"]["services"]["google-analytics"]["description"].is_string());

  // What nothing explains is left to a person, never guessed into a category.
  Names warned;
  for (const auto& w : out["warnings"]) warned.push_back(w["name"].get<std::string>());
  CHECK(warned == Names{"cdn.widgets.test", "dala_tracker", "panel"});
  CHECK(out["cookies"][0]["source"] == "kelisim");
  CHECK(out["cookies"][7]["service"].is_null());
  CHECK(out["storage"][0]["source"] == "kelisim");
  CHECK(out["requests"][7]["thirdParty"] == false);
  CHECK(out["requests"][2]["source"] == "writer");
  CHECK(out["requests"][0]["source"] == "markup");
  CHECK(out["services"]["facebook"]["title"] == "Facebook (Meta)");
  CHECK_FALSE(out.contains("audit"));

  // The draft is a configuration the engine accepts.
  kelisim::ParseResult p = kelisim_test::parse_config(draft);
  CHECK(p.ok);
}

TEST_CASE("api_scan: a markup service name replaces the catalogue's, and real hosts need no markup", "[scan][api]") {
  json req = {
      {"site", {"shop.test"}},
      {"cookies", {{{"name", "_ga"}, {"domain", ".shop.test"}}, {{"name", "_hjSessionUser_1"}, {"domain", "shop.test"}}}},
      {"storage", {{{"name", "yt-remote-device-id"}, {"origin", "https://www.youtube-nocookie.com"}}}},
      {"requests",
       {{{"url", "https://www.googletagmanager.com/gtag/js?id=G-1"}},
        {{"url", "https://static.hotjar.com/c/hotjar-1.js"}},
        {{"url", "https://www.google.com/recaptcha/api.js"}},
        {{"url", "https://www.google.com/maps/embed?pb=x"}},
        {{"url", "https://www.youtube-nocookie.com/embed/1"}}}},
      {"marks", {{{"url", "https://www.googletagmanager.com/gtag/js?id=G-1"}, {"service", "ga4"}, {"category", "stats"}}}}};
  json out = scan(req);
  REQUIRE(out["ok"] == true);
  const json& s = out["draft"]["services"];
  CHECK(keys(s) == Names{"hotjar", "google-maps", "recaptcha", "youtube", "ga4"});  // by category, then name
  CHECK(s["ga4"]["category"] == "stats");
  CHECK(strings(s["ga4"]["cookies"]) == Names{"_ga"});
  CHECK(strings(s["ga4"]["hosts"]) == Names{"www.googletagmanager.com"});
  CHECK(strings(s["hotjar"]["cookies"]) == Names{"_hj*"});
  CHECK(strings(s["hotjar"]["hosts"]) == Names{"*.hotjar.com"});
  CHECK(strings(s["recaptcha"]["hosts"]) == Names{"www.google.com"});
  CHECK(strings(s["google-maps"]["hosts"]) == Names{"www.google.com"});
  CHECK(strings(s["youtube"]["storage"]) == Names{"yt-remote-*"});
  CHECK(out["draft"]["categories"].contains("stats"));
  CHECK(out["draft"]["language"]["translations"]["en"]["services"]["ga4"]["title"] == "Google Analytics");
  CHECK(out["draftErrors"].empty());
}

TEST_CASE("api_scan: the Open Cookie Database classifies what the catalogue does not, with a warning", "[scan][api]") {
  const std::string cat = R"({"categories": {"necessary": {"required": true}, "analytics": {}, "marketing": {}},
    "services": {"ga": {"category": "analytics", "cookies": ["_ga"], "hosts": ["www.google-analytics.com"]}},
    "openCookieDatabase": {"services": {
      "ga": {"category": "marketing", "title": "Google Analytics", "cookies": ["_gac_*"]},
      "matomo": {"category": "analytics", "title": "Matomo", "cookies": ["_pk_id*"], "about": {"_pk_id*": "A visitor id."}},
      "adnet": {"category": "marketing", "title": "AdNet", "thirdPartyCookies": ["uid"], "hosts": ["adnet.test", "*.adnet.test"]}}}})";
  json req = {{"site", {"shop.test"}},
              {"cookies",
               {{{"name", "_pk_id.1.a"}, {"domain", "shop.test"}},
                {{"name", "uid"}, {"domain", ".adnet.test"}},
                {{"name", "uid"}, {"domain", "shop.test"}},
                {{"name", "_gac_1"}, {"domain", "shop.test"}}}},
              {"requests", {{{"url", "https://px.adnet.test/p.gif"}}}}};
  json out = scan(req, cat);
  REQUIRE(out["ok"] == true);
  CHECK(out["cookies"][0]["service"] == "matomo");
  CHECK(out["cookies"][0]["source"] == "open-cookie-database");
  CHECK(out["cookies"][0]["about"] == "A visitor id.");
  CHECK(out["cookies"][1]["service"] == "adnet");
  CHECK(out["cookies"][1]["source"] == "host");   // on the domain of a host already AdNet's
  CHECK(out["cookies"][2]["service"].is_null());  // "uid" only counts on AdNet's own domain
  CHECK(out["cookies"][3]["service"] == "ga");    // a platform the catalogue knows keeps its name
  CHECK(out["requests"][0]["service"] == "adnet");
  const json& s = out["draft"]["services"];
  CHECK(strings(s["matomo"]["cookies"]) == Names{"_pk_id*"});
  CHECK(strings(s["adnet"]["hosts"]) == Names{"px.adnet.test"});
  CHECK(out["draft"]["language"]["translations"]["en"]["services"]["matomo"]["title"] == "Matomo");
  int reviews = 0;
  for (const auto& w : out["warnings"])
    reviews += w["message"].get<std::string>().find("Open Cookie Database") != std::string::npos;
  CHECK(reviews == 3);  // _pk_id.1.a, _gac_1 and the host px.adnet.test
  CHECK(out["draftErrors"].empty());
}

TEST_CASE("api_scan audits a configuration: undeclared, unseen and the promise", "[scan][api]") {
  json req = demo_findings();
  // The demo's configuration without HubSpot, and with a necessary service.
  req["config"] = R"({"revision": 2, "cookie": {"name": "consent"},
    "categories": {"necessary": {"required": true}, "analytics": {}, "marketing": {}, "embedded": {}},
    "services": {
      "session": {"category": "necessary", "cookies": ["dala_tracker"], "storage": ["panel"], "hosts": ["cdn.widgets.test"]},
      "google-analytics": {"category": "analytics", "cookies": ["_ga", "_ga_*", "_gat*"], "hosts": ["ga.localhost"]},
      "google-tag-manager": {"category": "analytics", "hosts": ["gtm.localhost"]},
      "facebook": {"category": "embedded", "cookies": ["_fbp"], "hosts": ["facebook.localhost"]},
      "youtube": {"category": "embedded", "hosts": ["youtube.localhost"]},
      "recaptcha": {"category": "embedded", "hosts": ["recaptcha.localhost"]}}})";
  req["now"] = kNowMs;
  req["promise"] = {
      {"fresh",
       {{"requests",
         {{{"url", "http://127.0.0.1:8080/"}},
          {{"url", "http://cdn.widgets.test/w.js"}},
          {{"url", "http://ga.localhost:8080/analytics.js"}}}},
        {"cookies",
         {{{"name", "_ga"}, {"domain", "127.0.0.1"}},
          {{"name", "dala_tracker"}, {"domain", "127.0.0.1"}},
          {{"name", "YSC"}, {"domain", "youtube.localhost"}}}},
        {"storage", {{{"name", "panel"}, {"origin", "http://127.0.0.1:8080"}}}}}},
      {"rejected",
       {{"requests", {{{"url", "http://youtube.localhost:8080/embed/x"}}}},
        {"cookies", {{{"name", "consent"}, {"domain", "127.0.0.1"}}}}}},
  };
  json out = scan(req);
  REQUIRE(out["ok"] == true);
  const json& a = out["audit"];

  Names undeclared;
  for (const auto& u : a["undeclared"]) undeclared.push_back(u["kind"].get<std::string>() + " " + u["name"].get<std::string>());
  // "kelisim" is no longer the consent cookie's name here ("consent" is), so it is a cookie like any other.
  CHECK(undeclared == Names{"cookie kelisim", "cookie hubspotutk", "host hubspot.localhost"});
  // Third-party cookies on a declared host are that service's; kelisim's own storage keys are kelisim's.
  CHECK(a["cookies"][5]["service"] == "youtube");
  CHECK(a["cookies"][5]["how"] == "host-domain");
  CHECK(a["cookies"][6]["service"] == "facebook");
  CHECK(a["storage"][0]["kelisim"] == true);
  CHECK(a["requests"][7].is_null());  // the site's own script
  Names unseen;
  for (const auto& u : a["unseen"]) unseen.push_back(u["service"].get<std::string>() + " " + u["pattern"].get<std::string>());
  CHECK(unseen == Names{"google-analytics _gat*"});

  Names violations;
  for (const auto& v : a["violations"]) {
    std::string what =
        v["phase"].get<std::string>() + " " + v["kind"].get<std::string>() + " " + std::to_string(v["index"].get<int>());
    for (const auto& s : v["services"]) what += " " + s["service"].get<std::string>();
    violations.push_back(what);
  }
  // Necessary services and the site's own requests never break the promise.
  CHECK(violations == Names{"fresh request 2 google-analytics", "fresh cookie 0 google-analytics", "fresh cookie 2 youtube",
                            "rejected request 0 youtube"});
}

TEST_CASE("api_scan: the CookieConsent cookie kelisim's Cookiebot compatibility writes is kelisim's own",
          "[scan][api][cookiebot]") {
  json req = demo_findings();
  req["cookies"].push_back(
      {{"name", "CookieConsent"}, {"domain", "127.0.0.1"}, {"setBy", {"http://127.0.0.1:8080/kelisim/kelisim.js"}}});
  json drafted = scan(req);
  REQUIRE(drafted["ok"] == true);
  CHECK(drafted["cookies"].back()["source"] == "kelisim");
  CHECK_FALSE(drafted["draft"]["services"].contains("cookiebot"));
  // Written by Cookiebot itself (a site not moved yet): Cookiebot's, as the Open Cookie Database says.
  req["cookies"].back()["setBy"] = {"https://consent.cookiebot.com/uc.js"};
  CHECK(scan(req)["cookies"].back()["source"] != "kelisim");
  // Auditing a configuration with compat.cookiebot: kelisim's, whoever the crawler saw write it.
  req["config"] = R"({"categories": {"necessary": {"required": true}, "analytics": {}, "marketing": {}, "embedded": {}},
    "compat": {"cookiebot": true}})";
  req["now"] = kNowMs;
  json audited = scan(req);
  INFO(audited.dump());
  REQUIRE(audited["ok"] == true);
  CHECK(audited["audit"]["cookies"].back()["kelisim"] == true);
  for (const auto& u : audited["audit"]["undeclared"]) CHECK(u["name"] != "CookieConsent");
}
