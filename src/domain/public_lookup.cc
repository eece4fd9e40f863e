// PublicLookupKey (see public_lookup.h).
#include "domain/public_lookup.h"

#include <arpa/inet.h>
#include <unictype.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "domain/validators_util.h"

namespace beian::domain {
namespace {

// The scripts a label may combine (Unicode TS #39 "highly restrictive"): one script, or Latin with
// the scripts written together in Chinese, Japanese and Korean names. Common and Inherited
// characters (digits, the hyphen, combining marks) belong to every script.
bool AllowedScripts(const std::set<std::string>& scripts) {
  if (scripts.size() <= 1) return true;
  static const std::vector<std::set<std::string>> kAllowed{{"Latin", "Han", "Hiragana", "Katakana"},
                                                           {"Latin", "Han", "Bopomofo"},
                                                           {"Latin", "Han", "Hangul"}};
  for (const auto& allowed : kAllowed) {
    if (std::includes(allowed.begin(), allowed.end(), scripts.begin(), scripts.end())) return true;
  }
  return false;
}

// True when a label of the Unicode name mixes scripts in a way no real name does ("аpple" with a
// Cyrillic "а"): the look-alike names of phishing.
bool MixesScripts(std::string_view unicode) {
  size_t start = 0;
  while (start <= unicode.size()) {
    size_t dot = unicode.find('.', start);
    if (dot == std::string_view::npos) dot = unicode.size();
    auto cps = text::DecodeUtf8(unicode.substr(start, dot - start));
    if (cps) {
      std::set<std::string> scripts;
      for (char32_t c : *cps) {
        const uc_script_t* s = uc_script(static_cast<ucs4_t>(c));
        if (s == nullptr) continue;
        const std::string_view name = s->name;
        if (name == "Common" || name == "Inherited") continue;
        scripts.emplace(name);
      }
      if (!AllowedScripts(scripts)) return true;
    }
    start = dot + 1;
  }
  return false;
}

// Why `input`, which is not a valid host name, is not one: a code a client can act on.
const char* Diagnose(std::string_view input) {
  std::string s = text::AsciiLower(text::FoldFullWidth(text::Trim(input)));
  if (!s.empty() && s.back() == '.') s.pop_back();
  std::string bare = s;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  unsigned char buf[16];
  if (::inet_pton(AF_INET, bare.c_str(), buf) == 1 ||
      ::inet_pton(AF_INET6, bare.c_str(), buf) == 1) {
    return "domain_ip_address";
  }
  if (s.size() > 253) return "domain_too_long";
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    if (dot == std::string::npos) dot = s.size();
    const std::string_view label = std::string_view(s).substr(start, dot - start);
    if (label.size() > 63) return "domain_label_too_long";
    if (label.starts_with("xn--")) return "domain_punycode_invalid";
    start = dot + 1;
  }
  return "domain_invalid";
}

}  // namespace

std::optional<NormalizedDomain> FastLookupKey(std::string_view input, bool a_labels) {
  if (!input.empty() && input.back() == '.') input.remove_suffix(1);
  if (input.empty() || input.size() > 253) return std::nullopt;
  std::string s(input);
  size_t label_start = 0;
  size_t labels = 1;
  size_t first_a_label = 0;  // 1-based; 0: none
  bool all_digits = true;    // the current label
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      const size_t len = i - label_start;
      if (len == 0 || len > 63 || s[label_start] == '-' || s[i - 1] == '-') return std::nullopt;
      // An A-label needs IDNA (validation and the Unicode form): the full path, unless the
      // caller takes unvalidated registrable A-labels (checked below).
      if (len >= 4 && (s[label_start] == 'x' || s[label_start] == 'X') &&
          (s[label_start + 1] == 'n' || s[label_start + 1] == 'N') && s[label_start + 2] == '-' &&
          s[label_start + 3] == '-') {
        if (!a_labels) return std::nullopt;
        if (first_a_label == 0) first_a_label = labels;
      }
      if (i == s.size()) break;
      ++labels;
      label_start = i + 1;
      all_digits = true;
      continue;
    }
    char& c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= '0' && c <= '9') continue;
    all_digits = false;
    if (!((c >= 'a' && c <= 'z') || c == '-')) return std::nullopt;
  }
  // An all-numeric last label: an IP address or garbage (the full path says which).
  if (all_digits) return std::nullopt;
  const std::string suffix = PublicSuffixOf(s);
  const size_t suffix_labels =
      static_cast<size_t>(std::count(suffix.begin(), suffix.end(), '.')) + 1;
  if (labels <= suffix_labels) return std::nullopt;  // a public suffix: the full path's error
  // An A-label in a subdomain label: only the full path validates it.
  if (first_a_label != 0 && first_a_label < labels - suffix_labels) return std::nullopt;
  // The registrable domain: the suffix and one label before it.
  size_t start = 0;
  size_t pos = s.size();
  for (size_t k = 0; k < suffix_labels + 1; ++k) {
    const size_t dot = s.rfind('.', pos - 1);
    if (dot == std::string::npos) {
      start = 0;
      break;
    }
    start = dot + 1;
    pos = dot;
  }
  std::string registrable = s.substr(start);
  if (first_a_label != 0) return NormalizedDomain{std::move(registrable), std::string()};
  return NormalizedDomain{registrable, registrable};
}

core::Result<NormalizedDomain> PublicLookupKey(std::string_view input, std::string_view field) {
  auto fail = [&](const char* code, const std::string& message) {
    return core::Error(core::ErrorCode::kValidationFailed, message,
                       {{std::string(field), code, message}});
  };
  if (input.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail("required", "a domain is required");
  }
  if (input.size() > kMaxLookupInput) return fail("domain_too_long", "a domain name is too long");
  auto info = AnalyzeDomain(input);
  if (!info) {
    const char* code = Diagnose(input);
    const std::string_view c = code;
    return fail(code, c == "domain_ip_address"         ? "an IP address is not a domain name"
                      : c == "domain_too_long"         ? "a domain name is at most 253 characters"
                      : c == "domain_label_too_long"   ? "a label of a domain name is at most 63 "
                                                         "characters"
                      : c == "domain_punycode_invalid" ? "an xn-- label is not valid punycode"
                                                       : "not a domain name");
  }
  // Plain ASCII names are one script; only internationalised names can mix.
  if (info->name.unicode != info->name.ascii && MixesScripts(info->name.unicode)) {
    return fail("domain_mixed_script", "a label mixes scripts (a look-alike name)");
  }
  if (info->registrable.ascii.empty()) {
    return fail("domain_is_public_suffix", info->name.unicode + " is a public suffix");
  }
  return info->registrable;
}

}  // namespace beian::domain
