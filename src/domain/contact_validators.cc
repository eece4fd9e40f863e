// Contact checks (see contact_validators.h).
#include "domain/contact_validators.h"

#include <algorithm>

#include "domain/domain_name.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

Findings Check(bool empty, bool ok, std::string_view field, std::string_view kind) {
  if (empty) return {Finding{Severity::kError, std::string(field), "required", {}}};
  if (ok) return {};
  return {Finding{
      Severity::kError, std::string(field), "invalid_format", {{"kind", std::string(kind)}}}};
}

// The number without the separators people type between digit groups (RULES.md decision 11:
// spaces, '-', '.', '(' and ')').
std::string StripSeparators(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '-' && c != ' ' && c != '.' && c != '(' && c != ')') out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<std::string> NormalizeMobile(std::string_view number) {
  std::string s = StripSeparators(text::NormalizeCode(number));
  // A country code goes only when 11 digits remain after it.
  for (std::string_view prefix : {"+86", "0086", "86"}) {
    if (s.size() == prefix.size() + 11 && s.starts_with(prefix)) {
      s.erase(0, prefix.size());
      break;
    }
  }
  if (s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && text::IsAsciiDigits(s)) {
    return s;
  }
  return std::nullopt;
}

std::optional<std::string> NormalizeLandline(std::string_view number) {
  std::string s = text::NormalizeCode(number);
  std::string area;
  std::string subscriber;
  if (s.starts_with('(')) {
    std::size_t close = s.find(')');
    if (close == std::string::npos) return std::nullopt;
    area = s.substr(1, close - 1);
    subscriber = s.substr(close + 1);
    if (subscriber.starts_with('-')) subscriber.erase(0, 1);
  } else if (std::size_t dash = s.find('-'); dash != std::string::npos) {
    area = s.substr(0, dash);
    subscriber = s.substr(dash + 1);
  } else {
    // No separator: 3-digit area codes are 010 and 02X, every other one has 4 digits.
    if (s.size() < 3) return std::nullopt;
    std::size_t len = (s[1] == '1' || s[1] == '2') ? 3 : 4;
    area = s.substr(0, len);
    subscriber = s.substr(len);
  }
  bool area_ok = (area.size() == 3 || area.size() == 4) && area[0] == '0' && area[1] != '0' &&
                 text::IsAsciiDigits(area);
  bool sub_ok = (subscriber.size() == 7 || subscriber.size() == 8) &&
                text::IsAsciiDigits(subscriber) && subscriber[0] != '0';
  if (!area_ok || !sub_ok) return std::nullopt;
  return area + "-" + subscriber;
}

std::optional<std::string> NormalizeEmail(std::string_view address) {
  std::string s = text::FoldFullWidth(text::Trim(address));
  if (s.empty() || s.size() > 254) return std::nullopt;
  std::size_t at = s.find('@');
  if (at == std::string::npos || s.find('@', at + 1) != std::string::npos) return std::nullopt;
  std::string_view local = std::string_view(s).substr(0, at);
  std::string_view domain = std::string_view(s).substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  constexpr std::string_view kLocalExtra = "._%+-!#$&'*/=?^`{|}~";
  for (char c : local) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              kLocalExtra.find(c) != std::string_view::npos;
    if (!ok) return std::nullopt;
  }
  if (domain.ends_with('.')) return std::nullopt;
  auto d = NormalizeDomain(domain);
  if (!d || d->ascii.find('.') == std::string::npos) return std::nullopt;
  return std::string(local) + "@" + d->ascii;
}

Findings ValidateMobile(std::string_view number, std::string_view field) {
  if (text::Trim(number).empty())
    return {Finding{Severity::kError, std::string(field), "required", {}}};
  if (NormalizeMobile(number)) return {};
  return {Finding{Severity::kError, std::string(field), "mobile_invalid", {}}};
}

Findings ValidateLandline(std::string_view number, std::string_view field) {
  return Check(text::Trim(number).empty(), NormalizeLandline(number).has_value(), field,
               "landline");
}

Findings ValidateEmail(std::string_view address, std::string_view field) {
  return Check(text::Trim(address).empty(), NormalizeEmail(address).has_value(), field, "email");
}

}  // namespace beian::domain
