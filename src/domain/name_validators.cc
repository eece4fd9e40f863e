// Name checks (see name_validators.h).
#include "domain/name_validators.h"

#include <algorithm>

#include "domain/domain_name.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

constexpr std::size_t kMinOrganizerNameLength = 2;

Finding Make(std::string_view field, std::string code,
             std::map<std::string, std::string> params = {}) {
  return Finding{Severity::kError, std::string(field), std::move(code), std::move(params)};
}

bool IsAsciiAlnum(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

// "example.com", "www.例子.中国": something a reviewer would read as a domain, not a name.
bool LooksLikeDomain(std::string_view name) {
  std::string folded = text::FoldFullWidth(text::Trim(name));
  if (folded.find('.') == std::string::npos) return false;
  if (folded.starts_with("http://") || folded.starts_with("https://")) return true;
  auto d = NormalizeDomain(folded);
  return d.has_value() && d->ascii.find('.') != std::string::npos;
}

bool IsDigitOrLatinOnly(const std::u32string& cps) {
  return std::none_of(cps.begin(), cps.end(), [](char32_t c) { return text::IsHan(c); });
}

}  // namespace

std::vector<RegulatedMatch> RegulatedWordsIn(const Rules& rules, std::string_view name) {
  struct Hit {
    std::size_t begin, end;
    const RegulatedWord* word;
  };
  std::vector<Hit> hits;
  for (const RegulatedWord& w : rules.regulated_words) {
    for (std::size_t pos = name.find(w.word); pos != std::string_view::npos;
         pos = name.find(w.word, pos + 1)) {
      hits.push_back({pos, pos + w.word.size(), &w});
    }
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<RegulatedMatch> out;
  std::vector<Hit> kept;
  for (const Hit& h : hits) {
    bool covered = std::any_of(kept.begin(), kept.end(),
                               [&](const Hit& k) { return k.begin <= h.begin && h.end <= k.end; });
    if (covered) continue;
    kept.push_back(h);
    RegulatedMatch m{h.word->word, h.word->pre_approval_kind};
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(std::move(m));
  }
  return out;
}

Findings ValidateWebsiteName(const Rules& rules, std::string_view raw,
                             const WebsiteNameContext& context, std::string_view field) {
  Findings f;
  std::string name = text::FoldFullWidth(text::Trim(raw));
  if (name.empty()) {
    f.push_back(Make(field, "required"));
    return f;
  }
  if (LooksLikeDomain(name)) {
    f.push_back(Make(field, "name_is_domain"));
    return f;
  }
  auto cps = text::DecodeUtf8(name);
  if (!cps) {
    f.push_back(Make(field, "name_invalid_character", {{"char", "?"}}));
    return f;
  }
  // Names may use Chinese, Latin letters, digits, spaces and the few symbols every CA accepts.
  constexpr std::u32string_view kAllowedSymbols = U" -()·（）";
  for (char32_t c : *cps) {
    if (!text::IsHan(c) && !IsAsciiAlnum(c) && kAllowedSymbols.find(c) == std::u32string::npos) {
      f.push_back(Make(field, "name_invalid_character", {{"char", text::EncodeUtf8(c)}}));
      break;
    }
  }
  if (cps->size() < static_cast<std::size_t>(rules.min_name_length)) {
    f.push_back(Make(
        field, "too_short",
        {{"min", std::to_string(rules.min_name_length)}, {"actual", std::to_string(cps->size())}}));
  }
  if (IsDigitOrLatinOnly(*cps)) f.push_back(Make(field, "only_digits_or_latin"));
  if (!context.national_organizer) {
    for (const std::string& prefix : rules.forbidden_name_prefixes) {
      if (name.starts_with(prefix)) {
        f.push_back(Make(field, "forbidden_prefix", {{"prefix", prefix}}));
        break;
      }
    }
  }
  const OrganizerType* type = rules.FindOrganizerType(context.organizer_type);
  const bool individual = type != nullptr && type->is_individual;
  if (individual) {
    for (const std::string& word : rules.individual_forbidden_words) {
      if (name.find(word) != std::string::npos) {
        f.push_back(Make(field, "individual_forbidden_word", {{"word", word}}));
      }
    }
  }
  for (const RegulatedMatch& m : RegulatedWordsIn(rules, name)) {
    if (individual) {
      f.push_back(Make(field, "individual_regulated_word",
                       {{"word", m.word}, {"kind", m.pre_approval_kind}}));
    } else if (std::find(context.pre_approvals.begin(), context.pre_approvals.end(),
                         m.pre_approval_kind) == context.pre_approvals.end()) {
      // RULES.md decision 7: the content decides; a keyword only in the name warns, and the
      // approval or a commitment letter (required_documents) clears it.
      f.push_back(Finding{Severity::kWarning,
                          std::string(field),
                          "pre_approval_keyword_in_name",
                          {{"word", m.word}, {"kind", m.pre_approval_kind}}});
    }
  }
  return f;
}

Findings ValidateOrganizerName(const Rules& rules, std::string_view raw,
                               std::string_view organizer_type, std::string_view field) {
  Findings f;
  std::string name = text::FoldFullWidth(text::Trim(raw));
  if (name.empty()) {
    f.push_back(Make(field, "required"));
    return f;
  }
  if (LooksLikeDomain(name)) {
    f.push_back(Make(field, "name_is_domain"));
    return f;
  }
  auto cps = text::DecodeUtf8(name);
  if (!cps) {
    f.push_back(Make(field, "name_invalid_character", {{"char", "?"}}));
    return f;
  }
  if (cps->size() < kMinOrganizerNameLength) {
    f.push_back(Make(field, "too_short",
                     {{"min", std::to_string(kMinOrganizerNameLength)},
                      {"actual", std::to_string(cps->size())}}));
  }
  const OrganizerType* type = rules.FindOrganizerType(organizer_type);
  if (type != nullptr && type->is_individual) {
    // Foreign individuals write Latin names ("John SMITH"); digits and symbols never belong.
    constexpr std::u32string_view kAllowed = U" -·.'";
    for (char32_t c : *cps) {
      bool ok = text::IsHan(c) || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') ||
                kAllowed.find(c) != std::u32string::npos;
      if (!ok) {
        f.push_back(Make(field, "name_invalid_character", {{"char", text::EncodeUtf8(c)}}));
        break;
      }
    }
  } else if (IsDigitOrLatinOnly(*cps)) {
    f.push_back(Make(field, "only_digits_or_latin"));
  }
  return f;
}

}  // namespace beian::domain
