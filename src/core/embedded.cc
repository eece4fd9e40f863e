// Lookups over the generated table of embedded files (see cmake/embed_gen.cmake).
#include "core/embedded.h"

#include <algorithm>

namespace beian::core {

std::optional<std::string_view> EmbeddedFile(std::string_view path) {
  for (const auto& e : EmbeddedFiles()) {
    if (e.path == path) return e.data;
  }
  return std::nullopt;
}

std::vector<EmbeddedFileEntry> EmbeddedFilesUnder(std::string_view prefix) {
  std::vector<EmbeddedFileEntry> out;
  for (const auto& e : EmbeddedFiles()) {
    if (e.path.starts_with(prefix)) out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

}  // namespace beian::core
