#include "kelisim/api_scan.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "kelisim/config.hpp"
#include "kelisim/engine.hpp"
#include "kelisim/patterns.hpp"
#include "kelisim/scan.hpp"

namespace kelisim {
namespace {

// The scanner runs in Node, not in the pages' kelisim.wasm: it keeps
// nlohmann's DOM for its larger JSON and hands the engine text.
using json = nlohmann::ordered_json;

std::string text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json issues_json(const std::vector<Issue>& issues) {
  json out = json::array();
  for (const auto& i : issues) out.push_back({{"path", i.path}, {"message", i.message}});
  return out;
}

std::string failure(const char* code, const std::string& what, const std::vector<Issue>& errors) {
  std::string msg = what;
  for (size_t i = 0; i < errors.size() && i < 20; ++i)
    msg += (i ? "; " : ": ") + (errors[i].path.empty() ? "" : errors[i].path + ": ") + errors[i].message;
  json out = {{"ok", false}, {"error", {{"code", code}, {"message", msg}, {"errors", issues_json(errors)}}}};
  return text(out);
}

/// Cookiebot's category names and the usual kelisim categories they become.
const char* cookiebot_target(const std::string& name) {
  if (name == "necessary") return "necessary";
  if (name == "preferences") return "preferences";
  if (name == "statistics") return "analytics";
  if (name == "marketing") return "marketing";
  return nullptr;
}

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

/// Type-checked reading of one JSON object; every problem becomes an Issue with its path.
class Fields {
 public:
  Fields(const json& obj, std::string path, std::vector<Issue>& errors) : obj_(obj), path_(std::move(path)), errors_(errors) {}

  std::string str(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return "";
    if (!it->is_string()) {
      errors_.push_back({at(key), "expected a string"});
      return "";
    }
    return it->get<std::string>();
  }
  bool boolean(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return false;
    if (!it->is_boolean()) {
      errors_.push_back({at(key), "expected a boolean"});
      return false;
    }
    return it->get<bool>();
  }
  /// An array of strings; with `valid`, entries it rejects are errors too.
  std::vector<std::string> strings(const char* key, bool (*valid)(std::string_view) = nullptr, const char* what = "") {
    std::vector<std::string> out;
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return out;
    if (!it->is_array()) {
      errors_.push_back({at(key), "expected an array of strings"});
      return out;
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      std::string p = at(key) + "[" + std::to_string(i) + "]";
      if (!e.is_string()) {
        errors_.push_back({p, "expected a string"});
        continue;
      }
      std::string s = e.get<std::string>();
      if (valid && !valid(s)) {
        errors_.push_back({p, std::string("invalid ") + what + " \"" + s + "\""});
        continue;
      }
      out.push_back(std::move(s));
    }
    return out;
  }
  const json* object(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return nullptr;
    if (!it->is_object()) {
      errors_.push_back({at(key), "expected an object"});
      return nullptr;
    }
    return &*it;
  }
  const json* array(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return nullptr;
    if (!it->is_array()) {
      errors_.push_back({at(key), "expected an array"});
      return nullptr;
    }
    return &*it;
  }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

 private:
  const json& obj_;
  std::string path_;
  std::vector<Issue>& errors_;
};

bool valid_url_pattern(std::string_view p) {
  size_t slash = p.find('/');
  return slash != std::string_view::npos && slash > 0 && valid_host_pattern(p.substr(0, slash)) &&
         p.find_first_of(" \t\r\n?#", slash) == std::string_view::npos;
}

// ---------------------------------------------------------------------------
// The catalogue

struct CatalogueCategory {
  std::string name;
  bool required = false;
  std::vector<std::string> consent_mode;
  bool gpc_deny = false;
};

struct Catalogue {
  std::vector<CatalogueCategory> categories;
  std::vector<ScanService> known;                       ///< the catalogue's own services, first
  std::vector<std::vector<std::string>> known_consent;  ///< each known service's Consent Mode types
  std::vector<ScanService> ocd;                         ///< the Open Cookie Database, last
  std::vector<std::string> ocd_titles;
  std::vector<std::map<std::string, std::string>> ocd_about;        ///< pattern -> description
  std::map<std::string, std::map<std::string, std::string>> texts;  ///< language -> "services.x.title" -> text

  const CatalogueCategory* category(const std::string& name) const {
    for (const auto& c : categories)
      if (c.name == name) return &c;
    return nullptr;
  }
  int known_index(const std::string& name) const {
    for (size_t i = 0; i < known.size(); ++i)
      if (known[i].name == name) return static_cast<int>(i);
    return -1;
  }
  std::string title(const std::string& id, const std::string& lang = "en") const {
    auto t = texts.find(lang);
    if (t == texts.end()) return "";
    auto it = t->second.find("services." + id + ".title");
    return it == t->second.end() ? "" : it->second;
  }
};

ScanService read_scan_service(const std::string& name, const json& v, const std::string& path, std::vector<Issue>& errors) {
  ScanService s;
  s.name = name;
  Fields f(v, path, errors);
  s.category = f.str("category");
  if (s.category.empty()) errors.push_back({f.at("category"), "missing: every service needs a category"});
  s.cookies = f.strings("cookies", valid_name_pattern, "cookie name pattern");
  s.third_party_cookies = f.strings("thirdPartyCookies", valid_name_pattern, "cookie name pattern");
  s.storage = f.strings("storage", valid_name_pattern, "storage key pattern");
  s.hosts = f.strings("hosts", valid_host_pattern, "host pattern");
  s.urls = f.strings("urls", valid_url_pattern, "URL pattern");
  return s;
}

/// One catalogue or Open Cookie Database entry: its name and shape checked,
/// its category known. False (with the error) when it is to be skipped.
bool read_catalogue_service(const Catalogue& cat, const std::string& name, const json& v, const std::string& path,
                            std::vector<Issue>& errors, ScanService& out) {
  if (!valid_name(name)) {
    errors.push_back({path, "invalid service name"});
    return false;
  }
  if (!v.is_object()) {
    errors.push_back({path, "expected an object"});
    return false;
  }
  out = read_scan_service(name, v, path, errors);
  if (!out.category.empty() && !cat.category(out.category))
    errors.push_back({path + ".category", "unknown category \"" + out.category + "\""});
  return true;
}

bool read_catalogue(const std::string& text_in, Catalogue& cat, std::vector<Issue>& errors) {
  json root = json::parse(text_in, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    errors.push_back({"", "the catalogue is not a JSON object"});
    return false;
  }
  Fields top(root, "", errors);
  if (const json* cats = top.object("categories")) {
    for (auto it = cats->begin(); it != cats->end(); ++it) {
      std::string path = "categories." + it.key();
      if (!it->is_object()) {
        errors.push_back({path, "expected an object"});
        continue;
      }
      Fields f(*it, path, errors);
      CatalogueCategory c;
      c.name = it.key();
      c.required = f.boolean("required");
      c.consent_mode = f.strings("consentMode");
      c.gpc_deny = f.str("gpc") == "deny";
      cat.categories.push_back(std::move(c));
    }
  }
  if (const json* svcs = top.object("services")) {
    for (auto it = svcs->begin(); it != svcs->end(); ++it) {
      std::string path = "services." + it.key();
      ScanService s;
      if (!read_catalogue_service(cat, it.key(), *it, path, errors, s)) continue;
      Fields f(*it, path, errors);
      cat.known_consent.push_back(f.strings("consentMode"));
      cat.known.push_back(std::move(s));
    }
  }
  if (const json* lang = top.object("language")) {
    Fields fl(*lang, "language", errors);
    if (const json* tr = fl.object("translations")) {
      for (auto l = tr->begin(); l != tr->end(); ++l) {
        if (!l->is_object()) {
          errors.push_back({"language.translations." + l.key(), "expected an object"});
          continue;
        }
        for (const char* group : {"services", "categories"}) {
          auto g = l->find(group);
          if (g == l->end() || !g->is_object()) continue;
          for (auto n = g->begin(); n != g->end(); ++n) {
            if (!n->is_object()) continue;
            for (const char* field : {"title", "description"}) {
              auto t = n->find(field);
              if (t != n->end() && t->is_string())
                cat.texts[l.key()][std::string(group) + "." + n.key() + "." + field] = t->get<std::string>();
            }
          }
        }
      }
    }
  }
  if (const json* ocd = top.object("openCookieDatabase")) {
    Fields fo(*ocd, "openCookieDatabase", errors);
    if (const json* svcs = fo.object("services")) {
      for (auto it = svcs->begin(); it != svcs->end(); ++it) {
        std::string path = "openCookieDatabase.services." + it.key();
        ScanService s;
        if (!read_catalogue_service(cat, it.key(), *it, path, errors, s)) continue;
        Fields f(*it, path, errors);
        cat.ocd_titles.push_back(f.str("title"));
        std::map<std::string, std::string> about;
        if (const json* a = f.object("about"))
          for (auto d = a->begin(); d != a->end(); ++d)
            if (d->is_string()) about[d.key()] = d->get<std::string>();
        cat.ocd_about.push_back(std::move(about));
        cat.ocd.push_back(std::move(s));
      }
    }
  }
  return errors.empty();
}

// ---------------------------------------------------------------------------
// The request

struct Mark {
  std::string host;  ///< "" for a first-party or inline element
  std::string url;
  std::string service;   ///< data-service, when a valid name
  std::string category;  ///< data-category (not "!x"), else Cookiebot's first name mapped
  std::vector<std::string> cookieconsent;
};

struct Phase {
  std::vector<StoredItem> cookies, storage;
  std::vector<std::string> urls;
};

struct ScanRequest {
  std::vector<std::string> site;
  std::string language;
  std::string cookie_name = "kelisim";
  std::vector<StoredItem> cookies, storage;
  std::vector<std::vector<std::string>> cookie_writers, storage_writers;  ///< hosts of the scripts that set them
  std::vector<bool> cookie_by_kelisim;  ///< set by kelisim's own files only (kelisim.js, kelisim-app.js, kelisim.mjs)
  std::vector<std::string> urls;
  std::vector<Mark> marks;
  bool audit = false;
  std::string config;
  int64_t now_seconds = 0;
  Phase fresh, rejected;
};

std::vector<std::string> split_names(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

/// Whether a script URL is one of kelisim's own files (the crawler's isKelisimScript).
bool kelisim_file(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  for (const char* f : {"/kelisim.js", "/kelisim-app.js", "/kelisim.mjs"}) {
    std::string_view name(f);
    if (path.size() >= name.size() && path.compare(path.size() - name.size(), name.size(), name) == 0) return true;
  }
  return false;
}

/// Reads [{"name", "domain" | "origin", "setBy"}] into stored items.
void read_items(const json* arr, const std::string& path, bool storage, const ScanRequest& req, std::vector<StoredItem>& items,
                std::vector<std::vector<std::string>>* writers, std::vector<Issue>& errors,
                std::vector<bool>* by_kelisim = nullptr) {
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    const json& e = (*arr)[i];
    if (!e.is_object()) {
      errors.push_back({p, "expected an object"});
      continue;
    }
    Fields f(e, p, errors);
    StoredItem item;
    item.name = f.str("name");
    item.domain = storage ? url_host(f.str("origin")) : f.str("domain");
    item.third_party = !first_party_host(req.site, item.domain);
    if (writers) {
      std::vector<std::string> hosts;
      bool kelisim_only = false;
      std::vector<std::string> set_by = f.strings("setBy");
      for (size_t k = 0; k < set_by.size(); ++k) {
        std::string h = url_host(set_by[k]);
        if (!h.empty()) add_unique(hosts, h);
        kelisim_only = kelisim_file(set_by[k]) && (k == 0 || kelisim_only);
      }
      writers->push_back(std::move(hosts));
      if (by_kelisim) by_kelisim->push_back(kelisim_only);
    }
    items.push_back(std::move(item));
  }
}

void read_urls(const json* arr, const std::string& path, std::vector<std::string>& urls, std::vector<Issue>& errors) {
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    const json& e = (*arr)[i];
    if (!e.is_object()) {
      errors.push_back({p, "expected an object"});
      continue;
    }
    Fields f(e, p, errors);
    urls.push_back(f.str("url"));
  }
}

bool read_request(const std::string& text_in, ScanRequest& req, std::vector<Issue>& errors) {
  json body = json::parse(text_in, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    errors.push_back({"", "the request is not a JSON object"});
    return false;
  }
  Fields f(body, "", errors);
  req.site = f.strings("site");
  req.language = f.str("language");
  std::string cookie_name = f.str("cookieName");
  if (!cookie_name.empty()) req.cookie_name = cookie_name;
  read_items(f.array("cookies"), "cookies", false, req, req.cookies, &req.cookie_writers, errors, &req.cookie_by_kelisim);
  read_items(f.array("storage"), "storage", true, req, req.storage, &req.storage_writers, errors);
  read_urls(f.array("requests"), "requests", req.urls, errors);
  if (const json* marks = f.array("marks")) {
    for (size_t i = 0; i < marks->size(); ++i) {
      std::string p = "marks[" + std::to_string(i) + "]";
      const json& e = (*marks)[i];
      if (!e.is_object()) {
        errors.push_back({p, "expected an object"});
        continue;
      }
      Fields m(e, p, errors);
      Mark mark;
      mark.url = m.str("url");
      mark.host = url_host(mark.url);
      if (first_party_host(req.site, mark.host)) mark.host.clear();
      std::string service = m.str("service");
      if (valid_name(service)) mark.service = service;
      mark.cookieconsent = split_names(m.str("cookieconsent"));
      std::string category = m.str("category");
      // "!x" gates an opt-out fallback: it says nothing about the element's own category.
      if (valid_name(category)) mark.category = category;
      for (const auto& n : mark.cookieconsent) {
        if (!mark.category.empty()) break;
        const char* target = cookiebot_target(n);
        mark.category = target ? target : (valid_name(n) ? n : "");
      }
      req.marks.push_back(std::move(mark));
    }
  }
  auto cfg = body.find("config");
  if (cfg != body.end() && !cfg->is_null()) {
    if (!cfg->is_string()) errors.push_back({"config", "expected the configuration's JSON text"});
    else {
      req.audit = true;
      req.config = cfg->get<std::string>();
      auto now = body.find("now");
      constexpr double kMaxMs = 253402300799999.0;
      if (now == body.end() || !now->is_number() || !std::isfinite(now->get<double>()) || now->get<double>() < 0 ||
          now->get<double>() > kMaxMs)
        errors.push_back({"now", "expected the current time in milliseconds"});
      else req.now_seconds = int64_t(now->get<double>() / 1000.0);
    }
  }
  if (const json* promise = f.object("promise")) {
    Fields fp(*promise, "promise", errors);
    for (const char* name : {"fresh", "rejected"}) {
      const json* ph = fp.object(name);
      if (!ph) continue;
      Phase& phase = std::string(name) == "fresh" ? req.fresh : req.rejected;
      std::string path = std::string("promise.") + name;
      Fields fph(*ph, path, errors);
      read_items(fph.array("cookies"), path + ".cookies", false, req, phase.cookies, nullptr, errors);
      read_items(fph.array("storage"), path + ".storage", true, req, phase.storage, nullptr, errors);
      read_urls(fph.array("requests"), path + ".requests", phase.urls, errors);
    }
  }
  return errors.empty();
}

// ---------------------------------------------------------------------------
// Attribution and the draft

/// Which drafted service a finding went to, and why.
struct Owner {
  std::string service;  ///< "" when nothing explains the finding
  std::string source;   ///< catalogue, markup, writer, host, open-cookie-database, kelisim
  std::string pattern;  ///< what the draft lists for it
  std::string about;    ///< the Open Cookie Database's description, when it classified it
};

struct DraftService {
  std::string name;
  std::string category;
  std::string text_id;  ///< the catalogue entry whose titles and descriptions it takes
  int ocd = -1;         ///< or the Open Cookie Database entry whose title it takes
  std::vector<std::string> cookies, storage, hosts, consent_mode;
  std::set<std::string> sources;
};

class Drafter {
 public:
  Drafter(const Catalogue& cat, const ScanRequest& req) : cat_(cat), req_(req) {}

  json run() {
    // Each mark's host and the catalogue's verdict on it; markup names win.
    std::vector<std::string> mark_urls;
    for (const auto& m : req_.marks) mark_urls.push_back(m.url);
    Classification marks = classify(cat_.known, {}, {}, mark_urls);
    for (size_t i = 0; i < req_.marks.size(); ++i) {
      const Mark& m = req_.marks[i];
      if (!m.service.empty() && !m.category.empty() && !markup_category_.count(m.service))
        markup_category_[m.service] = m.category;
      if (!m.host.empty() && (!host_marks_.count(m.host) || (host_marks_[m.host]->service.empty() && !m.service.empty())))
        host_marks_[m.host] = &m;
      if (!m.service.empty() && marks.urls[i].claimed()) {
        const std::string& id = cat_.known[marks.urls[i].service].name;
        if (id != m.service && !rename_.count(id)) rename_[id] = m.service;
      }
    }

    known_ = classify(cat_.known, req_.cookies, req_.storage, req_.urls);
    ocd_ = classify(cat_.ocd, req_.cookies, req_.storage, req_.urls);

    json requests = json::array();
    for (size_t i = 0; i < req_.urls.size(); ++i) requests.push_back(attribute_request(i));
    json cookies = json::array();
    for (size_t i = 0; i < req_.cookies.size(); ++i) cookies.push_back(attribute_item(i, false));
    json storage = json::array();
    for (size_t i = 0; i < req_.storage.size(); ++i) storage.push_back(attribute_item(i, true));
    place_markup();

    json out = json::object();
    out["requests"] = std::move(requests);
    out["cookies"] = std::move(cookies);
    out["storage"] = std::move(storage);
    out["draft"] = draft();
    json services = json::object();
    for (const auto* s : ordered()) {
      std::string title = s->text_id.empty() ? "" : cat_.title(s->text_id);
      if (title.empty() && s->ocd >= 0) title = cat_.ocd_titles[s->ocd];
      json sources = json::array();
      for (const auto& src : s->sources) sources.push_back(src);
      services[s->name] = {{"category", s->category}, {"title", title.empty() ? s->name : title}, {"sources", sources}};
    }
    out["services"] = std::move(services);
    out["warnings"] = std::move(warnings_);
    return out;
  }

 private:
  std::string renamed(const std::string& id) const {
    auto it = rename_.find(id);
    return it == rename_.end() ? id : it->second;
  }

  /// The drafted service `name`, created on first use: its category is the
  /// markup's when the site's markup names one, else `category`.
  DraftService* service(const std::string& name, const std::string& category, const std::string& text_id, int ocd) {
    auto it = services_.find(name);
    if (it == services_.end()) {
      auto mc = markup_category_.find(name);
      std::string cat = mc != markup_category_.end() ? mc->second : category;
      if (cat.empty()) return nullptr;
      DraftService s;
      s.name = name;
      s.category = cat;
      it = services_.emplace(name, std::move(s)).first;
    }
    DraftService& s = it->second;
    if (s.text_id.empty() && !text_id.empty()) s.text_id = text_id;
    if (s.text_id.empty() && cat_.known_index(name) >= 0) s.text_id = name;
    if (s.ocd < 0 && ocd >= 0) s.ocd = ocd;
    if (!s.text_id.empty()) {
      int k = cat_.known_index(s.text_id);
      if (k >= 0)
        for (const auto& t : cat_.known_consent[k]) add_unique(s.consent_mode, t);
    }
    return &s;
  }

  DraftService* known_service(int index) {
    const ScanService& k = cat_.known[index];
    return service(renamed(k.name), k.category, k.name, -1);
  }
  DraftService* ocd_service(int index) {
    const ScanService& o = cat_.ocd[index];
    std::string name = renamed(o.name);
    // An Open Cookie Database platform that is also a catalogue entry takes its texts.
    return service(name, o.category, cat_.known_index(o.name) >= 0 ? o.name : "", index);
  }

  json verdict(const Owner& o, const std::string& category) {
    json v = json::object();
    v["service"] = o.service.empty() ? json(nullptr) : json(o.service);
    v["category"] = category.empty() ? json(nullptr) : json(category);
    v["source"] = o.source.empty() ? json(nullptr) : json(o.source);
    if (!o.about.empty()) v["about"] = o.about;
    return v;
  }

  std::string category_of(const std::string& service) const {
    auto it = services_.find(service);
    return it == services_.end() ? "" : it->second.category;
  }

  void warn(const char* kind, const std::string& name, const std::string& message) {
    std::string key = std::string(kind) + "\n" + name + "\n" + message;
    if (!warned_.insert(key).second) return;
    warnings_.push_back({{"kind", kind}, {"name", name}, {"message", message}});
  }

  json attribute_request(size_t i) {
    const std::string& url = req_.urls[i];
    std::string host = url_host(url);
    bool third = !host.empty() && !first_party_host(req_.site, host);
    Owner o;
    DraftService* s = nullptr;
    const Claim& k = known_.urls[i];
    if (third) {
      auto hm = host_marks_.find(host);
      const Mark* m = hm == host_marks_.end() ? nullptr : hm->second;
      std::string mark_category = m ? m->category : "";
      if (m && !m->service.empty()) {
        // The site's own markup gates this host under a service name: its
        // name (and category, when given) win over the catalogue's.
        std::string category = mark_category;
        std::string text_id;
        int ocd = -1;
        if (k.claimed()) {
          text_id = cat_.known[k.service].name;
          if (category.empty()) category = cat_.known[k.service].category;
        } else if (ocd_.urls[i].claimed()) {
          ocd = ocd_.urls[i].service;
          if (category.empty()) category = cat_.ocd[ocd].category;
        }
        s = service(m->service, category, text_id, ocd);
        if (s) o = {s->name, "markup", host, ""};
        else
          warn("host", host,
               "the markup gates " + host + " as service \"" + m->service + "\" but names no category: place it in a category");
      } else if (k.claimed()) {
        const ScanService& svc = cat_.known[k.service];
        s = service(renamed(svc.name), mark_category.empty() ? svc.category : mark_category, svc.name, -1);
        o = {s->name, m ? "markup" : "catalogue", k.kind == ClaimKind::host ? svc.hosts[k.pattern] : host, ""};
      } else if (const DraftService* w = writer_of(host)) {
        s = &services_[w->name];
        o = {w->name, "writer", host, ""};
      } else if (ocd_.urls[i].claimed()) {
        const Claim& c = ocd_.urls[i];
        const ScanService& svc = cat_.ocd[c.service];
        s = service(renamed(svc.name), mark_category.empty() ? svc.category : mark_category,
                    cat_.known_index(svc.name) >= 0 ? svc.name : "", c.service);
        o = {s->name, "open-cookie-database", host, ""};
        warn("host", host,
             host + ": classified by the Open Cookie Database as " + cat_.ocd_titles[c.service] + " (" + s->category +
                 "): check it");
      } else if (!mark_category.empty()) {
        s = service(host_service_name(host), mark_category, "", -1);
        o = {s->name, "markup", host, ""};
      } else {
        warn("host", host, "third-party host " + host + " belongs to no known service: add it to a service's \"hosts\"");
      }
      if (s) {
        s->sources.insert(o.source);
        host_owner_[host] = s->name;
        if (valid_host_pattern(o.pattern)) add_unique(s->hosts, o.pattern);
        else
          warn("host", host, "host " + host + " (" + s->name + ") cannot be written as a host pattern: block it some other way");
      }
    }
    json v = verdict(o, s ? s->category : "");
    v["thirdParty"] = third;
    v["host"] = host;
    return v;
  }

  /// The service owning a third-party host from which a script set a cookie
  /// or key that the catalogue recognises by name ("hs.js on this host wrote
  /// hubspotutk, so this host is HubSpot's").
  const DraftService* writer_of(const std::string& host) {
    for (int pass = 0; pass < 2; ++pass) {
      const auto& items = pass == 0 ? req_.cookies : req_.storage;
      const auto& writers = pass == 0 ? req_.cookie_writers : req_.storage_writers;
      const auto& claims = pass == 0 ? known_.cookies : known_.storage;
      for (size_t j = 0; j < items.size(); ++j) {
        const Claim& c = claims[j];
        if (!c.claimed() || c.kind == ClaimKind::host_domain) continue;
        if (std::find(writers[j].begin(), writers[j].end(), host) == writers[j].end()) continue;
        return known_service(c.service);
      }
    }
    return nullptr;
  }

  /// A service name for a host the markup gates without naming a service.
  static std::string host_service_name(const std::string& host) {
    std::string out;
    for (char c : host) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (ok) out.push_back(c);
      else if (!out.empty() && out.back() != '-') out.push_back('-');
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 64) out.resize(64);
    return out.empty() ? "third-party" : out;
  }

  json attribute_item(size_t i, bool storage) {
    const StoredItem& item = storage ? req_.storage[i] : req_.cookies[i];
    const auto& writers = storage ? req_.storage_writers[i] : req_.cookie_writers[i];
    const Claim& k = storage ? known_.storage[i] : known_.cookies[i];
    const Claim& oc = storage ? ocd_.storage[i] : ocd_.cookies[i];
    const char* kind = storage ? "storage" : "cookie";
    Owner o;
    DraftService* s = nullptr;
    std::string where = item.third_party ? " on " + item.domain : "";

    // kelisim's own: its consent cookie, and the CookieConsent its Cookiebot compatibility writes.
    bool own = storage ? item.name.compare(0, 8, "kelisim:") == 0
                       : item.name == req_.cookie_name || (item.name == "CookieConsent" && req_.cookie_by_kelisim[i]);
    if (own && !item.third_party) {
      o = {"", "kelisim", "", ""};
    } else if (k.claimed() && k.kind != ClaimKind::host_domain) {
      s = known_service(k.service);
      const ScanService& svc = cat_.known[k.service];
      const auto& list = k.kind == ClaimKind::cookie    ? svc.cookies
                         : k.kind == ClaimKind::storage ? svc.storage
                                                        : svc.third_party_cookies;
      o = {s->name, "catalogue", list[k.pattern], ""};
    } else if (std::string owner = item.third_party ? covering_owner(item, storage) : ""; !owner.empty()) {
      s = &services_[owner];
      o = {owner, "host", item.name, ""};
    } else if (std::string w = writer_owner(writers); !w.empty()) {
      s = &services_[w];
      o = {w, "writer", item.name, ""};
    } else if (oc.claimed()) {
      const ScanService& svc = cat_.ocd[oc.service];
      s = ocd_service(oc.service);
      std::string pattern = item.name;
      if (oc.kind == ClaimKind::cookie) pattern = svc.cookies[oc.pattern];
      else if (oc.kind == ClaimKind::third_party_cookie) pattern = svc.third_party_cookies[oc.pattern];
      auto about = cat_.ocd_about[oc.service].find(pattern);
      o = {s ? s->name : "", "open-cookie-database", pattern, about == cat_.ocd_about[oc.service].end() ? "" : about->second};
      if (s)
        warn(kind, item.name,
             std::string(kind) + " " + item.name + where + ": classified by the Open Cookie Database as " +
                 cat_.ocd_titles[oc.service] + " (" + s->category + "): check it");
    } else {
      warn(kind, item.name,
           std::string(kind) + " " + item.name + where + " belongs to no known service: add it to a service's \"" +
               (storage ? "storage" : "cookies") + "\" (or remove what sets it)");
    }
    if (s) {
      s->sources.insert(o.source);
      if (valid_name_pattern(o.pattern)) add_unique(storage ? s->storage : s->cookies, o.pattern);
      else
        warn(kind, item.name,
             std::string(kind) + " \"" + item.name + "\" (" + s->name +
                 ") cannot be written as a kelisim pattern (spaces, ';', ',' or '=')");
    }
    json v = verdict(o, s ? s->category : (o.source == "kelisim" ? "necessary" : ""));
    v["thirdParty"] = item.third_party;
    return v;
  }

  /// The service owning a host that can have written this third-party item.
  std::string covering_owner(const StoredItem& item, bool storage) const {
    for (const auto& kv : host_owner_) {
      bool covered = storage ? host_match(kv.first, std::string(item.domain)) : cookie_domain_covered(kv.first, item.domain);
      if (covered) return kv.second;
    }
    return "";
  }

  std::string writer_owner(const std::vector<std::string>& writers) const {
    for (const auto& h : writers) {
      auto it = host_owner_.find(h);
      if (it != host_owner_.end()) return it->second;
    }
    return "";
  }

  /// Services and categories the markup names must exist, or its gates never open.
  void place_markup() {
    for (const auto& m : req_.marks) {
      if (!m.service.empty() && !services_.count(m.service)) {
        int k = cat_.known_index(m.service);
        std::string category = k >= 0 ? cat_.known[k].category : "";
        if (DraftService* s = service(m.service, category, k >= 0 ? m.service : "", -1)) s->sources.insert("markup");
        else
          warn("markup", m.service,
               "the markup names service \"" + m.service + "\" but no category for it: add it to \"services\" with a category");
      }
      if (!m.category.empty()) add_unique(extra_categories_, m.category);
      for (const auto& n : m.cookieconsent) {
        const char* target = cookiebot_target(n);
        if (target) {
          add_unique(extra_categories_, target);
          if (n != target) aliases_[n] = target;
        } else if (!valid_name(n)) {
          warn("markup", n, "data-cookieconsent names \"" + n + "\", which cannot be a category name");
        } else if (!services_.count(n)) {
          add_unique(extra_categories_, n);
        }
      }
    }
  }

  int category_rank(const std::string& name) const {
    for (size_t i = 0; i < cat_.categories.size(); ++i)
      if (cat_.categories[i].name == name) return static_cast<int>(i);
    return static_cast<int>(cat_.categories.size());
  }

  std::vector<const DraftService*> ordered() const {
    std::vector<const DraftService*> out;
    for (const auto& kv : services_) out.push_back(&kv.second);
    std::stable_sort(out.begin(), out.end(), [this](const DraftService* a, const DraftService* b) {
      int ra = category_rank(a->category), rb = category_rank(b->category);
      return ra != rb ? ra < rb : a->name < b->name;
    });
    return out;
  }

  json draft() {
    std::vector<std::string> used = {"necessary"};
    for (const auto* s : ordered()) add_unique(used, s->category);
    for (const auto& c : extra_categories_) add_unique(used, c);
    std::stable_sort(used.begin(), used.end(),
                     [this](const std::string& a, const std::string& b) { return category_rank(a) < category_rank(b); });

    json categories = json::object();
    for (const auto& name : used) {
      json c = json::object();
      const CatalogueCategory* cc = cat_.category(name);
      std::vector<std::string> modes = cc ? cc->consent_mode : std::vector<std::string>{};
      for (const auto* s : ordered())
        if (s->category == name)
          for (const auto& t : s->consent_mode) add_unique(modes, t);
      std::vector<std::string> sorted;  // in Google's order
      for (const auto& t : consent_mode_types())
        if (std::find(modes.begin(), modes.end(), t) != modes.end()) sorted.push_back(t);
      if (name == "necessary" || (cc && cc->required)) c["required"] = true;
      else {
        if (!sorted.empty()) c["consentMode"] = sorted;
        if (cc && cc->gpc_deny) c["gpc"] = "deny";
      }
      categories[name] = std::move(c);
    }

    json services = json::object();
    std::map<std::string, json> texts;  // language -> services
    for (const auto* s : ordered()) {
      services[s->name] = {{"category", s->category}, {"cookies", s->cookies}, {"storage", s->storage}, {"hosts", s->hosts}};
      for (const char* lang : {"kk", "ru", "en"}) {
        json t = json::object();
        std::string title = s->text_id.empty() ? "" : cat_.title(s->text_id, lang);
        if (title.empty() && s->ocd >= 0) title = cat_.ocd_titles[s->ocd];
        if (!title.empty()) t["title"] = title;
        auto l = cat_.texts.find(lang);
        if (!s->text_id.empty() && l != cat_.texts.end()) {
          auto d = l->second.find("services." + s->text_id + ".description");
          if (d != l->second.end()) t["description"] = d->second;
        }
        if (!t.empty()) texts[lang][s->name] = std::move(t);
      }
    }

    json aliases = json::object();
    for (const auto& kv : aliases_)
      if (!categories.contains(kv.first) && !services.contains(kv.first) && categories.contains(kv.second))
        aliases[kv.first] = kv.second;

    std::string lang = req_.language.substr(0, 2);
    if (lang != "kk" && lang != "ru" && lang != "en") lang = "en";
    json translations = json::object();
    for (const char* l : {"kk", "ru", "en"}) {
      json t = json::object();
      if (texts.count(l)) t["services"] = texts[l];
      translations[l] = std::move(t);
    }

    json out = json::object();
    out["revision"] = 1;
    out["categories"] = std::move(categories);
    if (!aliases.empty()) out["aliases"] = std::move(aliases);
    out["services"] = std::move(services);
    out["language"] = {{"default", lang}, {"translations", std::move(translations)}};
    return out;
  }

  const Catalogue& cat_;
  const ScanRequest& req_;
  Classification known_, ocd_;
  std::map<std::string, std::string> rename_;           ///< catalogue id -> the name the markup uses
  std::map<std::string, std::string> markup_category_;  ///< service -> category, from the markup
  std::map<std::string, const Mark*> host_marks_;
  std::map<std::string, std::string> host_owner_;  ///< third-party host -> drafted service
  std::map<std::string, DraftService> services_;
  std::vector<std::string> extra_categories_;
  std::map<std::string, std::string> aliases_;
  std::set<std::string> warned_;
  json warnings_ = json::array();
};

// ---------------------------------------------------------------------------
// The audit against the site's configuration

/// Every service claiming the third-party item: the engine's rule is that a
/// host is blocked only while all services claiming it are not allowed.
bool third_party_allowed(const Config& cfg, const Status& st, const std::vector<ScanService>& site, const StoredItem& item,
                         bool storage, std::vector<std::string>& claimants) {
  bool any_allowed = false;
  for (const auto& s : site) {
    bool claims =
        storage ? std::any_of(s.storage.begin(), s.storage.end(), [&](const std::string& p) { return glob_match(p, item.name); })
                : std::any_of(s.cookies.begin(), s.cookies.end(), [&](const std::string& p) { return glob_match(p, item.name); });
    for (const auto& h : s.hosts)
      claims = claims || (storage ? host_match(h, std::string(item.domain)) : cookie_domain_covered(h, item.domain));
    if (!claims) continue;
    claimants.push_back(s.name);
    any_allowed = any_allowed || is_allowed(cfg, st, s.name);
  }
  return claimants.empty() || any_allowed;
}

json claim_json(const std::vector<ScanService>& site, const Claim& c) {
  if (!c.claimed()) return nullptr;
  return {{"service", site[c.service].name}, {"category", site[c.service].category}, {"how", claim_kind_name(c.kind)}};
}

json audit(const Config& cfg, const ScanRequest& req) {
  std::vector<ScanService> site = scan_services(cfg);
  Classification c = classify(site, req.cookies, req.storage, req.urls);

  // What each pattern of the configuration was matched by, for "declared but never seen".
  std::set<std::string> used;  // "service\nkind\nindex"
  auto mark_used = [&](const Claim& cl) {
    if (!cl.claimed() || cl.pattern < 0) return;
    const char* list = cl.kind == ClaimKind::cookie ? "cookies" : cl.kind == ClaimKind::storage ? "storage" : "hosts";
    used.insert(site[cl.service].name + "\n" + list + "\n" + std::to_string(cl.pattern));
  };

  json out = json::object();
  json undeclared = json::array();
  json cookies = json::array();
  for (size_t i = 0; i < req.cookies.size(); ++i) {
    const Claim& cl = c.cookies[i];
    mark_used(cl);
    bool own = !req.cookies[i].third_party &&
               (req.cookies[i].name == cfg.cookie.name || (cfg.compat_cookiebot && req.cookies[i].name == "CookieConsent"));
    cookies.push_back(own ? json({{"service", nullptr}, {"kelisim", true}}) : claim_json(site, cl));
    if (!own && !cl.claimed())
      undeclared.push_back({{"kind", "cookie"}, {"index", i}, {"name", req.cookies[i].name}, {"domain", req.cookies[i].domain}});
  }
  json storage = json::array();
  for (size_t i = 0; i < req.storage.size(); ++i) {
    const Claim& cl = c.storage[i];
    mark_used(cl);
    bool own = !req.storage[i].third_party && req.storage[i].name.compare(0, 8, "kelisim:") == 0;
    storage.push_back(own ? json({{"service", nullptr}, {"kelisim", true}}) : claim_json(site, cl));
    if (!own && !cl.claimed())
      undeclared.push_back({{"kind", "storage"}, {"index", i}, {"name", req.storage[i].name}, {"domain", req.storage[i].domain}});
  }
  json requests = json::array();
  std::map<std::string, json> hosts;  // undeclared host -> request indices
  std::vector<std::string> host_order;
  for (size_t i = 0; i < req.urls.size(); ++i) {
    const Claim& cl = c.urls[i];
    mark_used(cl);
    std::string host = url_host(req.urls[i]);
    bool third = !host.empty() && !first_party_host(req.site, host);
    requests.push_back(third ? claim_json(site, cl) : json(nullptr));
    if (third && !cl.claimed()) {
      if (!hosts.count(host)) {
        hosts[host] = json::array();
        host_order.push_back(host);
      }
      hosts[host].push_back(i);
    }
  }
  for (const auto& h : host_order) undeclared.push_back({{"kind", "host"}, {"name", h}, {"requests", hosts[h]}});

  json unseen = json::array();
  for (const auto& s : site) {
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"cookies", &s.cookies}, {"storage", &s.storage}, {"hosts", &s.hosts}};
    for (const auto& l : lists)
      for (size_t i = 0; i < l.second->size(); ++i)
        if (!used.count(s.name + "\n" + l.first + "\n" + std::to_string(i)))
          unseen.push_back({{"service", s.name}, {"kind", l.first}, {"pattern", (*l.second)[i]}});
  }

  // The promise: nothing of a service that is not allowed, before any
  // decision and after "reject all". The states are the engine's own.
  Status fresh = evaluate(cfg, "", req.now_seconds);
  Choice reject;
  reject.method = Method::reject_all;
  reject.preset = Method::reject_all;
  DecideResult d = decide(cfg, fresh, reject, false, req.now_seconds, std::array<uint8_t, 16>{});
  Status rejected = evaluate(cfg, d.cookie_value, req.now_seconds);

  json violations = json::array();
  for (int p = 0; p < 2; ++p) {
    const Phase& phase = p == 0 ? req.fresh : req.rejected;
    const Status& st = p == 0 ? fresh : rejected;
    const char* name = p == 0 ? "fresh" : "rejected";
    Classification pc = classify(site, phase.cookies, phase.storage, phase.urls);
    auto services_of = [&](const Claim& cl, std::vector<std::string> extra) {
      if (cl.claimed()) add_unique(extra, site[cl.service].name);
      json arr = json::array();
      for (const auto& s : extra)
        arr.push_back({{"service", s}, {"category", cfg.find_service(s) ? cfg.find_service(s)->category : ""}});
      return arr;
    };
    for (size_t i = 0; i < phase.urls.size(); ++i) {
      std::string host = url_host(phase.urls[i]);
      if (host.empty() || first_party_host(req.site, host) || url_allowed(cfg, st, phase.urls[i])) continue;
      violations.push_back(
          {{"phase", name}, {"kind", "request"}, {"index", i}, {"host", host}, {"services", services_of(pc.urls[i], {})}});
    }
    for (int kind = 0; kind < 2; ++kind) {
      bool is_storage = kind == 1;
      const auto& items = is_storage ? phase.storage : phase.cookies;
      const auto& claims = is_storage ? pc.storage : pc.cookies;
      for (size_t i = 0; i < items.size(); ++i) {
        const StoredItem& item = items[i];
        std::vector<std::string> claimants;
        bool ok = item.third_party ? third_party_allowed(cfg, st, site, item, is_storage, claimants)
                                   : (is_storage ? storage_allowed(cfg, st, item.name) : cookie_allowed(cfg, st, item.name));
        if (ok) continue;
        violations.push_back({{"phase", name},
                              {"kind", is_storage ? "storage" : "cookie"},
                              {"index", i},
                              {"name", item.name},
                              {"domain", item.domain},
                              {"services", services_of(claims[i], claimants)}});
      }
    }
  }

  out["cookies"] = std::move(cookies);
  out["storage"] = std::move(storage);
  out["requests"] = std::move(requests);
  out["undeclared"] = std::move(undeclared);
  out["unseen"] = std::move(unseen);
  out["violations"] = std::move(violations);
  return out;
}

}  // namespace

std::string api_scan(const std::string& catalogue_text, const std::string& request_text) {
  Catalogue cat;
  std::vector<Issue> errors;
  if (!read_catalogue(catalogue_text, cat, errors)) return failure("invalid-catalogue", "invalid scanner catalogue", errors);
  ScanRequest req;
  if (!read_request(request_text, req, errors)) return failure("invalid-request", "invalid scan request", errors);

  ParseResult site;
  if (req.audit) {
    site = parse_config(std::string_view(req.config));
    if (!site.ok) return failure("invalid-config", "invalid kelisim configuration", site.errors);
    req.cookie_name = site.config.cookie.name;
  }

  Drafter drafter(cat, req);
  json out = drafter.run();
  ParseResult checked = parse_config(std::string_view(text(out["draft"])));
  out["draftErrors"] = issues_json(checked.errors);
  if (req.audit) out["audit"] = audit(site.config, req);

  json answer = {{"ok", true}};
  for (auto it = out.begin(); it != out.end(); ++it) answer[it.key()] = std::move(it.value());
  return text(answer);
}

}  // namespace kelisim
