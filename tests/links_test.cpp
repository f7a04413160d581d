#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kelisim/links.hpp"
#include "stopwatch.hpp"

using kelisim::parse_links;
using kelisim::TextRun;

namespace {

// Runs flattened to "text|href" lines so that failures print readably.
std::vector<std::string> flat(const std::vector<TextRun>& runs) {
  std::vector<std::string> out;
  for (const auto& r : runs) out.push_back(r.text + "|" + r.href);
  return out;
}

using Lines = std::vector<std::string>;

// The input must come back as one plain run, byte for byte.
void check_literal(const std::string& text) {
  INFO("input: " << text);
  const auto runs = parse_links(text);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].href.empty());
  CHECK(runs[0].text == text);
}

// Concatenating every run's text gives back the input minus link syntax; this
// checks that no byte outside links is ever dropped or invented.
std::string joined_text(const std::vector<TextRun>& runs) {
  std::string s;
  for (const auto& r : runs) s += r.href.empty() ? r.text : "[" + r.text + "](" + r.href + ")";
  return s;
}

}  // namespace

TEST_CASE("parse_links: plain text and empty input", "[links]") {
  CHECK(parse_links("").empty());
  CHECK(flat(parse_links("Just text.")) == Lines{"Just text.|"});
  CHECK(flat(parse_links("Құпиялылық саясаты")) == Lines{"Құпиялылық саясаты|"});
}

TEST_CASE("parse_links: one link with text around it", "[links]") {
  CHECK(flat(parse_links("Read our [privacy policy](/privacy).")) == Lines{"Read our |", "privacy policy|/privacy", ".|"});
  CHECK(flat(parse_links("[policy](/privacy)")) == Lines{"policy|/privacy"});
  CHECK(flat(parse_links("a [x](https://example.com/p?q=1#f) b [y](http://example.com) c")) ==
        Lines{"a |", "x|https://example.com/p?q=1#f", " b |", "y|http://example.com", " c|"});
}

TEST_CASE("parse_links: adjacent links stay separate runs", "[links]") {
  CHECK(flat(parse_links("[a](/a)[b](/b)")) == Lines{"a|/a", "b|/b"});
}

TEST_CASE("parse_links: accepted URL forms", "[links]") {
  CHECK(flat(parse_links("[x](HTTPS://Example.com)")) == Lines{"x|HTTPS://Example.com"});
  CHECK(flat(parse_links("[x](HtTp://example.com)")) == Lines{"x|HtTp://example.com"});
  CHECK(flat(parse_links("[x](/privacy)")) == Lines{"x|/privacy"});
  CHECK(flat(parse_links("[x](./privacy)")) == Lines{"x|./privacy"});
  CHECK(flat(parse_links("[x](../privacy)")) == Lines{"x|../privacy"});
  CHECK(flat(parse_links("[x](?lang=kk)")) == Lines{"x|?lang=kk"});
  CHECK(flat(parse_links("[x](#cookies)")) == Lines{"x|#cookies"});
  CHECK(flat(parse_links("[x](privacy.html)")) == Lines{"x|privacy.html"});
  CHECK(flat(parse_links("[x](//example.com/p)")) == Lines{"x|//example.com/p"});
  CHECK(flat(parse_links("[x](/a:b)")) == Lines{"x|/a:b"});
  CHECK(flat(parse_links("[x](?next=javascript:1)")) == Lines{"x|?next=javascript:1"});
  CHECK(flat(parse_links("[x](/kk/құпиялылық)")) == Lines{"x|/kk/құпиялылық"});
  CHECK(flat(parse_links("[x](https://en.wikipedia.org/wiki/HTTP_(protocol))")) ==
        Lines{"x|https://en.wikipedia.org/wiki/HTTP_(protocol)"});
}

TEST_CASE("parse_links: dangerous schemes stay literal", "[links][security]") {
  check_literal("[x](javascript:alert(1))");
  check_literal("[x](JavaScript:alert(1))");
  check_literal("[x](data:text/html,<script>alert(1)</script>)");
  check_literal("[x](vbscript:msgbox(1))");
  check_literal("[x](file:///etc/passwd)");
  check_literal("[x](mailto:a@example.com)");
  check_literal("[x](httpx://example.com)");
  check_literal("[x](https-evil:1)");
  check_literal("[x](a:b/c)");
  check_literal("[x](:foo)");
  CHECK(flat(parse_links("see [x](javascript:alert(1)) here")) == Lines{"see [x](javascript:alert(1)) here|"});
}

TEST_CASE("parse_links: obfuscated schemes stay literal", "[links][security]") {
  check_literal("[x](java\tscript:alert(1))");
  check_literal("[x](java\nscript:alert(1))");
  check_literal("[x]( javascript:alert(1))");
  check_literal(std::string("[x](java\0script:alert(1))", 25));
  check_literal("[x](\x01javascript:alert(1))");
  check_literal("[x](javascript\xe2\x80\x8b:alert(1))");  // zero-width space
  check_literal("[x](\xe2\x80\xaehttps://example.com)");  // right-to-left override
  check_literal("[x](https://exa\xc2\xa0mple.com)");      // no-break space
  check_literal("[x](https://example.com\xc2\x85)");      // C1 next-line
  check_literal("[x](\xef\xbb\xbfjavascript:1)");         // BOM
}

TEST_CASE("parse_links: HTML is text, never markup", "[links][security]") {
  check_literal("<img src=x onerror=alert(1)>");
  check_literal("<script>alert(1)</script>");
  check_literal("&lt;b&gt; &amp;");
  CHECK(flat(parse_links("[<b>bold</b>](/p) <i>")) == Lines{"<b>bold</b>|/p", " <i>|"});
  CHECK(flat(parse_links("[x](/p\"onmouseover=\"alert(1))")) == Lines{"x|/p\"onmouseover=\"alert(1)"});
}

TEST_CASE("parse_links: malformed brackets stay literal", "[links]") {
  check_literal("[");
  check_literal("]");
  check_literal("[]");
  check_literal("[]()");
  check_literal("[x]");
  check_literal("[x]()");
  check_literal("[x](");
  check_literal("[x](/p");
  check_literal("[x] (/p)");
  check_literal("[x]\n(/p)");
  check_literal("x](/p)");
  check_literal("[x(/p)");
  check_literal("(/p)[x]");
  check_literal("[x](/p(q)");
  check_literal("[x](https://[::1]/)");
  check_literal("[[[[[");
  check_literal("]]]]((((");
}

TEST_CASE("parse_links: empty or blank labels stay literal", "[links]") {
  check_literal("[](/privacy)");
  check_literal("[ ](/privacy)");
  check_literal("[\t\n](/privacy)");
}

TEST_CASE("parse_links: URLs with whitespace stay literal", "[links]") {
  check_literal("[x](/a b)");
  check_literal("[x](/a\tb)");
  check_literal("[x](/a\nb)");
  check_literal("[x]( /a)");
  check_literal("[x](/a )");
}

TEST_CASE("parse_links: nested brackets never nest links", "[links]") {
  // The outer '[' cannot start a link; it stays literal and the well-formed
  // inner link is found.
  CHECK(flat(parse_links("[a [b](/b)]")) == Lines{"[a |", "b|/b", "]|"});
  CHECK(flat(parse_links("[[x](/p)]")) == Lines{"[|", "x|/p", "]|"});
  CHECK(flat(parse_links("[a[b]](/p)")) == Lines{"[a[b]](/p)|"});
  CHECK(flat(parse_links("[a](/p)](/q)")) == Lines{"a|/p", "](/q)|"});
  CHECK(flat(parse_links("[a](/[p])")) == Lines{"[a](/[p])|"});
}

TEST_CASE("parse_links: labels are kept verbatim", "[links]") {
  CHECK(flat(parse_links("[құпиялылық саясаты](/privacy)")) == Lines{"құпиялылық саясаты|/privacy"});
  CHECK(flat(parse_links("[ spaced ](/p)")) == Lines{" spaced |/p"});
  CHECK(flat(parse_links("[a (b)](/p)")) == Lines{"a (b)|/p"});
  CHECK(flat(parse_links("[\xff\xfe](/p)")) == Lines{"\xff\xfe|/p"});
}

TEST_CASE("parse_links: placeholders survive in text and URL", "[links]") {
  CHECK(flat(parse_links("[policy]({policyUrl})")) == Lines{"policy|{policyUrl}"});
  CHECK(flat(parse_links("Write to {contact}.")) == Lines{"Write to {contact}.|"});
}

TEST_CASE("parse_links: invalid UTF-8 and NUL in plain text pass through", "[links]") {
  check_literal("\xff\xfe\xc0\x80\xed\xa0\x80");
  check_literal(std::string("a\0b", 3));
  check_literal("truncated \xe2\x82");
  check_literal("[x](/\xff)");
  check_literal("[x](/\xc0\xaf)");          // overlong '/'
  check_literal("[x](/\xed\xa0\x80)");      // surrogate
  check_literal("[x](/\xf4\x90\x80\x80)");  // beyond U+10FFFF
  const std::string nul_text("x\0[a](/p)\0y", 11);
  const auto runs = parse_links(nul_text);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].text == std::string("x\0", 2));
  CHECK(runs[1].text == "a");
  CHECK(runs[1].href == "/p");
  CHECK(runs[2].text == std::string("\0y", 2));
}

TEST_CASE("parse_links: huge and pathological inputs are handled quickly", "[links]") {
  // A parser that rescanned from every '[' or '(' would take minutes on these;
  // only the parsing is timed, not the checks of its result.
  const auto parse_quickly = [](const std::string& text) {
    const kelisim_test::Stopwatch watch;
    auto runs = parse_links(text);
    CHECK(watch.seconds() < kelisim_test::kQuickSeconds);
    return runs;
  };

  std::string open_links;
  for (int i = 0; i < 100000; ++i) open_links += "[a](";
  std::string parens = "[x](/";
  parens += std::string(200000, '(');
  const std::string brackets(300000, '[');
  for (const std::string& literal : {open_links, parens, brackets}) {
    const auto runs = parse_quickly(literal);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].href.empty());
    CHECK(runs[0].text.size() == literal.size());
    CHECK((runs[0].text == literal));  // not decomposed: a failure would print 1 MB of brackets
  }

  std::string many;
  for (int i = 0; i < 20000; ++i) many += "t [l](/p) ";
  const auto runs = parse_quickly(many);
  CHECK(runs.size() == 40001);
  CHECK(joined_text(runs) == many);

  const std::string long_url = "[x](/" + std::string(500000, 'a') + ")";
  const auto one = parse_quickly(long_url);
  REQUIRE(one.size() == 1);
  CHECK(one[0].href.size() == 500001);
}

TEST_CASE("parse_links: text outside links is never lost", "[links]") {
  const std::vector<std::string> samples = {
      "a [b](/c) d [e](javascript:f) g [h](#i)",
      "[[x](/p)] ]] [[ ((",
      "\xff[x](/p)\xfe",
      "[x](/p)[y](javascript:1)[z](/q)",
  };
  for (const auto& s : samples) {
    INFO(s);
    CHECK(joined_text(parse_links(s)) == s);
    const auto runs = parse_links(s);
    for (size_t i = 1; i < runs.size(); ++i)
      CHECK_FALSE((runs[i].href.empty() && runs[i - 1].href.empty()));  // plain runs merged
  }
}
