// PublicLookupKey (see public_lookup.h).
#include "domain/public_lookup.h"

#include <string>

namespace beian::domain {

core::Result<NormalizedDomain> PublicLookupKey(std::string_view input, std::string_view field) {
  auto fail = [&](const char* code, const std::string& message) {
    return core::Error(core::ErrorCode::kValidationFailed, message,
                       {{std::string(field), code, message}});
  };
  if (input.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail("required", "a domain is required");
  }
  if (input.size() > kMaxLookupInput) return fail("domain_invalid", "not a domain name");
  auto info = AnalyzeDomain(input);
  if (!info) return fail("domain_invalid", "not a domain name");
  if (info->registrable.ascii.empty()) {
    return fail("domain_is_public_suffix", info->name.unicode + " is a public suffix");
  }
  return info->registrable;
}

}  // namespace beian::domain
