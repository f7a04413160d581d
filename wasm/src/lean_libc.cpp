#include "kelisim/lean_libc.hpp"

#include <cmath>
#include <cstdint>

namespace kelisim {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/// Appends to a bounded buffer, counting what would have been written.
struct Sink {
  char* out;
  std::size_t size;
  std::size_t len = 0;
  void put(char c) {
    if (len + 1 < size) out[len] = c;
    ++len;
  }
  void pad(int n, char c) {
    for (; n > 0; --n) put(c);
  }
};

}  // namespace

double parse_decimal(const char* text, char** end) {
  const char* p = text;
  bool negative = false;
  if (*p == '-' || *p == '+') negative = *p++ == '-';
  uint64_t mantissa = 0;
  int exponent = 0, significant = 0;
  bool any = false;
  for (; is_digit(*p); ++p) {
    any = true;
    if (significant < 19) {
      mantissa = mantissa * 10 + uint64_t(*p - '0');
      if (mantissa) ++significant;
    } else {
      ++exponent;  // digits beyond 19 only scale
    }
  }
  if (*p == '.') {
    for (++p; is_digit(*p); ++p) {
      any = true;
      if (significant < 19) {
        mantissa = mantissa * 10 + uint64_t(*p - '0');
        if (mantissa) ++significant;
        --exponent;
      }
    }
  }
  if (!any) {
    if (end) *end = const_cast<char*>(text);
    return 0;
  }
  if (*p == 'e' || *p == 'E') {
    const char* q = p + 1;
    bool minus = false;
    if (*q == '+' || *q == '-') minus = *q++ == '-';
    if (is_digit(*q)) {
      int e = 0;
      for (; is_digit(*q); ++q)
        if (e < 100000) e = e * 10 + (*q - '0');
      exponent += minus ? -e : e;
      p = q;
    }
  }
  if (end) *end = const_cast<char*>(p);
  double value = double(mantissa);
  if (mantissa) {
    for (; exponent > 22 && value < 1e308; exponent -= 22) value *= 1e22;
    for (; exponent < -22 && value > 0; exponent += 22) value /= 1e22;
    if (exponent > 0) value *= kPow10[exponent > 22 ? 22 : exponent];
    if (exponent < 0) value /= kPow10[-exponent > 22 ? 22 : -exponent];
  }
  return negative ? -value : value;
}

int format_text(char* out, std::size_t size, const char* f, std::va_list args) {
  Sink s{out, size};
  for (; *f; ++f) {
    if (*f != '%') {
      s.put(*f);
      continue;
    }
    bool left = false, plus = false, space = false, alt = false, zero = false;
    for (++f;; ++f) {
      if (*f == '-') left = true;
      else if (*f == '+') plus = true;
      else if (*f == ' ') space = true;
      else if (*f == '#') alt = true;
      else if (*f == '0') zero = true;
      else break;
    }
    int width = 0, precision = -1;
    if (*f == '*') {
      width = va_arg(args, int);
      if (width < 0) {
        left = true;
        width = -width;
      }
      ++f;
    } else {
      for (; is_digit(*f); ++f) width = width * 10 + (*f - '0');
    }
    if (*f == '.') {
      precision = 0;
      if (*++f == '*') {
        precision = va_arg(args, int);
        ++f;
      } else {
        for (; is_digit(*f); ++f) precision = precision * 10 + (*f - '0');
      }
    }
    int longs = 0;  // 0: int, 1: long / size_t / ptrdiff_t, 2: long long / intmax_t
    bool narrow_char = false, narrow_short = false;
    for (;; ++f) {
      if (*f == 'h') (narrow_short ? narrow_char : narrow_short) = true;
      else if (*f == 'l') ++longs;
      else if (*f == 'j' || *f == 'L') longs = 2;
      else if (*f == 'z' || *f == 't') longs = sizeof(std::size_t) == 8 ? 2 : 1;
      else break;
    }
    const char c = *f;
    if (!c) break;
    char buf[72];
    int n = 0;  // digits in buf, least significant first
    const char* prefix = "";
    if (c == 'd' || c == 'i' || c == 'u' || c == 'o' || c == 'x' || c == 'X' || c == 'p') {
      uint64_t v;
      bool negative = false;
      if (c == 'p') {
        v = uint64_t(reinterpret_cast<uintptr_t>(va_arg(args, void*)));
        alt = true;
      } else if (c == 'd' || c == 'i') {
        int64_t x = longs == 2 ? va_arg(args, long long) : longs == 1 ? va_arg(args, long) : va_arg(args, int);
        if (narrow_char) x = static_cast<signed char>(x);
        else if (narrow_short) x = static_cast<short>(x);
        negative = x < 0;
        v = negative ? 0 - uint64_t(x) : uint64_t(x);
      } else {
        v = longs == 2 ? va_arg(args, unsigned long long) : longs == 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned);
        if (narrow_char) v = static_cast<unsigned char>(v);
        else if (narrow_short) v = static_cast<unsigned short>(v);
      }
      const unsigned base = c == 'o' ? 8 : (c == 'x' || c == 'X' || c == 'p') ? 16 : 10;
      const char* digits = c == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      for (uint64_t x = v; x; x /= base) buf[n++] = digits[x % base];
      if (precision < 0 && !n) buf[n++] = '0';
      for (int i = n; i < precision; ++i) buf[n++] = '0';
      if (negative) prefix = "-";
      else if (plus && (c == 'd' || c == 'i')) prefix = "+";
      else if (space && (c == 'd' || c == 'i')) prefix = " ";
      else if (alt && v && base == 16) prefix = c == 'X' ? "0X" : "0x";
      else if (alt && base == 8 && (n == 0 || buf[n - 1] != '0')) buf[n++] = '0';
      int plen = 0;
      while (prefix[plen]) ++plen;
      const int fill = width - n - plen;
      if (!left && !(zero && precision < 0)) s.pad(fill, ' ');
      for (const char* q = prefix; *q; ++q) s.put(*q);
      if (!left && zero && precision < 0) s.pad(fill, '0');
      while (n) s.put(buf[--n]);
      if (left) s.pad(fill, ' ');
    } else if (c == 's' || c == 'c') {
      char one = 0;
      const char* str = c == 'c' ? (one = char(va_arg(args, int)), &one) : va_arg(args, const char*);
      if (!str) str = "(null)";
      int len = 0;
      if (c == 'c') len = 1;
      else
        while (str[len] && (precision < 0 || len < precision)) ++len;
      if (!left) s.pad(width - len, ' ');
      for (int i = 0; i < len; ++i) s.put(str[i]);
      if (left) s.pad(width - len, ' ');
    } else if (c == 'f' || c == 'F' || c == 'e' || c == 'E' || c == 'g' || c == 'G' || c == 'a' || c == 'A') {
      double v = longs == 2 ? double(va_arg(args, long double)) : va_arg(args, double);
      // Rarely wanted here: written plainly, up to 17 significant digits.
      if (std::isnan(v)) {
        for (const char* q = "nan"; *q; ++q) s.put(*q);
        continue;
      }
      if (v < 0 || (v == 0 && std::signbit(v))) {
        s.put('-');
        v = -v;
      }
      if (std::isinf(v)) {
        for (const char* q = "inf"; *q; ++q) s.put(*q);
        continue;
      }
      int e10 = 0;
      while (v >= 10) {
        v /= 10;
        ++e10;
      }
      while (v > 0 && v < 1) {
        v *= 10;
        --e10;
      }
      int digits = 0;
      char d[18];
      for (; digits < 17; ++digits) {
        int k = int(v);
        d[digits] = char('0' + k);
        v = (v - k) * 10;
      }
      while (digits > 1 && d[digits - 1] == '0') --digits;
      s.put(d[0]);
      if (digits > 1) s.put('.');
      for (int i = 1; i < digits; ++i) s.put(d[i]);
      if (e10) {
        s.put('e');
        s.put(e10 < 0 ? '-' : '+');
        int a = e10 < 0 ? -e10 : e10;
        char eb[4];
        int en = 0;
        do {
          eb[en++] = char('0' + a % 10);
          a /= 10;
        } while (a);
        if (en < 2) eb[en++] = '0';
        while (en) s.put(eb[--en]);
      }
    } else {
      s.put(c);  // "%%", or a conversion nothing here uses: written as is
    }
  }
  if (size) out[s.len < size ? s.len : size - 1] = 0;
  return int(s.len);
}

}  // namespace kelisim
