#include "kelisim/json.hpp"

#include <nlohmann/json.hpp>

namespace kelisim {

Json::Json(const std::vector<std::string>& strings) : type_(Type::array) {
  items_.reserve(strings.size());
  for (const std::string& s : strings) items_.push_back({std::string(), Json(s)});
}

Json Json::number(double d) {
  Json v;
  v.type_ = Type::number;
  v.num_ = d;
  return v;
}

Json Json::array() {
  Json v;
  v.type_ = Type::array;
  return v;
}

Json Json::object() {
  Json v;
  v.type_ = Type::object;
  return v;
}

Json::~Json() {
  // The vector's own destructor would recurse once per level of nesting, and
  // a request may nest arrays a hundred thousand deep: the containers below
  // are listed, each after its parent, then emptied from the last, so that
  // each one's elements are leaves by then and no destructor recurses further.
  std::vector<Json*> below;
  auto list = [&below](std::vector<Member>& items) {
    for (Member& m : items)
      if (!m.value.items_.empty()) below.push_back(&m.value);
  };
  list(items_);
  for (size_t k = 0; k < below.size(); ++k) list(below[k]->items_);
  for (size_t k = below.size(); k-- > 0;) below[k]->items_.clear();
}

const Json* Json::find(std::string_view key) const {
  if (type_ == Type::object)
    for (const Member& m : items_)
      if (m.key == key) return &m.value;
  return nullptr;
}

Json& Json::operator[](std::string_view key) {
  if (type_ != Type::object) *this = object();
  for (Member& m : items_)
    if (m.key == key) return m.value;
  items_.push_back({std::string(key), Json()});
  return items_.back().value;
}

Json& Json::push_back(Json value) {
  if (type_ != Type::array) *this = array();
  items_.push_back({std::string(), std::move(value)});
  return items_.back().value;
}

void Json::update(Json other) {
  for (Member& m : other.items_) (*this)[m.key] = std::move(m.value);
}

namespace {

/// nlohmann_json's SAX events straight into a Json: no DOM of its own, no copies.
class Builder {
 public:
  explicit Builder(Json& root) : root_(root) {}

  bool null() { return add(Json()); }
  bool boolean(bool b) { return add(Json(b)); }
  bool number_integer(int64_t n) { return add(Json(n)); }
  bool number_unsigned(uint64_t n) { return add(Json(n > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(n))); }
  bool number_float(double d, const std::string&) { return add(Json::number(d)); }
  bool string(std::string& s) { return add(Json(std::move(s))); }
  bool binary(nlohmann::json::binary_t&) { return false; }  // only binary formats have these
  bool start_object(size_t) { return open(Json::object()); }
  bool key(std::string& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(size_t) { return open(Json::array()); }
  bool end_array() { return close(); }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  Json& place(Json value) {
    if (open_.empty()) return root_ = std::move(value);
    Json& parent = *open_.back();
    // A repeated key keeps its first place and takes the last value (as nlohmann's ordered_json did).
    if (parent.is_object()) return parent[key_] = std::move(value);
    return parent.push_back(std::move(value));
  }
  bool add(Json value) {
    place(std::move(value));
    return true;
  }
  // Only the innermost open container grows, so the pointers to those around it stay valid.
  bool open(Json container) {
    open_.push_back(&place(std::move(container)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Json*> open_;
  std::string key_;
};

constexpr char kHex[] = "0123456789abcdef";

/// The length of the valid UTF-8 sequence that starts at s[i] (a byte >= 0x80),
/// or 0 when there is none; then `bad` is the length of the invalid start
/// (the lead byte and the continuation bytes that fitted), at least 1.
size_t utf8_sequence(std::string_view s, size_t i, size_t& bad) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  unsigned char lo = 0x80, hi = 0xBF;
  size_t n = 0;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;  // no overlong forms
    if (b == 0xED) hi = 0x9F;  // no surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  }
  bad = 1;
  if (n == 0) return 0;
  for (size_t k = 1; k < n; ++k, lo = 0x80, hi = 0xBF) {
    unsigned char c = i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
    if (c < lo || c > hi) {
      bad = k;
      return 0;
    }
  }
  return n;
}

void write_integer(std::string& out, int64_t v) {
  char buf[20];
  char* p = buf + sizeof buf;
  uint64_t u = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
  do *--p = char('0' + u % 10);
  while (u /= 10);
  if (v < 0) *--p = '-';
  out.append(p, size_t(buf + sizeof buf - p));
}

void write_value(std::string& out, const Json& v) {
  switch (v.type()) {
    case Json::Type::boolean: out += v.boolean() ? "true" : "false"; return;
    case Json::Type::integer: write_integer(out, v.integer()); return;
    case Json::Type::string: write_json_string(out, v.string()); return;
    case Json::Type::array:
    case Json::Type::object: {
      bool object = v.is_object();
      out += object ? '{' : '[';
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (i) out += ',';
        const Json::Member& m = v.items()[i];
        if (object) {
          write_json_string(out, m.key);
          out += ':';
        }
        write_value(out, m.value);
      }
      out += object ? '}' : ']';
      return;
    }
    // null, and a number with a fraction: the engine's answers hold none (only
    // parsed input does), so no floating-point formatting is compiled in.
    default: out += "null"; return;
  }
}

}  // namespace

bool parse_json(std::string_view text, Json& out) {
  out = Json();
  Builder builder(out);
  if (nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &builder)) return true;
  out = Json();
  return false;
}

void write_json_string(std::string& out, std::string_view s) {
  out += '"';
  size_t plain = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t bad = 0, n = c < 0x80 ? 1 : utf8_sequence(s, i, bad);
    bool escape = c < 0x20 || c == '"' || c == '\\';
    if (n && !escape) {
      i += n;
      continue;
    }
    out.append(s.data() + plain, i - plain);
    if (!n) {
      out += "\xEF\xBF\xBD";  // U+FFFD for each invalid sequence
      i += bad;
    } else {
      out += '\\';
      switch (c) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '\b': out += 'b'; break;
        case '\t': out += 't'; break;
        case '\n': out += 'n'; break;
        case '\f': out += 'f'; break;
        case '\r': out += 'r'; break;
        default:
          out += "u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
      }
      ++i;
    }
    plain = i;
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

std::string write_json(const Json& value) {
  std::string out;
  write_value(out, value);
  return out;
}

}  // namespace kelisim
