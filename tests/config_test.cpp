#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "kelisim/config.hpp"
#include "support.hpp"

using kelisim::Issue;
using kelisim::parse_config;
using kelisim::ParseResult;
using kelisim_test::fixture_json;
using kelisim_test::fixture_text;
using kelisim_test::json;
using kelisim_test::parse_config;

namespace {

std::vector<std::string> lines(const std::vector<Issue>& issues) {
  std::vector<std::string> out;
  for (const auto& i : issues) out.push_back(i.path + ": " + i.message);
  return out;
}

using Lines = std::vector<std::string>;

json base_config() { return json::parse(R"({"categories": {"necessary": {"required": true}, "analytics": {}}})"); }

ParseResult parse_with(const std::string& pointer, const json& value) {
  json c = base_config();
  c[json::json_pointer(pointer)] = value;
  return parse_config(c);
}

bool has_issue_at(const std::vector<Issue>& issues, const std::string& path) {
  for (const auto& i : issues)
    if (i.path == path) return true;
  return false;
}

}  // namespace

TEST_CASE("config: the demo fixture is valid, without warnings, and normalised", "[config]") {
  ParseResult p = parse_config(std::string_view(fixture_text("config-demo.json")));
  INFO(Catch::Detail::stringify(lines(p.errors)));
  REQUIRE(p.ok);
  CHECK(p.errors.empty());
  CHECK(lines(p.warnings) == Lines{});
  const kelisim::Config& c = p.config;
  CHECK(c.revision == 3);
  CHECK(c.policy_url == "/kk/privacy");
  CHECK(c.contact == "export.kz@meestgroup.com");
  std::vector<std::string> cats;
  for (const auto& x : c.categories) cats.push_back(x.name);
  CHECK(cats == Lines{"necessary", "preferences", "analytics", "marketing", "embedded"});
  std::vector<std::string> svcs;
  for (const auto& x : c.services) svcs.push_back(x.name);
  CHECK(svcs == Lines{"session", "site-language", "google-analytics", "google-tag-manager", "hubspot", "facebook", "youtube",
                      "recaptcha"});
  REQUIRE(c.find_category("necessary"));
  CHECK(c.find_category("necessary")->required);
  CHECK_FALSE(c.find_category("analytics")->required);
  CHECK(c.find_category("marketing")->gpc_deny);
  CHECK_FALSE(c.find_category("analytics")->gpc_deny);
  CHECK(c.find_category("marketing")->consent_mode == Lines{"ad_storage", "ad_user_data", "ad_personalization"});
  REQUIRE(c.find_service("google-analytics"));
  CHECK(c.find_service("google-analytics")->category == "analytics");
  CHECK(c.find_service("google-analytics")->cookies == Lines{"_ga", "_ga_*", "_gid", "_gat*"});
  CHECK(c.find_service("youtube")->hosts == Lines{"www.youtube.com", "www.youtube-nocookie.com", "*.ytimg.com"});
  CHECK(c.find_service("youtube")->storage == Lines{"yt-remote-*", "ytidb::*"});
  CHECK(c.find_service("nope") == nullptr);
  CHECK(c.find_category("google-analytics") == nullptr);
  CHECK(c.aliases.at("statistics") == "analytics");
  CHECK(c.aliases.at("youtube-video") == "youtube");
  CHECK(c.cookie.name == "kelisim");
  CHECK(c.cookie.domain == "auto");
  CHECK(c.cookie.path == "/");
  CHECK(c.cookie.expires_after_days == 365);
  CHECK(c.cookie.rejected_expires_after_days == 182);
  CHECK(c.cookie.same_site == "Lax");
  CHECK(c.cookie.secure == "true");
  CHECK(c.auto_block);
  CHECK(c.cookie_guard);
  CHECK_FALSE(c.reload_on_withdrawal);
  CHECK(c.consent_mode_enabled);
  CHECK(c.wait_for_update == 500);
  CHECK(c.ads_data_redaction);
  CHECK_FALSE(c.url_passthrough);
  CHECK(c.receipts_endpoint == "/consent-receipts");
  CHECK(c.compat_cookiebot);
  CHECK(c.default_language == "kk");
  CHECK(c.auto_detect == "document");
  CHECK(c.languages() == Lines{"en", "kk", "ru"});
  // Nested and dotted translation keys flatten alike.
  CHECK(c.translations.at("kk").at("banner.title") == "Cookie файлдары туралы");
  CHECK(c.translations.at("en").at("banner.title") == "About cookies");
  CHECK(c.translations.at("ru").at("services.hubspot.description") == "Формы обратной связи и статистика посетителей.");
  CHECK(c.ui_layout == "bar");
  CHECK(c.ui_position == "bottom");
  CHECK(c.ui_theme == "auto");
  CHECK(c.ui_reopen_button);
  CHECK_FALSE(c.debug);
}

TEST_CASE("config: the minimal fixture gets every default", "[config]") {
  ParseResult p = parse_config(std::string_view(fixture_text("config-minimal.json")));
  REQUIRE(p.ok);
  CHECK(p.warnings.empty());
  const kelisim::Config& c = p.config;
  CHECK(c.revision == 0);
  CHECK(c.categories.size() == 2);
  CHECK(c.services.empty());
  CHECK(c.aliases.empty());
  CHECK(c.policy_url.empty());
  CHECK(c.cookie.name == "kelisim");
  CHECK(c.cookie.domain.empty());
  CHECK(c.cookie.path == "/");
  CHECK(c.cookie.expires_after_days == 365);
  CHECK(c.cookie.rejected_expires_after_days == 182);
  CHECK(c.cookie.same_site == "Lax");
  CHECK(c.cookie.secure == "auto");
  CHECK(c.auto_block);
  CHECK(c.cookie_guard);
  CHECK(c.consent_mode_enabled);
  CHECK(c.wait_for_update == 500);
  CHECK_FALSE(c.ads_data_redaction);
  CHECK(c.receipts_endpoint.empty());
  CHECK_FALSE(c.compat_cookiebot);
  CHECK(c.default_language == "en");
  CHECK(c.auto_detect == "document");
  CHECK(c.translations.empty());
  CHECK(c.languages() == Lines{"kk", "ru", "en"});
  CHECK(c.ui_layout == "bar");
}

TEST_CASE("config: every invalid-configs fixture case gives exactly its errors", "[config][fixtures]") {
  json cases = fixture_json("invalid-configs.json");
  REQUIRE(cases.is_array());
  REQUIRE(cases.size() >= 25);
  std::set<std::string> names;
  for (const auto& c : cases) {
    REQUIRE(c.is_object());
    REQUIRE(c.contains("name"));
    REQUIRE(c.contains("config"));
    REQUIRE(c.contains("errors"));
    std::string name = c["name"].get<std::string>();
    CHECK(names.insert(name).second);  // names are unique: the JS layers key on them
    Lines expected;
    for (const auto& e : c["errors"]) expected.push_back(e["path"].get<std::string>() + ": " + e["message"].get<std::string>());
    INFO("case: " << name);
    REQUIRE_FALSE(expected.empty());
    ParseResult p = parse_config(c["config"]);
    CHECK_FALSE(p.ok);
    CHECK(lines(p.errors) == expected);
    // The text overload reads the same value the same way.
    ParseResult q = parse_config(std::string_view(c["config"].dump()));
    CHECK(lines(q.errors) == expected);
  }
}

TEST_CASE("config: text that is not JSON", "[config]") {
  for (const char* text : {"", "{", "{\"categories\": {\"a\": {}},}", "nul", "{'categories': {}}", "\xff\xfe{}"}) {
    INFO("text: " << text);
    ParseResult p = parse_config(std::string_view(text));
    CHECK_FALSE(p.ok);
    CHECK(lines(p.errors) == Lines{": the configuration is not valid JSON"});
    CHECK(p.warnings.empty());
  }
  ParseResult n = parse_config(std::string_view("42"));
  CHECK(lines(n.errors) == Lines{": expected the configuration to be an object, got a number"});
}

TEST_CASE("config: unknown keys are warnings at every level, not errors", "[config]") {
  json c = json::parse(R"({
    "revison": 2,
    "categories": {"necessary": {"required": true, "requried": false}, "analytics": {"consent_mode": []}},
    "services": {"youtube": {"category": "analytics", "host": ["www.youtube.com"]}},
    "cookie": {"maxAge": 10},
    "blocking": {"autoblock": true},
    "consentMode": {"wait": 1},
    "receipts": {"url": "/r"},
    "compat": {"klaro": true},
    "language": {"fallback": "en", "translations": {"en": {"banner": {"titel": "x"}, "services": {"youtube": {"title": "YouTube", "icon": "y"}, "vimeo": {"title": "V"}}}}},
    "ui": {"colour": "red"}
  })");
  ParseResult p = parse_config(c);
  INFO(Catch::Detail::stringify(lines(p.errors)));
  REQUIRE(p.ok);
  CHECK(lines(p.warnings) == Lines{
                                 "categories.necessary.requried: unknown key, ignored",
                                 "categories.analytics.consent_mode: unknown key, ignored",
                                 "services.youtube.host: unknown key, ignored",
                                 "cookie.maxAge: unknown key, ignored",
                                 "blocking.autoblock: unknown key, ignored",
                                 "consentMode.wait: unknown key, ignored",
                                 "receipts.url: unknown key, ignored",
                                 "compat.klaro: unknown key, ignored",
                                 "language.translations.en.banner.titel: unknown text key, ignored",
                                 "language.translations.en.services.vimeo.title: unknown text key, ignored",
                                 "language.translations.en.services.youtube.icon: unknown text key, ignored",
                                 "language.fallback: unknown key, ignored",
                                 "ui.colour: unknown key, ignored",
                                 "revison: unknown key, ignored",
                             });
  // Ignored means ignored: the misspelt revision did not set anything.
  CHECK(p.config.revision == 0);
  CHECK_FALSE(p.config.find_category("necessary") == nullptr);
}

TEST_CASE("config: warnings ride along with errors", "[config]") {
  ParseResult p = parse_with("/extra", 1);
  CHECK(p.ok);
  CHECK(lines(p.warnings) == Lines{"extra: unknown key, ignored"});
  json c = base_config();
  c["extra"] = 1;
  c["revision"] = "x";
  ParseResult q = parse_config(c);
  CHECK_FALSE(q.ok);
  CHECK(lines(q.errors) == Lines{"revision: expected an integer, got a string"});
  CHECK(lines(q.warnings) == Lines{"extra: unknown key, ignored"});
}

TEST_CASE("config: a wrong type for any scalar key is an error at its path, never an abort", "[config]") {
  const std::vector<std::string> scalar_keys = {
      "/revision",
      "/policyUrl",
      "/contact",
      "/debug",
      "/categories/analytics/required",
      "/categories/analytics/gpc",
      "/cookie/name",
      "/cookie/domain",
      "/cookie/path",
      "/cookie/expiresAfterDays",
      "/cookie/rejectedExpiresAfterDays",
      "/cookie/sameSite",
      "/cookie/secure",
      "/services/x/category",
      "/blocking/autoBlock",
      "/blocking/cookieGuard",
      "/blocking/reloadOnWithdrawal",
      "/consentMode/enabled",
      "/consentMode/waitForUpdate",
      "/consentMode/adsDataRedaction",
      "/consentMode/urlPassthrough",
      "/receipts/endpoint",
      "/compat/cookiebot",
      "/language/default",
      "/language/autoDetect",
      "/ui/layout",
      "/ui/position",
      "/ui/theme",
      "/ui/reopenButton",
      "/aliases/stats",
  };
  const std::vector<json> wrong = {nullptr, json::array({1}), json::object({{"a", 1}}), json::array()};
  for (const auto& key : scalar_keys) {
    for (const auto& v : wrong) {
      std::string path = key.substr(1);
      for (auto& ch : path)
        if (ch == '/') ch = '.';
      INFO("key " << path << " = " << v.dump());
      ParseResult p = parse_with(key, v);
      CHECK_FALSE(p.ok);
      CHECK(has_issue_at(p.errors, path));
    }
  }
  const std::vector<std::string> list_keys = {"/categories/analytics/consentMode", "/services/x/cookies", "/services/x/storage",
                                              "/services/x/hosts"};
  for (const auto& key : list_keys) {
    for (const json& v : {json(true), json(3), json("_ga"), json::object(), json(nullptr)}) {
      INFO("key " << key << " = " << v.dump());
      ParseResult p = parse_with(key, v);
      CHECK_FALSE(p.ok);
      CHECK(p.errors.size() >= 1);
    }
  }
  const std::vector<std::string> sections = {"/categories",           "/services", "/aliases", "/cookie",   "/blocking",
                                             "/consentMode",          "/receipts", "/compat",  "/language", "/ui",
                                             "/language/translations"};
  for (const auto& key : sections) {
    for (const json& v : {json(true), json(3), json("x"), json::array({"a"}), json(nullptr)}) {
      INFO("section " << key << " = " << v.dump());
      ParseResult p = parse_with(key, v);
      CHECK_FALSE(p.ok);
      std::string path = key.substr(1);
      for (auto& ch : path)
        if (ch == '/') ch = '.';
      CHECK(has_issue_at(p.errors, path));
    }
  }
}

TEST_CASE("config: accepted spellings and normalisation", "[config]") {
  SECTION("secure") {
    CHECK(parse_with("/cookie/secure", true).config.cookie.secure == "true");
    CHECK(parse_with("/cookie/secure", false).config.cookie.secure == "false");
    CHECK(parse_with("/cookie/secure", "auto").config.cookie.secure == "auto");
    CHECK_FALSE(parse_with("/cookie/secure", "true").ok);
  }
  SECTION("autoDetect as a boolean") {
    CHECK(parse_with("/language/autoDetect", true).config.auto_detect == "document");
    CHECK(parse_with("/language/autoDetect", false).config.auto_detect == "off");
    CHECK(parse_with("/language/autoDetect", "browser").config.auto_detect == "browser");
  }
  SECTION("cookie domain") {
    CHECK(parse_with("/cookie/domain", "").ok);
    CHECK(parse_with("/cookie/domain", "auto").ok);
    CHECK(parse_with("/cookie/domain", "meest.kz").config.cookie.domain == "meest.kz");
    CHECK(parse_with("/cookie/domain", ".meest.kz").ok);
    CHECK(lines(parse_with("/cookie/domain", "*.meest.kz").errors) ==
          Lines{"cookie.domain: expected \"\", \"auto\" or a domain name, got \"*.meest.kz\""});
    CHECK(lines(parse_with("/cookie/domain", ".").errors) ==
          Lines{"cookie.domain: expected \"\", \"auto\" or a domain name, got \".\""});
  }
  SECTION("rejectedExpiresAfterDays defaults to at most expiresAfterDays") {
    CHECK(parse_with("/cookie/expiresAfterDays", 30).config.cookie.rejected_expires_after_days == 30);
    CHECK(parse_with("/cookie/expiresAfterDays", 400).config.cookie.rejected_expires_after_days == 182);
    json c = base_config();
    c["cookie"] = {{"expiresAfterDays", 30}, {"rejectedExpiresAfterDays", 90}};
    CHECK(parse_config(c).config.cookie.rejected_expires_after_days == 90);
  }
  SECTION("revision limits") {
    CHECK(parse_with("/revision", 2147483647).config.revision == 2147483647);
    CHECK(lines(parse_with("/revision", 2147483648LL).errors) ==
          Lines{"revision: expected an integer from 0 to 2147483647, got 2147483648"});
    CHECK(lines(parse_with("/revision", 18446744073709551615ULL).errors) ==
          Lines{"revision: expected an integer from 0 to 2147483647, got 9223372036854775807"});
    CHECK(lines(parse_with("/revision", 3.0).errors) == Lines{"revision: expected an integer, got a number"});
  }
  SECTION("receipts endpoints") {
    CHECK(parse_with("/receipts/endpoint", "/consent-receipts").ok);
    CHECK(parse_with("/receipts/endpoint", "https://meest.kz/consent").ok);
    CHECK(parse_with("/receipts/endpoint", "").ok);
    CHECK_FALSE(parse_with("/receipts/endpoint", "consent").ok);
  }
  SECTION("cookie path") {
    CHECK(parse_with("/cookie/path", "/kk/").ok);
    CHECK(lines(parse_with("/cookie/path", "/a;b").errors) ==
          Lines{"cookie.path: expected a path starting with \"/\", got \"/a;b\""});
    CHECK(lines(parse_with("/cookie/path", "").errors) == Lines{"cookie.path: expected a path starting with \"/\", got \"\""});
  }
  SECTION("a boolean true is not a category object") {
    CHECK(lines(parse_with("/categories/analytics", true).errors) ==
          Lines{"categories.analytics: expected an object, got a boolean"});
  }
}

TEST_CASE("config: user text in messages is shortened and cleaned", "[config]") {
  std::string long_name(100, 'x');
  CHECK(lines(parse_with("/ui/theme", long_name).errors) ==
        Lines{"ui.theme: expected one of auto, light, dark, got \"" + std::string(80, 'x') + "...\""});
  CHECK(lines(parse_with("/ui/theme", "da\nrk\x7f").errors) ==
        Lines{"ui.theme: expected one of auto, light, dark, got \"da?rk?\""});
}

TEST_CASE("config: length limits", "[config]") {
  CHECK(parse_with("/contact", std::string(256, 'a')).ok);
  CHECK(lines(parse_with("/contact", std::string(257, 'a')).errors) == Lines{"contact: is longer than 256 characters"});
  CHECK(lines(parse_with("/policyUrl", "/" + std::string(2048, 'a')).errors) ==
        Lines{"policyUrl: is longer than 2048 characters"});
  CHECK(lines(parse_with("/cookie/name", std::string(65, 'k')).errors) == Lines{"cookie.name: is longer than 64 characters"});
  CHECK(parse_with("/categories/" + std::string(64, 'c'), json::object()).ok);
  CHECK(lines(parse_with("/categories/" + std::string(65, 'c'), json::object()).errors) ==
        Lines{"categories." + std::string(65, 'c') + ": invalid category name \"" + std::string(65, 'c') +
              "\" (letters, digits, '-' and '_', at most 64)"});
  json c = base_config();
  c["language"] = {{"default", "en"}, {"translations", {{"en", {{"banner", {{"title", std::string(4097, 't')}}}}}}}};
  CHECK(lines(parse_config(c).errors) == Lines{"language.translations.en.banner.title: is longer than 4096 characters"});
  c["language"]["translations"]["en"]["banner"]["title"] = std::string(4096, 't');
  CHECK(parse_config(c).ok);
  CHECK(lines(parse_with("/language/default", std::string(36, 'a')).errors) ==
        Lines{"language.default: is longer than 35 characters"});
}

TEST_CASE("config: translations and languages", "[config]") {
  json c = base_config();
  c["services"] = {{"youtube", {{"category", "analytics"}}}};
  c["language"] = json::parse(R"({"default": "ru", "translations": {
      "ru": {"banner.title": "Куки", "categories": {"analytics": {"title": "Аналитика"}}, "services.youtube.description": "Видео"},
      "ar": {"placeholder": {"loadOnce": "تحميل"}}}})");
  ParseResult p = parse_config(c);
  REQUIRE(p.ok);
  CHECK(p.warnings.empty());
  CHECK(p.config.default_language == "ru");
  CHECK(p.config.languages() == Lines{"ar", "ru"});
  CHECK(p.config.translations.at("ru").at("categories.analytics.title") == "Аналитика");
  CHECK(p.config.translations.at("ru").at("services.youtube.description") == "Видео");
  CHECK(p.config.translations.at("ar").at("placeholder.loadOnce") == "تحميل");
  // A text key for a category the site does not have is only a warning.
  c["language"]["translations"]["ru"]["categories"]["ads"] = {{"title", "Реклама"}};
  ParseResult q = parse_config(c);
  CHECK(q.ok);
  CHECK(lines(q.warnings) == Lines{"language.translations.ru.categories.ads.title: unknown text key, ignored"});
  // Empty translations: the built-in languages remain.
  c["language"]["translations"] = json::object();
  c["language"]["default"] = "kk";
  ParseResult r = parse_config(c);
  CHECK(r.ok);
  CHECK(r.config.languages() == Lines{"kk", "ru", "en"});
}

TEST_CASE("config: deeply nested translations are an error, not a stack overflow", "[config][regression]") {
  // Regression: flatten_texts recursed once per level; the wasm stack is 64 KB.
  std::string text = R"({"categories": {"a": {}}, "language": {"default": "en", "translations": {"en": )";
  const int depth = 50000;
  for (int i = 0; i < depth; ++i) text += "{\"k\":";
  text += "\"x\"";
  for (int i = 0; i < depth; ++i) text += "}";
  text += "}}}";
  ParseResult p = parse_config(std::string_view(text));
  CHECK_FALSE(p.ok);
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].message == "nested too deeply");
  CHECK(p.errors[0].path.rfind("language.translations.en.k.k.k", 0) == 0);
}

TEST_CASE("config: several errors come back at once, in document order", "[config]") {
  json c = json::parse(R"({
    "categories": {"necessary": {"required": "true"}, "ads": {"consentMode": ["ad_storage", "ads_storage", "analytics"]}},
    "services": {"hubspot": {"category": "marketing", "cookies": ["a=b"]}},
    "aliases": {"stats": "statistics"},
    "cookie": {"expiresAfterDays": -5},
    "ui": {"layout": "Bar"}
  })");
  ParseResult p = parse_config(c);
  CHECK_FALSE(p.ok);
  CHECK(lines(p.errors) ==
        Lines{
            "categories.necessary.required: expected true or false, got a string",
            "categories.ads.consentMode[1]: unknown consent type \"ads_storage\" (expected one of ad_storage, ad_user_data, "
            "ad_personalization, analytics_storage, functionality_storage, personalization_storage, security_storage)",
            "categories.ads.consentMode[2]: unknown consent type \"analytics\" (expected one of ad_storage, ad_user_data, "
            "ad_personalization, analytics_storage, functionality_storage, personalization_storage, security_storage)",
            "services.hubspot.category: unknown category \"marketing\"",
            "services.hubspot.cookies[0]: invalid cookie name pattern \"a=b\"",
            "aliases.stats: unknown category or service \"statistics\"",
            "cookie.expiresAfterDays: expected an integer from 1 to 3650, got -5",
            "ui.layout: expected one of bar, box, got \"Bar\"",
        });
}

TEST_CASE("config: aliases may name services, and consent types are Google's seven", "[config]") {
  json c = base_config();
  c["services"] = {{"google-analytics", {{"category", "analytics"}}}};
  c["aliases"] = {{"statistics", "analytics"}, {"ga", "google-analytics"}};
  ParseResult p = parse_config(c);
  REQUIRE(p.ok);
  CHECK(p.config.aliases.size() == 2);
  CHECK(p.config.aliases.at("ga") == "google-analytics");
  CHECK(kelisim::consent_mode_types() == Lines{"ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
                                               "functionality_storage", "personalization_storage", "security_storage"});
  for (const auto& t : kelisim::consent_mode_types()) CHECK(parse_with("/categories/analytics/consentMode", json::array({t})).ok);
}

TEST_CASE("config: a default language without built-in texts needs translations", "[config][language]") {
  kelisim::ParseResult p = kelisim::parse_config(std::string_view(R"({"categories":{"a":{}},"language":{"default":"de"}})"));
  CHECK_FALSE(p.ok);
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].path == "language.default");
  CHECK(p.errors[0].message == "no built-in texts for \"de\" (built in: kk, ru, en); add language.translations.de");
  CHECK(kelisim::parse_config(std::string_view(R"({"categories":{"a":{}},"language":{"default":"ru"}})")).ok);
  CHECK(kelisim::parse_config(std::string_view(R"({"categories":{"a":{}},"language":{"default":"de","translations":{"de":{}}}})"))
            .ok);
}
