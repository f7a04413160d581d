#include "kelisim/request.hpp"

#include "kelisim/record.hpp"

namespace kelisim {

std::vector<std::pair<std::string, std::string>> parse_cookie_header(const std::string& header) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < header.size() && out.size() < 1000) {
    size_t end = header.find(';', i);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(i, end - i);
    size_t a = part.find_first_not_of(" \t"), b = part.find_last_not_of(" \t");
    if (a != std::string::npos) {
      part = part.substr(a, b - a + 1);
      size_t eq = part.find('=');
      if (eq == std::string::npos) out.push_back({"", part});
      else out.push_back({part.substr(0, eq), part.substr(eq + 1)});
    }
    i = end + 1;
  }
  return out;
}

std::string stored_value(const Config& cfg, const std::string& header) {
  std::string first, best;
  bool found = false, have_best = false;
  int64_t best_updated = 0;
  for (const auto& kv : parse_cookie_header(header)) {
    if (kv.first != cfg.cookie.name) continue;
    DecodeResult d = decode_record(kv.second);
    if (d.ok && (!have_best || d.record.updated > best_updated)) {
      best = kv.second;
      best_updated = d.record.updated;
      have_best = true;
    }
    if (!found) first = kv.second;
    found = true;
  }
  return have_best ? best : first;
}

std::string receipt_url(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

std::string iso_time(int64_t seconds) {
  // Civil date from days since 1970-01-01 (proleptic Gregorian).
  int64_t days = seconds / 86400, rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y += 1;
  char buf[32];
  auto two = [](char* p, int64_t v) {
    p[0] = char('0' + v / 10 % 10);
    p[1] = char('0' + v % 10);
  };
  int64_t yy = y < 0 ? 0 : y > 9999 ? 9999 : y;
  buf[0] = char('0' + yy / 1000);
  buf[1] = char('0' + yy / 100 % 10);
  two(buf + 2, yy % 100);
  buf[4] = '-';
  two(buf + 5, m);
  buf[7] = '-';
  two(buf + 8, d);
  buf[10] = 'T';
  two(buf + 11, rem / 3600);
  buf[13] = ':';
  two(buf + 14, rem / 60 % 60);
  buf[16] = ':';
  two(buf + 17, rem % 60);
  buf[19] = 'Z';
  buf[20] = 0;
  return buf;
}

}  // namespace kelisim
