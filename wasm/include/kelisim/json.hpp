// kelisim's own JSON value: what the engine reads configurations and
// requests into and builds its answers from. Objects keep their members in
// insertion order (the answers' key order is part of what the shim reads).
// Reading and writing are kelisim's own (json.cpp): parse_json accepts exactly
// what nlohmann_json's parser accepts (the tests and fuzz_config hold it to
// that), so the shipped wasm carries nothing of nlohmann.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kelisim {

class Json {
 public:
  enum class Type : uint8_t { null, boolean, integer, number, string, array, object };
  struct Member;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : type_(Type::boolean), int_(b) {}
  /// Any integer type but bool (values beyond int64_t are the caller's to avoid).
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Json(T n) : type_(Type::integer), int_(static_cast<int64_t>(n)) {}
  Json(const char* s) : type_(Type::string), str_(s) {}
  Json(std::string s) : type_(Type::string), str_(std::move(s)) {}
  /// An array of strings.
  Json(const std::vector<std::string>& strings);
  /// A number with a fraction or an exponent (only parsed input holds one).
  static Json number(double d);
  static Json array();
  static Json object();

  // Values are moved, never copied: the engine builds each answer once.
  Json(Json&&) noexcept = default;
  Json& operator=(Json&&) noexcept = default;
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;
  ~Json();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_boolean() const { return type_ == Type::boolean; }
  bool is_integer() const { return type_ == Type::integer; }
  bool is_number() const { return type_ == Type::integer || type_ == Type::number; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }

  /// The value of a boolean, an integer, any number, a string (each only meaningful for its type).
  bool boolean() const { return int_ != 0; }
  int64_t integer() const { return int_; }
  double number() const { return type_ == Type::integer ? static_cast<double>(int_) : num_; }
  const std::string& string() const { return str_; }

  /// An array's elements (with empty keys) or an object's members, in order.
  const std::vector<Member>& items() const { return items_; }
  size_t size() const;
  bool empty() const;
  /// An object's member, or nullptr when it has none of that name (or is not an object).
  const Json* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }

  /// An object's member, appended (null) when absent; a null value becomes an object first.
  Json& operator[](std::string_view key);
  /// Appends to an array (a null value becomes an array first); returns the new element.
  Json& push_back(Json value);
  /// Sets each of `other`'s members (an object) in this object, in order.
  void update(Json other);

 private:
  Type type_ = Type::null;
  union {
    int64_t int_ = 0;  // boolean and integer
    double num_;
  };
  std::string str_;
  std::vector<Member> items_;
};

struct Json::Member {
  std::string key;
  Json value;
};

inline size_t Json::size() const { return items_.size(); }
inline bool Json::empty() const { return items_.empty(); }

/// JSON text to a value. False (and `out` null) when the text is not JSON:
/// exactly what nlohmann_json's parser rejects (RFC 8259, strict UTF-8, a
/// leading byte order mark skipped, a NUL byte outside a string ending the
/// text). Never aborts; nesting costs heap, not stack. Numbers without a
/// fraction or an exponent are integers (above INT64_MAX: INT64_MAX; beyond
/// 64 bits: a number); a number that is not a finite double is not JSON.
bool parse_json(std::string_view text, Json& out);

/// Compact JSON text. Strings that are not valid UTF-8 get U+FFFD for each
/// invalid sequence (the answer stays JSON); control characters are escaped.
/// Recursive: meant for the engine's own answers, which nest a few levels.
std::string write_json(const Json& value);
/// A JSON string literal (quotes included) of `s`, appended to `out`.
void write_json_string(std::string& out, std::string_view s);

}  // namespace kelisim
