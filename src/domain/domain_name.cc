// Domain names (see domain_name.h).
#include "domain/domain_name.h"

#include <idn2.h>
#include <libpsl.h>

#include <algorithm>
#include <cstdlib>

#include "domain/validators_util.h"

namespace beian::domain {
namespace {

// Owns a libidn2 result buffer.
struct IdnString {
  char* p = nullptr;
  ~IdnString() { idn2_free(p); }
};

bool ValidAsciiLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The process-wide public suffix list. psl_latest picks the newest of Debian's dafsa file and
// the copy built into libpsl; loaded once (thread-safe static) and never freed.
const psl_ctx_t* Psl() {
  static const psl_ctx_t* const ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return ctx;
}

bool IsIcannPublicSuffix(std::string_view ascii) {
  const psl_ctx_t* psl = Psl();
  if (psl == nullptr) return false;
  std::string s(ascii);
  return psl_is_public_suffix2(psl, s.c_str(), PSL_TYPE_ICANN) != 0;
}

}  // namespace

std::optional<NormalizedDomain> NormalizeDomain(std::string_view input) {
  std::string s = text::FoldFullWidth(text::Trim(input));
  s = text::AsciiLower(s);
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s.empty() || s.size() > 253 * 4) return std::nullopt;
  // Reject what libidn2 would otherwise map silently (spaces, URL syntax, control characters).
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
      return std::nullopt;
    }
  }
  if (!text::DecodeUtf8(s)) return std::nullopt;

  // Fast path: plain ASCII names without A-labels need no IDNA processing (most domains).
  const bool plain = std::all_of(s.begin(), s.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; }) &&
                     !s.starts_with("xn--") && s.find(".xn--") == std::string::npos;
  if (plain) {
    if (s.size() > 253) return std::nullopt;
    auto labels = text::Split(s, '.');
    for (std::string_view label : labels) {
      if (!ValidAsciiLabel(label)) return std::nullopt;
    }
    if (text::IsAsciiDigits(labels.back())) return std::nullopt;
    return NormalizedDomain{s, s};
  }

  IdnString ascii;
  if (idn2_to_ascii_8z(s.c_str(), &ascii.p, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK) {
    return std::nullopt;
  }
  NormalizedDomain out;
  out.ascii = text::AsciiLower(ascii.p);
  if (out.ascii.empty() || out.ascii.size() > 253) return std::nullopt;
  auto labels = text::Split(out.ascii, '.');
  for (std::string_view label : labels) {
    if (!ValidAsciiLabel(label)) return std::nullopt;
  }
  // An all-numeric top-level label means an IP address or garbage, never a domain.
  if (text::IsAsciiDigits(labels.back())) return std::nullopt;

  IdnString unicode;
  if (idn2_to_unicode_8z8z(out.ascii.c_str(), &unicode.p, 0) != IDN2_OK) return std::nullopt;
  out.unicode = unicode.p;
  // Round trip when the input had A-labels: the Unicode form must map back to the same ascii
  // form (rejects bogus xn-- labels). Unicode input was already validated by the first pass.
  const bool had_a_labels = s.starts_with("xn--") || s.find(".xn--") != std::string::npos;
  if (had_a_labels) {
    IdnString again;
    if (idn2_to_ascii_8z(out.unicode.c_str(), &again.p, IDN2_NONTRANSITIONAL) != IDN2_OK ||
        text::AsciiLower(again.p) != out.ascii) {
      return std::nullopt;
    }
  }
  return out;
}

std::string PublicSuffixOf(std::string_view ascii) {
  // The longest ICANN suffix wins: scan from the left, the first public suffix is the longest.
  std::size_t pos = 0;
  for (;;) {
    std::string_view candidate = ascii.substr(pos);
    if (IsIcannPublicSuffix(candidate)) return std::string(candidate);
    std::size_t dot = ascii.find('.', pos);
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  // Unknown top-level domain: its last label acts as the suffix ("*" rule of the PSL algorithm).
  std::size_t last = ascii.rfind('.');
  return std::string(last == std::string_view::npos ? ascii : ascii.substr(last + 1));
}

std::optional<DomainInfo> AnalyzeDomain(std::string_view input) {
  auto name = NormalizeDomain(input);
  if (!name) return std::nullopt;
  DomainInfo info;
  info.name = *name;
  const std::string suffix = PublicSuffixOf(name->ascii);
  // Labels correspond one to one in both forms, so the Unicode suffix and registrable domain are
  // the same trailing labels of the Unicode name (no second IDNA pass).
  const auto ascii_labels = text::Split(name->ascii, '.');
  const auto unicode_labels = text::Split(name->unicode, '.');
  if (ascii_labels.size() != unicode_labels.size()) return std::nullopt;
  const std::size_t suffix_labels =
      static_cast<std::size_t>(std::count(suffix.begin(), suffix.end(), '.')) + 1;
  auto tail = [&](const std::vector<std::string_view>& labels, std::size_t k) {
    std::string out;
    for (std::size_t i = labels.size() - k; i < labels.size(); ++i) {
      if (!out.empty()) out += '.';
      out += labels[i];
    }
    return out;
  };
  info.public_suffix = {suffix, tail(unicode_labels, suffix_labels)};
  if (ascii_labels.size() > suffix_labels) {
    info.registrable = {tail(ascii_labels, suffix_labels + 1),
                        tail(unicode_labels, suffix_labels + 1)};
    info.is_subdomain = ascii_labels.size() > suffix_labels + 1;
  }
  return info;
}

const ApprovedSuffix* ApprovedSuffixFor(const Rules& rules, const DomainInfo& info) {
  return rules.FindSuffix(info.public_suffix.ascii);
}

namespace {

Finding Make(Severity severity, std::string_view field, std::string code,
             std::map<std::string, std::string> params = {}) {
  return Finding{severity, std::string(field), std::move(code), std::move(params)};
}

bool Listed(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool EndsWithSuffix(std::string_view name, std::string_view suffix) {
  return name == suffix || (name.size() > suffix.size() && name.ends_with(suffix) &&
                            name[name.size() - suffix.size() - 1] == '.');
}

}  // namespace

Findings ValidateDomain(const Rules& rules, std::string_view input, std::string_view organizer_type,
                        std::string_view field, DomainInfo* info_out) {
  Findings findings;
  if (text::Trim(input).empty()) {
    findings.push_back(Make(Severity::kError, field, "required"));
    return findings;
  }
  auto info = AnalyzeDomain(input);
  if (!info) {
    findings.push_back(Make(Severity::kError, field, "domain_invalid",
                            {{"domain", std::string(text::Trim(input))}}));
    return findings;
  }
  if (info_out != nullptr) *info_out = *info;
  if (info->registrable.ascii.empty()) {
    findings.push_back(Make(Severity::kError, field, "domain_is_public_suffix",
                            {{"suffix", info->public_suffix.unicode}}));
    return findings;
  }
  const ApprovedSuffix* suffix = ApprovedSuffixFor(rules, *info);
  if (suffix == nullptr) {
    findings.push_back(Make(Severity::kError, field, "suffix_not_approved",
                            {{"suffix", info->public_suffix.unicode}}));
  } else if (!organizer_type.empty() && suffix->suffix_class != SuffixClass::kOpen &&
             !Listed(suffix->organizer_types, organizer_type)) {
    // RULES.md decision 5: fine, warning or error by organizer type.
    const bool warn =
        suffix->warning_for_others || Listed(suffix->warning_organizer_types, organizer_type);
    std::string allowed;
    for (const std::string& t : suffix->organizer_types) {
      allowed += (allowed.empty() ? "" : ", ") + t;
    }
    findings.push_back(Make(warn ? Severity::kWarning : Severity::kError, field,
                            "suffix_not_allowed_for_organizer",
                            {{"suffix", suffix->unicode},
                             {"organizer_type", std::string(organizer_type)},
                             {"allowed", allowed}}));
  }
  if (const OrganizerType* type = rules.FindOrganizerType(organizer_type);
      type != nullptr && !type->required_suffixes.empty()) {
    bool ok = std::any_of(
        type->required_suffixes.begin(), type->required_suffixes.end(),
        [&](const std::string& s) { return EndsWithSuffix(info->registrable.ascii, s); });
    if (!ok) {
      std::string list;
      for (const std::string& s : type->required_suffixes) {
        auto n = NormalizeDomain(s);
        if (!list.empty()) list += ", ";
        list += "." + (n ? n->unicode : s);
      }
      findings.push_back(Make(Severity::kError, field, "suffix_required", {{"suffixes", list}}));
    }
  }
  if (info->is_subdomain) {
    findings.push_back(Make(Severity::kWarning, field, "is_subdomain",
                            {{"registrable", info->registrable.unicode}}));
  }
  return findings;
}

}  // namespace beian::domain
