#include <catch2/catch.hpp>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "kelisim/i18n.hpp"
#include "kelisim/links.hpp"
#include "support.hpp"

using kelisim::builtin_keys;
using kelisim::builtin_language;
using kelisim::builtin_languages;
using kelisim::is_rtl;
using kelisim::negotiate_language;
using kelisim_test::builtin_source;
using kelisim_test::builtin_text;

namespace {

using Tags = std::vector<std::string>;

const Tags kAvailable = {"kk", "ru", "en"};

std::string text_of(const std::string& lang, const std::string& key) {
  const char* t = builtin_text(lang, key);
  return t ? t : "";
}

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

// Letters of the Kazakh Cyrillic alphabet that Russian does not have.
bool has_kazakh_letter(const std::string& s) {
  for (const char* letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "Ә", "Ғ", "Қ", "Ң", "Ө", "Ұ", "Ү", "Һ", "І"})
    if (contains(s, letter)) return true;
  return false;
}

// Rough but strict enough: well-formed UTF-8 without control characters.
bool is_clean_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    if (len == 1 && (b < 0x20 || b == 0x7F)) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

}  // namespace

TEST_CASE("builtin_languages: kk, ru, en in preference order", "[i18n]") { CHECK(builtin_languages() == Tags{"kk", "ru", "en"}); }

TEST_CASE("builtin_keys: exactly the SPEC keys plus the UI and category extras", "[i18n]") {
  const std::set<std::string> expected = {"banner.title",
                                          "banner.description",
                                          "banner.acceptAll",
                                          "banner.rejectAll",
                                          "banner.preferences",
                                          "banner.revisionNotice",
                                          "banner.newServicesNotice",
                                          "preferences.title",
                                          "preferences.description",
                                          "preferences.acceptAll",
                                          "preferences.rejectAll",
                                          "preferences.save",
                                          "preferences.close",
                                          "preferences.contact",
                                          "preferences.gpcNotice",
                                          "preferences.language",
                                          "placeholder.text",
                                          "placeholder.loadOnce",
                                          "placeholder.allowService",
                                          "ui.expiredNotice",
                                          "ui.reopen",
                                          "ui.banner",
                                          "ui.services",
                                          "ui.cookies",
                                          "ui.required",
                                          "ui.policy",
                                          "categories.necessary.title",
                                          "categories.necessary.description",
                                          "categories.preferences.title",
                                          "categories.preferences.description",
                                          "categories.analytics.title",
                                          "categories.analytics.description",
                                          "categories.marketing.title",
                                          "categories.marketing.description",
                                          "categories.embedded.title",
                                          "categories.embedded.description"};
  const auto& keys = builtin_keys();
  CHECK(std::set<std::string>(keys.begin(), keys.end()) == expected);
  CHECK(keys.size() == expected.size());  // no duplicates
}

TEST_CASE("builtin_text: every key in every built-in language, non-empty, clean", "[i18n]") {
  for (const auto& lang : builtin_languages()) {
    for (const auto& key : builtin_keys()) {
      INFO(lang << " " << key);
      const char* t = builtin_text(lang, key);
      REQUIRE(t != nullptr);
      const std::string s = t;
      CHECK_FALSE(s.empty());
      CHECK(is_clean_utf8(s));
      CHECK(s.front() != ' ');
      CHECK(s.back() != ' ');
      CHECK_FALSE(contains(s, "  "));
      CHECK_FALSE(contains(s, "<"));  // texts are plain text, never HTML
    }
  }
}

TEST_CASE("builtin_text: unknown language or key gives nullptr", "[i18n]") {
  CHECK(builtin_text("de", "banner.title") == nullptr);
  CHECK(builtin_text("", "banner.title") == nullptr);
  CHECK(builtin_text("kk-KZ", "banner.title") == nullptr);
  CHECK(builtin_text("kk", "banner.nope") == nullptr);
  CHECK(builtin_text("kk", "") == nullptr);
  CHECK(builtin_text("kk", "banner") == nullptr);
  CHECK(builtin_text("kk", "banner.title ") == nullptr);
  CHECK(builtin_text("en", std::string("banner.title\0x", 14)) == nullptr);
  CHECK(builtin_text("categories", "title") == nullptr);
}

TEST_CASE("builtin_language: matched ASCII case-insensitively, no subtags", "[i18n]") {
  CHECK(builtin_language("KK") == "kk");
  CHECK(builtin_language("En") == "en");
  CHECK(builtin_language("ru") == "ru");
  CHECK(builtin_language("kk-KZ").empty());
  CHECK(builtin_language("de").empty());
  CHECK(builtin_language("").empty());
  CHECK(std::strcmp(builtin_text("en", "ui.policy"), "Privacy policy") == 0);
}

TEST_CASE("builtin texts source: exactly the engine's keys, each in exactly the built-in languages", "[i18n]") {
  const auto& source = builtin_source();
  REQUIRE(source.is_object());
  std::vector<std::string> keys;
  for (const auto& kv : source.items()) {
    keys.push_back(kv.key());
    INFO(kv.key());
    REQUIRE(kv.value().is_object());
    std::vector<std::string> langs;
    for (const auto& l : kv.value().items()) langs.push_back(l.key());
    CHECK(langs == builtin_languages());
  }
  CHECK(keys == builtin_keys());
}

TEST_CASE("builtin_text: languages really differ", "[i18n]") {
  // Identical kk/ru texts are allowed only for shared loanwords.
  const std::set<std::string> shared = {"categories.analytics.title", "categories.marketing.title"};
  for (const auto& key : builtin_keys()) {
    INFO(key);
    CHECK(text_of("en", key) != text_of("ru", key));
    if (!shared.count(key)) CHECK(text_of("kk", key) != text_of("ru", key));
  }
}

TEST_CASE("builtin_text: Kazakh uses Kazakh letters", "[i18n]") {
  size_t with_letters = 0;
  for (const auto& key : builtin_keys())
    if (has_kazakh_letter(text_of("kk", key))) ++with_letters;
  // Short labels such as "Жабу", "Баптаулар" or "Маркетинг" need none; most others do.
  CHECK(with_letters * 4 >= builtin_keys().size() * 3);
  for (const char* key : {"banner.title", "banner.description", "banner.acceptAll", "banner.rejectAll", "preferences.description",
                          "placeholder.text", "ui.required", "ui.policy"}) {
    INFO(key);
    CHECK(has_kazakh_letter(text_of("kk", key)));
  }
  // Russian and English must not contain them.
  for (const auto& key : builtin_keys()) {
    INFO(key);
    CHECK_FALSE(has_kazakh_letter(text_of("ru", key)));
    CHECK_FALSE(has_kazakh_letter(text_of("en", key)));
  }
}

TEST_CASE("builtin_text: placeholders are where the engine expects them", "[i18n]") {
  for (const auto& lang : builtin_languages()) {
    INFO(lang);
    CHECK(contains(text_of(lang, "placeholder.text"), "{service}"));
    CHECK(contains(text_of(lang, "preferences.contact"), "{contact}"));
    CHECK(contains(text_of(lang, "banner.description"), "]({policyUrl})"));
    // No placeholder anywhere it would not be substituted.
    for (const auto& key : builtin_keys()) {
      INFO(key);
      const std::string t = text_of(lang, key);
      if (key != "placeholder.text") CHECK_FALSE(contains(t, "{service}"));
      if (key != "preferences.contact") CHECK_FALSE(contains(t, "{contact}"));
      if (key != "banner.description") CHECK_FALSE(contains(t, "{policyUrl}"));
    }
  }
}

TEST_CASE("builtin_text: the banner's policy link parses as a link", "[i18n][links]") {
  for (const auto& lang : builtin_languages()) {
    INFO(lang);
    std::string text = text_of(lang, "banner.description");
    const size_t at = text.find("{policyUrl}");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::strlen("{policyUrl}"), "/privacy");
    size_t links = 0;
    for (const auto& run : kelisim::parse_links(text)) {
      if (run.href.empty()) continue;
      ++links;
      CHECK(run.href == "/privacy");
      CHECK_FALSE(run.text.empty());
    }
    CHECK(links == 1);
  }
}

TEST_CASE("builtin_text: other texts hold no link markup", "[i18n][links]") {
  for (const auto& lang : builtin_languages()) {
    for (const auto& key : builtin_keys()) {
      if (key == "banner.description") continue;
      INFO(lang << " " << key);
      const auto runs = kelisim::parse_links(text_of(lang, key));
      REQUIRE(runs.size() == 1);
      CHECK(runs[0].href.empty());
    }
  }
}

TEST_CASE("builtin_text: rejecting reads as plainly as accepting", "[i18n]") {
  CHECK(text_of("en", "banner.acceptAll") == "Accept all");
  CHECK(text_of("en", "banner.rejectAll") == "Reject all");
  CHECK(text_of("ru", "banner.rejectAll") == "Отклонить все");
  CHECK(text_of("kk", "banner.rejectAll") == "Барлығынан бас тарту");
  for (const auto& lang : builtin_languages()) {
    INFO(lang);
    CHECK(text_of(lang, "banner.acceptAll") == text_of(lang, "preferences.acceptAll"));
    CHECK(text_of(lang, "banner.rejectAll") == text_of(lang, "preferences.rejectAll"));
  }
}

TEST_CASE("negotiate_language: the required cases", "[i18n][negotiate]") {
  CHECK(negotiate_language({"kk-KZ"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"ru-RU"}, kAvailable, "kk") == "ru");
  CHECK(negotiate_language({"RU"}, kAvailable, "kk") == "ru");
  CHECK(negotiate_language({"zh"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"de", "ru"}, kAvailable, "kk") == "ru");
}

TEST_CASE("negotiate_language: requested order wins over available order", "[i18n][negotiate]") {
  CHECK(negotiate_language({"en-US", "kk"}, kAvailable, "ru") == "en");
  CHECK(negotiate_language({"ru", "en"}, kAvailable, "kk") == "ru");
  CHECK(negotiate_language({"fr", "de", "en-GB", "ru"}, kAvailable, "kk") == "en");
}

TEST_CASE("negotiate_language: subtags are stripped from the right", "[i18n][negotiate]") {
  CHECK(negotiate_language({"kk-Cyrl-KZ"}, kAvailable, "en") == "kk");
  CHECK(negotiate_language({"kk-Cyrl-KZ"}, {"kk-Cyrl", "kk"}, "en") == "kk-Cyrl");
  CHECK(negotiate_language({"kk-Cyrl"}, {"kk-Cyrl-KZ"}, "en") == "en");   // lookup never adds subtags
  CHECK(negotiate_language({"en-a-bbb-x-ccc"}, {"en-a"}, "kk") == "kk");  // never ends on a singleton
  CHECK(negotiate_language({"en-a-bbb-x-ccc"}, {"en-a-bbb"}, "kk") == "en-a-bbb");
  CHECK(negotiate_language({"en-a-b-c"}, {"en"}, "kk") == "en");
  CHECK(negotiate_language({"zh-Hant-TW"}, {"zh-TW", "zh-Hant"}, "en") == "zh-Hant");
  CHECK(negotiate_language({"es-419"}, {"es"}, "en") == "es");
}

TEST_CASE("negotiate_language: case, '_' and spelling of available", "[i18n][negotiate]") {
  CHECK(negotiate_language({"kk_KZ"}, kAvailable, "en") == "kk");
  CHECK(negotiate_language({"KK-kz"}, {"kk-KZ"}, "en") == "kk-KZ");
  CHECK(negotiate_language({"pt-br"}, {"pt_BR"}, "en") == "pt_BR");
  CHECK(negotiate_language({"ru"}, {"RU"}, "en") == "RU");
  CHECK(negotiate_language({" ru "}, kAvailable, "kk") == "ru");
  CHECK(negotiate_language({"fil"}, {"fil"}, "en") == "fil");
}

TEST_CASE("negotiate_language: empty and garbage entries are skipped", "[i18n][negotiate]") {
  CHECK(negotiate_language({"", "ru"}, kAvailable, "kk") == "ru");
  CHECK(negotiate_language({"*", "en"}, kAvailable, "kk") == "en");
  CHECK(negotiate_language({"-", "--ru", "ru-", "r", "ru--RU", "en"}, kAvailable, "kk") == "en");
  CHECK(negotiate_language({"ru;q=0.9"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"ru RU"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"ру"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"ru\xff"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({std::string("ru\0", 3)}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"1ru"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"en-toolongsubtag"}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({std::string(100000, 'a')}, kAvailable, "kk") == "kk");
  CHECK(negotiate_language({"x-private"}, {"x-private"}, "kk") == "kk");
  // Garbage on the available side never matches, and an empty one cannot.
  CHECK(negotiate_language({"ru"}, {"", "r u", "ru"}, "kk") == "ru");
  CHECK(negotiate_language({""}, {""}, "kk") == "kk");
  CHECK(negotiate_language({"ru"}, {}, "kk") == "kk");
  CHECK(negotiate_language({"ru"}, {}, "") == "");
}

TEST_CASE("is_rtl: primary subtags", "[i18n][rtl]") {
  for (const char* rtl : {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "iw", "ji"}) {
    INFO(rtl);
    CHECK(is_rtl(rtl));
  }
  for (const char* ltr : {"kk", "ru", "en", "de", "zh", "tr", "ky", "uz", "", "a", "ara", "arz", "ck"}) {
    INFO(ltr);
    CHECK_FALSE(is_rtl(ltr));
  }
}

TEST_CASE("is_rtl: regions, case and separators", "[i18n][rtl]") {
  CHECK(is_rtl("ar-EG"));
  CHECK(is_rtl("AR"));
  CHECK(is_rtl("He_IL"));
  CHECK(is_rtl("fa-IR"));
  CHECK(is_rtl("ur-PK"));
  CHECK_FALSE(is_rtl("en-AR"));
  CHECK_FALSE(is_rtl("kk-KZ"));
}

TEST_CASE("is_rtl: an explicit script subtag decides", "[i18n][rtl]") {
  CHECK(is_rtl("ku-Arab"));
  CHECK(is_rtl("az-Arab-IR"));
  CHECK(is_rtl("pa-Arab"));
  CHECK(is_rtl("ar-Arab-EG"));
  CHECK_FALSE(is_rtl("ug-Latn"));
  CHECK_FALSE(is_rtl("sd-Deva"));
  CHECK_FALSE(is_rtl("kk-Cyrl"));
  CHECK_FALSE(is_rtl("kk-Cyrl-KZ"));
  CHECK(is_rtl("ar-001"));  // a region, not a script
}

TEST_CASE("is_rtl: adversarial input", "[i18n][rtl]") {
  CHECK_FALSE(is_rtl(std::string("a\0r", 3)));
  CHECK_FALSE(is_rtl("\xff\xfe"));
  CHECK_FALSE(is_rtl("-ar"));
  CHECK_FALSE(is_rtl(std::string(100000, '-')));
  CHECK(is_rtl("ar-" + std::string(100000, 'x')));
}
