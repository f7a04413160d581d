#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kelisim/json.hpp"

using kelisim::Json;

namespace {

using ordered = nlohmann::ordered_json;

/// What nlohmann's dump wrote for a string before (invalid UTF-8 replaced).
std::string nlohmann_text(const std::string& s) { return ordered(s).dump(-1, ' ', false, ordered::error_handler_t::replace); }

/// A string literal with the NUL bytes it holds.
template <size_t N>
std::string bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}

std::string written(const std::string& s) { return kelisim::write_json(Json(s)); }

/// The text parsed and written again, or "rejected".
std::string round_trip(const std::string& text) {
  Json v;
  return kelisim::parse_json(text, v) ? kelisim::write_json(v) : "rejected";
}

/// The same through nlohmann's DOM, as the engine read and wrote JSON before.
std::string nlohmann_round_trip(const std::string& text) {
  ordered v = ordered::parse(text, nullptr, false);
  return v.is_discarded() ? "rejected" : v.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

}  // namespace

TEST_CASE("json: strings are escaped as JSON needs and as before", "[json]") {
  CHECK(written("plain") == R"("plain")");
  CHECK(written("say \"hi\" \\ bye") == R"("say \"hi\" \\ bye")");
  CHECK(written("\b\t\n\f\r") == R"("\b\t\n\f\r")");
  CHECK(written(std::string("\x00\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
  CHECK(written("\x7f/</script>") == "\"\x7f/</script>\"");  // DEL and '/' as they are
  CHECK(written("Қазақша, русский, 😀") == "\"Қазақша, русский, 😀\"");
  for (int c = 0; c < 128; ++c) {
    INFO("byte " << c);
    CHECK(written(std::string(1, char(c))) == nlohmann_text(std::string(1, char(c))));
  }
}

TEST_CASE("json: invalid UTF-8 becomes U+FFFD, one per invalid sequence, as nlohmann's replace did", "[json]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(written("a\xFFz") == "\"a" + fffd + "z\"");
  CHECK(written("\xC3") == "\"" + fffd + "\"");                                   // truncated at the end
  CHECK(written("\xE2\x82z") == "\"" + fffd + "z\"");                             // truncated before another character
  CHECK(written("\xC0\x80") == "\"" + fffd + fffd + "\"");                        // overlong: each byte on its own
  CHECK(written("\xED\xA0\x80") == "\"" + fffd + fffd + fffd + "\"");             // a UTF-16 surrogate
  CHECK(written("\xF4\x90\x80\x80") == "\"" + fffd + fffd + fffd + fffd + "\"");  // above U+10FFFF
  CHECK(written("\xF0\x9F\x98") == "\"" + fffd + "\"");
  CHECK(written("\xE2\x82\x22") == "\"" + fffd + "\\\"\"");  // the byte that ended it is read again
  for (const char* s : {"\x80", "\xBF\xBF", "\xC2\x7F", "\xE0\x9F\x80", "\xEF\xBF\xBE", "\xF0\x8F\xBF\xBF", "\xF5\x80",
                        "x\xE1\x80\xE1\x80\x80", "\xDF\xBF\xDF", "ab\xF3\xBF\xBF\xBF\xF3"})
    CHECK(written(s) == nlohmann_text(s));
  // Any bytes: the same text as before, and always JSON that reads back.
  std::mt19937 random(20260101);
  const unsigned char alphabet[] = {0x00, 0x1f, '"',  '\\', 'a',  0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf,
                                    0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff, 0xbd, 0x8f, 0x90};
  for (int round = 0; round < 20000; ++round) {
    std::string s(random() % 12, ' ');
    for (char& c : s) c = char(alphabet[random() % sizeof alphabet]);
    std::string out = written(s);
    INFO("round " << round);
    REQUIRE(out == nlohmann_text(s));
    Json back;
    REQUIRE(kelisim::parse_json(out, back));
  }
}

TEST_CASE("json: objects keep insertion order, a repeated key keeps its place and takes the last value", "[json]") {
  Json o = Json::object();
  o["zeta"] = 1;
  o["alpha"] = true;
  o["mid"] = "x";
  o["alpha"] = nullptr;
  CHECK(kelisim::write_json(o) == R"({"zeta":1,"alpha":null,"mid":"x"})");
  Json more = Json::object();
  more["mid"] = 2;
  more["new"] = Json(std::vector<std::string>{"a", "b"});
  o.update(std::move(more));
  CHECK(kelisim::write_json(o) == R"({"zeta":1,"alpha":null,"mid":2,"new":["a","b"]})");
  CHECK(o.find("mid")->integer() == 2);
  CHECK(o.find("none") == nullptr);
  CHECK(o.contains("zeta"));
  CHECK(Json::array().find("x") == nullptr);
  CHECK(Json("s").find("s") == nullptr);

  const char* text = R"({"b": 1, "a": {"y": [1, 2], "x": {}}, "b": [true, false, null], "c": "", "a": 3})";
  CHECK(round_trip(text) == R"({"b":[true,false,null],"a":3,"c":""})");
  CHECK(round_trip(text) == nlohmann_round_trip(text));
  CHECK(kelisim::write_json(Json::object()) == "{}");
  CHECK(kelisim::write_json(Json::array()) == "[]");
  CHECK(kelisim::write_json(Json()) == "null");
}

TEST_CASE("json: integers stay integers, large ones and fractions read as before", "[json]") {
  for (const char* t : {"0", "-0", "42", "-42", "2147483648", "9223372036854775807", "-9223372036854775808"}) {
    INFO(t);
    CHECK(round_trip(t) == nlohmann_round_trip(t));
  }
  Json v;
  REQUIRE(kelisim::parse_json("9223372036854775807", v));
  CHECK((v.is_integer() && v.integer() == INT64_MAX));
  REQUIRE(kelisim::parse_json("-9223372036854775808", v));
  CHECK((v.is_integer() && v.integer() == INT64_MIN));
  // Above INT64_MAX up to UINT64_MAX: INT64_MAX (what the configuration's range checks read before).
  for (const char* t : {"9223372036854775808", "18446744073709551615"}) {
    REQUIRE(kelisim::parse_json(t, v));
    CHECK((v.is_integer() && v.integer() == INT64_MAX));
  }
  // Beyond 64 bits, or with a fraction or an exponent: a number, not an integer.
  for (const char* t : {"18446744073709551616", "-9223372036854775809", "1.5", "1e3", "-0.0", "1e-400"}) {
    INFO(t);
    REQUIRE(kelisim::parse_json(t, v));
    CHECK(v.is_number());
    CHECK_FALSE(v.is_integer());
  }
  REQUIRE(kelisim::parse_json("1767225600000.5", v));
  CHECK(v.number() == 1767225600000.5);
  REQUIRE(kelisim::parse_json("1767225600000", v));
  CHECK(v.number() == 1767225600000.0);
  CHECK(kelisim::write_json(Json::number(0.5)) == "null");  // no answer holds one: not written as a number
  // What cannot be a finite double is not JSON the engine reads, as before.
  for (const char* t : {"1e400", "-1e400", "NaN", "nan", "Infinity", "-Infinity", "0x10", "+1", "01", "1.", ".5", "1e"}) {
    INFO(t);
    CHECK(round_trip(t) == "rejected");
    CHECK(nlohmann_round_trip(t) == "rejected");
  }
  CHECK(kelisim::write_json(Json(int64_t(-7))) == "-7");
  CHECK(kelisim::write_json(Json(uint32_t(4000000000u))) == "4000000000");
}

TEST_CASE("json: what nlohmann's parser rejects is rejected, the rest reads back the same", "[json]") {
  for (const char* t : {"",
                        " ",
                        "{",
                        "}",
                        "[1,]",
                        "{\"a\":1,}",
                        "{'a':1}",
                        "{\"a\" 1}",
                        "[1 2]",
                        "1 2",
                        "nul",
                        "tru",
                        "\"abc",
                        "\"\\x\"",
                        "\"\\ud800\"",
                        "\"\\udc00\\ud800\"",
                        "\"\\ud83d\\ude00\"",
                        "\"\t\"",
                        "\"\x01\"",
                        "\"\xFF\"",
                        "\"\xC3\xA9\"",
                        "// c\n1",
                        "/* c */ 1",
                        "\xEF\xBB\xBF{}",
                        "  {\"a\" : [ 1 , { } ] }  ",
                        "[[[]]]",
                        "{\"\":\"\"}",
                        "[\"\\u0000\", \"\\/\"]",
                        "true",
                        "false",
                        "null",
                        "[true,false,null,1,-1,\"s\"]",
                        "{\"a\":{\"b\":{\"c\":[{}]}}}",
                        "\"a\\\"b\""}) {
    INFO(t);
    CHECK(round_trip(t) == nlohmann_round_trip(t));
  }
  // nlohmann's lexer reads a NUL byte as the end of the text (a string may not hold one raw).
  for (const std::string& t : {bytes("1\0x"), bytes("{\"a\":[1]}\0{"), bytes("\0"), bytes("[1\0]"), bytes("\"a\0\""),
                               bytes("tr\0ue"), bytes(" \0 "), bytes("-\0"), bytes("\"\\u0000\"")}) {
    INFO(t);
    CHECK(round_trip(t) == nlohmann_round_trip(t));
  }
  CHECK(round_trip(bytes("[true]\0garbage")) == "[true]");
  CHECK(round_trip(bytes("\"\\u0000\"")) == R"("\u0000")");
  // Random token soups: the same verdict, and the same text when accepted.
  std::mt19937 random(42);
  const char* tokens[] = {"{", "}", "[", "]", ",", ":", "\"k\"", "\"\\u00e9\"", "1", "-2", "true", "null", " ", "\"a\"", "0"};
  for (int round = 0; round < 20000; ++round) {
    std::string t;
    for (int n = int(random() % 10); n > 0; --n) t += tokens[random() % (sizeof tokens / sizeof *tokens)];
    INFO(t);
    REQUIRE(round_trip(t) == nlohmann_round_trip(t));
  }
  Json v = Json::object();
  v["stays"] = 1;
  CHECK_FALSE(kelisim::parse_json("[1,", v));
  CHECK(v.is_null());  // a text that is not JSON leaves no partial value
}

TEST_CASE("json: deep nesting parses and is destroyed without deep recursion", "[json]") {
  const size_t depth = 100000;
  Json v;
  REQUIRE(kelisim::parse_json(std::string(depth, '[') + std::string(depth, ']'), v));
  size_t levels = 0;
  for (const Json* p = &v; p->is_array() && !p->empty(); p = &p->items()[0].value) ++levels;
  CHECK(levels == depth - 1);
  v = Json();  // the whole chain goes without a stack overflow
  std::string objects;
  for (size_t i = 0; i < depth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth, '}');
  REQUIRE(kelisim::parse_json(objects, v));
  CHECK_FALSE(kelisim::parse_json(std::string(depth, '['), v));
  CHECK_FALSE(kelisim::parse_json(std::string(depth, '[') + std::string(depth - 1, ']'), v));
}
