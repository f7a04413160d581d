#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "kelisim/request.hpp"

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("request: a Cookie header splits into name/value pairs as browsers send it", "[request]") {
  CHECK(kelisim::parse_cookie_header("a=1; b=2;c=3") == Pairs{{"a", "1"}, {"b", "2"}, {"c", "3"}});
  CHECK(kelisim::parse_cookie_header(" a = 1 ;;  ; flag") == Pairs{{"a ", " 1"}, {"", "flag"}});
  CHECK(kelisim::parse_cookie_header("v=x=y") == Pairs{{"v", "x=y"}});
  CHECK(kelisim::parse_cookie_header("").empty());
  std::string many;
  for (int i = 0; i < 1500; ++i) many += "c" + std::to_string(i) + "=1; ";
  CHECK(kelisim::parse_cookie_header(many).size() == 1000);  // bounded
}

TEST_CASE("request: times are ISO 8601 in UTC, clamped to four-digit years", "[request]") {
  CHECK(kelisim::iso_time(0) == "1970-01-01T00:00:00Z");
  CHECK(kelisim::iso_time(1767225600) == "2026-01-01T00:00:00Z");
  CHECK(kelisim::iso_time(951782400) == "2000-02-29T00:00:00Z");
  CHECK(kelisim::iso_time(-1) == "1969-12-31T23:59:59Z");
  CHECK(kelisim::iso_time(253402300799) == "9999-12-31T23:59:59Z");
}

TEST_CASE("request: a receipt's URL keeps no query or fragment", "[request]") {
  CHECK(kelisim::receipt_url("https://kz.example/kk/tracking?parcel=123#x") == "https://kz.example/kk/tracking");
  CHECK(kelisim::receipt_url("/p#a?b") == "/p");
}

TEST_CASE("request: fields of the wrong type become errors naming the field", "[request]") {
  kelisim::Request r;
  REQUIRE(r.parse(R"({"cookieHeader": 5, "gpc": "yes", "now": -1, "present": {"localStorage": [1]}})"));
  CHECK(r.str("cookieHeader").empty());
  CHECK_FALSE(r.boolean("gpc"));
  CHECK(r.now() == 0);
  CHECK(r.strings(r.body["present"], "localStorage", "present.localStorage").empty());
  std::vector<std::string> paths;
  for (const auto& e : r.errors) paths.push_back(e.path);
  CHECK(paths == std::vector<std::string>{"cookieHeader", "gpc", "now", "present.localStorage"});
  kelisim::Request bad;
  CHECK_FALSE(bad.parse("[1]"));
}
