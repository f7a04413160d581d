#include "kelisim/json.hpp"

#include <cmath>
#include <cstdlib>

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

/// A strict JSON reader (RFC 8259, what nlohmann's parser accepts): iterative,
/// so nesting costs heap, not stack.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool read(Json& root) {
    if (!text_.empty() && static_cast<unsigned char>(text_[0]) == 0xEF) {  // a UTF-8 byte order mark
      if (text_.substr(0, 3) != "\xEF\xBB\xBF") return false;
      i_ = 3;
    }
    std::vector<Json*> open;
    for (;;) {
      space();
      Json value;
      if (!scalar_or_container(value)) return false;
      bool container = value.is_object() || value.is_array();
      Json* placed = place(root, open, std::move(value));
      if (container) {
        open.push_back(placed);
        space();
        if (i_ < text_.size() && text_[i_] == (placed->is_object() ? '}' : ']')) {
          ++i_;
          open.pop_back();
        } else {
          if (placed->is_object() && !key()) return false;
          continue;
        }
      }
      // After a value: close what ends here, then a comma or the end.
      for (;;) {
        space();
        // A NUL byte ends the text, as in nlohmann's lexer (there only a string may not hold one).
        if (open.empty()) return i_ == text_.size() || text_[i_] == '\0';
        if (i_ == text_.size()) return false;
        char c = text_[i_++];
        bool object = open.back()->is_object();
        if (c == ',') {
          if (object && !key()) return false;
          break;
        }
        if (c != (object ? '}' : ']')) return false;
        open.pop_back();
      }
    }
  }

 private:
  void space() {
    while (i_ < text_.size() && (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) ++i_;
  }
  bool word(std::string_view w) {
    if (text_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  Json* place(Json& root, std::vector<Json*>& open, Json value) {
    if (open.empty()) return &(root = std::move(value));
    Json& parent = *open.back();
    if (parent.is_object()) return &(parent[key_] = std::move(value));
    return &parent.push_back(std::move(value));
  }
  /// A member's name and its colon.
  bool key() {
    space();
    if (i_ == text_.size() || text_[i_] != '"' || !string(key_)) return false;
    space();
    return i_ < text_.size() && text_[i_++] == ':';
  }
  bool scalar_or_container(Json& out) {
    if (i_ == text_.size()) return false;
    switch (text_[i_]) {
      case '{':
        ++i_;
        out = Json::object();
        return true;
      case '[':
        ++i_;
        out = Json::array();
        return true;
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = Json(std::move(s));
        return true;
      }
      case 't': out = true; return word("true");
      case 'f': out = false; return word("false");
      case 'n': out = Json(); return word("null");
      default: return number(out);
    }
  }
  int hex4() {
    if (text_.size() - i_ < 4) return -1;
    int v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text_[i_++];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }
  bool string(std::string& out) {
    out.clear();
    ++i_;  // the opening quote
    for (;;) {
      size_t run = i_;
      while (i_ < text_.size() && static_cast<unsigned char>(text_[i_]) >= 0x20 && text_[i_] != '"' && text_[i_] != '\\' &&
             static_cast<unsigned char>(text_[i_]) < 0x80)
        ++i_;
      out.append(text_.data() + run, i_ - run);
      if (i_ == text_.size()) return false;
      unsigned char c = static_cast<unsigned char>(text_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        size_t bad = 0, n = utf8_sequence(text_, i_, bad);
        if (!n) return false;
        out.append(text_.data() + i_, n);
        i_ += n;
        continue;
      }
      // An escape.
      if (++i_ == text_.size()) return false;
      char e = text_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          long cp = hex4();
          if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate: its low one must follow
            if (!word("\\u")) return false;
            long low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          if (cp < 0x80) out += char(cp);
          else if (cp < 0x800) (out += char(0xC0 | cp >> 6)) += char(0x80 | (cp & 0x3F));
          else if (cp < 0x10000) ((out += char(0xE0 | cp >> 12)) += char(0x80 | (cp >> 6 & 0x3F))) += char(0x80 | (cp & 0x3F));
          else
            (((out += char(0xF0 | cp >> 18)) += char(0x80 | (cp >> 12 & 0x3F))) += char(0x80 | (cp >> 6 & 0x3F))) +=
                char(0x80 | (cp & 0x3F));
          break;
        }
        default: return false;
      }
    }
  }
  bool digits() {
    size_t start = i_;
    while (i_ < text_.size() && text_[i_] >= '0' && text_[i_] <= '9') ++i_;
    return i_ > start;
  }
  bool number(Json& out) {
    size_t start = i_;
    bool negative = text_[i_] == '-';
    if (negative) ++i_;
    if (i_ == text_.size() || text_[i_] < '0' || text_[i_] > '9') return false;
    if (text_[i_] == '0') ++i_;
    else digits();
    bool integer = true;
    if (i_ < text_.size() && text_[i_] == '.') {
      ++i_;
      if (!digits()) return false;
      integer = false;
    }
    if (i_ < text_.size() && (text_[i_] == 'e' || text_[i_] == 'E')) {
      ++i_;
      if (i_ < text_.size() && (text_[i_] == '+' || text_[i_] == '-')) ++i_;
      if (!digits()) return false;
      integer = false;
    }
    if (integer) {
      uint64_t u = 0;
      bool fits = true;
      for (size_t k = start + negative; k < i_; ++k) {
        unsigned d = unsigned(text_[k] - '0');
        if (u > (UINT64_MAX - d) / 10) fits = false;
        u = u * 10 + d;
      }
      if (fits && !negative) {
        out = Json(u > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(u));
        return true;
      }
      if (fits && u <= uint64_t(INT64_MAX) + 1) {
        out = Json(int64_t(0 - u));
        return true;
      }
    }
    std::string token(text_.substr(start, i_ - start));  // strtod needs the end marked
    double d = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(d)) return false;
    out = Json::number(d);
    return true;
  }

  std::string_view text_;
  size_t i_ = 0;
  std::string key_;
};

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
  if (Reader(text).read(out)) return true;
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
