#include "kelisim/texts.hpp"

#include "kelisim/i18n.hpp"
#include "kelisim/links.hpp"

namespace kelisim {
namespace {

/// The index of `key` among builtin_keys(), or -1.
int builtin_index(const std::string& key) {
  const auto& keys = builtin_keys();
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return int(i);
  return -1;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
}

/// The link for the configured contact: an e-mail address or an http(s) URL.
std::string contact_link(const std::string& c) {
  if (c.empty() || c.find_first_of(" \t\"<>") != std::string::npos) return "";
  if (c.rfind("https://", 0) == 0 || c.rfind("http://", 0) == 0) return c;
  size_t at = c.find('@');
  if (at != std::string::npos && at > 0 && at + 1 < c.size() && c.find('@', at + 1) == std::string::npos) return "mailto:" + c;
  return "";
}

/// Text runs for display: placeholders filled in, `[label](url)` links parsed.
Json runs_json(const Config& cfg, std::string text) {
  if (cfg.policy_url.empty()) {
    // No policy to link to: keep the label, drop the link markup.
    for (size_t end = text.find("]({policyUrl})"); end != std::string::npos; end = text.find("]({policyUrl})")) {
      size_t open = text.rfind('[', end);
      if (open == std::string::npos) {
        text.replace(end, 14, "");
        continue;
      }
      text = text.substr(0, open) + text.substr(open + 1, end - open - 1) + text.substr(end + 14);
    }
  }
  replace_all(text, "{policyUrl}", cfg.policy_url);
  replace_all(text, "{contact}", cfg.contact);
  Json out = Json::array();
  // One run: {"text"} or, for a link, {"text", "href"}.
  auto run = [&out](std::string run_text, const std::string& href) {
    Json& r = out.push_back(Json::object());
    r["text"] = std::move(run_text);
    if (!href.empty()) r["href"] = href;
  };
  std::string contact_href = contact_link(cfg.contact);
  for (const auto& r : parse_links(text)) {
    if (!r.href.empty()) {
      run(r.text, r.href);
      continue;
    }
    // The contact address becomes a link of its own (mailto: or its URL).
    std::string rest = r.text;
    for (size_t at; !contact_href.empty() && (at = rest.find(cfg.contact)) != std::string::npos;) {
      if (at) run(rest.substr(0, at), "");
      run(cfg.contact, contact_href);
      rest = rest.substr(at + cfg.contact.size());
    }
    if (!rest.empty()) run(rest, "");
  }
  return out;
}

}  // namespace

bool read_builtin_table(const std::string& text, BuiltinTable& out, std::vector<Issue>& errors) {
  const size_t before = errors.size();
  Json j;
  if (!parse_json(text, j) || !j.is_object()) {
    errors.push_back({"", "not a JSON object"});
    return false;
  }
  const Json* lang = j.find("language");
  out.language = lang && lang->is_string() ? builtin_language(lang->string()) : "";
  if (out.language.empty()) errors.push_back({"language", "expected one of the built-in languages (kk, ru, en)"});
  const Json* texts = j.find("texts");
  if (!texts || !texts->is_object()) {
    errors.push_back({"texts", "expected an object"});
    return false;
  }
  out.texts.clear();
  for (const auto& key : builtin_keys()) {
    const Json* t = texts->find(key);
    if (!t) errors.push_back({"texts." + key, "missing"});
    else if (!t->is_string()) errors.push_back({"texts." + key, "expected a string"});
    out.texts.push_back(t && t->is_string() ? t->string() : "");
  }
  return errors.size() == before;
}

std::string builtin_table_language(const Config& cfg, const std::string& lang) {
  for (const std::string& l : {lang, cfg.default_language})
    if (std::string b = builtin_language(l); !b.empty()) return b;
  return "en";
}

std::string TextResolver::resolve(const std::string& key, const std::string& fallback) {
  // The built-in table answers in the place of the first built-in language of
  // the chain; a key it does not hold goes on down the chain.
  auto from_table = [&](const std::string& l, std::string& found) {
    if (builtin_language(l).empty()) return false;
    int i = builtin_index(key);
    if (i < 0) return false;
    if (table) found = table->texts[size_t(i)];
    else missing = true;
    return true;
  };
  std::string found;
  for (const std::string* l : {static_cast<const std::string*>(&lang), &cfg.default_language}) {
    auto t = cfg.translations.find(*l);
    if (t != cfg.translations.end()) {
      auto it = t->second.find(key);
      if (it != t->second.end()) return it->second;
    }
    if (from_table(*l, found)) return found;
  }
  if (from_table("en", found)) return found;
  return fallback;
}

Json TextResolver::placeholder(const Gate& g) {
  auto title_of = [&](const std::string& raw) {
    auto a = cfg.aliases.find(raw);
    std::string name = a == cfg.aliases.end() ? raw : a->second;
    if (cfg.find_service(name)) return resolve("services." + name + ".title", name);
    if (cfg.find_category(name)) return resolve("categories." + name + ".title", name);
    return name;
  };
  // Its service, else the categories or services it lists.
  std::vector<std::string> names;
  if (!g.service.empty()) names.push_back(g.service);
  else {
    for (const std::string* list : {&g.category, &g.cookieconsent}) {
      std::string cur;
      for (char ch : *list + ",") {
        if (ch == ',' || ch == ' ' || ch == '\t') {
          if (!cur.empty() && cur[0] != '!') names.push_back(cur);
          cur.clear();
        } else {
          cur += ch;
        }
      }
    }
  }
  std::string title;
  for (const auto& n : names) title += (title.empty() ? "" : ", ") + title_of(n);
  std::string textv = resolve("placeholder.text");
  replace_all(textv, "{service}", title);
  Json out = Json::object();
  out["title"] = title;
  out["text"] = runs_json(cfg, textv);
  if (!g.service.empty() && cfg.find_service(g.service))
    out["description"] = runs_json(cfg, resolve("services." + g.service + ".description"));
  return out;
}

Json TextResolver::texts(AskReason ask) {
  Json texts = Json::object();
  // Why the banner asks again, when it does.
  const char* notice_key = ask == AskReason::revision    ? "banner.revisionNotice"
                           : ask == AskReason::new_items ? "banner.newServicesNotice"
                           : ask == AskReason::expired   ? "ui.expiredNotice"
                                                         : nullptr;
  for (const auto& key : builtin_keys())
    if (key.rfind("categories.", 0) != 0) texts[key] = runs_json(cfg, resolve(key));
  Json cats = Json::array();
  for (const auto& c : cfg.categories) {
    Json services = Json::array();
    for (const auto& s : cfg.services) {
      if (s.category != c.name) continue;
      Json& row = services.push_back(Json::object());
      row["name"] = s.name;
      row["title"] = resolve("services." + s.name + ".title", s.name);
      row["description"] = runs_json(cfg, resolve("services." + s.name + ".description"));
      row["cookies"] = s.cookies;
    }
    Json& row = cats.push_back(Json::object());
    row["name"] = c.name;
    row["required"] = c.required;
    row["gpcDeny"] = c.gpc_deny;
    row["title"] = resolve("categories." + c.name + ".title", c.name);
    row["description"] = runs_json(cfg, resolve("categories." + c.name + ".description"));
    row["services"] = std::move(services);
  }
  Json out = Json::object();
  out["language"] = lang;
  out["dir"] = is_rtl(lang) ? "rtl" : "ltr";
  out["texts"] = std::move(texts);
  out["categories"] = std::move(cats);
  out["notice"] = notice_key ? runs_json(cfg, resolve(notice_key)) : Json(nullptr);
  return out;
}

}  // namespace kelisim
