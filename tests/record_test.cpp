#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <set>
#include <string>

#include "kelisim/engine.hpp"
#include "kelisim/record.hpp"
#include "support.hpp"

using kelisim::Answer;
using kelisim::decode_record;
using kelisim::DecodeResult;
using kelisim::encode_record;
using kelisim::Method;
using kelisim::Record;
using kelisim_test::fixture_json;

namespace {

const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Record sample_record(size_t answers, uint32_t seed) {
  std::mt19937_64 rng(seed);
  Record r;
  r.revision = int64_t(rng() % 2147483648u);
  r.created = int64_t(rng() % (uint64_t(1) << 40));
  r.updated = int64_t(rng() % (uint64_t(1) << 40));
  for (auto& b : r.id) b = uint8_t(rng());
  r.method = static_cast<Method>(1 + rng() % 4);
  r.sequence = uint32_t(rng());
  for (size_t i = 0; i < answers; ++i) r.answers.push_back({uint32_t(rng()), (rng() & 1) != 0});
  return r;
}

void check_same(const Record& a, const Record& b) {
  CHECK(a.revision == b.revision);
  CHECK(a.created == b.created);
  CHECK(a.updated == b.updated);
  CHECK(a.id == b.id);
  CHECK(a.method == b.method);
  CHECK(a.sequence == b.sequence);
  REQUIRE(a.answers.size() == b.answers.size());
  for (size_t i = 0; i < a.answers.size(); ++i) {
    CHECK(a.answers[i].key == b.answers[i].key);
    CHECK(a.answers[i].accepted == b.answers[i].accepted);
  }
}

/// A realistic current record: 2026 timestamps, a site with `services` services.
Record realistic(size_t services) {
  Record r;
  r.revision = 12;
  r.created = 1767225600;
  r.updated = 1798761600;
  for (size_t i = 0; i < r.id.size(); ++i) r.id[i] = uint8_t(0xf0 + i);
  r.method = Method::custom;
  r.sequence = 300;
  for (const char* c : {"necessary", "preferences", "analytics", "marketing", "embedded"})
    r.answers.push_back({kelisim::category_key(c), true});
  for (size_t i = 0; i < services; ++i)
    r.answers.push_back({kelisim::service_key("service-number-" + std::to_string(i)), i % 3 == 0});
  return r;
}

}  // namespace

TEST_CASE("record: method names", "[record]") {
  CHECK(std::string(kelisim::method_name(Method::accept_all)) == "accept-all");
  CHECK(std::string(kelisim::method_name(Method::reject_all)) == "reject-all");
  CHECK(std::string(kelisim::method_name(Method::custom)) == "custom");
  CHECK(std::string(kelisim::method_name(Method::api)) == "api");
  CHECK(kelisim::method_name(Method::none) == nullptr);
  for (Method m : {Method::accept_all, Method::reject_all, Method::custom, Method::api})
    CHECK(kelisim::method_from_name(kelisim::method_name(m)) == m);
  for (const char* bad : {"", "none", "Accept-All", "accept_all", "accept-all ", "save"})
    CHECK(kelisim::method_from_name(bad) == Method::none);
}

TEST_CASE("record: keys depend on the kind and the whole name", "[record]") {
  CHECK(kelisim::category_key("analytics") == kelisim::category_key("analytics"));
  CHECK(kelisim::category_key("analytics") != kelisim::service_key("analytics"));
  CHECK(kelisim::category_key("analytics") != kelisim::category_key("analytic"));
  CHECK(kelisim::category_key("analytics") != kelisim::category_key("Analytics"));
  std::set<uint32_t> keys;
  for (int i = 0; i < 2000; ++i) {
    keys.insert(kelisim::service_key("service-" + std::to_string(i)));
    keys.insert(kelisim::category_key("service-" + std::to_string(i)));
  }
  CHECK(keys.size() == 4000);
}

TEST_CASE("record: id strings and hex ids", "[record]") {
  Record r;
  std::array<uint8_t, 16> id{};
  REQUIRE(kelisim::parse_hex_id("00112233445566778899AABBccddeeff", id));
  r.id = id;
  CHECK(r.id_string() == "00112233-4455-6677-8899-aabbccddeeff");
  CHECK(Record{}.id_string() == "00000000-0000-0000-0000-000000000000");
  std::array<uint8_t, 16> untouched{};
  untouched.fill(7);
  for (const char* bad :
       {"", "0011223344556677889900aabbccddee0", "0011223344556677889900aabbccdde", "0011223344556677889900aabbccddeg",
        "00112233-4455-6677-8899-aabbccddee", " 0112233445566778899aabbccddeeff"}) {
    INFO(bad);
    CHECK_FALSE(kelisim::parse_hex_id(bad, untouched));
  }
}

TEST_CASE("record: find looks answers up by key", "[record]") {
  Record r;
  r.answers = {{1, true}, {2, false}};
  REQUIRE(r.find(1));
  CHECK(r.find(1)->accepted);
  REQUIRE(r.find(2));
  CHECK_FALSE(r.find(2)->accepted);
  CHECK(r.find(3) == nullptr);
}

TEST_CASE("record: round trip over generated records", "[record][codec]") {
  for (size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 30, 35, 64, 100, 511, 512}) {
    for (uint32_t seed = 1; seed <= 6; ++seed) {
      INFO("answers " << n << " seed " << seed);
      Record r = sample_record(n, seed * 7919 + uint32_t(n));
      std::string v = encode_record(r);
      REQUIRE(v.rfind("1.", 0) == 0);
      for (size_t i = 2; i < v.size(); ++i) REQUIRE(kAlphabet.find(v[i]) != std::string::npos);
      DecodeResult d = decode_record(v);
      REQUIRE(d.ok);
      CHECK(d.reason.empty());
      check_same(r, d.record);
      CHECK(encode_record(d.record) == v);  // one canonical value per record
    }
  }
}

TEST_CASE("record: extremes round trip", "[record][codec]") {
  Record r;
  r.revision = 2147483647;
  r.created = (int64_t(1) << 40);
  r.updated = 0;
  r.id.fill(0xff);
  r.method = Method::api;
  r.sequence = 0xffffffffu;
  r.answers = {{0, true}, {0xffffffffu, false}, {0x80808080u, true}};
  DecodeResult d = decode_record(encode_record(r));
  REQUIRE(d.ok);
  check_same(r, d.record);
  // Negative numbers cannot be stored; they encode as 0.
  Record neg;
  neg.revision = -5;
  neg.created = -1;
  neg.updated = -100;
  neg.method = Method::custom;
  DecodeResult n = decode_record(encode_record(neg));
  REQUIRE(n.ok);
  CHECK(n.record.revision == 0);
  CHECK(n.record.created == 0);
  CHECK(n.record.updated == 0);
}

TEST_CASE("record: the value stays small", "[record][codec]") {
  std::string v30 = encode_record(realistic(30));
  CHECK(v30.size() <= 400);
  std::string v0 = encode_record(realistic(0));
  CHECK(v0.size() < 80);
  // Each extra answer costs a 4-byte key and a bit: about 5.5 characters.
  CHECK(encode_record(realistic(31)).size() - v30.size() <= 7);
  // 512 answers, the most a value may hold, still decodes (kMaxEncoded).
  Record big = sample_record(512, 99);
  std::string vb = encode_record(big);
  CHECK(vb.size() <= 3000);
  CHECK(decode_record(vb).ok);
}

TEST_CASE("record: empty, short and oversized values", "[record][codec]") {
  CHECK(decode_record("").reason == "empty");
  CHECK_FALSE(decode_record("").ok);
  CHECK(decode_record("1.").reason == "truncated");
  CHECK(decode_record("1").reason == "unknown-format");
  CHECK(decode_record(std::string(3001, 'A')).reason == "too-long");
  CHECK(decode_record("1." + std::string(2999, 'A')).reason == "too-long");
  // Exactly at the limit the value is read (and fails on its content).
  CHECK(decode_record("1." + std::string(2998, 'A')).reason == "checksum");
  CHECK(decode_record(std::string(1 << 20, 'x')).reason == "too-long");
}

TEST_CASE("record: every truncation of a valid value fails", "[record][codec]") {
  for (size_t services : {0, 8, 30}) {
    std::string v = encode_record(realistic(services));
    REQUIRE(decode_record(v).ok);
    for (size_t len = 0; len < v.size(); ++len) {
      INFO("services " << services << " length " << len);
      DecodeResult d = decode_record(v.substr(0, len));
      CHECK_FALSE(d.ok);
      CHECK(!d.reason.empty());
    }
  }
}

TEST_CASE("record: every changed character is detected", "[record][codec]") {
  std::string v = encode_record(realistic(8));
  size_t checksum_hits = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    for (char c : {'A', 'z', '0', '-', '_', '.', '=', '+', '/', ' '}) {
      if (v[i] == c) continue;
      std::string m = v;
      m[i] = c;
      INFO("position " << i << " -> " << c);
      DecodeResult d = decode_record(m);
      CHECK_FALSE(d.ok);
      if (d.reason == "checksum") ++checksum_hits;
    }
  }
  CHECK(checksum_hits > v.size());  // most in-alphabet changes reach the checksum
}

TEST_CASE("record: formats and versions", "[record][codec]") {
  std::string v = encode_record(realistic(3));
  std::string payload = v.substr(2);
  CHECK(decode_record("2." + payload).reason == "unsupported-version");
  CHECK(decode_record("999." + payload).reason == "unsupported-version");
  CHECK(decode_record("01." + payload).reason == "unsupported-version");
  CHECK(decode_record("1000." + payload).reason == "unknown-format");
  CHECK(decode_record("x." + payload).reason == "unknown-format");
  CHECK(decode_record("." + payload).reason == "unknown-format");
  CHECK(decode_record(payload).reason == "unknown-format");
  CHECK(decode_record("1.." + payload).reason == "bad-encoding");
}

TEST_CASE("record: only canonical base64url is read", "[record][codec]") {
  std::string v = encode_record(realistic(3));
  size_t payload_chars = v.size() - 2;
  INFO("payload " << payload_chars << " chars, remainder " << payload_chars % 4);
  REQUIRE(payload_chars % 4 != 0);  // the last character carries spare bits
  std::string m = v;
  size_t last = kAlphabet.find(m.back());
  m.back() = kAlphabet[last ^ 1];  // set the lowest (spare) bit
  CHECK(decode_record(m).reason == "bad-encoding");
  CHECK(decode_record(v + "=").reason == "bad-encoding");
  std::string std_b64 = v;
  for (auto& c : std_b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  if (std_b64 != v) CHECK(decode_record(std_b64).reason == "bad-encoding");
  // A payload of 4k+1 characters cannot come from whole bytes.
  CHECK(decode_record("1.AAAAA").reason == "bad-encoding");
  CHECK(decode_record("1.AAAA").reason == "truncated");
}

TEST_CASE("record: every garbled-cookies fixture value is rejected with its reason, never decided", "[record][fixtures]") {
  kelisim::Config cfg = kelisim_test::demo_config();
  kelisim_test::json cases = fixture_json("garbled-cookies.json");
  REQUIRE(cases.is_array());
  REQUIRE(cases.size() >= 30);
  std::set<std::string> names;
  for (const auto& c : cases) {
    std::string name = c["name"].get<std::string>();
    std::string value = c["value"].get<std::string>();
    std::string reason = c["reason"].get<std::string>();
    INFO("case: " << name);
    CHECK(names.insert(name).second);
    DecodeResult d = decode_record(value);
    // 2026-01-02: none of these is a current decision for config-demo.
    kelisim::Status st = kelisim::evaluate(cfg, value, 1767312000);
    CHECK_FALSE(st.decided);
    CHECK(st.ask != kelisim::AskReason::none);
    CHECK(kelisim::allowed_categories(cfg, st) == std::vector<std::string>{"necessary"});
    CHECK(kelisim::allowed_services(cfg, st) == std::vector<std::string>{"session"});
    if (d.ok) {
      CHECK(kelisim::ask_reason_name(st.ask) == reason);
    } else {
      CHECK(d.reason == reason);
      CHECK(st.invalid_reason == (value.empty() ? "" : reason));
      CHECK_FALSE(st.readable);
    }
  }
}
