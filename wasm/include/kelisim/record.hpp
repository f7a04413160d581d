// The stored decision and its cookie codec.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kelisim {

enum class Method : uint8_t { none = 0, accept_all = 1, reject_all = 2, custom = 3, api = 4 };
const char* method_name(Method m);
/// "accept-all" -> Method::accept_all ...; unknown -> Method::none.
Method method_from_name(std::string_view name);

/// One answered question: a category or service (by a hash of its kind and
/// name, so the cookie stays small) and whether it was accepted.
struct Answer {
  uint32_t key = 0;
  bool accepted = false;
};

/// The visitor's decision as stored in the consent cookie.
struct Record {
  static constexpr uint8_t kFormat = 1;
  int64_t revision = 0;
  int64_t created = 0;  ///< seconds since the Unix epoch
  int64_t updated = 0;  ///< seconds since the Unix epoch
  std::array<uint8_t, 16> id{};
  Method method = Method::none;
  uint32_t sequence = 0;  ///< how many decisions this id has made
  std::vector<Answer> answers;

  /// The id as a UUID-shaped string (8-4-4-4-12 lowercase hex).
  std::string id_string() const;
  /// The answer for `key`, or nullptr when the visitor was never asked.
  const Answer* find(uint32_t key) const;
};

/// The key under which a category's answer is stored.
uint32_t category_key(std::string_view name);
/// The key under which a service's answer is stored.
uint32_t service_key(std::string_view name);

/// Encodes a record as a URL-safe, cookie-safe value: "1." + base64url(payload + checksum).
std::string encode_record(const Record& record);

struct DecodeResult {
  bool ok = false;
  Record record;
  std::string reason;  ///< why decoding failed: "empty", "too-long", "unknown-format", ...
};

/// Decodes a cookie value. Anything that is not a well-formed value of a known
/// format gives ok=false with a reason; never crashes, throws or aborts.
DecodeResult decode_record(std::string_view value);

/// Parses 32 hex digits into 16 bytes; false on anything else.
bool parse_hex_id(std::string_view hex, std::array<uint8_t, 16>& out);

}  // namespace kelisim
