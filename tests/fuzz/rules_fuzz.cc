// libFuzzer target: the rules loader, fed one arbitrary file (chosen by the first byte) beside
// the shipped ones, either loads or fails with kRulesInvalid naming a file of the set.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded.h"
#include "domain/rules_loader.h"

using namespace beian::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::vector<beian::core::EmbeddedFileEntry> shipped =
      beian::core::EmbeddedFilesUnder("data/rules/");
  const std::string target(shipped[data[0] % shipped.size()].path);
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::pair<std::string, std::string_view>> files;
  for (const auto& e : shipped) {
    files.emplace_back(std::string(e.path), e.path == target ? content : e.data);
  }
  auto r = LoadRules(files);
  if (!r.ok()) {
    if (r.error().code != beian::core::ErrorCode::kRulesInvalid) std::abort();
    if (!r.error().message.starts_with("data/rules/")) std::abort();
  }
  return 0;
}
