// libFuzzer target: USCC and organization code checks never crash; whatever ParseUscc accepts
// validates cleanly and re-parses to itself.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/uscc.h"

using namespace beian::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Findings f = ValidateUscc(in, "f");
  ValidateOrganizationCode(in, "f");
  auto parsed = ParseUscc(in);
  if (parsed.has_value() != f.empty()) std::abort();
  if (parsed && (ParseUscc(*parsed) != parsed || parsed->size() != 18)) std::abort();
  if (auto org = ParseOrganizationCode(in); org && ParseOrganizationCode(*org) != org) std::abort();
  return 0;
}
