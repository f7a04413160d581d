#include <catch2/catch.hpp>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kelisim/lean_libc.hpp"

namespace {

std::string fmt(const char* format, ...) {
  char buf[128];
  va_list args;
  va_start(args, format);
  int n = kelisim::format_text(buf, sizeof buf, format, args);
  va_end(args);
  REQUIRE(n == int(std::strlen(buf)));
  return buf;
}

double parse(const char* text, size_t* used = nullptr) {
  char* end = nullptr;
  double v = kelisim::parse_decimal(text, &end);
  if (used) *used = size_t(end - text);
  return v;
}

}  // namespace

TEST_CASE("parse_decimal: JSON numbers as strtod reads them", "[lean_libc]") {
  for (const char* t : {"0",
                        "-0",
                        "1",
                        "-1",
                        "0.5",
                        "365",
                        "365.0",
                        "1.25",
                        "3.14159",
                        "1e3",
                        "1E3",
                        "2.5e-3",
                        "-7.75e+2",
                        "1767225600000",
                        "1767225600000.5",
                        "123456789012345678",
                        "0.1",
                        "0.2",
                        "0.3",
                        "1e22",
                        "1e-22",
                        "9007199254740993",
                        "4.35"}) {
    INFO(t);
    size_t used = 0;
    double v = parse(t, &used);
    CHECK(used == std::strlen(t));
    double expected = std::strtod(t, nullptr);
    // Correctly rounded where the digits fit 2^53 and |exponent| <= 22, else within a few ulp.
    CHECK(std::fabs(v - expected) <= std::fabs(expected) * 4e-16);
  }
  CHECK(parse("0.1") == 0.1);
  CHECK(parse("4.35") == 4.35);
  CHECK(parse("1e22") == 1e22);
  CHECK(std::signbit(parse("-0.0")));
  CHECK(std::isinf(parse("1e400")));
  CHECK(std::isinf(parse("-123e999999999")));
  CHECK(parse("1e-400") == 0);
  CHECK(parse("0.000000000000000000000000000000000000000000001e45") == Approx(1.0));
  CHECK(parse(("1" + std::string(30, '0')).c_str()) == Approx(1e30));
}

TEST_CASE("parse_decimal: stops where the number ends, reads nothing from non-numbers", "[lean_libc]") {
  size_t used = 99;
  CHECK(parse("12abc", &used) == 12);
  CHECK(used == 2);
  CHECK(parse("1e", &used) == 1);
  CHECK(used == 1);
  CHECK(parse("1e+", &used) == 1);
  CHECK(used == 1);
  CHECK(parse("x", &used) == 0);
  CHECK(used == 0);
  CHECK(parse("-", &used) == 0);
  CHECK(used == 0);
  CHECK(parse(".5", &used) == 0.5);
  CHECK(used == 2);
}

TEST_CASE("format_text: the conversions nlohmann_json uses, as snprintf writes them", "[lean_libc]") {
  CHECK(fmt("\\u%04x", 0x1fu) == "\\u001f");
  CHECK(fmt("\\u%04x\\u%04x", 0xd83du, 0xde00u) == "\\ud83d\\ude00");
  CHECK(fmt("<U+%.4X>", static_cast<unsigned char>(7)) == "<U+0007>");
  CHECK(fmt("%.2hhX", static_cast<unsigned char>(0xab)) == "AB");
}

TEST_CASE("format_text: integers, strings, flags, width and precision", "[lean_libc]") {
  char native[128];
  auto same = [&](const std::string& got, int n) {
    REQUIRE(n >= 0);
    CHECK(got == std::string(native));
  };
  same(fmt("%d|%i|%u", -42, 17, 4000000000u), std::snprintf(native, sizeof native, "%d|%i|%u", -42, 17, 4000000000u));
  same(fmt("%lld|%llu", -9000000000000LL, 18000000000000000000ULL),
       std::snprintf(native, sizeof native, "%lld|%llu", -9000000000000LL, 18000000000000000000ULL));
  same(fmt("%5d|%-5d|%05d|%+d|% d", 42, 42, -42, 42, 42),
       std::snprintf(native, sizeof native, "%5d|%-5d|%05d|%+d|% d", 42, 42, -42, 42, 42));
  same(fmt("%#x|%#o|%o|%X|%.0d", 255u, 8u, 8u, 0xbeefu, 0),
       std::snprintf(native, sizeof native, "%#x|%#o|%o|%X|%.0d", 255u, 8u, 8u, 0xbeefu, 0));
  same(fmt("%s|%.2s|%6s|%-6s|%c|%%", "abc", "abc", "ab", "ab", 'z'),
       std::snprintf(native, sizeof native, "%s|%.2s|%6s|%-6s|%c|%%", "abc", "abc", "ab", "ab", 'z'));
  same(fmt("%*d|%.*d", 4, 7, 3, 7), std::snprintf(native, sizeof native, "%*d|%.*d", 4, 7, 3, 7));
  const short sh = -1234;
  const signed char ch = -5;
  same(fmt("%hd|%hhd|%zu", sh, ch, size_t(12)), std::snprintf(native, sizeof native, "%hd|%hhd|%zu", sh, ch, size_t(12)));
  CHECK(fmt("%hd|%hhu", 70000, 300) == "4464|44");  // narrowed as the length modifier says
}

TEST_CASE("format_text: truncates like snprintf and says how long the text would be", "[lean_libc]") {
  char small[4];
  auto call = [&](const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = kelisim::format_text(small, sizeof small, format, args);
    va_end(args);
    return n;
  };
  CHECK(call("%d", 123456) == 6);
  CHECK(std::string(small) == "123");
  CHECK(call("ab") == 2);
  CHECK(std::string(small) == "ab");
}

TEST_CASE("format_text: floating point is written plainly, never crashes", "[lean_libc]") {
  CHECK(fmt("%g", 1.5) == "1.5");
  CHECK(fmt("%g", 0.0) == "0");
  CHECK(fmt("%g", -2.0) == "-2");
  CHECK(fmt("%f", 1e300).find("e+") != std::string::npos);
  CHECK(fmt("%g", INFINITY) == "inf");
  CHECK(fmt("%g", NAN) == "nan");
}
