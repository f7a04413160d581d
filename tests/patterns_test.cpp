#include <catch2/catch.hpp>

#include <string>

#include "kelisim/patterns.hpp"
#include "stopwatch.hpp"

using kelisim::glob_match;
using kelisim::host_match;
using kelisim::url_host;
using kelisim::valid_host_pattern;
using kelisim::valid_name_pattern;

TEST_CASE("glob_match: exact names", "[patterns][glob]") {
  CHECK(glob_match("_gid", "_gid"));
  CHECK_FALSE(glob_match("_gid", "_gid2"));
  CHECK_FALSE(glob_match("_gid", "_gi"));
  CHECK_FALSE(glob_match("_gid", ""));
  CHECK_FALSE(glob_match("", "_gid"));
  CHECK(glob_match("", ""));
}

TEST_CASE("glob_match: is case-sensitive", "[patterns][glob]") {
  CHECK_FALSE(glob_match("_GA", "_ga"));
  CHECK_FALSE(glob_match("_ga_*", "_GA_X"));
  CHECK(glob_match("_ga_*", "_ga_X"));
}

TEST_CASE("glob_match: star matches any run including empty", "[patterns][glob]") {
  CHECK(glob_match("_ga_*", "_ga_"));
  CHECK(glob_match("_ga_*", "_ga_ABC123"));
  CHECK_FALSE(glob_match("_ga_*", "_ga"));
  CHECK(glob_match("_gat*", "_gat"));
  CHECK(glob_match("_gat*", "_gat_UA-1234"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*", "anything at all"));
  CHECK(glob_match("**", "x"));
  CHECK(glob_match("*_fbp", "_fbp"));
  CHECK(glob_match("*_fbp", "x_fbp"));
  CHECK_FALSE(glob_match("*_fbp", "_fbpx"));
  CHECK(glob_match("a*b*c", "abc"));
  CHECK(glob_match("a*b*c", "a--b--c"));
  CHECK_FALSE(glob_match("a*b*c", "a--c--b"));
  CHECK(glob_match("hs*_*", "hsfirstvisit_x"));
  CHECK_FALSE(glob_match("hs*_*", "hsfirstvisit"));
}

TEST_CASE("glob_match: other glob syntax is literal", "[patterns][glob]") {
  CHECK_FALSE(glob_match("a?c", "abc"));
  CHECK(glob_match("a?c", "a?c"));
  CHECK_FALSE(glob_match("[ab]", "a"));
  CHECK(glob_match("[ab]", "[ab]"));
  CHECK_FALSE(glob_match("a.c", "abc"));
  CHECK(glob_match("a\\*", "a\\xyz"));
}

TEST_CASE("glob_match: bytes are compared as bytes (NUL, non-ASCII)", "[patterns][glob]") {
  const std::string with_nul("a\0b", 3);
  CHECK(glob_match(with_nul, with_nul));
  CHECK_FALSE(glob_match(with_nul, "a"));
  CHECK(glob_match("a*", with_nul));
  CHECK(glob_match("\xff*", "\xff\xfe"));
  CHECK(glob_match("кук*", "кукі"));
}

TEST_CASE("glob_match: pathological patterns stay fast", "[patterns][glob]") {
  // Exponential backtracking would take astronomically long on these.
  const std::string name(20000, 'a');
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "a*";
  pattern += "b";
  const std::string stars(5000, '*');
  const kelisim_test::Stopwatch watch;
  CHECK_FALSE(glob_match(pattern, name));
  CHECK(glob_match(pattern.substr(0, pattern.size() - 1), name));
  CHECK(glob_match(pattern, name + "b"));
  CHECK(glob_match(stars, name));
  CHECK_FALSE(glob_match(stars + "b", name));
  CHECK(watch.seconds() < kelisim_test::kQuickSeconds);
}

TEST_CASE("host_match: exact host names", "[patterns][host]") {
  CHECK(host_match("www.youtube.com", "www.youtube.com"));
  CHECK_FALSE(host_match("www.youtube.com", "youtube.com"));
  CHECK_FALSE(host_match("youtube.com", "www.youtube.com"));
  CHECK_FALSE(host_match("www.youtube.com", "www.youtube.com.evil.net"));
}

TEST_CASE("host_match: '*.' matches subdomains only", "[patterns][host]") {
  CHECK(host_match("*.googletagmanager.com", "www.googletagmanager.com"));
  CHECK(host_match("*.googletagmanager.com", "a.b.googletagmanager.com"));
  CHECK_FALSE(host_match("*.googletagmanager.com", "googletagmanager.com"));
  CHECK_FALSE(host_match("*.googletagmanager.com", "evilgoogletagmanager.com"));
  CHECK_FALSE(host_match("*.googletagmanager.com", ".googletagmanager.com"));
  CHECK_FALSE(host_match("*.googletagmanager.com", "www.googletagmanager.com.evil.net"));
  CHECK_FALSE(host_match("*.googletagmanager.com", ""));
}

TEST_CASE("host_match: case-insensitive, trailing dot ignored", "[patterns][host]") {
  CHECK(host_match("WWW.YouTube.com", "www.youtube.COM"));
  CHECK(host_match("*.GoogleTagManager.com", "WWW.googletagmanager.com"));
  CHECK(host_match("www.youtube.com.", "www.youtube.com"));
  CHECK(host_match("www.youtube.com", "www.youtube.com."));
  CHECK(host_match("*.example.com", "a.example.com."));
  CHECK(host_match("*.example.com.", "a.example.com"));
}

TEST_CASE("host_match: malformed patterns never match", "[patterns][host]") {
  CHECK_FALSE(host_match("", ""));
  CHECK_FALSE(host_match("", "example.com"));
  CHECK_FALSE(host_match("*", "example.com"));
  CHECK_FALSE(host_match("*.", "example.com"));
  CHECK_FALSE(host_match("*.", "."));
  CHECK_FALSE(host_match("*example.com", "www.example.com"));
  CHECK_FALSE(host_match("www.*.com", "www.example.com"));
  CHECK_FALSE(host_match("*.*.com", "a.b.com"));
  CHECK_FALSE(host_match(".", "."));
}

TEST_CASE("url_host: absolute URLs", "[patterns][url]") {
  CHECK(url_host("https://User@WWW.Example.com:8443/x?y") == "www.example.com");
  CHECK(url_host("https://www.googletagmanager.com/gtag/js?id=G-1") == "www.googletagmanager.com");
  CHECK(url_host("http://example.com") == "example.com");
  CHECK(url_host("HTTPS://EXAMPLE.COM/") == "example.com");
  CHECK(url_host("https://example.com?q=1") == "example.com");
  CHECK(url_host("https://example.com#frag") == "example.com");
  CHECK(url_host("https://example.com:443") == "example.com");
  CHECK(url_host("wss://socket.example.com/live") == "socket.example.com");
  CHECK(url_host("ftp://files.example.com/a") == "files.example.com");
}

TEST_CASE("url_host: userinfo is removed, even with '@' tricks", "[patterns][url]") {
  CHECK(url_host("https://www.youtube.com@evil.com/") == "evil.com");
  CHECK(url_host("https://a:b@c@evil.com:1/") == "evil.com");
  CHECK(url_host("https://evil.com/@www.youtube.com") == "evil.com");
  CHECK(url_host("https://evil.com?@www.youtube.com") == "evil.com");
  CHECK(url_host("https://evil.com#@www.youtube.com") == "evil.com");
}

TEST_CASE("url_host: protocol-relative URLs", "[patterns][url]") {
  CHECK(url_host("//cdn.example.com/a.js") == "cdn.example.com");
  CHECK(url_host("//CDN.example.com") == "cdn.example.com");
  CHECK(url_host("\\\\cdn.example.com/a.js") == "cdn.example.com");
  CHECK(url_host("/\\cdn.example.com/a.js") == "cdn.example.com");
}

TEST_CASE("url_host: browser leniencies cannot hide a host", "[patterns][url]") {
  CHECK(url_host("https:\\\\evil.com\\x.js") == "evil.com");
  CHECK(url_host("https:///evil.com/x.js") == "evil.com");
  CHECK(url_host("https:evil.com/x.js") == "evil.com");
  CHECK(url_host("  https://evil.com/  ") == "evil.com");
  CHECK(url_host("\x01https://evil.com/") == "evil.com");
  CHECK(url_host("ht\ttps://ev\nil.com/") == "evil.com");
  CHECK(url_host("https://ev%69l.com/") == "evil.com");
  CHECK(url_host("https://EV%49L.com/") == "evil.com");
  CHECK(url_host("https://evil.com%") == "evil.com%");
}

TEST_CASE("url_host: IPv6 keeps brackets", "[patterns][url]") {
  CHECK(url_host("http://[::1]:8080/x") == "[::1]");
  CHECK(url_host("http://[2001:DB8::1]/") == "[2001:db8::1]");
  CHECK(url_host("http://[::1/x") == "");
}

TEST_CASE("url_host: relative URLs and non-network schemes give empty", "[patterns][url]") {
  CHECK(url_host("") == "");
  CHECK(url_host("   ") == "");
  CHECK(url_host("/a.js") == "");
  CHECK(url_host("a.js") == "");
  CHECK(url_host("./a.js") == "");
  CHECK(url_host("../a.js") == "");
  CHECK(url_host("?x=1") == "");
  CHECK(url_host("#top") == "");
  CHECK(url_host("data:text/javascript,alert(1)") == "");
  CHECK(url_host("blob:https://example.com/1234") == "");
  CHECK(url_host("javascript:alert(1)") == "");
  CHECK(url_host("JavaScript://evil.com/%0aalert(1)") == "");
  CHECK(url_host("about:blank") == "");
  CHECK(url_host("file:///etc/passwd") == "");
  CHECK(url_host("mailto:a@example.com") == "");
  CHECK(url_host("https://") == "");
  CHECK(url_host("https:") == "");
  CHECK(url_host("//") == "");
}

TEST_CASE("url_host: non-ASCII hosts lower-case ASCII letters only", "[patterns][url]") {
  CHECK(url_host("https://Пример.KZ/") == "Пример.kz");
  CHECK(url_host("https://xn--e1afmkfd.xn--80ao21a/") == "xn--e1afmkfd.xn--80ao21a");
}

TEST_CASE("url_host: adversarial bytes do not crash", "[patterns][url]") {
  const std::string with_nul("https://a\0b.com/", 16);
  CHECK(url_host(with_nul) == std::string("a\0b.com", 7));
  CHECK(url_host("https://\xff\xfe/") == "\xff\xfe");
  const std::string huge = "https://" + std::string(100000, 'a') + ".com/" + std::string(100000, '/');
  CHECK(url_host(huge).size() == 100004);
  CHECK(url_host(std::string(100000, '/')) == "");
  CHECK(url_host(std::string(100000, '@')) == "");
}

TEST_CASE("valid_name_pattern", "[patterns][valid]") {
  CHECK(valid_name_pattern("_ga"));
  CHECK(valid_name_pattern("_ga_*"));
  CHECK(valid_name_pattern("*"));
  CHECK(valid_name_pattern("__Host-session"));
  CHECK(valid_name_pattern("a!#$%&'*+-.^_`|~"));
  CHECK_FALSE(valid_name_pattern(""));
  CHECK_FALSE(valid_name_pattern("a b"));
  CHECK_FALSE(valid_name_pattern("a\tb"));
  CHECK_FALSE(valid_name_pattern("a;b"));
  CHECK_FALSE(valid_name_pattern("a,b"));
  CHECK_FALSE(valid_name_pattern("a=b"));
  CHECK_FALSE(valid_name_pattern("a\x7f"));
  CHECK_FALSE(valid_name_pattern("\x01"));
  CHECK_FALSE(valid_name_pattern(std::string("a\0b", 3)));
  CHECK_FALSE(valid_name_pattern("кукі"));
  CHECK_FALSE(valid_name_pattern("\xff"));
}

TEST_CASE("valid_host_pattern", "[patterns][valid]") {
  CHECK(valid_host_pattern("www.youtube.com"));
  CHECK(valid_host_pattern("*.googletagmanager.com"));
  CHECK(valid_host_pattern("localhost"));
  CHECK(valid_host_pattern("127.0.0.1"));
  CHECK(valid_host_pattern("my-cdn.example.KZ"));
  CHECK(valid_host_pattern("*.com"));
  CHECK_FALSE(valid_host_pattern(""));
  CHECK_FALSE(valid_host_pattern("*"));
  CHECK_FALSE(valid_host_pattern("*."));
  CHECK_FALSE(valid_host_pattern("*example.com"));
  CHECK_FALSE(valid_host_pattern("www.*.com"));
  CHECK_FALSE(valid_host_pattern("*.*.example.com"));
  CHECK_FALSE(valid_host_pattern(".example.com"));
  CHECK_FALSE(valid_host_pattern("example..com"));
  CHECK_FALSE(valid_host_pattern("example.com."));
  CHECK_FALSE(valid_host_pattern("exa mple.com"));
  CHECK_FALSE(valid_host_pattern("example.com:443"));
  CHECK_FALSE(valid_host_pattern("https://example.com"));
  CHECK_FALSE(valid_host_pattern("example.com/"));
  CHECK_FALSE(valid_host_pattern("under_score.com"));
  CHECK_FALSE(valid_host_pattern("[::1]"));
  CHECK_FALSE(valid_host_pattern("пример.kz"));
  CHECK_FALSE(valid_host_pattern(std::string("a\0b.com", 7)));
}

TEST_CASE("valid_host_pattern: label and total length limits", "[patterns][valid]") {
  const std::string label63(63, 'a');
  CHECK(valid_host_pattern(label63 + ".com"));
  CHECK_FALSE(valid_host_pattern(label63 + "a.com"));
  // 4 labels of 63 + 3 dots = 255 > 253; 61-char last label gives exactly 253.
  CHECK(valid_host_pattern(label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b')));
  CHECK_FALSE(valid_host_pattern(label63 + "." + label63 + "." + label63 + "." + std::string(62, 'b')));
  CHECK(valid_host_pattern("*." + label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b')));
}
