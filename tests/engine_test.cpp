#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kelisim/engine.hpp"
#include "support.hpp"

using namespace kelisim;
using kelisim_test::json;
using kelisim_test::parse_config;
using Names = std::vector<std::string>;

namespace {

constexpr int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z
constexpr int64_t kDay = 86400;

std::array<uint8_t, 16> id_of(uint8_t seed) {
  std::array<uint8_t, 16> id{};
  for (size_t i = 0; i < id.size(); ++i) id[i] = uint8_t(seed + i);
  return id;
}

Choice preset(Method preset, Method method = Method::none) {
  Choice c;
  c.preset = preset;
  c.method = method == Method::none ? preset : method;
  return c;
}

Choice exactly(Names categories, Names services = {}, Method method = Method::custom) {
  Choice c;
  c.method = method;
  c.preset = Method::custom;
  c.categories = std::move(categories);
  c.services = std::move(services);
  return c;
}

/// The cookie value a first decision gives.
std::string value_after(const Config& cfg, const Choice& choice, bool gpc = false, int64_t now = kNow) {
  return decide(cfg, evaluate(cfg, "", now), choice, gpc, now, id_of(1)).cookie_value;
}

/// The state a page sees right after a first decision.
Status after(const Config& cfg, const Choice& choice, bool gpc = false) {
  Status st = evaluate(cfg, value_after(cfg, choice, gpc), kNow);
  REQUIRE(st.decided);
  return st;
}

const Names kAllCategories = {"necessary", "preferences", "analytics", "marketing", "embedded"};
const Names kAllServices = {"session", "site-language", "google-analytics", "google-tag-manager",
                            "hubspot", "facebook",      "youtube",          "recaptcha"};

Config with(const std::string& json_patch) {
  json c = kelisim_test::fixture_json("config-demo.json");
  c.merge_patch(json::parse(json_patch));
  ParseResult p = parse_config(c);
  INFO((p.errors.empty() ? std::string() : p.errors[0].path + ": " + p.errors[0].message));
  REQUIRE(p.ok);
  return p.config;
}

std::vector<std::string> granted(const Config& cfg, const Status& st) {
  Names out;
  for (const auto& kv : consent_mode_state(cfg, st))
    if (kv.second) out.push_back(kv.first);
  return out;
}

}  // namespace

TEST_CASE("engine: before any decision only required things are allowed", "[engine]") {
  Config cfg = kelisim_test::demo_config();
  Status st = evaluate(cfg, "", kNow);
  CHECK_FALSE(st.decided);
  CHECK(st.ask == AskReason::first_visit);
  CHECK(std::string(ask_reason_name(st.ask)) == "first-visit");
  CHECK(st.invalid_reason.empty());
  CHECK_FALSE(st.readable);
  CHECK(allowed_categories(cfg, st) == Names{"necessary"});
  CHECK(allowed_services(cfg, st) == Names{"session"});
  CHECK(is_allowed(cfg, st, "necessary"));
  CHECK(is_allowed(cfg, st, "session"));
  for (const auto& n :
       {"preferences", "analytics", "marketing", "embedded", "statistics", "google-analytics", "youtube", "youtube-video"}) {
    INFO(n);
    CHECK_FALSE(is_allowed(cfg, st, n));
  }
}

TEST_CASE("engine: garbage in the cookie is 'not decided' with a reason", "[engine]") {
  Config cfg = kelisim_test::demo_config();
  Status st = evaluate(cfg, "1.garbage!", kNow);
  CHECK_FALSE(st.decided);
  CHECK_FALSE(st.readable);
  CHECK(st.ask == AskReason::first_visit);
  CHECK(st.invalid_reason == "bad-encoding");
  CHECK(allowed_categories(cfg, st) == Names{"necessary"});
}

TEST_CASE("engine: accept all", "[engine][decide]") {
  Config cfg = kelisim_test::demo_config();
  DecideResult d = decide(cfg, evaluate(cfg, "", kNow), preset(Method::accept_all), false, kNow, id_of(0x10));
  CHECK(d.unknown.empty());
  CHECK(d.record.method == Method::accept_all);
  CHECK(d.record.revision == 3);
  CHECK(d.record.sequence == 1);
  CHECK(d.record.created == kNow);
  CHECK(d.record.updated == kNow);
  CHECK(d.record.id == id_of(0x10));
  CHECK(d.record.answers.size() == kAllCategories.size() + kAllServices.size());
  Status st = evaluate(cfg, d.cookie_value, kNow);
  REQUIRE(st.decided);
  CHECK(st.ask == AskReason::none);
  CHECK(st.new_items.empty());
  CHECK(allowed_categories(cfg, st) == kAllCategories);
  CHECK(allowed_services(cfg, st) == kAllServices);
  CHECK(is_allowed(cfg, st, "statistics"));
  CHECK(is_allowed(cfg, st, "youtube-video"));
}

TEST_CASE("engine: reject all keeps only what is required, whatever else the choice lists", "[engine][decide]") {
  Config cfg = kelisim_test::demo_config();
  Choice c = preset(Method::reject_all);
  c.categories = {"analytics"};
  c.services = {"youtube"};
  Status st = after(cfg, c);
  CHECK(st.record.method == Method::reject_all);
  CHECK(allowed_categories(cfg, st) == Names{"necessary"});
  CHECK(allowed_services(cfg, st) == Names{"session"});
}

TEST_CASE("engine: a custom choice is exact, services follow their category unless chosen", "[engine][decide]") {
  Config cfg = kelisim_test::demo_config();
  Status st = after(cfg, exactly({"analytics"}, {"youtube"}));
  CHECK(st.record.method == Method::custom);
  CHECK(allowed_categories(cfg, st) == Names{"necessary", "analytics"});
  CHECK(allowed_services(cfg, st) == Names{"session", "google-analytics", "google-tag-manager", "youtube"});
  CHECK_FALSE(is_allowed(cfg, st, "embedded"));
  CHECK_FALSE(is_allowed(cfg, st, "facebook"));
  CHECK(is_allowed(cfg, st, "youtube-video"));
  // Nothing chosen: only what is required.
  Status none = after(cfg, exactly({}));
  CHECK(allowed_categories(cfg, none) == Names{"necessary"});
  CHECK(allowed_services(cfg, none) == Names{"session"});
  // Required categories cannot be switched off by leaving them out.
  CHECK(is_allowed(cfg, none, "necessary"));
}

TEST_CASE("engine: names in a choice resolve through aliases and across lists", "[engine][decide]") {
  Config cfg = kelisim_test::demo_config();
  Status st = after(cfg, exactly({"statistics", "hubspot"}, {"youtube-video", "embedded"}));
  CHECK(allowed_categories(cfg, st) == Names{"necessary", "analytics", "embedded"});
  CHECK(allowed_services(cfg, st) ==
        Names{"session", "google-analytics", "google-tag-manager", "hubspot", "facebook", "youtube", "recaptcha"});
  CHECK_FALSE(is_allowed(cfg, st, "marketing"));
}

TEST_CASE("engine: unknown names are never allowed and are reported", "[engine][decide]") {
  Config cfg = kelisim_test::demo_config();
  DecideResult d =
      decide(cfg, evaluate(cfg, "", kNow), exactly({"analytics", "tiktok", ""}, {"Analytics", "vimeo"}), false, kNow, id_of(2));
  CHECK(d.unknown == Names{"tiktok", "", "Analytics", "vimeo"});
  Status st = evaluate(cfg, d.cookie_value, kNow);
  Status all = after(cfg, preset(Method::accept_all));
  for (const char* n : {"tiktok", "", "Analytics", "vimeo", "!analytics", "analytics ", "kelisim", "_ga"}) {
    INFO(n);
    CHECK_FALSE(is_allowed(cfg, st, n));
    CHECK_FALSE(is_allowed(cfg, all, n));
  }
}

TEST_CASE("engine: the method is stored as given, API decisions say 'api'", "[engine][decide]") {
  Config cfg = kelisim_test::demo_config();
  Status st = after(cfg, preset(Method::accept_all, Method::api));
  CHECK(st.record.method == Method::api);
  CHECK(allowed_categories(cfg, st) == kAllCategories);
  Status rj = after(cfg, preset(Method::reject_all, Method::api));
  CHECK(rj.record.method == Method::api);
  CHECK(allowed_categories(cfg, rj) == Names{"necessary"});
  Status ex = after(cfg, exactly({"marketing"}, {}, Method::api));
  CHECK(ex.record.method == Method::api);
  CHECK(allowed_categories(cfg, ex) == Names{"necessary", "marketing"});
}

TEST_CASE("engine: Global Privacy Control", "[engine][gpc]") {
  Config cfg = kelisim_test::demo_config();
  SECTION("gpc deny categories stay denied after accept all") {
    Status st = after(cfg, preset(Method::accept_all), true);
    CHECK(allowed_categories(cfg, st) == Names{"necessary", "preferences", "analytics", "embedded"});
    CHECK_FALSE(is_allowed(cfg, st, "hubspot"));
    CHECK(is_allowed(cfg, st, "google-analytics"));
    CHECK(granted(cfg, st) == Names{"analytics_storage", "functionality_storage", "personalization_storage", "security_storage"});
  }
  SECTION("also when accept all comes through the API") {
    Status st = after(cfg, preset(Method::accept_all, Method::api), true);
    CHECK_FALSE(is_allowed(cfg, st, "marketing"));
  }
  SECTION("an explicit custom choice turns them on") {
    Status st = after(cfg, exactly({"marketing"}), true);
    CHECK(is_allowed(cfg, st, "marketing"));
    CHECK(is_allowed(cfg, st, "hubspot"));
    CHECK(granted(cfg, st) == Names{"ad_storage", "ad_user_data", "ad_personalization", "security_storage"});
  }
  SECTION("without the signal accept all means all") {
    Status st = after(cfg, preset(Method::accept_all), false);
    CHECK(is_allowed(cfg, st, "marketing"));
  }
  SECTION("a category without gpc deny is unaffected") {
    Config c2 = with(R"({"categories": {"marketing": {"gpc": "allow"}}})");
    Status st = after(c2, preset(Method::accept_all), true);
    CHECK(is_allowed(c2, st, "marketing"));
  }
}

TEST_CASE("engine: gates", "[engine][gates]") {
  Config cfg = kelisim_test::demo_config();
  Status none = evaluate(cfg, "", kNow);
  Status all = after(cfg, preset(Method::accept_all));
  Status rej = after(cfg, preset(Method::reject_all));
  Status ana = after(cfg, exactly({"analytics"}));
  auto gate = [](std::string cat, std::string svc = "", std::string cc = "") {
    return Gate{std::move(cat), std::move(svc), std::move(cc)};
  };

  SECTION("category") {
    CHECK_FALSE(gate_open(cfg, none, gate("analytics")));
    CHECK(gate_open(cfg, ana, gate("analytics")));
    CHECK_FALSE(gate_open(cfg, rej, gate("analytics")));
    CHECK(gate_open(cfg, none, gate("necessary")));
    CHECK(gate_open(cfg, ana, gate("statistics")));
  }
  SECTION("several categories must all be allowed") {
    CHECK_FALSE(gate_open(cfg, ana, gate("analytics marketing")));
    CHECK_FALSE(gate_open(cfg, ana, gate("analytics,marketing")));
    CHECK(gate_open(cfg, all, gate("analytics, marketing")));
  }
  SECTION("service, with or without a category") {
    Status yt = after(cfg, exactly({}, {"youtube"}));
    CHECK(gate_open(cfg, yt, gate("", "youtube")));
    CHECK(gate_open(cfg, yt, gate("embedded", "youtube")));
    CHECK_FALSE(gate_open(cfg, yt, gate("", "facebook")));
    CHECK_FALSE(gate_open(cfg, yt, gate("embedded")));
    CHECK_FALSE(gate_open(cfg, none, gate("embedded", "youtube")));
    CHECK(gate_open(cfg, yt, gate("", "youtube-video")));
  }
  SECTION("!category: only after a decision in which it is not allowed") {
    CHECK_FALSE(gate_open(cfg, none, gate("!analytics")));
    CHECK(gate_open(cfg, rej, gate("!analytics")));
    CHECK_FALSE(gate_open(cfg, ana, gate("!analytics")));
    CHECK(gate_open(cfg, ana, gate("!marketing")));
    CHECK_FALSE(gate_open(cfg, all, gate("!statistics")));
    CHECK(gate_open(cfg, rej, gate("!statistics")));
    // A garbled cookie is no decision: the fallback waits too.
    CHECK_FALSE(gate_open(cfg, evaluate(cfg, "1.xx", kNow), gate("!analytics")));
  }
  SECTION("data-cookieconsent needs every listed name") {
    Status st = after(cfg, exactly({"analytics", "preferences"}));
    CHECK(gate_open(cfg, st, gate("", "", "statistics")));
    CHECK(gate_open(cfg, st, gate("", "", "preferences, statistics")));
    CHECK_FALSE(gate_open(cfg, st, gate("", "", "statistics, marketing")));
    CHECK(gate_open(cfg, all, gate("", "", "statistics, marketing")));
    CHECK(gate_open(cfg, all, gate("", "", " statistics,\tmarketing\n")));
    CHECK_FALSE(gate_open(cfg, all, gate("", "", "statistics, tiktok")));
    CHECK_FALSE(gate_open(cfg, none, gate("", "", "statistics")));
    CHECK(gate_open(cfg, none, gate("", "", "necessary")));
    // Combined with data-category, both must hold.
    CHECK_FALSE(gate_open(cfg, st, gate("marketing", "", "statistics")));
    CHECK_FALSE(gate_open(cfg, st, gate("analytics", "", "marketing")));
    CHECK(gate_open(cfg, st, gate("analytics", "", "preferences")));
  }
  SECTION("a gate with nothing usable stays closed") {
    CHECK_FALSE(gate_open(cfg, all, gate("")));
    CHECK_FALSE(gate_open(cfg, all, gate("", "", " , ,")));
    CHECK_FALSE(gate_open(cfg, all, gate("", "", ",")));
    CHECK_FALSE(gate_open(cfg, all, gate("tiktok")));
    CHECK_FALSE(gate_open(cfg, all, gate("", "tiktok")));
  }
}

TEST_CASE("engine: ask again when the revision grew", "[engine][ask]") {
  Config old_cfg = with(R"({"revision": 2})");
  Config cfg = kelisim_test::demo_config();
  std::string v = value_after(old_cfg, preset(Method::accept_all));
  REQUIRE(evaluate(old_cfg, v, kNow).decided);
  Status st = evaluate(cfg, v, kNow + 10);
  CHECK_FALSE(st.decided);
  CHECK(st.ask == AskReason::revision);
  CHECK(std::string(ask_reason_name(st.ask)) == "revision");
  CHECK(st.readable);
  CHECK(st.invalid_reason.empty());
  CHECK(allowed_categories(cfg, st) == Names{"necessary"});
  CHECK(allowed_services(cfg, st) == Names{"session"});
  CHECK_FALSE(gate_open(cfg, st, Gate{"!analytics", "", ""}));
  // A decision from a newer revision than this page knows is not trusted either.
  Status fut = evaluate(old_cfg, value_after(cfg, preset(Method::accept_all)), kNow);
  CHECK_FALSE(fut.decided);
  CHECK(fut.ask == AskReason::revision);
  CHECK(fut.invalid_reason == "future-revision");
  CHECK(allowed_categories(old_cfg, fut) == Names{"necessary"});
}

TEST_CASE("engine: a decision expires after expiresAfterDays", "[engine][ask]") {
  Config cfg = kelisim_test::demo_config();
  std::string v = value_after(cfg, preset(Method::accept_all));
  CHECK(expiry_days(cfg, decode_record(v).record) == 365);
  CHECK(evaluate(cfg, v, kNow + 365 * kDay).decided);
  Status st = evaluate(cfg, v, kNow + 365 * kDay + 1);
  CHECK_FALSE(st.decided);
  CHECK(st.ask == AskReason::expired);
  CHECK(st.readable);
  CHECK(allowed_categories(cfg, st) == Names{"necessary"});
  // A clock behind the decision does not expire it.
  CHECK(evaluate(cfg, v, kNow - 1000).decided);
}

TEST_CASE("engine: rejectedExpiresAfterDays applies when every optional category was rejected", "[engine][ask]") {
  Config cfg = kelisim_test::demo_config();
  std::string rej = value_after(cfg, preset(Method::reject_all));
  CHECK(expiry_days(cfg, decode_record(rej).record) == 182);
  CHECK(evaluate(cfg, rej, kNow + 182 * kDay).decided);
  CHECK(evaluate(cfg, rej, kNow + 182 * kDay + 1).ask == AskReason::expired);
  // Nothing chosen in the dialog is the same as rejecting all.
  CHECK(expiry_days(cfg, decode_record(value_after(cfg, exactly({}))).record) == 182);
  // One optional category or one individually allowed service is not "all rejected".
  CHECK(expiry_days(cfg, decode_record(value_after(cfg, exactly({"preferences"}))).record) == 365);
  std::string one = value_after(cfg, exactly({}, {"youtube"}));
  CHECK(expiry_days(cfg, decode_record(one).record) == 365);
  CHECK(evaluate(cfg, one, kNow + 300 * kDay).decided);
  // GPC-trimmed accept-all still accepted most categories.
  CHECK(expiry_days(cfg, decode_record(value_after(cfg, preset(Method::accept_all), true)).record) == 365);
  Config short_cfg = with(R"({"cookie": {"expiresAfterDays": 30, "rejectedExpiresAfterDays": 7}})");
  std::string s = value_after(short_cfg, preset(Method::reject_all));
  CHECK(evaluate(short_cfg, s, kNow + 7 * kDay).decided);
  CHECK_FALSE(evaluate(short_cfg, s, kNow + 8 * kDay).decided);
}

TEST_CASE("engine: new categories and services are asked about, earlier answers kept", "[engine][ask]") {
  Config cfg = kelisim_test::demo_config();
  std::string v = value_after(cfg, exactly({"analytics", "embedded"}));
  Config grown = with(R"({
    "categories": {"social": {}},
    "services": {
      "tiktok": {"category": "social"},
      "hotjar": {"category": "analytics", "cookies": ["_hj*"], "hosts": ["static.hotjar.com"]},
      "csrf": {"category": "necessary", "cookies": ["csrftoken"]}
    }})");
  Status st = evaluate(grown, v, kNow + kDay);
  CHECK(st.decided);
  CHECK(st.ask == AskReason::new_items);
  CHECK(std::string(ask_reason_name(st.ask)) == "new-items");
  CHECK(st.new_items == Names{"social", "tiktok", "hotjar"});
  // Earlier answers still hold.
  CHECK(is_allowed(grown, st, "analytics"));
  CHECK(is_allowed(grown, st, "google-analytics"));
  CHECK(is_allowed(grown, st, "youtube"));
  CHECK_FALSE(is_allowed(grown, st, "marketing"));
  // The new ones are not allowed, even inside an accepted category...
  CHECK_FALSE(is_allowed(grown, st, "hotjar"));
  CHECK_FALSE(is_allowed(grown, st, "social"));
  CHECK_FALSE(is_allowed(grown, st, "tiktok"));
  CHECK_FALSE(cookie_allowed(grown, st, "_hjSession"));
  CHECK_FALSE(url_allowed(grown, st, "https://static.hotjar.com/c/hotjar.js"));
  // ...except what is required, which never needs asking.
  CHECK(is_allowed(grown, st, "csrf"));
  CHECK(allowed_categories(grown, st) == Names{"necessary", "analytics", "embedded"});
  // Answering again settles it.
  DecideResult d = decide(grown, st, exactly({"analytics", "embedded", "social"}), false, kNow + 2 * kDay, id_of(9));
  Status again = evaluate(grown, d.cookie_value, kNow + 2 * kDay);
  CHECK(again.ask == AskReason::none);
  CHECK(again.new_items.empty());
  CHECK(is_allowed(grown, again, "hotjar"));
  CHECK(is_allowed(grown, again, "tiktok"));
}

TEST_CASE("engine: removed categories and services do not make anyone ask", "[engine][ask]") {
  Config cfg = kelisim_test::demo_config();
  std::string v = value_after(cfg, preset(Method::accept_all));
  Config smaller = with(R"({"categories": {"marketing": null}, "services": {"hubspot": null}})");
  Status st = evaluate(smaller, v, kNow);
  CHECK(st.decided);
  CHECK(st.ask == AskReason::none);
  CHECK_FALSE(is_allowed(smaller, st, "hubspot"));
}

TEST_CASE("engine: a decision keeps the id, creation time and counts the sequence", "[engine][decide]") {
  Config cfg = kelisim_test::demo_config();
  DecideResult first = decide(cfg, evaluate(cfg, "", kNow), preset(Method::accept_all), false, kNow, id_of(0x40));
  DecideResult second =
      decide(cfg, evaluate(cfg, first.cookie_value, kNow + 100), exactly({"analytics"}), false, kNow + 100, id_of(0x80));
  CHECK(second.record.id == id_of(0x40));
  CHECK(second.record.created == kNow);
  CHECK(second.record.updated == kNow + 100);
  CHECK(second.record.sequence == 2);
  // Also across an expired or outdated record.
  Config newer = with(R"({"revision": 4})");
  Status outdated = evaluate(newer, second.cookie_value, kNow + 400 * kDay);
  REQUIRE_FALSE(outdated.decided);
  DecideResult third = decide(newer, outdated, preset(Method::reject_all), false, kNow + 400 * kDay, id_of(0x90));
  CHECK(third.record.id == id_of(0x40));
  CHECK(third.record.sequence == 3);
  CHECK(third.record.revision == 4);
  // Garbage starts over with the fresh id.
  DecideResult fresh = decide(cfg, evaluate(cfg, "1.broken", kNow), preset(Method::accept_all), false, kNow, id_of(0x90));
  CHECK(fresh.record.id == id_of(0x90));
  CHECK(fresh.record.sequence == 1);
  CHECK(fresh.record.created == kNow);
}

TEST_CASE("engine: diff lists what became allowed and not allowed", "[engine]") {
  Config cfg = kelisim_test::demo_config();
  Status none = evaluate(cfg, "", kNow);
  Status all = after(cfg, preset(Method::accept_all));
  Status ana = after(cfg, exactly({"analytics"}, {"youtube"}));
  Changes c1 = diff(cfg, none, all);
  CHECK(c1.accepted == Names{"preferences", "analytics", "marketing", "embedded", "site-language", "google-analytics",
                             "google-tag-manager", "hubspot", "facebook", "youtube", "recaptcha"});
  CHECK(c1.rejected.empty());
  Changes c2 = diff(cfg, all, ana);
  CHECK(c2.accepted.empty());
  CHECK(c2.rejected == Names{"preferences", "marketing", "embedded", "site-language", "hubspot", "facebook", "recaptcha"});
  Changes c3 = diff(cfg, ana, ana);
  CHECK(c3.accepted.empty());
  CHECK(c3.rejected.empty());
}

TEST_CASE("engine: cookies, storage keys and URLs by pattern", "[engine][patterns]") {
  Config cfg = kelisim_test::demo_config();
  Status none = evaluate(cfg, "", kNow);
  Status ana = after(cfg, exactly({"analytics"}));
  Status all = after(cfg, preset(Method::accept_all));
  SECTION("cookies") {
    for (const char* c : {"_ga", "_ga_ABC123", "_gid", "_gat", "_gat_UA-1"}) {
      INFO(c);
      CHECK_FALSE(cookie_allowed(cfg, none, c));
      CHECK(cookie_allowed(cfg, ana, c));
    }
    CHECK_FALSE(cookie_allowed(cfg, ana, "hubspotutk"));
    CHECK(cookie_allowed(cfg, all, "hubspotutk"));
    CHECK(cookie_allowed(cfg, none, "kelisim"));    // the consent cookie itself
    CHECK(cookie_allowed(cfg, none, "PHPSESSID"));  // a required service
    CHECK(cookie_allowed(cfg, none, "unclaimed"));  // nobody claims it
    CHECK_FALSE(cookie_allowed(cfg, none, "YSC"));
    CHECK(cookie_allowed(cfg, none, "_GA"));  // names are case-sensitive
    CHECK(cookie_allowed(cfg, none, "_gax"));
  }
  SECTION("storage keys") {
    CHECK_FALSE(storage_allowed(cfg, none, "yt-remote-device-id"));
    CHECK_FALSE(storage_allowed(cfg, none, "ytidb::LAST_RESULT_ENTRY_KEY"));
    CHECK_FALSE(storage_allowed(cfg, ana, "hs-messages-is-open"));
    CHECK(storage_allowed(cfg, all, "hs-messages-is-open"));
    CHECK(storage_allowed(cfg, none, "cart"));
    CHECK_FALSE(storage_allowed(cfg, none, "preferred-language"));
  }
  SECTION("urls") {
    CHECK_FALSE(url_allowed(cfg, none, "https://www.google-analytics.com/analytics.js"));
    CHECK_FALSE(url_allowed(cfg, none, "https://region1.google-analytics.com/g/collect"));
    CHECK_FALSE(url_allowed(cfg, none, "//www.googletagmanager.com/gtm.js?id=GTM-X"));
    CHECK_FALSE(url_allowed(cfg, none, "HTTPS://WWW.YOUTUBE.COM/embed/x"));
    CHECK_FALSE(url_allowed(cfg, ana, "https://www.youtube-nocookie.com/embed/x"));
    CHECK(url_allowed(cfg, ana, "https://www.google-analytics.com/analytics.js"));
    CHECK(url_allowed(cfg, ana, "https://www.googletagmanager.com/gtag/js"));
    CHECK(url_allowed(cfg, all, "https://js.hs-scripts.com/123.js"));
    CHECK(url_allowed(cfg, none, "/assets/site.js"));
    CHECK(url_allowed(cfg, none, "https://cdn.meest.kz/app.js"));
    CHECK(url_allowed(cfg, none, "data:text/javascript,1"));
    CHECK(url_allowed(cfg, none, ""));
    // The bare domain is not covered by a *. pattern.
    CHECK(url_allowed(cfg, none, "https://google-analytics.com/x.js"));
  }
  SECTION("a host claimed by two services is allowed when either is") {
    Config two = with(R"({"services": {"gtag": {"category": "marketing", "hosts": ["www.googletagmanager.com"]}}})");
    Status a = after(two, exactly({"analytics"}));
    Status m = after(two, exactly({"marketing"}));
    Status n = after(two, exactly({}));
    CHECK(url_allowed(two, a, "https://www.googletagmanager.com/gtm.js"));
    CHECK(url_allowed(two, m, "https://www.googletagmanager.com/gtm.js"));
    CHECK_FALSE(url_allowed(two, n, "https://www.googletagmanager.com/gtm.js"));
  }
}

TEST_CASE("engine: cleanup plans list present names that are no longer allowed, once each", "[engine][patterns]") {
  Config cfg = kelisim_test::demo_config();
  Status rej = after(cfg, preset(Method::reject_all));
  Status ana = after(cfg, exactly({"analytics"}));
  Names present = {"_ga", "_ga_X1", "kelisim", "PHPSESSID", "cart", "hubspotutk", "_ga", "YSC", "_gid"};
  CHECK(cleanup_cookies(cfg, rej, present) == Names{"_ga", "_ga_X1", "hubspotutk", "YSC", "_gid"});
  CHECK(cleanup_cookies(cfg, ana, present) == Names{"hubspotutk", "YSC"});
  CHECK(cleanup_cookies(cfg, rej, {}).empty());
  Names keys = {"yt-remote-device-id", "cart", "hs-messages-hide-welcome-message", "preferred-language", "yt-remote-device-id"};
  CHECK(cleanup_storage(cfg, rej, keys) ==
        Names{"yt-remote-device-id", "hs-messages-hide-welcome-message", "preferred-language"});
  CHECK(cleanup_storage(cfg, after(cfg, preset(Method::accept_all)), keys).empty());
}

TEST_CASE("engine: Consent Mode state", "[engine][consent-mode]") {
  Config cfg = kelisim_test::demo_config();
  auto state = consent_mode_state(cfg, evaluate(cfg, "", kNow));
  REQUIRE(state.size() == 7);
  for (size_t i = 0; i < state.size(); ++i) {
    CHECK(state[i].first == consent_mode_types()[i]);
    CHECK(state[i].second == (state[i].first == "security_storage"));
  }
  CHECK(granted(cfg, after(cfg, preset(Method::accept_all))) == consent_mode_types());
  CHECK(granted(cfg, after(cfg, preset(Method::reject_all))) == Names{"security_storage"});
  CHECK(granted(cfg, after(cfg, exactly({"analytics"}))) == Names{"analytics_storage", "security_storage"});
  CHECK(granted(cfg, after(cfg, exactly({"preferences"}))) ==
        Names{"functionality_storage", "personalization_storage", "security_storage"});
  // A service allowed on its own does not grant its category's types.
  CHECK(granted(cfg, after(cfg, exactly({}, {"google-analytics"}))) == Names{"security_storage"});
  // A required category grants its types from the start.
  Config req = with(R"({"categories": {"necessary": {"consentMode": ["functionality_storage"]}}})");
  CHECK(granted(req, evaluate(req, "", kNow)) == Names{"functionality_storage", "security_storage"});
}

TEST_CASE("engine: rejected expiry looks at categories, not only services", "[engine][ask]") {
  // config-minimal: "analytics" has no services, so only its own answer counts.
  Config cfg = kelisim_test::config_from(kelisim_test::fixture_text("config-minimal.json"));
  CHECK(expiry_days(cfg, decode_record(value_after(cfg, exactly({"analytics"}))).record) == 365);
  CHECK(expiry_days(cfg, decode_record(value_after(cfg, exactly({}))).record) == 182);
}

TEST_CASE("engine: the consent cookie itself is never blocked or deleted", "[engine][patterns]") {
  // A careless catch-all pattern must not make kelisim delete its own decision.
  Config cfg = with(R"({"services": {"tracker": {"category": "marketing", "cookies": ["*"]}}})");
  Status none = evaluate(cfg, "", kNow);
  Status rej = after(cfg, preset(Method::reject_all));
  CHECK(cookie_allowed(cfg, none, "kelisim"));
  CHECK_FALSE(cookie_allowed(cfg, none, "anything"));
  CHECK(cleanup_cookies(cfg, rej, {"kelisim", "_ga", "PHPSESSID"}) == Names{"_ga"});
}

TEST_CASE("engine: an opt-out gate naming an unknown category stays closed after a decision", "[engine][gates]") {
  kelisim::ParseResult p =
      kelisim::parse_config(std::string_view(R"({"categories":{"necessary":{"required":true},"analytics":{}}})"));
  REQUIRE(p.ok);
  std::array<uint8_t, 16> id{};
  kelisim::Status none = kelisim::evaluate(p.config, "", 1000);
  kelisim::Choice reject;
  reject.method = kelisim::Method::reject_all;
  reject.preset = kelisim::Method::reject_all;
  kelisim::DecideResult d = kelisim::decide(p.config, none, reject, false, 1000, id);
  kelisim::Status st = kelisim::evaluate(p.config, d.cookie_value, 1000);
  REQUIRE(st.decided);
  CHECK(kelisim::gate_open(p.config, st, {"!analytics", "", ""}));
  CHECK_FALSE(kelisim::gate_open(p.config, st, {"!analytcs", "", ""}));
  CHECK_FALSE(kelisim::gate_open(p.config, st, {"!", "", ""}));
}

TEST_CASE("engine: GPC turned on after an accept-all withholds gpc:deny categories, an explicit choice keeps them",
          "[engine][gpc]") {
  kelisim::ParseResult p = kelisim::parse_config(std::string_view(R"({
    "categories": {"necessary": {"required": true}, "analytics": {}, "marketing": {"gpc": "deny"}},
    "services": {"ads": {"category": "marketing"}, "stats": {"category": "analytics"}}})"));
  REQUIRE(p.ok);
  std::array<uint8_t, 16> id{};
  kelisim::Status none = kelisim::evaluate(p.config, "", 1000);
  kelisim::Choice all;
  all.method = kelisim::Method::accept_all;
  all.preset = kelisim::Method::accept_all;
  std::string accepted = kelisim::decide(p.config, none, all, false, 1000, id).cookie_value;

  kelisim::Status without = kelisim::evaluate(p.config, accepted, 1000, false);
  CHECK(kelisim::is_allowed(p.config, without, "marketing"));
  CHECK(kelisim::is_allowed(p.config, without, "ads"));

  kelisim::Status with = kelisim::evaluate(p.config, accepted, 1000, true);
  CHECK(with.decided);
  CHECK_FALSE(kelisim::is_allowed(p.config, with, "marketing"));
  CHECK_FALSE(kelisim::is_allowed(p.config, with, "ads"));
  CHECK(kelisim::is_allowed(p.config, with, "analytics"));
  CHECK(kelisim::is_allowed(p.config, with, "stats"));
  CHECK(kelisim::allowed_categories(p.config, with) == std::vector<std::string>{"necessary", "analytics"});

  kelisim::Choice own;
  own.method = kelisim::Method::custom;
  own.preset = kelisim::Method::custom;
  own.categories = {"analytics", "marketing"};
  std::string chosen = kelisim::decide(p.config, none, own, true, 1000, id).cookie_value;
  kelisim::Status explicit_choice = kelisim::evaluate(p.config, chosen, 1000, true);
  CHECK(kelisim::is_allowed(p.config, explicit_choice, "marketing"));
  CHECK(kelisim::is_allowed(p.config, explicit_choice, "ads"));
}
