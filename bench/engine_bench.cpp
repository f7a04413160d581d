// Native engine benchmark (make bench): what a returning visitor's page start
// costs the engine, without the browser. One iteration parses a 40-service
// configuration, decodes the stored consent cookie and decides every service
// and category — api_start + api_query, the calls the shim makes on a page
// load. Two configuration texts that differ only in trailing whitespace
// alternate, so the engine's one-entry configuration cache never hits and
// every iteration really parses. Prints a summary and, given a path, writes
// the figures as JSON for bench/run.mjs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kelisim/api.hpp"

namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr int kServices = 40;
constexpr int kWarmup = 300;
constexpr int kIterations = 3000;
constexpr double kNowMs = 1767225600000.0;  // 2026-01-01, fixed so runs compare

const char* const kCategories[] = {"preferences", "analytics", "marketing", "embedded"};

/// A realistic large site: 40 services spread over four optional categories,
/// each with cookie globs and host names, plus two languages of texts.
json make_config() {
  json cfg = {
      {"revision", 2},
      {"policyUrl", "/privacy"},
      {"contact", "privacy@example.test"},
      {"cookie", {{"name", "kelisim"}, {"domain", ""}, {"path", "/"}, {"expiresAfterDays", 365}}},
      {"categories",
       {{"necessary", {{"required", true}}},
        {"preferences", {{"consentMode", {"functionality_storage", "personalization_storage"}}}},
        {"analytics", {{"consentMode", {"analytics_storage"}}}},
        {"marketing", {{"consentMode", {"ad_storage", "ad_user_data", "ad_personalization"}}, {"gpc", "deny"}}},
        {"embedded", json::object()}}},
      {"aliases", {{"statistics", "analytics"}}},
      {"services", json::object()},
      {"consentMode", {{"enabled", true}, {"waitForUpdate", 500}}},
      {"language",
       {{"default", "en"}, {"autoDetect", "document"}, {"translations", {{"en", json::object()}, {"ru", json::object()}}}}},
  };
  for (int i = 0; i < kServices; ++i) {
    std::string name = "service-" + std::to_string(i);
    std::string cat = kCategories[i % 4];
    cfg["services"][name] = {
        {"category", cat},
        {"cookies", {"_s" + std::to_string(i), "_s" + std::to_string(i) + "_*"}},
        {"storage", {"s" + std::to_string(i) + "-*"}},
        {"hosts", {"cdn" + std::to_string(i) + ".example.test", "*.tracker" + std::to_string(i) + ".test"}},
    };
    cfg["language"]["translations"]["en"]["services." + name + ".title"] = "Service " + std::to_string(i);
  }
  return cfg;
}

struct Stats {
  double p25, median, p75;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[size_t(q * double(v.size() - 1) + 0.5)]; };
  return {at(0.25), at(0.5), at(0.75)};
}

/// Times `fn(i)` kIterations times after a warm-up; microseconds per call.
template <class Fn>
Stats time_it(Fn fn) {
  for (int i = 0; i < kWarmup; ++i) fn(i);
  std::vector<double> us;
  us.reserve(kIterations);
  for (int i = 0; i < kIterations; ++i) {
    auto t0 = Clock::now();
    fn(i);
    auto t1 = Clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  return stats(std::move(us));
}

bool ok(const std::string& answer) {
  json j = json::parse(answer, nullptr, false);
  return !j.is_discarded() && j.value("ok", false);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string config_a = make_config().dump();
  const std::string config_b = config_a + " ";  // same configuration, different text: defeats the cache
  const std::string configs[2] = {config_a, config_b};

  // A stored "accept all" decision, made by the engine itself.
  json decide_req = {{"cookieHeader", ""},
                     {"now", kNowMs},
                     {"gpc", false},
                     {"random", "0123456789abcdef0123456789abcdef"},
                     {"choice", {{"method", "accept-all"}}},
                     {"present", {{"localStorage", json::array()}, {"sessionStorage", json::array()}}},
                     {"language", "en"},
                     {"url", "https://example.test/"}};
  json decided = json::parse(kelisim::api_decide(config_a, decide_req.dump()), nullptr, false);
  if (decided.is_discarded() || !decided.value("ok", false)) {
    std::fprintf(stderr, "engine_bench: api_decide failed: %s\n", decided.dump().c_str());
    return 1;
  }
  const std::string cookie_header = "_other=1; kelisim=" + decided["cookie"]["value"].get<std::string>() + "; _s3=x";

  json names = json::array();
  for (const char* c : kCategories) names.push_back(c);
  for (int i = 0; i < kServices; ++i) names.push_back("service-" + std::to_string(i));
  const json start = {{"cookieHeader", cookie_header},
                      {"now", kNowMs},
                      {"gpc", false},
                      {"documentLanguage", "en"},
                      {"browserLanguages", {"en-US", "en"}}};
  const std::string start_req = start.dump();
  const std::string query_req = json{{"cookieHeader", cookie_header}, {"now", kNowMs}, {"names", names}}.dump();

  // Sanity: the stored decision must read back as decided, every service allowed.
  {
    json s = json::parse(kelisim::api_start(config_b, start_req), nullptr, false);
    json q = json::parse(kelisim::api_query(config_b, query_req), nullptr, false);
    bool all = q.value("ok", false) && q["names"].size() == names.size() &&
               std::all_of(q["names"].begin(), q["names"].end(), [](const json& b) { return b == true; });
    if (!s.value("ok", false) || !s["ask"].is_null() || !all) {
      std::fprintf(stderr, "engine_bench: the stored decision did not read back as accept-all\n");
      return 1;
    }
  }

  size_t sink = 0;  // keeps the answers observable so nothing is optimised away
  Stats page_start = time_it([&](int i) {
    const std::string& cfg = configs[i & 1];
    sink += kelisim::api_start(cfg, start_req).size();
    sink += kelisim::api_query(cfg, query_req).size();
  });
  Stats parse_only = time_it([&](int i) { sink += kelisim::api_validate(configs[i & 1]).size(); });
  Stats start_cached = time_it([&](int) { sink += kelisim::api_start(config_a, start_req).size(); });
  // The banner's texts as the shim asks for them: with the built-in table of
  // the language (kelisim-texts-en.json, made here from its source).
  json source = json::parse(std::ifstream(KELISIM_TEXTS_SOURCE), nullptr, false);
  json table_texts = json::object();
  if (source.is_object())
    for (const auto& kv : source.items()) table_texts[kv.key()] = kv.value()["en"];
  const std::string texts_req = json{{"documentLanguage", "en"},
                                     {"browserLanguages", {"en-US", "en"}},
                                     {"builtinTexts", json{{"language", "en"}, {"texts", table_texts}}.dump()}}
                                    .dump();
  if (json::parse(kelisim::api_texts(config_a, texts_req), nullptr, false).contains("needTexts")) {
    std::fprintf(stderr, "engine_bench: the built-in table was not accepted\n");
    return 1;
  }
  Stats texts_cached = time_it([&](int) { sink += kelisim::api_texts(config_a, texts_req).size(); });
  Stats query_cached = time_it([&](int) { sink += kelisim::api_query(config_a, query_req).size(); });
  Stats decide_cached = time_it([&](int) { sink += kelisim::api_decide(config_a, decide_req.dump()).size(); });
  if (!ok(kelisim::api_query(config_a, query_req))) return 1;

  const double target_us = 200.0;
  std::printf("engine (native, %d services, %d iterations, median [p25-p75]):\n", kServices, kIterations);
  std::printf("  parse + decode + decide all (api_start + api_query): %.1f us [%.1f-%.1f]  target <= %.0f us: %s\n",
              page_start.median, page_start.p25, page_start.p75, target_us, page_start.median <= target_us ? "met" : "MISSED");
  std::printf("  parse + validate only (api_validate):                 %.1f us [%.1f-%.1f]\n", parse_only.median, parse_only.p25,
              parse_only.p75);
  std::printf("  page start, config cached (api_start):               %.1f us [%.1f-%.1f]\n", start_cached.median,
              start_cached.p25, start_cached.p75);
  std::printf("  banner texts, config cached (api_texts):              %.1f us [%.1f-%.1f]\n", texts_cached.median,
              texts_cached.p25, texts_cached.p75);
  std::printf("  decode + decide all, config cached (api_query):       %.1f us [%.1f-%.1f]\n", query_cached.median,
              query_cached.p25, query_cached.p75);
  std::printf("  accept-all decision, config cached (api_decide):      %.1f us [%.1f-%.1f]\n", decide_cached.median,
              decide_cached.p25, decide_cached.p75);
  std::printf("  (config %zu bytes; checksum %zu)\n", config_a.size(), sink % 1000);

  if (argc > 1) {
    auto row = [](const Stats& s) { return json{{"p25", s.p25}, {"median", s.median}, {"p75", s.p75}}; };
    json out = {{"services", kServices},
                {"iterations", kIterations},
                {"configBytes", config_a.size()},
                {"targetUs", target_us},
                {"pageStartUs", row(page_start)},
                {"parseOnlyUs", row(parse_only)},
                {"startCachedUs", row(start_cached)},
                {"textsCachedUs", row(texts_cached)},
                {"queryCachedUs", row(query_cached)},
                {"decideCachedUs", row(decide_cached)}};
    std::ofstream(argv[1]) << out.dump(2) << "\n";
  }
  return 0;
}
