#include "kelisim/texts.hpp"

#include "kelisim/i18n.hpp"
#include "kelisim/links.hpp"

namespace kelisim {
namespace {

using json = nlohmann::ordered_json;

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
json runs_json(const Config& cfg, std::string text) {
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
  json out = json::array();
  std::string contact_href = contact_link(cfg.contact);
  for (const auto& r : parse_links(text)) {
    if (!r.href.empty()) {
      out.push_back({{"text", r.text}, {"href", r.href}});
      continue;
    }
    // The contact address becomes a link of its own (mailto: or its URL).
    std::string rest = r.text;
    for (size_t at; !contact_href.empty() && (at = rest.find(cfg.contact)) != std::string::npos;) {
      if (at) out.push_back({{"text", rest.substr(0, at)}});
      out.push_back({{"text", cfg.contact}, {"href", contact_href}});
      rest = rest.substr(at + cfg.contact.size());
    }
    if (!rest.empty()) out.push_back({{"text", rest}});
  }
  return out;
}

}  // namespace

bool read_builtin_table(const std::string& text, BuiltinTable& out, std::vector<Issue>& errors) {
  const size_t before = errors.size();
  json j = parse_json(text);
  if (j.is_discarded() || !j.is_object()) {
    errors.push_back({"", "not a JSON object"});
    return false;
  }
  auto lang = j.find("language");
  out.language = lang != j.end() && lang->is_string() ? builtin_language(lang->get<std::string>()) : "";
  if (out.language.empty()) errors.push_back({"language", "expected one of the built-in languages (kk, ru, en)"});
  auto texts = j.find("texts");
  if (texts == j.end() || !texts->is_object()) {
    errors.push_back({"texts", "expected an object"});
    return false;
  }
  out.texts.clear();
  for (const auto& key : builtin_keys()) {
    auto t = texts->find(key);
    if (t == texts->end()) errors.push_back({"texts." + key, "missing"});
    else if (!t->is_string()) errors.push_back({"texts." + key, "expected a string"});
    out.texts.push_back(t != texts->end() && t->is_string() ? t->get<std::string>() : "");
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

json TextResolver::placeholder(const Gate& g) {
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
  json out = {{"title", title}, {"text", runs_json(cfg, textv)}};
  if (!g.service.empty() && cfg.find_service(g.service))
    out["description"] = runs_json(cfg, resolve("services." + g.service + ".description"));
  return out;
}

json TextResolver::texts(AskReason ask) {
  json texts = json::object();
  // Why the banner asks again, when it does.
  const char* notice_key = ask == AskReason::revision    ? "banner.revisionNotice"
                           : ask == AskReason::new_items ? "banner.newServicesNotice"
                           : ask == AskReason::expired   ? "ui.expiredNotice"
                                                         : nullptr;
  for (const auto& key : builtin_keys())
    if (key.rfind("categories.", 0) != 0) texts[key] = runs_json(cfg, resolve(key));
  json cats = json::array();
  for (const auto& c : cfg.categories) {
    json services = json::array();
    for (const auto& s : cfg.services) {
      if (s.category != c.name) continue;
      services.push_back({{"name", s.name},
                          {"title", resolve("services." + s.name + ".title", s.name)},
                          {"description", runs_json(cfg, resolve("services." + s.name + ".description"))},
                          {"cookies", s.cookies}});
    }
    cats.push_back({{"name", c.name},
                    {"required", c.required},
                    {"gpcDeny", c.gpc_deny},
                    {"title", resolve("categories." + c.name + ".title", c.name)},
                    {"description", runs_json(cfg, resolve("categories." + c.name + ".description"))},
                    {"services", services}});
  }
  return {{"language", lang},
          {"dir", is_rtl(lang) ? "rtl" : "ltr"},
          {"texts", texts},
          {"categories", cats},
          {"notice", notice_key ? runs_json(cfg, resolve(notice_key)) : json(nullptr)}};
}

}  // namespace kelisim
