// Link markup in translation texts. Texts are plain text (never HTML, SPEC §3
// and §8); the one piece of markup is `[label](url)`. The engine splits a text
// into runs here so that the shim only creates text nodes and <a> elements with
// hrefs this parser already approved.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kelisim {

/// One run of display text; `href` empty means plain text, otherwise a link.
struct TextRun {
  std::string text;
  std::string href;
};

/// Parses the only markup translations may hold, `[label](url)`, into runs.
///
/// A link is '[', a label without '[' or ']' that is not blank, "](", a URL,
/// and ')'. Parentheses inside the URL must balance ("/wiki/Foo_(bar)"). The
/// URL is accepted only when it is http:, https: (scheme case-insensitive) or
/// relative ('/', './', '../', '?', '#', or a path without a scheme: text
/// before a ':' ahead of the first '/', '?' or '#' must be "http(s)"), with no
/// whitespace, control characters, invisible or bidi formatting characters,
/// brackets or invalid UTF-8. Anything else (javascript:, data:, vbscript:,
/// malformed or nested brackets, an empty label, a bad URL) stays literal
/// text, exactly as written; a rejected '[' is literal and parsing resumes
/// right after it, so "[a [b](/b)]" gives "[a ", link "b", "]". Adjacent plain
/// runs are merged; empty input gives no runs. Never fails, runs in linear
/// time and reads any bytes without undefined behaviour.
std::vector<TextRun> parse_links(std::string_view text);

}  // namespace kelisim
