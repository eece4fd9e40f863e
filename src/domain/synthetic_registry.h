// Synthetic registry filings for load and scale tests (issue 11 item 1, `beian admin
// generate-registry`): realistic organizers of every type, 1–3 websites each with IDN and ASCII
// domains on suffixes the organizer type may use, certificates with valid check characters, dates
// over 20 years, some subjects and websites cancelled. Pure and random-access: filing `i` of a
// seed is a function of (seed, i) alone, so the same seed and N always give the same registry
// and the generation can be split or checked at any index.
//
// Uniqueness by construction, not by retry: every domain label and every certificate number
// embeds a seed-keyed bijection of the filing index (and the website/domain position), so two
// filings of one seed never share a domain or a certificate. Filings of DIFFERENT seeds are
// unrelated and may collide (the registry's unique constraints then refuse the batch).
// SNs are not chosen here: the subject sequence depends on the filings before it in the same
// province and year, which the writer (authority/registry_generator.h) numbers in index order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/domain_name.h"
#include "domain/registry_view.h"
#include "domain/rules.h"

namespace beian::domain {

// The largest N the uniqueness encodings cover (certificate numbers use 8 decimal digits).
inline constexpr int64_t kMaxSyntheticFilings = 100'000'000;

struct SyntheticWebsite {
  int index = 0;  // 1, 2, 3: the website SN's "-N"
  std::string name;
  std::vector<NormalizedDomain> domains;  // registrable; ascii = punycode
  RegistryPerson person_in_charge;
  int64_t approved_ms = 0;   // Unix ms
  int64_t cancelled_ms = 0;  // 0 = active
};

struct SyntheticFiling {
  int64_t index = 0;
  std::string province;  // GB code
  std::string organizer_type;
  std::string organizer_name;
  std::string certificate_type;
  std::string certificate_number;
  RegistryPerson person_in_charge;
  int64_t created_ms = 0;    // the first website's approval; numbers the subject
  int64_t cancelled_ms = 0;  // 0 = active; a cancelled subject's websites are all cancelled
  std::vector<SyntheticWebsite> websites;
};

struct SyntheticRegistryOptions {
  uint64_t seed = 1;
  std::vector<std::string> provinces;  // GB codes to draw from; empty = all of the rules'
  int64_t now_ms = 0;                  // dates fall in the 20 years before this
};

class SyntheticRegistry {
 public:
  // REQUIRES: every code of options.provinces is a province of `rules` (checked by the caller).
  SyntheticRegistry(const Rules& rules, SyntheticRegistryOptions options);

  // Filing `index` (0 <= index < kMaxSyntheticFilings).
  SyntheticFiling Filing(int64_t index) const;

 private:
  struct TypeChoice {
    const OrganizerType* type = nullptr;
    std::string certificate_type;
    std::string uscc_prefix;  // "" for individuals and military units
    std::vector<const ApprovedSuffix*> suffixes;
    std::vector<uint32_t> suffix_weights;  // cumulative
  };

  const Rules& rules_;
  SyntheticRegistryOptions options_;
  std::vector<const Province*> provinces_;
  std::vector<TypeChoice> types_;  // by the generator's own distribution (see .cc)
};

}  // namespace beian::domain
