// USCC and organization code checks (see uscc.h).
#include "domain/uscc.h"

#include <algorithm>
#include <array>

#include "domain/validators_util.h"

namespace beian::domain {
namespace {

constexpr std::array<int, 17> kUsccWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                              29, 25, 13, 8,  24, 10, 30, 28};
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

int OrgValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

Finding Make(std::string_view field, std::string code,
             std::map<std::string, std::string> params = {}) {
  return Finding{Severity::kError, std::string(field), std::move(code), std::move(params)};
}

// A printable form of the offending byte sequence (one code point) at `pos`.
std::string CharAt(std::string_view s, std::size_t pos) {
  if ((static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) return "\uFFFD";  // malformed UTF-8
  std::size_t end = pos + 1;
  while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
  return std::string(s.substr(pos, end - pos));
}

// Position (1-based, in code points) and text of the first character of `s` not in `allowed`.
std::optional<std::pair<std::size_t, std::string>> FirstBad(std::string_view s,
                                                            std::string_view allowed) {
  std::size_t cp = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Every allowed character is ASCII, so any other byte — the lead byte of a wider character
    // or a stray continuation byte of malformed UTF-8 — is the first bad one.
    ++cp;
    if (allowed.find(s[i]) == std::string_view::npos || static_cast<unsigned char>(s[i]) >= 0x80) {
      return std::make_pair(cp, CharAt(s, i));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<char> UsccCheckChar(std::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    std::size_t v = kUsccCharset.find(first17[i]);
    if (v == std::string_view::npos) return std::nullopt;
    sum += static_cast<int>(v) * kUsccWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return kUsccCharset[static_cast<std::size_t>(check)];
}

std::optional<char> OrganizationCodeCheckChar(std::string_view first8) {
  if (first8.size() != 8) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    int v = OrgValue(first8[i]);
    if (v < 0) return std::nullopt;
    sum += v * kOrgWeights[i];
  }
  int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

Findings ValidateUscc(std::string_view number, std::string_view field) {
  Findings f;
  std::string s = text::NormalizeCode(number);
  if (s.empty()) {
    f.push_back(Make(field, "required"));
    return f;
  }
  if (text::CodePointCount(s) != 18) {
    f.push_back(Make(field, "invalid_length",
                     {{"expected", "18"}, {"actual", std::to_string(text::CodePointCount(s))}}));
    return f;
  }
  if (auto bad = FirstBad(s, kUsccCharset)) {
    f.push_back(Make(field, "invalid_character",
                     {{"position", std::to_string(bad->first)}, {"char", bad->second}}));
    return f;
  }
  // Characters 3-8 are a GB/T 2260 administrative division code.
  if (!text::IsAsciiDigits(s.substr(2, 6))) {
    f.push_back(Make(field, "invalid_format", {{"kind", "uscc"}}));
    return f;
  }
  char expected = *UsccCheckChar(s.substr(0, 17));
  if (expected != s[17]) {
    f.push_back(Make(field, "checksum_mismatch",
                     {{"expected", std::string(1, expected)}, {"actual", std::string(1, s[17])}}));
    return f;
  }
  char org_expected = *OrganizationCodeCheckChar(s.substr(8, 8));
  if (org_expected != s[16]) {
    f.push_back(
        Make(field, "organization_code_checksum_mismatch",
             {{"expected", std::string(1, org_expected)}, {"actual", std::string(1, s[16])}}));
  }
  return f;
}

std::optional<std::string> ParseUscc(std::string_view number) {
  if (!ValidateUscc(number, "").empty()) return std::nullopt;
  return text::NormalizeCode(number);
}

namespace {
std::string NormalizeOrgCode(std::string_view number) {
  std::string s = text::NormalizeCode(number);
  if (s.size() == 10 && s[8] == '-') s.erase(8, 1);
  return s;
}
}  // namespace

Findings ValidateOrganizationCode(std::string_view number, std::string_view field) {
  Findings f;
  std::string s = NormalizeOrgCode(number);
  if (s.empty()) {
    f.push_back(Make(field, "required"));
    return f;
  }
  if (text::CodePointCount(s) != 9) {
    f.push_back(Make(field, "invalid_length",
                     {{"expected", "9"}, {"actual", std::to_string(text::CodePointCount(s))}}));
    return f;
  }
  constexpr std::string_view kBody = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (auto bad = FirstBad(s.substr(0, 8), kBody)) {
    f.push_back(Make(field, "invalid_character",
                     {{"position", std::to_string(bad->first)}, {"char", bad->second}}));
    return f;
  }
  if (auto bad = FirstBad(s.substr(8), "0123456789X")) {
    f.push_back(Make(field, "invalid_character", {{"position", "9"}, {"char", bad->second}}));
    return f;
  }
  char expected = *OrganizationCodeCheckChar(s.substr(0, 8));
  if (expected != s[8]) {
    f.push_back(Make(field, "checksum_mismatch",
                     {{"expected", std::string(1, expected)}, {"actual", std::string(1, s[8])}}));
  }
  return f;
}

std::optional<std::string> ParseOrganizationCode(std::string_view number) {
  if (!ValidateOrganizationCode(number, "").empty()) return std::nullopt;
  return NormalizeOrgCode(number);
}

Findings CheckUsccPrefix(const Rules& rules, std::string_view organizer_type,
                         std::string_view number, std::string_view field) {
  Findings f;
  const OrganizerType* type = rules.FindOrganizerType(organizer_type);
  if (type == nullptr || type->uscc_prefixes.empty()) return f;
  std::string s = text::NormalizeCode(number);
  if (s.size() != 18) return f;
  std::string prefix = s.substr(0, 2);
  if (std::find(type->uscc_prefixes.begin(), type->uscc_prefixes.end(), prefix) !=
      type->uscc_prefixes.end()) {
    return f;
  }
  std::string expected;
  for (const std::string& p : type->uscc_prefixes) expected += (expected.empty() ? "" : ", ") + p;
  f.push_back(Finding{Severity::kWarning,
                      std::string(field),
                      "uscc_prefix_type_mismatch",
                      {{"prefix", prefix}, {"expected", expected}}});
  return f;
}

}  // namespace beian::domain
