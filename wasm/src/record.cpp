#include "kelisim/record.hpp"

namespace kelisim {
namespace {

// Decoding never needs more than this: 30 services encode to ~200 characters.
constexpr size_t kMaxEncoded = 3000;
constexpr size_t kMaxAnswers = 512;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

uint32_t fnv1a(const uint8_t* p, size_t n, uint32_t h = 2166136261u) {
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

uint32_t keyed_hash(char kind, std::string_view name) {
  uint8_t k[2] = {static_cast<uint8_t>(kind), ':'};
  uint32_t h = fnv1a(k, 2);
  return fnv1a(reinterpret_cast<const uint8_t*>(name.data()), name.size(), h);
}

void put_varint(std::vector<uint8_t>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

/// Bounds-checked reader over the decoded bytes.
struct Cursor {
  const uint8_t* p;
  size_t n;
  size_t pos = 0;
  bool ok = true;

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= n) {
        ok = false;
        return 0;
      }
      uint8_t b = p[pos++];
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  uint8_t byte() {
    if (pos >= n) {
      ok = false;
      return 0;
    }
    return p[pos++];
  }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(byte()) << (8 * i);
    return v;
  }
};

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

bool b64_decode(std::string_view in, std::vector<uint8_t>& out) {
  if (in.size() % 4 == 1) return false;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = b64_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return (acc & ((1u << bits) - 1)) == 0;  // no stray bits: one canonical encoding
}

std::string b64_encode(const std::vector<uint8_t>& in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : in) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  return out;
}

}  // namespace

const char* method_name(Method m) {
  switch (m) {
    case Method::accept_all: return "accept-all";
    case Method::reject_all: return "reject-all";
    case Method::custom: return "custom";
    case Method::api: return "api";
    default: return nullptr;
  }
}

Method method_from_name(std::string_view name) {
  for (Method m : {Method::accept_all, Method::reject_all, Method::custom, Method::api})
    if (name == method_name(m)) return m;
  return Method::none;
}

uint32_t category_key(std::string_view name) { return keyed_hash('c', name); }
uint32_t service_key(std::string_view name) { return keyed_hash('s', name); }

std::string Record::id_string() const {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[id[i] >> 4];
    out += hex[id[i] & 15];
  }
  return out;
}

const Answer* Record::find(uint32_t key) const {
  for (const auto& a : answers)
    if (a.key == key) return &a;
  return nullptr;
}

bool parse_hex_id(std::string_view hex, std::array<uint8_t, 16>& out) {
  if (hex.size() != 32) return false;
  for (size_t i = 0; i < 32; ++i) {
    char c = hex[i];
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (v < 0) return false;
    if (i % 2 == 0) out[i / 2] = static_cast<uint8_t>(v << 4);
    else out[i / 2] = static_cast<uint8_t>(out[i / 2] | v);
  }
  return true;
}

// Layout: revision, created, updated (varints), id (16 bytes), method (1 byte),
// sequence, answer count (varints), answer keys (4 bytes each), accepted bits
// (one bit per answer), then a 32-bit checksum over everything before it.
std::string encode_record(const Record& r) {
  std::vector<uint8_t> b;
  put_varint(b, uint64_t(r.revision < 0 ? 0 : r.revision));
  put_varint(b, uint64_t(r.created < 0 ? 0 : r.created));
  put_varint(b, uint64_t(r.updated < 0 ? 0 : r.updated));
  b.insert(b.end(), r.id.begin(), r.id.end());
  b.push_back(static_cast<uint8_t>(r.method));
  put_varint(b, r.sequence);
  put_varint(b, r.answers.size());
  for (const auto& a : r.answers) put_u32(b, a.key);
  for (size_t i = 0; i < r.answers.size(); i += 8) {
    uint8_t bits = 0;
    for (size_t j = 0; j < 8 && i + j < r.answers.size(); ++j)
      if (r.answers[i + j].accepted) bits = static_cast<uint8_t>(bits | (1u << j));
    b.push_back(bits);
  }
  put_u32(b, fnv1a(b.data(), b.size()));
  return std::string(1, char('0' + Record::kFormat)) + "." + b64_encode(b);  // kFormat < 10
}

DecodeResult decode_record(std::string_view value) {
  DecodeResult res;
  auto fail = [&res](const char* why) {
    res.ok = false;
    res.reason = why;
    return res;
  };
  if (value.empty()) return fail("empty");
  if (value.size() > kMaxEncoded) return fail("too-long");
  size_t dot = value.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 3) return fail("unknown-format");
  for (size_t i = 0; i < dot; ++i)
    if (value[i] < '0' || value[i] > '9') return fail("unknown-format");
  if (value.substr(0, dot) != "1") return fail("unsupported-version");
  std::vector<uint8_t> b;
  if (!b64_decode(value.substr(dot + 1), b)) return fail("bad-encoding");
  if (b.size() < 4 + 3 + 16 + 1 + 2) return fail("truncated");
  Cursor sum{b.data() + b.size() - 4, 4};
  if (sum.u32() != fnv1a(b.data(), b.size() - 4)) return fail("checksum");

  Cursor c{b.data(), b.size() - 4};
  Record& r = res.record;
  uint64_t rev = c.varint(), created = c.varint(), updated = c.varint();
  const uint64_t kMaxTime = uint64_t(1) << 40;  // far beyond any real date
  if (rev > 2147483647u || created > kMaxTime || updated > kMaxTime) return fail("out-of-range");
  r.revision = int64_t(rev);
  r.created = int64_t(created);
  r.updated = int64_t(updated);
  for (auto& byte : r.id) byte = c.byte();
  uint8_t m = c.byte();
  if (m < 1 || m > 4) return fail("bad-method");
  r.method = static_cast<Method>(m);
  uint64_t seq = c.varint();
  uint64_t count = c.varint();
  if (!c.ok) return fail("truncated");
  if (seq > 0xffffffffu || count > kMaxAnswers) return fail("out-of-range");
  r.sequence = uint32_t(seq);
  if (c.n - c.pos != count * 4 + (count + 7) / 8) return fail("truncated");
  r.answers.resize(size_t(count));
  for (auto& a : r.answers) a.key = c.u32();
  for (size_t i = 0; i < r.answers.size(); ++i) r.answers[i].accepted = (b[c.pos + i / 8] >> (i % 8)) & 1;
  res.ok = true;
  return res;
}

}  // namespace kelisim
