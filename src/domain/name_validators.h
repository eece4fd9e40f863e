// Names of organizers and websites (RULES.md "Websites and domains"; FACTS 4.1, 8.3): length,
// character set, not a domain, forbidden prefixes for non-national organizers, words individuals
// may not use, and words that imply regulated content and so need a pre-approval. The word lists
// are rules data (name_words.tsv). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/finding.h"
#include "domain/rules.h"

namespace beian::domain {

struct RegulatedMatch {
  std::string word;               // "新闻"
  std::string pre_approval_kind;  // "news"
  bool operator==(const RegulatedMatch&) const = default;
};

// The regulated words in `name`, in order of appearance; a word inside a longer listed word at
// the same place (医疗 in 医疗器械) is not reported separately.
std::vector<RegulatedMatch> RegulatedWordsIn(const Rules& rules, std::string_view name);

struct WebsiteNameContext {
  std::string_view organizer_type;         // "individual" applies the individual word list
  bool national_organizer = false;         // national-level bodies may use 中国, 国家, …
  std::vector<std::string> pre_approvals;  // kinds the website holds
};

// Codes: required, name_is_domain, name_invalid_character {char}, too_short {min, actual},
// only_digits_or_latin, forbidden_prefix {prefix}, individual_forbidden_word {word},
// individual_regulated_word {word, kind}, pre_approval_keyword_in_name {word, kind} (a warning:
// RULES.md decision 7, the content decides).
Findings ValidateWebsiteName(const Rules& rules, std::string_view name,
                             const WebsiteNameContext& context, std::string_view field);

// The organizer's name as on its certificate (a person's name for individuals). Codes: required,
// name_is_domain, too_short {min, actual} (2 characters), only_digits_or_latin (organizations),
// name_invalid_character {char} (digits or symbols in a person's name).
Findings ValidateOrganizerName(const Rules& rules, std::string_view name,
                               std::string_view organizer_type, std::string_view field);

}  // namespace beian::domain
