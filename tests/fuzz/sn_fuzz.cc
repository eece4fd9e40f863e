// libFuzzer target: SN parsing never crashes, and every parsed SN's canonical form parses back
// to the same province, digits and website index.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/numbering.h"
#include "domain/rules_loader.h"

using namespace beian::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Rules rules = *LoadEmbeddedRules();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto p = ParseSn(rules, in);
  if (!p) return 0;
  auto again = ParseSn(rules, p->canonical);
  if (!again || again->province_code != p->province_code || again->digits != p->digits ||
      again->website_index != p->website_index || again->canonical != p->canonical) {
    std::abort();
  }
  return 0;
}
