// Beian SNs (see numbering.h).
#include "domain/numbering.h"

#include <charconv>
#include <cstdio>

#include "domain/validators_util.h"

namespace beian::domain {
namespace {

constexpr std::string_view kIcp = "ICP备";
constexpr std::string_view kHao = "号";

core::Error Invalid(std::string msg) {
  return core::Error(core::ErrorCode::kValidationFailed, std::move(msg));
}

}  // namespace

core::Result<std::string> FormatSubjectSn(const Rules& rules, std::string_view province_code,
                                          int year, std::int64_t sequence) {
  const Province* p = rules.FindProvince(province_code);
  if (p == nullptr) return Invalid("unknown province \"" + std::string(province_code) + "\"");
  if (year < 2000 || year > 9999) return Invalid("year out of range: " + std::to_string(year));
  if (sequence < 1 || sequence > 999999) {
    return Invalid("sequence out of range: " + std::to_string(sequence));
  }
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d%06lld", year, static_cast<long long>(sequence));
  return p->abbreviation + std::string(kIcp) + digits + std::string(kHao);
}

core::Result<std::string> FormatWebsiteSn(const Rules& rules, std::string_view subject_sn,
                                          int index) {
  if (index < 1) return Invalid("website index must be at least 1");
  auto parsed = ParseSn(rules, subject_sn);
  if (!parsed || parsed->website_index) {
    return Invalid("not a subject SN: \"" + std::string(subject_sn) + "\"");
  }
  return parsed->subject_sn + "-" + std::to_string(index);
}

std::string NormalizeSnText(std::string_view input) {
  if (!text::DecodeUtf8(input)) return std::string(input);
  auto strip = [](std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (char c : in) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
        out.push_back(c);
      }
    }
    return out;
  };
  std::string s = strip(text::FoldFullWidth(strip(input)));
  // "icp备" in any ASCII case.
  for (std::size_t i = 0; i + 3 + 3 <= s.size(); ++i) {
    if ((s[i] | 0x20) == 'i' && (s[i + 1] | 0x20) == 'c' && (s[i + 2] | 0x20) == 'p' &&
        s.compare(i + 3, 3, "备") == 0) {
      s[i] = 'I';
      s[i + 1] = 'C';
      s[i + 2] = 'P';
      // A missing 号 after the digits.
      std::size_t end = i + kIcp.size();
      while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
      if (end > i + kIcp.size() && (end == s.size() || s[end] == '-')) {
        s.insert(end, kHao);
      }
      break;
    }
  }
  return s;
}

std::optional<ParsedSn> ParseSn(const Rules& rules, std::string_view input) {
  std::string s = text::FoldFullWidth(text::Trim(input));
  std::string_view v(s);
  // The abbreviation is the first code point.
  if (v.empty()) return std::nullopt;
  std::size_t abbr_len = 1;
  while (abbr_len < v.size() && (static_cast<unsigned char>(v[abbr_len]) & 0xC0) == 0x80) {
    ++abbr_len;
  }
  const Province* p = rules.ProvinceByAbbreviation(v.substr(0, abbr_len));
  if (p == nullptr) return std::nullopt;
  v.remove_prefix(abbr_len);
  if (!v.starts_with(kIcp)) return std::nullopt;
  v.remove_prefix(kIcp.size());
  std::size_t n = 0;
  while (n < v.size() && v[n] >= '0' && v[n] <= '9') ++n;
  if (n < 6 || n > 10) return std::nullopt;
  ParsedSn out;
  out.province_code = p->code;
  out.digits = std::string(v.substr(0, n));
  v.remove_prefix(n);
  if (!v.starts_with(kHao)) return std::nullopt;
  v.remove_prefix(kHao.size());
  if (!v.empty()) {
    if (v[0] != '-' || v.size() < 2 || v.size() > 7 || !text::IsAsciiDigits(v.substr(1)) ||
        v[1] == '0') {
      return std::nullopt;
    }
    int index = 0;
    std::from_chars(v.data() + 1, v.data() + v.size(), index);
    out.website_index = index;
  }
  auto to_int = [](std::string_view d) {
    std::int64_t x = 0;
    std::from_chars(d.data(), d.data() + d.size(), x);
    return x;
  };
  const std::string_view d(out.digits);
  if (n == 10) {
    out.year = static_cast<int>(to_int(d.substr(0, 4)));
    out.sequence = to_int(d.substr(4));
  } else if (n == 8) {
    // Legacy: two-digit year of the first approval (filing began in 2000; "98" → 1998 is
    // older than the system, read 00-99 as 2000-2099 except 9x as 199x).
    int yy = static_cast<int>(to_int(d.substr(0, 2)));
    out.year = yy >= 90 ? 1900 + yy : 2000 + yy;
    out.sequence = to_int(d.substr(2));
  } else {
    out.sequence = to_int(d);
  }
  out.subject_sn = p->abbreviation + std::string(kIcp) + out.digits + std::string(kHao);
  out.canonical = out.subject_sn;
  if (out.website_index) out.canonical += "-" + std::to_string(*out.website_index);
  return out;
}

}  // namespace beian::domain
