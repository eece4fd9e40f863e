// libFuzzer target: domain normalisation is idempotent (from either form), and analysis of a
// valid name yields a registrable domain that is a suffix of the name.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/domain_name.h"
#include "domain/rules_loader.h"

using namespace beian::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Rules rules = *LoadEmbeddedRules();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto n = NormalizeDomain(in);
  if (n) {
    if (NormalizeDomain(n->ascii) != n) std::abort();
    if (NormalizeDomain(n->unicode) != n) std::abort();
    auto info = AnalyzeDomain(in);
    if (!info) std::abort();
    if (!info->registrable.ascii.empty() && !n->ascii.ends_with(info->registrable.ascii)) {
      std::abort();
    }
  }
  ValidateDomain(rules, in, "government", "f");
  ValidateDomain(rules, in, "individual", "f");
  return 0;
}
