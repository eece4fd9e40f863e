// libFuzzer target: resident ID and residence-permit parsing and validation never crash, and a
// number ParseResidentId accepts is one the validator finds no format or checksum problem with.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/identity_validators.h"
#include "domain/rules_loader.h"

using namespace beian::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Rules rules = *LoadEmbeddedRules();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::month{11},
                                          std::chrono::day{28}};
  Findings f = ValidateResidentId(rules, in, today, "f", 18);
  ValidateResidencePermit(in, today, "f", 18);
  ValidateForeignPermanentResidentCard(in, today, "f", 18);
  ValidateHkMacaoPermit(in, "f");
  ValidateMilitaryOfficerCertificate(in, "f");
  if (auto id = ParseResidentId(in)) {
    for (const Finding& x : f) {
      if (x.code == "checksum_mismatch" || x.code == "invalid_format" ||
          x.code == "invalid_length" || x.code == "invalid_birth_date") {
        std::abort();
      }
    }
    if (!ParseResidentId(id->number)) std::abort();  // normalised form is stable
  }
  return 0;
}
